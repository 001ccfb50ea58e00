package org.sbiworkbench.estimators.abc;

import java.util.Arrays;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.util.FastMath;

/**
 * The arithmetic shared by rejection ABC and SMC-ABC: distance scales, distances, selection of the nearest
 * simulations, weighted moments, the regression adjustment and KDE bandwidths. Linear algebra (QR, Cholesky),
 * standard deviations and medians come from Commons Math.
 */
final class AbcMath {

	/** MAD × this is the standard deviation for Gaussian data. */
	static final double MAD_TO_STD = 1.4826;

	private AbcMath() {
	}

	/**
	 * Per component of x, the scale distances divide by. A component that does not vary in the simulations (or
	 * whose scale is not finite) gets scale 1, so it neither divides by zero nor dominates.
	 */
	static double[] scales(double[][] x, AbcSettings.DistanceScale kind) {
		int k = x[0].length;
		double[] s = new double[k];
		double[] column = new double[x.length];
		for (int j = 0; j < k; j++) {
			for (int i = 0; i < x.length; i++) {
				column[i] = x[i][j];
			}
			double v = switch (kind) {
			case NONE -> 1;
			case STD -> x.length < 2 ? 1 : new StandardDeviation().evaluate(column);
			case MAD -> {
				double median = new Median().evaluate(column);
				double[] dev = new double[column.length];
				for (int i = 0; i < dev.length; i++) {
					dev[i] = Math.abs(column[i] - median);
				}
				yield MAD_TO_STD * new Median().evaluate(dev);
			}
			};
			s[j] = v > 0 && Double.isFinite(v) ? v : 1;
		}
		return s;
	}

	/** ‖(x − x_o) / s‖₂ for one simulation. */
	static double distance(double[] x, double[] observation, double[] scale) {
		double sum = 0;
		for (int j = 0; j < observation.length; j++) {
			double u = (x[j] - observation[j]) / scale[j];
			sum += u * u;
		}
		return Math.sqrt(sum);
	}

	static double[] distances(double[][] x, double[] observation, double[] scale) {
		double[] d = new double[x.length];
		for (int i = 0; i < x.length; i++) {
			d[i] = distance(x[i], observation, scale);
		}
		return d;
	}

	/** The indices of the k smallest distances, nearest first; ties are broken by index, so the choice is reproducible. */
	static int[] nearest(double[] d, int k) {
		k = Math.min(k, d.length);
		if (k <= 0) {
			return new int[0];
		}
		double[] sorted = d.clone();
		Arrays.sort(sorted);
		double threshold = sorted[k - 1];
		int below = 0;
		for (double v : sorted) {
			if (v < threshold) {
				below++;
			} else {
				break;
			}
		}
		int[] out = new int[k];
		int n = 0;
		int ties = k - below;
		for (int i = 0; i < d.length && n < k; i++) {
			if (d[i] < threshold) {
				out[n++] = i;
			} else if (d[i] == threshold && ties > 0) {
				out[n++] = i;
				ties--;
			}
		}
		return sortByDistance(out, d);
	}

	/** The indices with d ≤ ε, nearest first. */
	static int[] within(double[] d, double epsilon) {
		int n = 0;
		for (double v : d) {
			if (v <= epsilon) {
				n++;
			}
		}
		int[] out = new int[n];
		n = 0;
		for (int i = 0; i < d.length; i++) {
			if (d[i] <= epsilon) {
				out[n++] = i;
			}
		}
		return sortByDistance(out, d);
	}

	private static int[] sortByDistance(int[] idx, double[] d) {
		return Arrays.stream(idx).boxed().sorted((a, b) -> {
			int c = Double.compare(d[a], d[b]);
			return c != 0 ? c : Integer.compare(a, b);
		}).mapToInt(Integer::intValue).toArray();
	}

