package org.sbiworkbench.mcmc;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Convergence diagnostics of several chains of one scalar quantity, given as
 * {@code chains[chain][iteration]} (all chains of equal length), or per
 * coordinate of vector draws {@code draws[chain][iteration][coordinate]}.
 * <p>
 * Following Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
 * "Rank-normalization, folding, and localization: an improved R̂ for assessing
 * convergence of MCMC", Bayesian Analysis 16(2): R̂ compares the variance
 * between and within split chains (so a drift within a chain shows too), on
 * ranks (so heavy tails do not hide anything) and on the distance from the
 * median (so chains that differ only in spread show too). The effective
 * sample size sums the chains' combined autocorrelations with Geyer's (1992)
 * initial monotone sequence, as Stan does.
 */
public final class ChainDiagnostics {

	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
	private static final FastFourierTransformer FFT = new FastFourierTransformer(DftNormalization.STANDARD);

	private ChainDiagnostics() {
	}

	/** Coordinate j of vector draws {@code [chain][iteration][coordinate]}, as {@code [chain][iteration]}. */
	public static double[][] coordinate(double[][][] draws, int j) {
		return map(draws, theta -> theta[j]);
	}

	/** A function of vector draws, e.g. θ_1·θ_2 to judge a covariance estimate, as {@code [chain][iteration]}. */
	public static double[][] map(double[][][] draws, ToDoubleFunction<double[]> f) {
		double[][] out = new double[draws.length][];
		for (int c = 0; c < draws.length; c++) {
			out[c] = new double[draws[c].length];
			for (int t = 0; t < out[c].length; t++) {
				out[c][t] = f.applyAsDouble(draws[c][t]);
			}
		}
		return out;
	}

	/** {@link #rHat(double[][])} of each coordinate. */
	public static double[] rHat(double[][][] draws) {
		double[] r = new double[dimension(draws)];
		for (int j = 0; j < r.length; j++) {
			r[j] = rHat(coordinate(draws, j));
		}
		return r;
	}

	/** {@link #bulkEss(double[][])} of each coordinate. */
	public static double[] bulkEss(double[][][] draws) {
		double[] e = new double[dimension(draws)];
		for (int j = 0; j < e.length; j++) {
			e[j] = bulkEss(coordinate(draws, j));
		}
		return e;
	}

	/**
	 * Rank-normalised split-R̂: the larger of the bulk R̂ (split-R̂ of the
	 * normal scores of the ranks) and the tail R̂ (the same of the folded draws
	 * |θ − median|). Close to 1 when the chains agree; above 1.01 calls for
	 * longer chains. NaN when all draws are equal.
	 */
	public static double rHat(double[][] chains) {
		double[][] split = split(chains);
		double bulk = classicRHat(rankNormalise(split));
		double median = median(split);
		double[][] folded = new double[split.length][];
		for (int c = 0; c < split.length; c++) {
			folded[c] = new double[split[c].length];
			for (int t = 0; t < folded[c].length; t++) {
				folded[c][t] = Math.abs(split[c][t] - median);
			}
		}
		double tail = classicRHat(rankNormalise(folded));
		return Double.isNaN(bulk) || Double.isNaN(tail) ? Double.NaN : Math.max(bulk, tail);
	}

	/**
	 * The split-R̂ of Gelman et al. (Bayesian Data Analysis, 3rd ed., 2013) on
	 * the raw draws: each chain cut in halves, then
	 * √(((n−1)/n · W + B/n) / W) with W the mean within-half variance and B/n
	 * the variance of the half means.
	 */
	public static double splitRHat(double[][] chains) {
		return classicRHat(split(chains));
	}

	/**
	 * Bulk effective sample size: {@link #ess} of the normal scores of the
	 * ranks of the split chains. Valid for heavy tails, and what the quantiles
	 * and the centre of the distribution are estimated with.
	 */
	public static double bulkEss(double[][] chains) {
		return essOf(rankNormalise(split(chains)));
	}

	/**
	 * Effective sample size of the mean, from the split chains' combined
	 * autocorrelation (Stan's estimator): the Monte Carlo standard error of the
	 * mean is sd / √ESS. NaN when all draws are equal.
	 */
	public static double ess(double[][] chains) {
		return essOf(split(chains));
	}

