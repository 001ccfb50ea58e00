package org.sbiworkbench.simulators.particle.tests;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * The tolerances the particle tests share. Every check is seeded, so each
 * passes or fails deterministically; the levels below say how unlikely a
 * failure of a correct simulator would be for an arbitrary seed.
 */
final class Statistics {

	/**
	 * Deviations of a sample mean from its expectation are allowed 4.5
	 * standard errors: a correct simulator fails one such check with
	 * probability 7·10⁻⁶ (two-sided), so even 100 checks in a test stay below 10⁻³.
	 */
	static final double Z = 4.5;
	/** Chi-square and Kolmogorov–Smirnov tests reject at this level. */
	static final double LEVEL = 1e-5;

	private Statistics() {
	}

	/** The (1 − {@link #LEVEL}) quantile of χ² with the given degrees of freedom. */
	static double chiSquareBound(int degreesOfFreedom) {
		return new ChiSquaredDistribution(null, degreesOfFreedom).inverseCumulativeProbability(1 - LEVEL);
	}

	/** Mean and variance (divisor n) of the values. */
	static double[] meanAndVariance(double[] values) {
		double mean = 0;
		for (double v : values) {
			mean += v;
		}
		mean /= values.length;
		double var = 0;
		for (double v : values) {
			var += (v - mean) * (v - mean);
		}
		return new double[] { mean, var / values.length };
	}

	/** Σ_j (observed_j − expected_j)² / expected_j. */
	static double chiSquare(double[] observed, double[] expected) {
		double chi2 = 0;
		for (int j = 0; j < observed.length; j++) {
			double d = observed[j] - expected[j];
			chi2 += d * d / expected[j];
		}
		return chi2;
	}
}
