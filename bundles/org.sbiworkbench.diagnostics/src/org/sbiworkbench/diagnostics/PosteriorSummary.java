package org.sbiworkbench.diagnostics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;

/**
 * What a physicist reads off a posterior first: per parameter the mean, median, standard deviation and
 * quantile-based credible intervals, the correlation matrix, and the MAP. Computed from posterior samples;
 * the MAP also uses the posterior's density where it has one.
 */
public final class PosteriorSummary {

	private final List<Parameter> parameters;
	private final double[][] samples;
	/** samples by column, each column sorted: quantiles without re-sorting. */
	private final double[][] sortedColumns;
	private final double[] mean;
	private final double[] std;

	private PosteriorSummary(List<Parameter> parameters, double[][] samples) {
		this.parameters = List.copyOf(parameters);
		this.samples = samples;
		int d = parameters.size();
		int n = samples.length;
		sortedColumns = new double[d][n];
		mean = new double[d];
		std = new double[d];
		for (int j = 0; j < d; j++) {
			double sum = 0;
			for (int i = 0; i < n; i++) {
				sortedColumns[j][i] = samples[i][j];
				sum += samples[i][j];
			}
			mean[j] = sum / n;
			double ss = 0;
			for (double v : sortedColumns[j]) {
				ss += (v - mean[j]) * (v - mean[j]);
			}
			std[j] = Math.sqrt(ss / Math.max(1, n - 1));
			Arrays.sort(sortedColumns[j]);
		}
	}

	/**
	 * @throws IllegalArgumentException when there are fewer than two samples, a row has the wrong length or a value is
	 *                                  not finite
	 */
	public static PosteriorSummary of(List<Parameter> parameters, double[][] samples) {
		Objects.requireNonNull(parameters, "parameters");
		if (samples.length < 2) {
			throw new IllegalArgumentException("a posterior summary needs at least 2 samples, got " + samples.length);
		}
		for (int i = 0; i < samples.length; i++) {
			if (samples[i].length != parameters.size()) {
				throw new IllegalArgumentException("sample " + i + " has " + samples[i].length + " values for " + parameters.size()
						+ " parameters");
			}
			for (double v : samples[i]) {
				if (!Double.isFinite(v)) {
					throw new IllegalArgumentException("sample " + i + " is not finite: " + Arrays.toString(samples[i]));
				}
			}
		}
		return new PosteriorSummary(parameters, samples);
	}

	public List<Parameter> parameters() {
		return parameters;
	}

	public int dimension() {
		return parameters.size();
	}

	public double[][] samples() {
		return samples;
	}

	public double[] mean() {
		return mean.clone();
	}

	public double[] std() {
		return std.clone();
	}

	public double[] median() {
		return quantile(0.5);
	}

	/** The q-quantile of each parameter's marginal (linear interpolation between order statistics). */
	public double[] quantile(double q) {
		if (!(q >= 0 && q <= 1)) {
			throw new IllegalArgumentException("a quantile level lies in [0, 1], not " + q);
		}
		double[] out = new double[dimension()];
		for (int j = 0; j < out.length; j++) {
			out[j] = quantile(sortedColumns[j], q);
		}
		return out;
	}

	/**
	 * The central credible interval at {@code level} (e.g. 0.95) per parameter: {lower, upper} between the
	 * (1 − level)/2 and (1 + level)/2 quantiles.
	 */
	public double[][] credibleInterval(double level) {
		if (!(level > 0 && level < 1)) {
			throw new IllegalArgumentException("a credible level lies strictly between 0 and 1, not " + level);
		}
		double[] lo = quantile((1 - level) / 2);
		double[] hi = quantile((1 + level) / 2);
		double[][] out = new double[dimension()][];
		for (int j = 0; j < out.length; j++) {
			out[j] = new double[] { lo[j], hi[j] };
		}
		return out;
	}

