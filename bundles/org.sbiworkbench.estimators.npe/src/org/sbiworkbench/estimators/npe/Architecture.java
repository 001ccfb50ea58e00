package org.sbiworkbench.estimators.npe;

import java.util.Locale;

import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.MaskedAutoregressiveFlow;
import org.sbiworkbench.nn.MixtureDensityNetwork;
import org.sbiworkbench.nn.NeuralSplineFlow;

/**
 * Which density estimator, of which size: enough to rebuild it identically
 * (masks, permutations) before loading its weights.
 *
 * @param type       "nsf" (neural spline flow, sbibm's NPE), "maf" or "mdn"
 * @param initSeed   seeds the initial weights and the fixed random structure (permutations)
 */
public record Architecture(String type, int dimension, int contextDimension, long initSeed) {

	public static final String DEFAULT = "nsf";

	public Architecture {
		type = type.toLowerCase(Locale.ROOT);
		if (!java.util.List.of("nsf", "maf", "mdn").contains(type)) {
			throw new IllegalArgumentException("Unknown density estimator '" + type + "'; available: nsf, maf, mdn");
		}
	}

	public ConditionalDensity build() {
		Well19937c random = new Well19937c(initSeed);
		return switch (type) {
		case "nsf" -> NeuralSplineFlow.sbiDefault(dimension, contextDimension, random);
		case "maf" -> MaskedAutoregressiveFlow.sbiDefault(dimension, contextDimension, random);
		case "mdn" -> MixtureDensityNetwork.sbiDefault(dimension, contextDimension, random);
		default -> throw new IllegalStateException(type);
		};
	}
}
