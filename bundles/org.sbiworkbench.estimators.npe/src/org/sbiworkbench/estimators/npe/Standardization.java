package org.sbiworkbench.estimators.npe;

/** Per-dimension z-scoring, from the training data (sbi floors the std to avoid division by zero). */
public record Standardization(double[] mean, double[] std) {

	private static final double MIN_STD = 1e-8;

	public static Standardization of(double[][] rows) {
		int d = rows[0].length;
		double[] mean = new double[d];
		double[] std = new double[d];
		for (double[] r : rows) {
			for (int j = 0; j < d; j++) {
				mean[j] += r[j];
			}
		}
		for (int j = 0; j < d; j++) {
			mean[j] /= rows.length;
		}
		for (double[] r : rows) {
			for (int j = 0; j < d; j++) {
				std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
			}
		}
		for (int j = 0; j < d; j++) {
			std[j] = Math.max(MIN_STD, Math.sqrt(std[j] / Math.max(1, rows.length - 1)));
		}
		return new Standardization(mean, std);
	}

	public float[] apply(double[] v) {
		float[] z = new float[v.length];
		for (int j = 0; j < v.length; j++) {
			z[j] = (float) ((v[j] - mean[j]) / std[j]);
		}
		return z;
	}

	public double[] invert(float[] z) {
		double[] v = new double[z.length];
		for (int j = 0; j < z.length; j++) {
			v[j] = mean[j] + std[j] * z[j];
		}
		return v;
	}

	/** Σ log σ_j: what a density loses when mapped back from z-space. */
	public double logJacobian() {
		double s = 0;
		for (double v : std) {
			s += Math.log(v);
		}
		return s;
	}
}
