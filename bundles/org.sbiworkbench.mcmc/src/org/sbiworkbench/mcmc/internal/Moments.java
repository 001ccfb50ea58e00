package org.sbiworkbench.mcmc.internal;

/** Running mean and covariance (Welford) of points, for adapting proposals to the target's scale. */
final class Moments {

	private final int d;
	private final double[] mean;
	private final double[][] m2;
	private long n;

	Moments(int d) {
		this.d = d;
		this.mean = new double[d];
		this.m2 = new double[d][d];
	}

	void add(double[] x) {
		n++;
		double[] delta = new double[d];
		for (int i = 0; i < d; i++) {
			delta[i] = x[i] - mean[i];
			mean[i] += delta[i] / n;
		}
		for (int i = 0; i < d; i++) {
			double after = x[i] - mean[i];
			for (int j = 0; j < d; j++) {
				m2[i][j] += after * delta[j];
			}
		}
	}

	long count() {
		return n;
	}

	double[][] covariance() {
		double[][] c = new double[d][d];
		for (int i = 0; i < d; i++) {
			for (int j = 0; j < d; j++) {
				c[i][j] = n > 1 ? 0.5 * (m2[i][j] + m2[j][i]) / (n - 1) : 0;
			}
		}
		return c;
	}

	double[] variance() {
		double[] v = new double[d];
		for (int i = 0; i < d; i++) {
			v[i] = n > 1 ? m2[i][i] / (n - 1) : 0;
		}
		return v;
	}

	/** The moments of a set of points, e.g. the chains' starting points. */
	static Moments of(double[][] points) {
		Moments m = new Moments(points[0].length);
		for (double[] p : points) {
			m.add(p);
		}
		return m;
	}
}
