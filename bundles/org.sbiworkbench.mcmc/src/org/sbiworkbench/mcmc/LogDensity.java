package org.sbiworkbench.mcmc;

import java.util.function.ToDoubleFunction;

/**
 * An unnormalised log-density log π(θ) to sample from, evaluated for a batch of
 * points at once.
 * <p>
 * Samplers pass the current points of all their chains in one call, because
 * the targets of NLE and NRE evaluate a neural network, which costs about the
 * same for 20 rows as for one. {@code -Infinity} means "outside the support":
 * every sampler rejects such points (or shrinks away from them) and never
 * starts a chain there. {@code NaN} and {@code +Infinity} are treated like
 * {@code -Infinity}.
 * <p>
 * Implementations must not modify {@code theta} and must not keep references
 * to its rows: samplers reuse them.
 */
public interface LogDensity {

	/** The number of coordinates of θ. */
	int dimension();

	/**
	 * Writes log π(θ_r) into {@code out[r]} for every row θ_r of {@code theta}
	 * ({@code out.length == theta.length}).
	 */
	void logDensity(double[][] theta, double[] out);

	/** Whether {@link #logDensityAndGradient} is implemented; gradient-based samplers (HMC) need it. */
	default boolean hasGradient() {
		return false;
	}

	/**
	 * Like {@link #logDensity}, and also writes ∇ log π(θ_r) into {@code grad[r]}
	 * (rows of length {@link #dimension()}). Where the log-density is
	 * {@code -Infinity} the gradient is ignored.
	 *
	 * @throws UnsupportedOperationException unless {@link #hasGradient()}
	 */
	default void logDensityAndGradient(double[][] theta, double[] out, double[][] grad) {
		throw new UnsupportedOperationException("This log-density has no gradient (hasGradient() is false); "
				+ "use a gradient-free sampler such as slice sampling or Metropolis-Hastings");
	}

	/** A target given one point at a time; batches are evaluated row by row. */
	static LogDensity of(int dimension, ToDoubleFunction<double[]> logDensity) {
		checkDimension(dimension);
		return new LogDensity() {
			@Override
			public int dimension() {
				return dimension;
			}

			@Override
			public void logDensity(double[][] theta, double[] out) {
				for (int r = 0; r < theta.length; r++) {
					out[r] = logDensity.applyAsDouble(theta[r]);
				}
			}
		};
	}

	/** A target given one point at a time together with its gradient (for HMC). */
	static LogDensity withGradient(int dimension, PointWithGradient logDensity) {
		checkDimension(dimension);
		return new LogDensity() {
			@Override
			public int dimension() {
				return dimension;
			}

			@Override
			public void logDensity(double[][] theta, double[] out) {
				double[] ignored = new double[dimension];
				for (int r = 0; r < theta.length; r++) {
					out[r] = logDensity.evaluate(theta[r], ignored);
				}
			}

			@Override
			public boolean hasGradient() {
				return true;
			}

			@Override
			public void logDensityAndGradient(double[][] theta, double[] out, double[][] grad) {
				for (int r = 0; r < theta.length; r++) {
					out[r] = logDensity.evaluate(theta[r], grad[r]);
				}
			}
		};
	}

	/** log π at one point, writing ∇ log π into {@code gradient}. */
	@FunctionalInterface
	interface PointWithGradient {
		double evaluate(double[] theta, double[] gradient);
	}

	private static void checkDimension(int dimension) {
		if (dimension < 1) {
			throw new IllegalArgumentException("A log-density needs at least one dimension, not " + dimension);
		}
	}
}
