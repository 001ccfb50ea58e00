package org.sbiworkbench.diagnostics;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Expected coverage of HPD regions (Hermans et al. 2022): at credibility α, the share of prior-predictive tests
 * whose true θᵢ lies inside q's α-HPD region, i.e. whose HPD level is at most α. A calibrated posterior puts
 * the curve on the diagonal; below it the posterior is overconfident (regions too small), above it
 * underconfident. For posteriors without a density the same curve is computed per parameter from central
 * marginal intervals (a test lies inside the central α-interval when |2u − 1| ≤ α, u its rank fraction).
 * <p>
 * The curve is the empirical CDF of the levels, so its largest distance from the diagonal is the
 * Kolmogorov–Smirnov statistic against U(0, 1); that test's p-value decides the verdict. The band is each
 * level's 99% binomial interval for {@code tests} calibrated tests.
 *
 * @param nominal         credibility levels 0, 0.01, …, 1
 * @param empirical       per curve (one for HPD; one per parameter for marginal coverage), the covered share
 * @param curveNames      "HPD" or the parameter names
 * @param bandLower       99% binomial band, lower edge, per nominal level
 * @param bandUpper       upper edge
 * @param largestDeviation per curve, max |empirical − nominal|
 * @param pValue          per curve, the KS p-value for uniform levels
 * @param tests           how many tests the curve rests on
 */
public record ExpectedCoverage(double[] nominal, double[][] empirical, String[] curveNames, double[] bandLower, double[] bandUpper,
		double[] largestDeviation, double[] pValue, int tests) {

	/** Below this p-value (after a Bonferroni correction over the curves) a posterior is called miscalibrated. */
	public static final double ALPHA = 0.01;

	public enum Verdict {
		CALIBRATED, OVERCONFIDENT, UNDERCONFIDENT
	}

	public static ExpectedCoverage of(PriorPredictiveCalibration.Result r, String[] parameterNames) {
		int n = r.tests();
		double[][] levels;
		String[] names;
		if (r.hasDensity()) {
			levels = new double[][] { r.hpdLevels() };
			names = new String[] { "HPD" };
		} else {
			int d = r.ranks()[0].length;
			levels = new double[d][n];
			for (int j = 0; j < d; j++) {
				for (int i = 0; i < n; i++) {
					// u is the rank fraction; ties with θ are impossible for continuous samples.
					double u = (r.ranks()[i][j] + 0.5) / (r.samplesPerTest() + 1.0);
					levels[j][i] = Math.abs(2 * u - 1);
				}
			}
			names = parameterNames.clone();
		}
		int k = 101;
		double[] nominal = new double[k];
		double[] lower = new double[k];
		double[] upper = new double[k];
		for (int a = 0; a < k; a++) {
			nominal[a] = a / (k - 1.0);
			if (a == 0 || a == k - 1) {
				lower[a] = upper[a] = nominal[a];
			} else {
				BinomialDistribution b = new BinomialDistribution(null, n, nominal[a]);
				lower[a] = b.inverseCumulativeProbability(0.005) / (double) n;
				upper[a] = b.inverseCumulativeProbability(0.995) / (double) n;
			}
		}
		double[][] empirical = new double[levels.length][k];
		double[] deviation = new double[levels.length];
		double[] p = new double[levels.length];
		KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
		for (int c = 0; c < levels.length; c++) {
			for (int a = 0; a < k; a++) {
				int covered = 0;
				for (double l : levels[c]) {
					if (l <= nominal[a]) {
						covered++;
					}
				}
				empirical[c][a] = covered / (double) n;
			}
			deviation[c] = ks.kolmogorovSmirnovStatistic(new UniformRealDistribution(null, 0, 1), levels[c]);
			p[c] = ks.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 1), levels[c]);
		}
		return new ExpectedCoverage(nominal, empirical, names, lower, upper, deviation, p, n);
	}

	/** The worst curve's verdict: miscalibrated when its p-value is below {@link #ALPHA} / number of curves. */
	public Verdict verdict() {
		int worst = 0;
		for (int c = 1; c < pValue.length; c++) {
			if (pValue[c] < pValue[worst]) {
				worst = c;
			}
		}
		if (pValue[worst] >= ALPHA / pValue.length) {
			return Verdict.CALIBRATED;
		}
		double area = 0; // signed area between curve and diagonal says which way
		for (int a = 0; a < nominal.length; a++) {
			area += empirical[worst][a] - nominal[a];
		}
		return area < 0 ? Verdict.OVERCONFIDENT : Verdict.UNDERCONFIDENT;
	}

	public double worstDeviation() {
		double m = 0;
		for (double v : largestDeviation) {
			m = Math.max(m, v);
		}
		return m;
	}
}
