package org.sbiworkbench.mcmc.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.sbiworkbench.mcmc.ChainDiagnostics;
import org.sbiworkbench.mcmc.McmcResult;

/**
 * Compares MCMC estimates with exact moments in units of their Monte Carlo
 * standard error.
 * <p>
 * For a quantity f(θ) with known expectation E f, the estimate is the mean of
 * f over all kept draws and its MCSE is sd(f) / √ESS(f), ESS from the chains'
 * autocorrelation ({@link ChainDiagnostics#ess}). Means use f = θ_i; variances
 * and covariances use f = (θ_i − μ_i)(θ_j − μ_j) with the exact μ, whose
 * expectation is exactly Σ_ij, so the variance estimate gets the MCSE of its
 * own draws (the ESS of the squared centred draws).
 */
final class MomentCheck {

	/** One compared quantity. */
	record Error(String quantity, double estimate, double truth, double mcse) {
		double inMcse() {
			return Math.abs(estimate - truth) / mcse;
		}

		@Override
		public String toString() {
			return String.format("%s: %.4f vs %.4f (|error| = %.2f MCSE, MCSE %.4f)", quantity, estimate, truth,
					inMcse(), mcse);
		}
	}

	private MomentCheck() {
	}

	static List<Error> errors(McmcResult result, double[] mean, double[][] cov) {
		List<Error> errors = new ArrayList<>();
		double[][][] draws = result.chains();
		int d = mean.length;
		for (int i = 0; i < d; i++) {
			int fi = i;
			errors.add(compare(draws, "mean[" + i + "]", t -> t[fi], mean[i]));
		}
		for (int i = 0; i < d; i++) {
			for (int j = i; j < d; j++) {
				int fi = i, fj = j;
				errors.add(compare(draws, (i == j ? "var[" + i + "]" : "cov[" + i + "," + j + "]"),
						t -> (t[fi] - mean[fi]) * (t[fj] - mean[fj]), cov[i][j]));
			}
		}
		return errors;
	}

	static Error compare(double[][][] draws, String name, ToDoubleFunction<double[]> f, double truth) {
		double[][] values = ChainDiagnostics.map(draws, f);
		double sum = 0;
		long n = 0;
		for (double[] chain : values) {
			for (double v : chain) {
				sum += v;
				n++;
			}
		}
		return new Error(name, sum / n, truth, ChainDiagnostics.mcse(values));
	}

	static Error worst(List<Error> errors) {
		Error worst = errors.get(0);
		for (Error e : errors) {
			if (e.inMcse() > worst.inMcse()) {
				worst = e;
			}
		}
		return worst;
	}
}
