package org.sbiworkbench.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.Seeds;

/**
 * Posterior predictive check: simulate x_rep from θ drawn from the posterior and ask, per statistic (component
 * of x), where x_o falls among the replicates. The two-sided posterior predictive p-value
 * 2·min(P(x_rep ≤ x_o), P(x_rep ≥ x_o)) (ties counted half) is small when the fitted model cannot reproduce
 * that statistic. Also the distribution of the distance between x_rep and x_o (z-scored by the replicates'
 * spread) next to the distance between two independent replicates — the two agree when x_o looks like a draw
 * of the posterior predictive.
 *
 * @param statisticNames    per component of x
 * @param observation       x_o
 * @param replicates        the x_rep that simulated successfully
 * @param lower95           per statistic, 2.5% quantile of x_rep
 * @param median            per statistic
 * @param upper95           per statistic, 97.5% quantile of x_rep
 * @param pValue            per statistic, the two-sided posterior predictive p-value
 * @param distanceToObserved per replicate i, ‖(x_rep,i − x_o)/s‖
 * @param distanceReference per replicate i, ‖(x_rep,i − x_rep,i')/s‖ for an independent partner i'
 * @param distancePValue    share of replicate-pair distances at least the median distance to x_o
 * @param failedSimulations replicates whose simulation failed or was not finite
 */
public record PosteriorPredictiveCheck(String[] statisticNames, double[] observation, double[][] replicates, double[] lower95,
		double[] median, double[] upper95, double[] pValue, double[] distanceToObserved, double[] distanceReference, double distancePValue,
		int failedSimulations) {

	public static final double ALPHA = 0.01;

	public static PosteriorPredictiveCheck run(Simulator simulator, double[][] posteriorSamples, double[] observation, int replicates,
			long seed, ProgressMonitor monitor) {
		int k = Math.min(replicates, posteriorSamples.length);
		if (k < 10) {
			throw new IllegalArgumentException("a posterior predictive check needs at least 10 posterior samples, got " + k);
		}
		List<double[]> reps = new ArrayList<>();
		int failed = 0;
		monitor.begin("Posterior predictive check: " + k + " simulations", k);
		for (int i = 0; i < k; i++) {
			if (monitor.isCanceled()) {
				throw new CancellationException("posterior predictive check cancelled after " + i + " of " + k + " simulations");
			}
			try {
				double[] x = simulator.simulate(posteriorSamples[i], Seeds.forRow(seed, i));
				if (x.length == observation.length && PriorPredictiveCalibration.allFinite(x)) {
					reps.add(x);
				} else {
					failed++;
				}
			} catch (RuntimeException e) {
				failed++;
			}
			monitor.worked(1);
		}
		monitor.done();
		if (reps.size() < 10) {
			throw new IllegalStateException("only " + reps.size() + " of " + k + " posterior predictive simulations succeeded");
		}
		String[] names = simulator.descriptor().observationNames().toArray(String[]::new);
		return of(names, reps.toArray(double[][]::new), observation, failed);
	}

	static PosteriorPredictiveCheck of(String[] names, double[][] reps, double[] xo, int failed) {
		int n = reps.length, d = xo.length;
		double[] lo = new double[d], med = new double[d], hi = new double[d], p = new double[d], scale = new double[d];
		for (int j = 0; j < d; j++) {
			double[] col = new double[n];
			int below = 0, equal = 0;
			double mean = 0;
			for (int i = 0; i < n; i++) {
				col[i] = reps[i][j];
				mean += col[i] / n;
				if (col[i] < xo[j]) {
					below++;
				} else if (col[i] == xo[j]) {
					equal++;
				}
			}
			double ss = 0;
			for (double v : col) {
				ss += (v - mean) * (v - mean);
			}
			scale[j] = Math.sqrt(ss / (n - 1));
			Arrays.sort(col);
			lo[j] = PosteriorSummary.quantile(col, 0.025);
			med[j] = PosteriorSummary.quantile(col, 0.5);
			hi[j] = PosteriorSummary.quantile(col, 0.975);
			double cdf = (below + 0.5 * equal) / n;
			p[j] = Math.min(1, 2 * Math.min(cdf, 1 - cdf)); // mid-p: ties count half on each side
		}
		double[] toObserved = new double[n];
		double[] reference = new double[n];
		for (int i = 0; i < n; i++) {
			double[] partner = reps[(i + n / 2) % n];
			toObserved[i] = distance(reps[i], xo, scale);
			reference[i] = distance(reps[i], partner, scale);
		}
		double[] sorted = toObserved.clone();
		Arrays.sort(sorted);
		double typical = PosteriorSummary.quantile(sorted, 0.5);
		int atLeast = 0;
		for (double v : reference) {
			if (v >= typical) {
				atLeast++;
			}
		}
		return new PosteriorPredictiveCheck(names.length == d ? names : defaultNames(d), xo.clone(), reps, lo, med, hi, p, toObserved,
				reference, atLeast / (double) n, failed);
	}

	private static String[] defaultNames(int d) {
		String[] s = new String[d];
		for (int j = 0; j < d; j++) {
			s[j] = "x_" + (j + 1);
		}
		return s;
	}

	private static double distance(double[] a, double[] b, double[] scale) {
		double s = 0;
		for (int j = 0; j < a.length; j++) {
			if (scale[j] > 0) {
				double z = (a[j] - b[j]) / scale[j];
				s += z * z;
			}
		}
		return Math.sqrt(s);
	}

	/** Statistics whose p-value is below {@link #ALPHA} / number of statistics (Bonferroni). */
	public List<String> outliers() {
		List<String> out = new ArrayList<>();
		for (int j = 0; j < pValue.length; j++) {
			if (pValue[j] < ALPHA / pValue.length) {
				out.add(statisticNames[j]);
			}
		}
		return out;
	}
}
