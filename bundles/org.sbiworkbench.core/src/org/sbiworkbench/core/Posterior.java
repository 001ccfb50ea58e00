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
}
