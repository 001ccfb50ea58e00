package org.sbiworkbench.mcmc.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.mcmc.Initialiser;
import org.sbiworkbench.mcmc.LogDensity;

/**
 * Targets whose mean and covariance are known exactly, each with its gradient
 * (for HMC) and a broad box-uniform prior to start chains from.
 */
final class Targets {

	/** A target with its exact moments. */
	record Target(String name, LogDensity density, double[] mean, double[][] covariance, Initialiser init) {
		int dimension() {
			return mean.length;
		}
	}

	private Targets() {
	}

	static Initialiser box(double[] lower, double[] upper) {
		List<Parameter> parameters = new ArrayList<>();
		for (int i = 0; i < lower.length; i++) {
			parameters.add(Parameter.of("theta_" + (i + 1)));
		}
		return Initialiser.fromPrior(new BoxUniformPrior(parameters, lower, upper));
	}

	static Initialiser box(int d, double lower, double upper) {
		double[] lo = new double[d], hi = new double[d];
		Arrays.fill(lo, lower);
		Arrays.fill(hi, upper);
		return box(lo, hi);
	}

	/**
	 * A 3-D Gaussian with standard deviations 1, 3 and 0.5, correlation 0.9
	 * between the first two coordinates and −0.3 between the last two.
	 */
	static Target correlatedGaussian() {
		double[] mean = { 1, -2, 0.5 };
		double[] sd = { 1, 3, 0.5 };
		double[][] corr = { { 1, 0.9, 0 }, { 0.9, 1, -0.3 }, { 0, -0.3, 1 } };
		double[][] cov = new double[3][3];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++) {
				cov[i][j] = corr[i][j] * sd[i] * sd[j];
			}
		}
		return new Target("correlated Gaussian", gaussian(mean, cov), mean, cov, box(3, -10, 10));
	}

	/** The log-density of N(mean, cov) up to a constant, with gradient −Σ⁻¹(θ − μ). */
	static LogDensity gaussian(double[] mean, double[][] cov) {
		double[][] precision = inverse(cov);
		int d = mean.length;
		return LogDensity.withGradient(d, (theta, grad) -> {
			double q = 0;
			for (int i = 0; i < d; i++) {
				double g = 0;
				for (int j = 0; j < d; j++) {
					g -= precision[i][j] * (theta[j] - mean[j]);
				}
				grad[i] = g;
				q += 0.5 * g * (theta[i] - mean[i]);
			}
			return q; // −½ (θ−μ)ᵀ Σ⁻¹ (θ−μ)
		});
	}

	/**
	 * The banana x1 ~ N(0, a²), x2 | x1 ~ N(b(x1² − a²), 1): mean (0, 0),
	 * Var x1 = a², Var x2 = 2a⁴b² + 1, Cov = E[b x1(x1² − a²)] = 0.
	 */
	static Target banana(double a, double b) {
		LogDensity density = LogDensity.withGradient(2, (theta, grad) -> {
			double x1 = theta[0], r = theta[1] - b * (x1 * x1 - a * a);
			grad[0] = -x1 / (a * a) + r * 2 * b * x1;
			grad[1] = -r;
			return -0.5 * x1 * x1 / (a * a) - 0.5 * r * r;
		});
		double[][] cov = { { a * a, 0 }, { 0, 2 * Math.pow(a, 4) * b * b + 1 } };
		return new Target("banana", density, new double[2], cov, box(2, -10, 10));
	}

	/**
	 * w·N(μ1, I) + (1−w)·N(μ2, I) in 2-D: mean w μ1 + (1−w) μ2, covariance
	 * I + w(1−w)(μ1 − μ2)(μ1 − μ2)ᵀ.
	 */
	static Target mixture(double w, double[] mu1, double[] mu2) {
		LogDensity density = LogDensity.withGradient(2, (theta, grad) -> {
			double q1 = -0.5 * (sq(theta[0] - mu1[0]) + sq(theta[1] - mu1[1])) + Math.log(w);
			double q2 = -0.5 * (sq(theta[0] - mu2[0]) + sq(theta[1] - mu2[1])) + Math.log(1 - w);
			double max = Math.max(q1, q2);
			double lse = max + Math.log(Math.exp(q1 - max) + Math.exp(q2 - max));
			double r1 = Math.exp(q1 - lse), r2 = Math.exp(q2 - lse);
			for (int i = 0; i < 2; i++) {
				grad[i] = -r1 * (theta[i] - mu1[i]) - r2 * (theta[i] - mu2[i]);
			}
			return lse;
		});
		double[] mean = new double[2];
		double[][] cov = new double[2][2];
		for (int i = 0; i < 2; i++) {
			mean[i] = w * mu1[i] + (1 - w) * mu2[i];
		}
		for (int i = 0; i < 2; i++) {
			for (int j = 0; j < 2; j++) {
				cov[i][j] = (i == j ? 1 : 0) + w * (1 - w) * (mu1[i] - mu2[i]) * (mu1[j] - mu2[j]);
			}
		}
		return new Target("mixture", density, mean, cov, box(2, -10, 10));
	}

	/**
	 * A box support with −∞ outside: θ1 ~ N(0.8, 1) truncated to [0, 1],
	 * θ2 ~ N(−1, 0.5²) truncated to [−0.5, 2] (its mode outside the box, so the
	 * mass piles up at the wall), θ3 uniform on [−1, 3]; independent, so the
	 * exact moments are those of the one-dimensional truncated normals.
	 */
	static Target truncatedBox() {
		double[] lower = { 0, -0.5, -1 }, upper = { 1, 2, 3 };
		double[] mu = { 0.8, -1 }, sd = { 1, 0.5 };
		LogDensity density = LogDensity.withGradient(3, (theta, grad) -> {
			for (int i = 0; i < 3; i++) {
				if (!(theta[i] >= lower[i] && theta[i] <= upper[i])) {
					return Double.NEGATIVE_INFINITY;
				}
			}
			double lp = 0;
			for (int i = 0; i < 2; i++) {
				double z = (theta[i] - mu[i]) / sd[i];
				lp -= 0.5 * z * z;
				grad[i] = -z / sd[i];
			}
			grad[2] = 0;
			return lp;
		});
		double[] mean = new double[3];
		double[][] cov = new double[3][3];
		for (int i = 0; i < 2; i++) {
			double[] m = truncatedNormalMoments(mu[i], sd[i], lower[i], upper[i]);
			mean[i] = m[0];
			cov[i][i] = m[1];
		}
		mean[2] = (lower[2] + upper[2]) / 2;
		cov[2][2] = sq(upper[2] - lower[2]) / 12;
		return new Target("truncated box", density, mean, cov, box(lower, upper));
	}

	/** Mean and variance of N(μ, σ²) truncated to [lo, hi]. */
	static double[] truncatedNormalMoments(double mu, double sigma, double lo, double hi) {
		NormalDistribution n = new NormalDistribution(null, 0, 1);
		double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
		double z = n.cumulativeProbability(b) - n.cumulativeProbability(a);
		double pa = n.density(a), pb = n.density(b);
		double mean = mu + sigma * (pa - pb) / z;
		double var = sigma * sigma * (1 + (a * pa - b * pb) / z - sq((pa - pb) / z));
		return new double[] { mean, var };
	}

	static double sq(double x) {
		return x * x;
	}

	static double[][] inverse(double[][] a) {
		int d = a.length;
		double[][] m = new double[d][2 * d];
		for (int i = 0; i < d; i++) {
			System.arraycopy(a[i], 0, m[i], 0, d);
			m[i][d + i] = 1;
		}
		for (int col = 0; col < d; col++) {
			int pivot = col;
			for (int r = col + 1; r < d; r++) {
				if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
					pivot = r;
				}
			}
			double[] t = m[col];
			m[col] = m[pivot];
			m[pivot] = t;
			double p = m[col][col];
			for (int j = 0; j < 2 * d; j++) {
				m[col][j] /= p;
			}
			for (int r = 0; r < d; r++) {
				if (r != col) {
					double f = m[r][col];
					for (int j = 0; j < 2 * d; j++) {
						m[r][j] -= f * m[col][j];
					}
				}
			}
		}
		double[][] inv = new double[d][d];
		for (int i = 0; i < d; i++) {
			System.arraycopy(m[i], d, inv[i], 0, d);
		}
		return inv;
	}
}
