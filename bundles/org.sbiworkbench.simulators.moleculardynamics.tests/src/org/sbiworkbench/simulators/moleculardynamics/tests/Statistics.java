package org.sbiworkbench.simulators.moleculardynamics.tests;

/**
 * The tolerances the molecular-dynamics tests share. Every check is seeded,
 * so each passes or fails deterministically; the levels below say how
 * unlikely a failure of a correct simulator would be for an arbitrary seed.
 */
final class Statistics {

	/**
	 * Deviations of a sample mean from its expectation are allowed 4.5
	 * standard errors: a correct simulator fails one such check with
	 * probability 7·10⁻⁶ (two-sided), so even 100 checks in a test stay below 10⁻³.
	 */
	static final double Z = 4.5;
	/** Distribution tests (Kolmogorov–Smirnov) reject at this level. */
	static final double LEVEL = 1e-5;

	private Statistics() {
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

	/** The mean of independent values and its standard error √(s²/(n − 1)). */
	static double[] meanAndStandardError(double[] values) {
		double[] mv = meanAndVariance(values);
		return new double[] { mv[0], Math.sqrt(mv[1] / (values.length - 1)) };
	}

	/**
	 * The mean of a correlated series and its standard error by batch means:
	 * the series cut into {@code batches} consecutive batches, each batch
	 * much longer than the correlation time, whose means are then nearly
	 * independent.
	 */
	static double[] batchMeans(double[] series, int batches) {
		int size = series.length / batches;
		double[] means = new double[batches];
		for (int b = 0; b < batches; b++) {
			double sum = 0;
			for (int k = b * size; k < (b + 1) * size; k++) {
				sum += series[k];
			}
			means[b] = sum / size;
		}
		return meanAndStandardError(means);
	}

	/** Sample correlation of paired values. */
	static double correlation(double[] a, double[] b) {
		double[] ma = meanAndVariance(a);
		double[] mb = meanAndVariance(b);
		double c = 0;
		for (int i = 0; i < a.length; i++) {
			c += (a[i] - ma[0]) * (b[i] - mb[0]);
		}
		return c / a.length / Math.sqrt(ma[1] * mb[1]);
	}
}