	/** Pearson correlation matrix of the samples. */
	public double[][] correlation() {
		int d = dimension();
		double[][] c = new double[d][d];
		for (double[] s : samples) {
			for (int a = 0; a < d; a++) {
				double da = s[a] - mean[a];
				for (int b = 0; b <= a; b++) {
					c[a][b] += da * (s[b] - mean[b]);
				}
			}
		}
		for (int a = 0; a < d; a++) {
			for (int b = 0; b <= a; b++) {
				double denominator = (samples.length - 1) * std[a] * std[b];
				c[a][b] = denominator > 0 ? c[a][b] / denominator : (a == b ? 1 : 0);
				c[b][a] = c[a][b];
			}
		}
		return c;
	}

	/** A histogram of parameter j's marginal: {@code bins} equal bins over [lower, upper]; normalised to a density. */
	public Histogram marginal(int j, int bins, double lower, double upper) {
		return Histogram.of(sortedColumns[j], bins, lower, upper, true);
	}

	/** A 2-D histogram of parameters (a, b) normalised to a density: z[i][k] over a-bin i and b-bin k. */
	public double[][] marginal2d(int a, int b, int bins, double[] rangeA, double[] rangeB) {
		double[][] z = new double[bins][bins];
		double wa = (rangeA[1] - rangeA[0]) / bins;
		double wb = (rangeB[1] - rangeB[0]) / bins;
		for (double[] s : samples) {
			int i = (int) Math.floor((s[a] - rangeA[0]) / wa);
			int k = (int) Math.floor((s[b] - rangeB[0]) / wb);
			if (i >= 0 && i < bins && k >= 0 && k < bins) {
				z[i][k]++;
			}
		}
		double norm = samples.length * wa * wb;
		for (double[] row : z) {
			for (int k = 0; k < row.length; k++) {
				row[k] /= norm;
			}
		}
		return z;
	}

	/**
	 * The maximum a posteriori estimate: the posterior's own MAP when it has one (NPE optimises its density by
	 * gradient ascent), otherwise the sample of highest density refined by a Nelder–Mead search on the
	 * log-density; empty for posteriors without a density (e.g. ABC).
	 */
	public Optional<double[]> map(Posterior posterior, org.apache.commons.math3.random.RandomGenerator random) {
		Optional<double[]> own = posterior.map(random);
		if (own.isPresent() || !posterior.hasDensity()) {
			return own;
		}
		double[] best = null;
		double bestLp = Double.NEGATIVE_INFINITY;
		int step = Math.max(1, samples.length / 2_000); // 2,000 candidates are plenty to start a local search
		for (int i = 0; i < samples.length; i += step) {
			double lp = posterior.logProb(samples[i]);
			if (lp > bestLp) {
				bestLp = lp;
				best = samples[i];
			}
		}
		if (best == null) {
			return Optional.empty();
		}
		double[] steps = new double[dimension()];
		for (int j = 0; j < steps.length; j++) {
			steps[j] = std[j] > 0 ? 0.1 * std[j] : 1e-3;
		}
		try {
			PointValuePair p = new SimplexOptimizer(1e-10, 1e-12).optimize(new MaxEval(2_000 * dimension()),
					new ObjectiveFunction(t -> {
						double lp = posterior.logProb(t);
						return Double.isNaN(lp) ? Double.NEGATIVE_INFINITY : lp;
					}), GoalType.MAXIMIZE, new InitialGuess(best), new NelderMeadSimplex(steps));
			return Optional.of(p.getValue() >= bestLp ? p.getPoint() : best.clone());
		} catch (TooManyEvaluationsException e) {
			return Optional.of(best.clone()); // the best sample is still a fair MAP estimate
		}
	}

	static double quantile(double[] sorted, double q) {
		double pos = q * (sorted.length - 1);
		int lo = (int) Math.floor(pos);
		int hi = Math.min(sorted.length - 1, lo + 1);
		return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
	}
}
