package org.sbiworkbench.mcmc.internal;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * One sampler's transition for all chains at once, with its own tuning state.
 * {@link ChainRunner} owns the loop; a kernel is made fresh for every run.
 */
public interface Kernel {

	/** Called once before the first iteration with the starting points and their log-densities. */
	void start(double[][] x, double[] logp, RandomGenerator random);

	/**
	 * One iteration of every chain, updating {@code x} and {@code logp} in place.
	 *
	 * @param iteration 0-based, counting warm-up
	 * @param warmup    whether tuning is still allowed
	 */
	void step(double[][] x, double[] logp, int iteration, boolean warmup, RandomGenerator random);

	/** Warm-up is over: tuning is frozen from here on, so the kept draws come from one fixed kernel. */
	void endWarmup();

	/** Accepted fraction of the proposals made after warm-up. */
	double acceptanceRate();
}
