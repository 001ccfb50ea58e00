package org.sbiworkbench.mcmc;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.internal.ChainRunner;
import org.sbiworkbench.mcmc.internal.GibbsKernel;

/**
 * Gibbs sampling, one coordinate at a time: exact draws from the full
 * conditionals a model supplies ({@link ConditionalSampler}), and for every
 * other coordinate a Metropolis step on that coordinate alone with a step
 * size adapted in warm-up (Metropolis-within-Gibbs). Exact conditionals make
 * conjugate parts of a model cost nothing to tune; on strongly correlated
 * coordinates any one-at-a-time scheme moves slowly.
 */
public final class Gibbs implements Sampler {

	public static final String ID = "gibbs";

	private final Map<Integer, ConditionalSampler> conditionals;

	/** Metropolis-within-Gibbs for every coordinate. */
	public Gibbs() {
		this(Map.of());
	}

	/** @param conditionals exact conditional samplers by coordinate (0-based); the others get Metropolis steps */
	public Gibbs(Map<Integer, ConditionalSampler> conditionals) {
		TreeMap<Integer, ConditionalSampler> copy = new TreeMap<>();
		conditionals.forEach((i, s) -> {
			if (i == null || i < 0 || s == null) {
				throw new IllegalArgumentException("Conditional samplers need a coordinate >= 0 and a sampler: " + i);
			}
			copy.put(i, s);
		});
		this.conditionals = copy;
	}

	/** The coordinates with exact conditional samplers. */
	public Set<Integer> exactCoordinates() {
		return Collections.unmodifiableSet(conditionals.keySet());
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Gibbs sampling";
	}

	@Override
	public String reference() {
		return "Geman, Geman (1984), Stochastic relaxation, Gibbs distributions, and the Bayesian restoration of "
				+ "images, IEEE TPAMI 6(6):721-741; Roberts, Rosenthal (2009), Examples of adaptive MCMC, "
				+ "J. Comput. Graph. Statist. 18(2):349-367 (adaptive Metropolis-within-Gibbs)";
	}

	@Override
	public McmcResult sample(LogDensity target, Initialiser init, McmcSettings settings, long seed,
			ProgressMonitor monitor) {
		if (target != null) {
			int d = target.dimension();
			conditionals.keySet().stream().filter(i -> i >= d).findFirst().ifPresent(i -> {
				throw new IllegalArgumentException(
						"A conditional sampler is given for coordinate " + i + " of a " + d + "-dimensional target");
			});
		}
		return ChainRunner.run(ID, name(), (t, s) -> {
			ConditionalSampler[] byCoordinate = new ConditionalSampler[t.dimension()];
			conditionals.forEach((i, c) -> byCoordinate[i] = c);
			return new GibbsKernel(t, byCoordinate);
		}, target, init, settings, seed, monitor);
	}
}
