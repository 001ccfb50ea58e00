package org.sbiworkbench.estimators.nle;

import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Prior;

/**
 * ∇ log p(θ) of a prior, which the {@link Prior} interface does not offer:
 * exact for uniform boxes (zero inside) and Gaussians (−Σ⁻¹(θ − μ)), central
 * finite differences of {@link Prior#logProb} otherwise (one-sided next to
 * the support's edge). Priors are cheap closed forms, so 2d extra evaluations
 * per point cost nothing next to a network.
 */
final class PriorGradient {

	private final Prior prior;
	private final double[] mean;
	private final double[][] precision;

	PriorGradient(Prior prior) {
		this.prior = prior;
		if (prior instanceof MultivariateGaussianPrior g) {
			mean = g.mean();
			precision = invert(g.covariance());
		} else {
			mean = null;
			precision = null;
		}
	}

	/** Adds ∇ log p(θ) to {@code grad}; θ must be inside the support. */
	void add(double[] theta, double[] grad) {
		int d = theta.length;
		if (prior instanceof BoxUniformPrior) {
			return;
		}
		if (precision != null) {
			for (int i = 0; i < d; i++) {
				double s = 0;
				for (int j = 0; j < d; j++) {
					s += precision[i][j] * (theta[j] - mean[j]);
				}
				grad[i] -= s;
			}
			return;
		}
		double[] t = theta.clone();
		double centre = prior.logProb(theta);
		for (int j = 0; j < d; j++) {
			double h = 1e-5 * Math.max(1, Math.abs(theta[j]));
			t[j] = theta[j] + h;
			double up = prior.logProb(t);
			t[j] = theta[j] - h;
			double down = prior.logProb(t);
			t[j] = theta[j];
			boolean u = Double.isFinite(up), l = Double.isFinite(down);
			grad[j] += u && l ? (up - down) / (2 * h) : u ? (up - centre) / h : l ? (centre - down) / h : 0;
		}
	}

	/** Gauss–Jordan with partial pivoting; covariances are small and positive definite. */
	private static double[][] invert(double[][] a) {
		int n = a.length;
		double[][] m = new double[n][2 * n];
		for (int i = 0; i < n; i++) {
			System.arraycopy(a[i], 0, m[i], 0, n);
			m[i][n + i] = 1;
		}
		for (int c = 0; c < n; c++) {
			int p = c;
			for (int r = c + 1; r < n; r++) {
				if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
					p = r;
				}
			}
			double[] tmp = m[c];
			m[c] = m[p];
			m[p] = tmp;
			double pivot = m[c][c];
			for (int j = 0; j < 2 * n; j++) {
				m[c][j] /= pivot;
			}
			for (int r = 0; r < n; r++) {
				if (r != c && m[r][c] != 0) {
					double f = m[r][c];
					for (int j = 0; j < 2 * n; j++) {
						m[r][j] -= f * m[c][j];
					}
				}
			}
		}
		double[][] inv = new double[n][n];
		for (int i = 0; i < n; i++) {
			System.arraycopy(m[i], n, inv[i], 0, n);
		}
		return inv;
	}
}