	/** The Monte Carlo standard error of the mean of all draws: sd / √{@link #ess}. */
	public static double mcse(double[][] chains) {
		double mean = 0, sq = 0;
		long n = 0;
		for (double[] chain : chains) {
			for (double v : chain) {
				mean += v;
				n++;
			}
		}
		mean /= n;
		for (double[] chain : chains) {
			for (double v : chain) {
				sq += (v - mean) * (v - mean);
			}
		}
		return Math.sqrt(sq / (n - 1)) / Math.sqrt(ess(chains));
	}

	// ---- the estimators on prepared chains ----

	private static double classicRHat(double[][] chains) {
		int m = chains.length, n = chains[0].length;
		if (m < 2 || n < 2) {
			return Double.NaN;
		}
		double[] means = new double[m];
		double within = 0, grand = 0;
		for (int c = 0; c < m; c++) {
			means[c] = mean(chains[c]);
			grand += means[c];
			within += variance(chains[c], means[c]);
		}
		grand /= m;
		within /= m;
		double between = 0; // B / n: the variance of the chain means
		for (double mu : means) {
			between += (mu - grand) * (mu - grand);
		}
		between /= m - 1;
		if (!(within > 0)) {
			return Double.NaN;
		}
		double pooled = (n - 1.0) / n * within + between;
		return Math.sqrt(pooled / within);
	}

	private static double essOf(double[][] chains) {
		int m = chains.length, n = chains[0].length;
		if (n < 4) {
			return Double.NaN;
		}
		double[][] acov = new double[m][];
		double[] means = new double[m];
		double within = 0;
		for (int c = 0; c < m; c++) {
			means[c] = mean(chains[c]);
			acov[c] = autocovariance(chains[c], means[c]);
			within += acov[c][0] * n / (n - 1.0);
		}
		within /= m;
		double pooled = within * (n - 1.0) / n;
		if (m > 1) {
			double grand = mean(means), between = 0;
			for (double mu : means) {
				between += (mu - grand) * (mu - grand);
			}
			pooled += between / (m - 1);
		}
		if (!(pooled > 0) || !Double.isFinite(pooled)) {
			return Double.NaN;
		}
		// rho_t = 1 - (W - mean_c acov_c(t)) / var+, the autocorrelation of all chains together
		double[] rho = new double[n];
		for (int t = 0; t < n; t++) {
			double a = 0;
			for (int c = 0; c < m; c++) {
				a += acov[c][t];
			}
			rho[t] = 1 - (within - a / m) / pooled;
		}
		rho[0] = 1;
		// Geyer's initial monotone sequence: sums of adjacent pairs Γ_k = ρ_2k + ρ_2k+1,
		// kept while positive and forced to be non-increasing.
		double tau = -1, previous = Double.POSITIVE_INFINITY;
		for (int k = 0; 2 * k + 1 < n; k++) {
			double gamma = rho[2 * k] + rho[2 * k + 1];
			if (!(gamma > 0)) {
				break;
			}
			gamma = Math.min(gamma, previous);
			tau += 2 * gamma;
			previous = gamma;
		}
		long total = (long) m * n;
		// Antithetic chains can make tau tiny; cap the ESS at total·log10(total) as Stan does.
		tau = Math.max(tau, 1 / Math.log10(total));
		return total / tau;
	}

	/** Autocovariances at lags 0..n−1, divided by n (the usual biased estimator), by FFT. */
	private static double[] autocovariance(double[] x, double mean) {
		int n = x.length, size = Integer.highestOneBit(Math.max(1, 2 * n - 1));
		if (size < 2 * n) {
			size <<= 1;
		}
		double[] re = new double[size];
		for (int t = 0; t < n; t++) {
			re[t] = x[t] - mean;
		}
		Complex[] f = FFT.transform(re, TransformType.FORWARD);
		double[] power = new double[size];
		for (int i = 0; i < size; i++) {
			power[i] = f[i].getReal() * f[i].getReal() + f[i].getImaginary() * f[i].getImaginary();
		}
		Complex[] back = FFT.transform(power, TransformType.INVERSE);
		double[] acov = new double[n];
		for (int t = 0; t < n; t++) {
			acov[t] = back[t].getReal() / n;
		}
		return acov;
	}

