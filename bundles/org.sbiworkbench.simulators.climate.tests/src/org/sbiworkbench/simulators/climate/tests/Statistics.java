package org.sbiworkbench.simulators.climate.tests;

/**
 * The tolerances the climate tests share. Every check is seeded, so each
 * passes or fails deterministically; Z says how unlikely a failure of a
 * correct simulator would be for an arbitrary seed.
 */
final class Statistics {

	/**
	 * Deviations of an estimate from its expectation are allowed 4.5 standard
	 * errors: a correct simulator fails one such check with probability
	 * 7·10⁻⁶ (two-sided, for a normal estimate).
	 */
	static final double Z = 4.5;

	private Statistics() {
	}

	static double mean(double[] v) {
		double s = 0;
		for (double x : v) {
			s += x;
		}
		return s / v.length;
	}

	/** The variance with divisor n. */
	static double variance(double[] v) {
		double m = mean(v);
		double s = 0;
		for (double x : v) {
			s += (x - m) * (x - m);
		}
		return s / v.length;
	}

	/** The covariance with divisor n. */
	static double covariance(double[] a, double[] b) {
		double ma = mean(a);
		double mb = mean(b);
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			s += (a[i] - ma) * (b[i] - mb);
		}
		return s / a.length;
	}

	/** The standard error of the mean of independent values. */
	static double standardError(double[] v) {
		return Math.sqrt(variance(v) / (v.length - 1));
	}
}