	/** The empirical q-quantile of {@code values} (the inverse of the empirical CDF, no interpolation). */
	static double quantile(double[] values, double q) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int i = (int) Math.ceil(q * sorted.length - 1e-9) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
	}

	/**
	 * sbi's distance-based ε decay: over the distinct values d₍₁₎ < … < d₍ₘ₎, the first d₍ᵢ₎ whose running sum
	 * reaches the fraction q of the total (the largest if rounding keeps it below; the largest also when all are 0).
	 */
	static double cumulativeDistanceQuantile(double[] distances, double q) {
		double[] u = Arrays.stream(distances).sorted().distinct().toArray();
		double total = 0;
		for (double v : u) {
			total += v;
		}
		if (!(total > 0)) {
			return u[u.length - 1];
		}
		double running = 0;
		for (double v : u) {
			running += v;
			if (running >= q * total) {
				return v;
			}
		}
		return u[u.length - 1];
	}

	/** Weights divided by their sum. */
	static double[] normalise(double[] w) {
		double sum = 0;
		for (double v : w) {
			sum += v;
		}
		double[] out = new double[w.length];
		for (int i = 0; i < w.length; i++) {
			out[i] = w[i] / sum;
		}
		return out;
	}

	/** Normalised weights from log-weights, by log-sum-exp. */
	static double[] fromLog(double[] logW) {
		double max = Double.NEGATIVE_INFINITY;
		for (double v : logW) {
			max = Math.max(max, v);
		}
		double[] w = new double[logW.length];
		for (int i = 0; i < w.length; i++) {
			w[i] = Math.exp(logW[i] - max);
		}
		return normalise(w);
	}

	/** Kish's effective sample size 1 / Σ wᵢ² of normalised weights. */
	static double effectiveSampleSize(double[] w) {
		double sq = 0;
		for (double v : w) {
			sq += v * v;
		}
		return 1 / sq;
	}

	static double[] weightedMean(double[][] p, double[] w) {
		int d = p[0].length;
		double[] m = new double[d];
		for (int i = 0; i < p.length; i++) {
			for (int j = 0; j < d; j++) {
				m[j] += w[i] * p[i][j];
			}
		}
		return m;
	}

	/**
	 * The weighted covariance of particles with normalised weights, unbiased for reliability weights:
	 * Σ wᵢ (θᵢ − μ)(θᵢ − μ)ᵀ / (1 − Σ wᵢ²), which is the usual 1/(n − 1) estimate for equal weights (and
	 * numpy's {@code cov(aweights=w)}). Commons Math 3.6 has no weighted covariance.
	 */
	static double[][] weightedCovariance(double[][] p, double[] w) {
		int d = p[0].length;
		double[] m = weightedMean(p, w);
		double[][] c = new double[d][d];
		double sq = 0;
		for (int i = 0; i < p.length; i++) {
			sq += w[i] * w[i];
			for (int a = 0; a < d; a++) {
				double da = p[i][a] - m[a];
				for (int b = 0; b <= a; b++) {
					c[a][b] += w[i] * da * (p[i][b] - m[b]);
				}
			}
		}
		double norm = sq < 1 ? 1 / (1 - sq) : 0;
		for (int a = 0; a < d; a++) {
			for (int b = 0; b <= a; b++) {
				c[a][b] *= norm;
				c[b][a] = c[a][b];
			}
		}
		return c;
	}

	/**
	 * The KDE kernel's shape before the bandwidth factor (see {@link AbcSettings.KdeKernel}): the weighted
	 * covariance itself, its diagonal, or the pooled variance of all coordinates (about their pooled mean, with the
	 * same reliability-weight correction) times the identity.
	 */
	static double[][] kernelShape(AbcSettings.KdeKernel kind, double[][] covariance, double[][] p, double[] w) {
		int d = covariance.length;
		if (kind == AbcSettings.KdeKernel.COVARIANCE) {
			return covariance;
		}
		double[][] out = new double[d][d];
		if (kind == AbcSettings.KdeKernel.DIAGONAL) {
			for (int a = 0; a < d; a++) {
				out[a][a] = covariance[a][a];
			}
			return out;
		}
		double total = 0;
		double sq = 0;
		for (double wi : w) {
			total += wi;
			sq += wi * wi;
		}
		double mean = 0;
		for (int i = 0; i < p.length; i++) {
			for (int a = 0; a < d; a++) {
				mean += w[i] * p[i][a];
			}
		}
		mean /= total * d;
		double var = 0;
		for (int i = 0; i < p.length; i++) {
			for (int a = 0; a < d; a++) {
				var += w[i] * (p[i][a] - mean) * (p[i][a] - mean);
			}
		}
		double norm = total * total - sq;
		var = norm > 0 ? var * total / (d * norm) : 0;
		for (int a = 0; a < d; a++) {
			out[a][a] = var;
		}
		return out;
	}

	/**
	 * The lower Cholesky factor of a covariance; a singular one (particles on a line, a parameter that never
	 * moved) first gets a ridge of 10⁻¹⁰ × its largest variance (or 10⁻¹⁰ when all are 0), so that kernels stay
	 * proper.
	 */
	static double[][] cholesky(double[][] covariance) {
		int d = covariance.length;
		double max = 0;
		for (int i = 0; i < d; i++) {
			max = Math.max(max, covariance[i][i]);
		}
		double ridge = 0;
		for (int attempt = 0; attempt < 8; attempt++) {
			double[][] c = new double[d][];
			for (int i = 0; i < d; i++) {
				c[i] = covariance[i].clone();
				c[i][i] += ridge;
			}
			try {
				return new CholeskyDecomposition(new Array2DRowRealMatrix(c, false), 1e-12, 0).getL().getData();
			} catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
				ridge = ridge == 0 ? 1e-10 * (max > 0 ? max : 1) : ridge * 100;
			}
		}
		throw new IllegalStateException("The particles' covariance is not positive semi-definite: " + Arrays.deepToString(covariance));
	}

	/** Solves L y = v for lower-triangular L (forward substitution) and returns ‖y‖². */
	static double mahalanobis2(double[][] lower, double[] v) {
		int d = v.length;
		double[] y = new double[d];
		double sum = 0;
		for (int i = 0; i < d; i++) {
			double s = v[i];
			for (int j = 0; j < i; j++) {
				s -= lower[i][j] * y[j];
			}
			y[i] = s / lower[i][i];
			sum += y[i] * y[i];
		}
		return sum;
	}

	/** Epanechnikov weights 1 − (dᵢ/ε)² of the accepted distances (all 1 when ε is 0). */
	static double[] epanechnikov(double[] d, double epsilon) {
		double[] w = new double[d.length];
		for (int i = 0; i < d.length; i++) {
			double r = epsilon > 0 ? d[i] / epsilon : 0;
			w[i] = Math.max(0, 1 - r * r);
		}
		return w;
	}

	/**
	 * The local-linear regression adjustment of Beaumont, Zhang and Balding (2002): a weighted least-squares fit
	 * θ ≈ α + βᵀ u of the accepted parameters on uᵢ = (xᵢ − x_o)/s, solved by QR, then θᵢ* = θᵢ − βᵀ uᵢ (the
	 * parameters moved to where they would be had the simulation hit x_o).
	 *
	 * @param weights regression weights (Epanechnikov kernel of the distances, times SMC weights); rows with
	 *                weight 0 do not enter the fit but are adjusted too
	 * @throws IllegalStateException when there are too few weighted rows for the k + 1 coefficients, or x's
	 *                               components are collinear among the accepted simulations
	 */
	static double[][] regressionAdjust(double[][] theta, double[][] x, double[] observation, double[] scale, double[] weights) {
		int k = observation.length;
		int d = theta[0].length;
		int rows = 0;
		for (double w : weights) {
			if (w > 0) {
				rows++;
			}
		}
		if (rows <= k + 1) {
			throw new IllegalStateException("The regression adjustment fits " + (k + 1) + " coefficients per parameter but only " + rows
					+ " accepted simulations have a positive weight; keep more simulations (num_top_samples, quantile or epsilon) "
					+ "or turn regression_adjustment off");
		}
		double[][] design = new double[rows][k + 1];
		double[][] target = new double[rows][d];
		double[][] u = new double[theta.length][k];
		for (int i = 0, r = 0; i < theta.length; i++) {
			for (int j = 0; j < k; j++) {
				u[i][j] = (x[i][j] - observation[j]) / scale[j];
			}
			if (weights[i] > 0) {
				double sw = Math.sqrt(weights[i]);
				design[r][0] = sw;
				for (int j = 0; j < k; j++) {
					design[r][j + 1] = sw * u[i][j];
				}
				for (int a = 0; a < d; a++) {
					target[r][a] = sw * theta[i][a];
				}
				r++;
			}
		}
		RealMatrix beta;
		try {
			beta = new QRDecomposition(new Array2DRowRealMatrix(design, false), 1e-10).getSolver()
					.solve(new Array2DRowRealMatrix(target, false));
		} catch (SingularMatrixException e) {
			throw new IllegalStateException("The regression adjustment cannot be fitted: the components of x are collinear among the "
					+ rows + " accepted simulations; keep more simulations or turn regression_adjustment off", e);
		}
		double[][] adjusted = new double[theta.length][d];
		for (int i = 0; i < theta.length; i++) {
			for (int a = 0; a < d; a++) {
				double shift = 0;
				for (int j = 0; j < k; j++) {
					shift += u[i][j] * beta.getEntry(j + 1, a);
				}
				adjusted[i][a] = theta[i][a] - shift;
			}
		}
		return adjusted;
	}

	/**
	 * The KDE bandwidth factor h (the kernel covariance is h² times the kernel shape S whose Cholesky factor is
	 * {@code lower}), with
	 * n the effective sample size: Scott n^(−1/(d+4)), Silverman (n (d+2)/4)^(−1/(d+4)), as scipy's
	 * {@code gaussian_kde}; "cv" maximises the leave-one-out log-likelihood over a grid of Scott × 2^(j/4),
	 * j = −12..4; "none" is 0 (no smoothing).
	 */
	static double bandwidthFactor(AbcSettings.Bandwidth bandwidth, double[][] particles, double[] weights, double[][] lower) {
		int d = particles[0].length;
		double n = effectiveSampleSize(weights);
		double scott = FastMath.pow(n, -1.0 / (d + 4));
		return switch (bandwidth.rule()) {
		case "fixed" -> bandwidth.factor();
		case "none" -> 0;
		case "scott" -> scott;
		case "silverman" -> FastMath.pow(n * (d + 2) / 4.0, -1.0 / (d + 4));
		case "cv" -> crossValidated(particles, weights, lower, scott);
		default -> throw new IllegalArgumentException("Unknown bandwidth rule " + bandwidth.rule());
		};
	}

	/** At most this many particles are scored in the leave-one-out likelihood (each against all), bounding the cost. */
	private static final int CV_POINTS = 2_000;

	private static double crossValidated(double[][] particles, double[] w, double[][] lower, double scott) {
		int n = particles.length;
		int d = particles[0].length;
		if (n < 3) {
			return scott;
		}
		// Whitened particles: the kernel is h² Σ, so in whitened coordinates it is isotropic with variance h².
		double[] mean = weightedMean(particles, w);
		double[][] y = new double[n][d];
		for (int i = 0; i < n; i++) {
			double[] v = new double[d];
			for (int a = 0; a < d; a++) {
				v[a] = particles[i][a] - mean[a];
			}
			for (int a = 0; a < d; a++) {
				double s = v[a];
				for (int b = 0; b < a; b++) {
					s -= lower[a][b] * y[i][b];
				}
				y[i][a] = s / lower[a][a];
			}
		}
		int stride = Math.max(1, (n + CV_POINTS - 1) / CV_POINTS);
		int m = 0;
		for (int i = 0; i < n; i += stride) {
			m++;
		}
		double[][] sq = new double[m][n];
		int[] rowOf = new int[m];
		for (int i = 0, r = 0; i < n; i += stride, r++) {
			rowOf[r] = i;
			for (int j = 0; j < n; j++) {
				double s = 0;
				for (int a = 0; a < d; a++) {
					double t = y[i][a] - y[j][a];
					s += t * t;
				}
				sq[r][j] = s;
			}
		}
		double best = scott;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (int g = -12; g <= 4; g++) {
			double h = scott * Math.pow(2, g / 4.0);
			double score = 0;
			double norm = 0;
			for (int r = 0; r < m; r++) {
				int i = rowOf[r];
				double max = Double.NEGATIVE_INFINITY;
				for (int j = 0; j < n; j++) {
					if (j != i && w[j] > 0) {
						max = Math.max(max, -sq[r][j] / (2 * h * h));
					}
				}
				double sum = 0;
				for (int j = 0; j < n; j++) {
					if (j != i && w[j] > 0) {
						sum += w[j] * Math.exp(-sq[r][j] / (2 * h * h) - max);
					}
				}
				if (sum <= 0 || w[i] >= 1) {
					continue;
				}
				score += w[i] * (Math.log(sum / (1 - w[i])) + max - d * Math.log(h));
				norm += w[i];
			}
			if (norm > 0 && score / norm > bestScore) {
				bestScore = score / norm;
				best = h;
			}
		}
		return best;
	}
}