	/** Each chain cut into a first and a second half (the middle draw of an odd chain dropped). */
	private static double[][] split(double[][] chains) {
		if (chains.length == 0) {
			throw new IllegalArgumentException("No chains");
		}
		int n = chains[0].length;
		for (double[] chain : chains) {
			if (chain.length != n) {
				throw new IllegalArgumentException("Chains must have equal lengths: " + n + " and " + chain.length);
			}
		}
		if (n < 2) {
			throw new IllegalArgumentException("Diagnostics need at least 2 draws per chain, not " + n);
		}
		int half = n / 2;
		double[][] split = new double[2 * chains.length][];
		for (int c = 0; c < chains.length; c++) {
			split[2 * c] = Arrays.copyOfRange(chains[c], 0, half);
			split[2 * c + 1] = Arrays.copyOfRange(chains[c], n - half, n);
		}
		return split;
	}

	/**
	 * Replaces every draw by the normal score of its rank among all draws,
	 * Φ⁻¹((r − 3/8) / (S + 1/4)) (Blom), with ties given their average rank.
	 */
	private static double[][] rankNormalise(double[][] chains) {
		int m = chains.length, n = chains[0].length, s = m * n;
		double[] values = new double[s];
		int[] position = new int[s];
		for (int c = 0; c < m; c++) {
			System.arraycopy(chains[c], 0, values, c * n, n);
		}
		for (int i = 0; i < s; i++) {
			position[i] = i;
		}
		sortTogether(values, position);
		double[][] out = new double[m][n];
		for (int i = 0; i < s;) {
			int j = i;
			while (j + 1 < s && values[j + 1] == values[i]) {
				j++;
			}
			double rank = (i + j) / 2.0 + 1; // the average 1-based rank of a group of ties
			double score = STANDARD_NORMAL.inverseCumulativeProbability((rank - 0.375) / (s + 0.25));
			for (int k = i; k <= j; k++) {
				out[position[k] / n][position[k] % n] = score;
			}
			i = j + 1;
		}
		return out;
	}

	/** Sorts keys ascending and moves payload along (bottom-up merge sort; memory access stays sequential). */
	private static void sortTogether(double[] keys, int[] payload) {
		int s = keys.length;
		double[] k2 = new double[s];
		int[] p2 = new int[s];
		double[] ka = keys, kb = k2;
		int[] pa = payload, pb = p2;
		for (int width = 1; width < s; width *= 2) {
			for (int lo = 0; lo < s; lo += 2 * width) {
				int mid = Math.min(lo + width, s), hi = Math.min(lo + 2 * width, s);
				int a = lo, b = mid, o = lo;
				while (a < mid && b < hi) {
					if (ka[b] < ka[a]) {
						kb[o] = ka[b];
						pb[o++] = pa[b++];
					} else {
						kb[o] = ka[a];
						pb[o++] = pa[a++];
					}
				}
				while (a < mid) {
					kb[o] = ka[a];
					pb[o++] = pa[a++];
				}
				while (b < hi) {
					kb[o] = ka[b];
					pb[o++] = pa[b++];
				}
			}
			double[] tk = ka;
			ka = kb;
			kb = tk;
			int[] tp = pa;
			pa = pb;
			pb = tp;
		}
		if (ka != keys) {
			System.arraycopy(ka, 0, keys, 0, s);
			System.arraycopy(pa, 0, payload, 0, s);
		}
	}

	private static double median(double[][] chains) {
		int n = chains[0].length;
		double[] all = new double[chains.length * n];
		for (int c = 0; c < chains.length; c++) {
			System.arraycopy(chains[c], 0, all, c * n, n);
		}
		Arrays.sort(all);
		int s = all.length;
		return s % 2 == 1 ? all[s / 2] : (all[s / 2 - 1] + all[s / 2]) / 2;
	}

	private static double mean(double[] x) {
		double sum = 0;
		for (double v : x) {
			sum += v;
		}
		return sum / x.length;
	}

	private static double variance(double[] x, double mean) {
		double sum = 0;
		for (double v : x) {
			sum += (v - mean) * (v - mean);
		}
		return sum / (x.length - 1);
	}

	private static int dimension(double[][][] draws) {
		if (draws.length == 0 || draws[0].length == 0) {
			throw new IllegalArgumentException("No draws");
		}
		return draws[0][0].length;
	}
}
