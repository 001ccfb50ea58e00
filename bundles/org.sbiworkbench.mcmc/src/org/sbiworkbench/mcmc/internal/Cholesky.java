package org.sbiworkbench.mcmc.internal;

/** The lower Cholesky factor of a covariance matrix, for correlated Gaussian proposals. */
final class Cholesky {

	private Cholesky() {
	}

	/** L with L·Lᵀ = a, or null when a is not (numerically) positive definite. */
	static double[][] lower(double[][] a) {
		int d = a.length;
		double[][] l = new double[d][d];
		for (int i = 0; i < d; i++) {
			for (int j = 0; j <= i; j++) {
				double s = a[i][j];
				for (int k = 0; k < j; k++) {
					s -= l[i][k] * l[j][k];
				}
				if (i == j) {
					if (!(s > 0) || !Double.isFinite(s)) {
						return null;
					}
					l[i][i] = Math.sqrt(s);
				} else {
					l[i][j] = s / l[j][j];
				}
			}
		}
		return l;
	}
}
