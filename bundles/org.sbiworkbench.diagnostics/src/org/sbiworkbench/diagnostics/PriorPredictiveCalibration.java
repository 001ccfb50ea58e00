package org.sbiworkbench.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.Seeds;

/**
 * The loop behind expected coverage and simulation-based calibration (Talts et al. 2018; Hermans et al. 2022):
 * for test i, draw θᵢ from the prior and xᵢ from the simulator, draw L samples from q(θ | xᵢ), and record
 * per parameter the rank of θᵢ among them and, where q has a density, θᵢ's HPD level — the fraction of
 * samples of higher density than θᵢ. An amortized posterior makes this cheap: no retraining per test.
 * <p>
 * A simulation that fails or returns a non-finite value, and a posterior that cannot sample for xᵢ, are
 * counted and the test is skipped; the numbers are in the result, not lost.
 */
public final class PriorPredictiveCalibration {

	/**
	 * @param tests          how many prior-predictive pairs (θᵢ, xᵢ)
	 * @param samplesPerTest L posterior samples per test; ranks then run from 0 to L
	 */
	public record Settings(int tests, int samplesPerTest) {
		/** 200 tests (sbi's tutorials use 200–1,000), 999 samples so that 1,000 ranks bin evenly. */
		public static final Settings DEFAULT = new Settings(200, 999);

		public Settings {
			if (tests < 2 || samplesPerTest < 1) {
				throw new IllegalArgumentException("calibration needs at least 2 tests and 1 sample per test, got " + tests + " and "
						+ samplesPerTest);
			}
		}
	}

	/**
	 * @param theta                 the θᵢ of the tests that ran
	 * @param ranks                 per test and parameter, #{samples &lt; θᵢ}, in 0..L
	 * @param hpdLevels             per test, θᵢ's HPD level in [0, 1]; {@code null} when q has no density
	 * @param dataAveraged          one posterior sample per test: draws of the data-averaged posterior
	 * @param samplesPerTest        L
	 * @param failedSimulations     tests skipped because the simulator failed or returned non-finite x
	 * @param failedPosteriors      tests skipped because q(θ | xᵢ) could not be sampled
	 * @param firstFailure          the first failure's message, or {@code null}
	 */
	public record Result(double[][] theta, int[][] ranks, double[] hpdLevels, double[][] dataAveraged, int samplesPerTest,
			int failedSimulations, int failedPosteriors, String firstFailure) {

		public int tests() {
			return ranks.length;
		}

		public boolean hasDensity() {
			return hpdLevels != null;
		}
	}

	private PriorPredictiveCalibration() {
	}

	public static Result run(Simulator simulator, Prior prior, AmortizedPosterior posterior, Settings settings, long seed,
			ProgressMonitor monitor) {
		int d = prior.dimension();
		List<double[]> thetas = new ArrayList<>();
		List<int[]> ranks = new ArrayList<>();
		List<Double> hpd = new ArrayList<>();
		List<double[]> averaged = new ArrayList<>();
		boolean density = true;
		int failedSimulations = 0, failedPosteriors = 0;
		String firstFailure = null;
		monitor.begin("Calibration: " + settings.tests() + " prior-predictive tests", settings.tests());
		for (int i = 0; i < settings.tests(); i++) {
			if (monitor.isCanceled()) {
				throw new CancellationException("calibration cancelled after " + i + " of " + settings.tests() + " tests");
			}
			// One generator per test: results do not depend on how many tests failed before.
			RandomGenerator random = Seeds.forRow(seed, i);
			double[] theta = prior.sample(random);
			double[] x;
			try {
				x = simulator.simulate(theta, random);
				if (!allFinite(x)) {
					throw new ArithmeticException("the simulator returned a non-finite value");
				}
			} catch (RuntimeException e) {
				failedSimulations++;
				firstFailure = firstFailure != null ? firstFailure : "simulation " + i + ": " + e.getMessage();
				monitor.worked(1);
				continue;
			}
			double[][] draws;
			Posterior q;
			try {
				q = posterior.condition(x);
				draws = q.sample(settings.samplesPerTest(), random);
			} catch (RuntimeException e) {
				failedPosteriors++;
				firstFailure = firstFailure != null ? firstFailure : "posterior for test " + i + ": " + e.getMessage();
				monitor.worked(1);
				continue;
			}
			int[] r = new int[d];
			for (double[] s : draws) {
				for (int j = 0; j < d; j++) {
					if (s[j] < theta[j]) {
						r[j]++;
					}
				}
			}
			density &= q.hasDensity();
			if (density) {
				double[] lps = q.logProbsUpToConstant(draws);
				double lpTrue = q.logProbsUpToConstant(new double[][] { theta })[0];
				int higher = 0;
				for (double lp : lps) {
					if (lp > lpTrue) {
						higher++;
					}
				}
				hpd.add((double) higher / draws.length);
			}
			thetas.add(theta);
			ranks.add(r);
			averaged.add(draws[0]);
			monitor.worked(1);
		}
		monitor.done();
		if (ranks.size() < 2) {
			throw new IllegalStateException("calibration needs at least 2 completed tests; " + failedSimulations + " simulations and "
					+ failedPosteriors + " posteriors failed" + (firstFailure == null ? "" : " (first: " + firstFailure + ")"));
		}
		return new Result(thetas.toArray(double[][]::new), ranks.toArray(int[][]::new),
				density ? hpd.stream().mapToDouble(Double::doubleValue).toArray() : null, averaged.toArray(double[][]::new),
				settings.samplesPerTest(), failedSimulations, failedPosteriors, firstFailure);
	}

	static boolean allFinite(double[] x) {
		for (double v : x) {
			if (!Double.isFinite(v)) {
				return false;
			}
		}
		return true;
	}
}
