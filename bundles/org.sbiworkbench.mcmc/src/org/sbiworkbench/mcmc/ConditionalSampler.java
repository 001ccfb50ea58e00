package org.sbiworkbench.mcmc;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * An exact draw of one coordinate θ_i from its full conditional
 * π(θ_i | θ_−i), for {@link Gibbs} sampling of models where that conditional
 * is known in closed form (conjugate pieces); exact draws are always accepted
 * and need no tuning.
 */
@FunctionalInterface
public interface ConditionalSampler {

	/**
	 * A draw of θ_i given the other coordinates of {@code theta}; the value at
	 * index i is the current one and must not influence the draw.
	 * {@code theta} must not be modified.
	 */
	double draw(double[] theta, RandomGenerator random);
}
