package org.sbiworkbench.estimators.npe;

import java.util.Locale;

import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.MaskedAutoregressiveFlow;

/**
 * Which density estimator, of which size: enough to rebuild it identically
 * (masks, permutations) before loading its weights.
 *
 * @param type       "maf" (more to come: "nsf", "mdn")
 * @param initSeed   seeds the initial weights and the fixed random structure (permutations)
 */
public record Architecture(String type, int dimension, int contextDimension, long initSeed) {

	public static final String DEFAULT = "maf";

	public Architecture {
		type = type.toLowerCase(Locale.ROOT);
		if (!type.equals("maf")) {
			throw new IllegalArgumentException("Unknown density estimator '" + type + "'; available: maf");
		}
	}

	public ConditionalDensity build() {
		Well19937c random = new Well19937c(initSeed);
		return switch (type) {
		case "maf" -> MaskedAutoregressiveFlow.sbiDefault(dimension, contextDimension, random);
		default -> throw new IllegalStateException(type);
		};
	}
}
