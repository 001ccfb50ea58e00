package org.sbiworkbench.diagnostics;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Simulation-based calibration (Talts et al. 2018): if q(θ | x) is the true posterior, the rank of θᵢ among L
 * posterior samples is uniform on 0..L for every parameter. Per parameter: the rank histogram with its 99%
 * binomial band, a chi-square test of the binned ranks and a Kolmogorov–Smirnov test of the rank fractions
 * (Commons Math), and a two-sample KS test of the data-averaged posterior (one draw per test) against the
 * prior's θᵢ. A U-shaped histogram means an overconfident posterior, a hump an underconfident one, a slope a
 * bias.
 *
 * @param parameterNames  per parameter
 * @param binEdges        rank bin edges, in rank units (0 .. L + 1)
 * @param counts          per parameter and bin
 * @param expected        per bin, the expected count for uniform ranks
 * @param bandLower       per bin, 99% binomial band
 * @param bandUpper       per bin
 * @param chiSquarePValue per parameter
 * @param ksPValue        per parameter
 * @param priorPValue     per parameter: the data-averaged posterior against the prior
 * @param tests           how many tests
 */
public record SimulationBasedCalibration(String[] parameterNames, double[] binEdges, long[][] counts, double[] expected,
		double[] bandLower, double[] bandUpper, double[] chiSquarePValue, double[] ksPValue, double[] priorPValue, int tests) {

	/** Below this p-value, Bonferroni-corrected over parameters and the two rank tests, SBC fails. */
	public static final double ALPHA = 0.01;

	public static SimulationBasedCalibration of(PriorPredictiveCalibration.Result r, String[] parameterNames) {
		return of(r, parameterNames, 20);
	}

	public static SimulationBasedCalibration of(PriorPredictiveCalibration.Result r, String[] parameterNames, int bins) {
		int n = r.tests();
		int d = parameterNames.length;
		int ranks = r.samplesPerTest() + 1;
		bins = Math.min(bins, ranks);
		// Bin k holds ranks r with floor(r·bins/ranks) = k; uneven bins get their own expected counts.
		double[] edges = new double[bins + 1];
		double[] expected = new double[bins];
		int[] width = new int[bins];
		for (int rank = 0; rank < ranks; rank++) {
			width[(int) ((long) rank * bins / ranks)]++;
		}
		double[] lower = new double[bins];
		double[] upper = new double[bins];
		for (int k = 0; k < bins; k++) {
			edges[k + 1] = edges[k] + width[k];
			double p = width[k] / (double) ranks;
			expected[k] = n * p;
			BinomialDistribution b = new BinomialDistribution(null, n, p);
			lower[k] = b.inverseCumulativeProbability(0.005);
			upper[k] = b.inverseCumulativeProbability(0.995);
		}
		long[][] counts = new long[d][bins];
		double[] chi = new double[d];
		double[] ks = new double[d];
		double[] prior = new double[d];
		KolmogorovSmirnovTest kst = new KolmogorovSmirnovTest();
		for (int j = 0; j < d; j++) {
			double[] u = new double[n];
			double[] averaged = new double[n];
			double[] truth = new double[n];
			for (int i = 0; i < n; i++) {
				int rank = r.ranks()[i][j];
				counts[j][(int) ((long) rank * bins / ranks)]++;
				u[i] = (rank + 0.5) / ranks;
				averaged[i] = r.dataAveraged()[i][j];
				truth[i] = r.theta()[i][j];
			}
			chi[j] = new ChiSquareTest().chiSquareTest(expected, counts[j]);
			ks[j] = kst.kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 1), u);
			prior[j] = kst.kolmogorovSmirnovTest(averaged, truth);
		}
		return new SimulationBasedCalibration(parameterNames.clone(), edges, counts, expected, lower, upper, chi, ks, prior, n);
	}

	/** The parameters whose ranks fail the chi-square or KS test at {@link #ALPHA} / (2 · parameters). */
	public java.util.List<String> failing() {
		double threshold = ALPHA / (2.0 * parameterNames.length);
		java.util.List<String> out = new java.util.ArrayList<>();
		for (int j = 0; j < parameterNames.length; j++) {
			if (chiSquarePValue[j] < threshold || ksPValue[j] < threshold) {
				out.add(parameterNames[j]);
			}
		}
		return out;
	}

	public boolean passes() {
		return failing().isEmpty();
	}
}
