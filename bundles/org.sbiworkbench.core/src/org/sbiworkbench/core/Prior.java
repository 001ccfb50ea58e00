package org.sbiworkbench.core;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A prior distribution p(θ) over named parameters.
 * <p>
 * {@link #logProb(double[])} is the normalised log-density and is
 * {@code Double.NEGATIVE_INFINITY} outside the {@link #inSupport(double[]) support}.
 */
public interface Prior {

	/** The parameters θ_1..θ_d, in the order used by every {@code double[] theta}. */
	List<Parameter> parameters();

	default int dimension() {
		return parameters().size();
	}

	/** One draw θ ~ p(θ). */
	double[] sample(RandomGenerator random);

	/** n independent draws, one row each. */
	default double[][] sample(int n, RandomGenerator random) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot draw a negative number of samples: " + n);
		}
		double[][] draws = new double[n][];
		for (int i = 0; i < n; i++) {
			draws[i] = sample(random);
		}
		return draws;
	}

	/** log p(θ); {@code -Infinity} outside the support. */
	double logProb(double[] theta);

	boolean inSupport(double[] theta);

	/** Per-parameter lower bounds of the support ({@code -Infinity} where unbounded). */
	double[] lowerBounds();

	/** Per-parameter upper bounds of the support ({@code +Infinity} where unbounded). */
	double[] upperBounds();

	/** A short mathematical description of the marginal of parameter i, e.g. "U(-1, 1)". */
	String describe(int i);
}
