package org.sbiworkbench.core;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A (possibly approximate) posterior p(θ | x_o) for one observation x_o.
 * <p>
 * Every posterior can be sampled; only some have a density (neural
 * posterior estimates do, ABC samples do not), which
 * {@link #hasDensity()} tells before {@link #logProb(double[])} is called.
 */
public interface Posterior {

	List<Parameter> parameters();

	default int dimension() {
		return parameters().size();
	}

	/** The observation x_o this posterior is conditioned on. */
	double[] observation();

	/** n draws θ ~ p(θ | x_o), one row each. */
	double[][] sample(int n, RandomGenerator random);

	/** Whether {@link #logProb(double[])} is available. */
	boolean hasDensity();

	/**
	 * log p(θ | x_o).
	 *
	 * @throws UnsupportedOperationException when {@link #hasDensity()} is false
	 */
	double logProb(double[] theta);

	/**
	 * The maximum a posteriori θ where the posterior can find it (by optimising
	 * its density); empty for posteriors without one.
	 */
	default java.util.Optional<double[]> map(RandomGenerator random) {
		return java.util.Optional.empty();
	}

	/**
	 * For posteriors that reject samples outside the prior's support: the share
	 * accepted so far. NaN where nothing is rejected or nothing was drawn yet.
	 */
	default double acceptanceRate() {
		return Double.NaN;
	}
}
