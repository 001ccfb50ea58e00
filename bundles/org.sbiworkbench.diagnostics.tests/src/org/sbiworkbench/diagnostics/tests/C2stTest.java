package org.sbiworkbench.diagnostics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sbiworkbench.diagnostics.C2st;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;

/**
 * Statistical checks of the C2ST against cases whose answer is known.
 * <p>
 * Tolerances come from the number of test points. Every pooled row is scored
 * exactly once, by a classifier that never saw it, and with equal fold sizes the
 * reported accuracy is the fraction of all N = n + m rows classified correctly.
 * Given one fold's classifier, its test rows are correct independently, so
 * within a fold the count is binomial (stratification fixes the labels, which
 * only lowers the variance): standard error √(p(1−p)/N) over all folds. Across
 * folds the counts are positively correlated (each fold's classifier trained on
 * the others' test rows), so the real spread is larger: over 30 null data sets
 * (d = 2, 2,000 + 2,000 rows) the accuracy had mean 0.499 and standard
 * deviation 0.0103 against the binomial 0.0079. The bounds below, in binomial
 * standard errors, are therefore about 3/4 as many real standard deviations.
 * All data and seeds are fixed, so the tests are deterministic; the margins
 * guard against changes that shift the random streams.
 */
class C2stTest {

	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

	private static double standardError(double p, int testPoints) {
		return Math.sqrt(p * (1 - p) / testPoints);
	}

	/** n rows of N(mean·1, I_d). */
	private static double[][] gaussian(int n, int d, double mean, RandomGenerator random) {
		double[][] rows = new double[n][d];
		for (double[] row : rows) {
			for (int j = 0; j < d; j++) {
				row[j] = mean + random.nextGaussian();
			}
		}
		return rows;
	}

	/** n rows of a 2-D normal with unit variances and correlation rho. */
	private static double[][] correlated(int n, double rho, RandomGenerator random) {
		double[][] rows = new double[n][2];
		for (double[] row : rows) {
			double z1 = random.nextGaussian(), z2 = random.nextGaussian();
			row[0] = z1;
			row[1] = rho * z1 + Math.sqrt(1 - rho * rho) * z2;
		}
		return rows;
	}

	private static void assertConsistent(C2st.Result r, int n, int m, int d) {
		assertEquals(n, r.referenceCount());
		assertEquals(m, r.approximationCount());
		assertEquals(d, r.dimension());
		int[] sizes = r.foldTestSizes();
		assertEquals(n + m, Arrays.stream(sizes).sum(), "every row is tested exactly once");
		assertTrue(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt() <= 1, "balanced folds");
		assertEquals(Arrays.stream(r.foldAccuracies()).average().getAsDouble(), r.accuracy(), 1e-12,
				"the score is the mean fold accuracy");
		assertTrue(r.converged(), "each classifier stopped on the tolerance rule: " + r);
	}

	@Test
	void sameDistributionScoresChance() {
		int n = 2000, d = 2;
		Well19937c random = new Well19937c(11);
		double[][] x = gaussian(n, d, 0, random);
		double[][] y = gaussian(n, d, 0, random);
		C2st.Result r = C2st.test(x, y, 1);
		assertConsistent(r, n, n, d);
		// Under the null no classifier can beat a fair coin on held-out rows: mean 0.5, binomial SE 0.0079.
		double tolerance = 5 * standardError(0.5, 2 * n);
		assertEquals(0.5, r.accuracy(), tolerance, r.toString());
	}

	@Test
	void separableSamplesScoreOne() {
		int n = 1000;
		Well19937c random = new Well19937c(12);
		double[][] x = gaussian(n, 1, 0, random);
		double[][] y = gaussian(n, 1, 10, random);
		C2st.Result r = C2st.test(x, y, 1);
		assertConsistent(r, n, n, 1);
		// Bayes accuracy Φ(5) = 1 − 3e-7: with 2000 test rows the expected number of errors of the
		// optimal rule is 6e-4; allow two errors for the learned threshold.
		assertTrue(r.accuracy() >= 1 - 2.0 / (2 * n), r.toString());
	}

	@Test
	void shiftedGaussianReachesTheBayesAccuracy() {
		// N(0, 1) vs N(1, 1), balanced: the optimal rule thresholds at 1/2 and is right with
		// probability Φ(δ/2) = Φ(0.5) ≈ 0.6915.
		int n = 5000;
		double delta = 1;
		Well19937c random = new Well19937c(13);
		double[][] x = gaussian(n, 1, 0, random);
		double[][] y = gaussian(n, 1, delta, random);
		C2st.Result r = C2st.test(x, y, 1);
		assertConsistent(r, n, n, 1);
		double bayes = STANDARD_NORMAL.cumulativeProbability(delta / 2);
		double se = standardError(bayes, 2 * n);
		// A trained classifier can exceed the Bayes accuracy only by sampling noise (4 SE ≈ 0.018).
		// Below, allow the same noise plus 0.01 for what training on 8,000 rows loses: the excess
		// risk of a threshold off by t is ≈ φ(1/2)·t²/2, about 0.002 even at t = 0.1.
		assertTrue(r.accuracy() <= bayes + 4 * se, "accuracy " + r.accuracy() + " above Bayes " + bayes + ": " + r);
		assertTrue(r.accuracy() >= bayes - 4 * se - 0.01, "accuracy " + r.accuracy() + " far below Bayes " + bayes + ": " + r);
	}

	/**
	 * The best accuracy of any linear rule (predict "approximation" on one side of a line) between
	 * N(0, Σ₊) and N(0, Σ₋), Σ± = [[1, ±ρ], [±ρ, 1]], balanced, computed exactly over a fine grid of
	 * directions and thresholds: along a unit direction w the projections are N(0, s₊²) and N(0, s₋²).
	 */
	private static double bestLinearAccuracy(double rho) {
		double best = 0.5;
		for (int a = 0; a < 720; a++) {
			double theta = Math.PI * a / 720;
			double c = Math.cos(theta), s = Math.sin(theta);
			double sPlus = Math.sqrt(1 + 2 * rho * c * s), sMinus = Math.sqrt(1 - 2 * rho * c * s);
			for (int t = -400; t <= 400; t++) {
				double threshold = t / 100.0;
				double below = 0.5 * (STANDARD_NORMAL.cumulativeProbability(threshold / sPlus)
						+ 1 - STANDARD_NORMAL.cumulativeProbability(threshold / sMinus));
				best = Math.max(best, Math.max(below, 1 - below));
			}
		}
		return best;
	}

	@Test
	void correlationAloneIsDetectedBeyondAnyLinearRule() {
		// Same N(0, 1) marginals and means; only the correlation differs: +0.8 vs −0.8. The Bayes rule
		// is sign(x₁x₂) with accuracy 1/2 + arcsin(ρ)/π ≈ 0.795; the best linear rule (computed exactly)
		// reaches only ≈ 0.62 by exploiting the different spreads along the diagonals.
		double rho = 0.8;
		int n = 2000;
		Well19937c random = new Well19937c(14);
		double[][] x = correlated(n, rho, random);
		double[][] y = correlated(n, -rho, random);
		C2st.Result r = C2st.test(x, y, 1);
		assertConsistent(r, n, n, 2);
		double bayes = 0.5 + Math.asin(rho) / Math.PI;
		double linear = bestLinearAccuracy(rho);
		assertTrue(linear > 0.6 && linear < 0.65, "the best linear accuracy is about 0.62, computed " + linear);
		double se = standardError(bayes, 2 * n);
		assertTrue(r.accuracy() > linear + 5 * standardError(linear, 2 * n),
				"accuracy " + r.accuracy() + " must beat the best linear rule " + linear + ": " + r);
		assertTrue(r.accuracy() <= bayes + 4 * se, "accuracy " + r.accuracy() + " above Bayes " + bayes + ": " + r);
		assertTrue(r.accuracy() >= bayes - 4 * se - 0.03, "accuracy " + r.accuracy() + " far below Bayes " + bayes + ": " + r);
	}

	@Test
	void sameSeedSameResultWhateverTheThreads() {
		Well19937c random = new Well19937c(15);
		double[][] x = gaussian(400, 3, 0, random);
		double[][] y = gaussian(300, 3, 0.5, random);
		double[][] xCopy = Arrays.stream(x).map(double[]::clone).toArray(double[][]::new);
		// A cap of 60 epochs keeps this quick; the result is still a deterministic function of the seed.
		C2st.Settings settings = C2st.Settings.sbibm(7).withMaxEpochs(60);
		C2st.Result a = C2st.test(x, y, settings.withThreads(1));
		C2st.Result b = C2st.test(x, y, settings.withThreads(3));
		C2st.Result c = C2st.test(x, y, settings.withThreads(1));
		assertArrayEquals(a.foldAccuracies(), b.foldAccuracies(), "1 thread vs 3 threads");
		assertArrayEquals(a.foldEpochs(), b.foldEpochs());
		assertEquals(a.accuracy(), c.accuracy(), 0.0, "repeated run");
		assertArrayEquals(a.foldAccuracies(), c.foldAccuracies());
		assertEquals(a, c, "records compare by content");
		assertEquals(400 + 300, Arrays.stream(a.foldTestSizes()).sum());
		C2st.Result other = C2st.test(x, y, settings.withSeed(8).withThreads(1));
		assertFalse(Arrays.equals(a.foldAccuracies(), other.foldAccuracies()), "another seed, other folds and weights");
		assertTrue(Arrays.deepEquals(xCopy, x), "the reference is left untouched");
	}

	@Test
	void theGivenKernelsComputeEveryProduct() {
		Well19937c random = new Well19937c(17);
		double[][] x = gaussian(300, 3, 0, random);
		double[][] y = gaussian(300, 3, 0.5, random);
		C2st.Settings settings = C2st.Settings.sbibm(3).withMaxEpochs(20).withThreads(2);
		java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
		JavaKernels java = new JavaKernels();
		Kernels counting = new Kernels() {
			@Override
			public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
				calls.incrementAndGet();
				java.gemm(transA, transB, m, n, k, a, b, c, accumulate);
			}

			@Override
			public String name() {
				return "counting";
			}
		};
		C2st.Result viaCounting = C2st.test(x, y, settings, counting);
		// Every epoch: 3 batches (≤ 200 of the 480 training rows) × (3 forward + at least 5 backward products).
		long epochs = Arrays.stream(viaCounting.foldEpochs()).sum();
		assertTrue(epochs > 0 && calls.get() >= epochs * 3 * 8, "the classifiers' products went through the given kernels: " + calls.get()
				+ " calls in " + epochs + " epochs");
		assertEquals(C2st.test(x, y, settings), viaCounting, "the same products as the default pure-Java kernels, so the same result");
	}

	@Test
	void maxEpochsIsHonoured() {
		Well19937c random = new Well19937c(16);
		double[][] x = gaussian(300, 2, 0, random);
		double[][] y = gaussian(300, 2, 0, random);
		C2st.Result r = C2st.test(x, y, C2st.Settings.sbibm(1).withMaxEpochs(3));
		assertArrayEquals(new int[] { 3, 3, 3, 3, 3 }, r.foldEpochs());
		assertFalse(r.converged(), "stopped by the epoch limit, not the tolerance rule");
	}

	private static void assertRejected(String expectedFragment, Executable call) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
		assertTrue(e.getMessage().contains(expectedFragment), "message \"" + e.getMessage() + "\" should mention \"" + expectedFragment + "\"");
	}

	@Test
	void invalidInputsAreRejectedWithTheProblemNamed() {
		double[][] ok2 = gaussian(20, 2, 0, new Well19937c(17));
		double[][] ok3 = gaussian(20, 3, 0, new Well19937c(18));
		assertRejected("the reference has dimension 2 but the approximation has dimension 3", () -> C2st.test(ok2, ok3, 1));
		assertRejected("the approximation has 4 rows; 5-fold cross-validation needs at least 5",
				() -> C2st.test(ok2, gaussian(4, 2, 0, new Well19937c(19)), 1));
		assertRejected("the reference has 1 rows", () -> C2st.test(new double[][] { { 1, 2 } }, ok2,
				new C2st.Settings(10, 100, 2, 1, 1)));

		double[][] withNaN = gaussian(20, 2, 0, new Well19937c(20));
		withNaN[7][1] = Double.NaN;
		assertRejected("non-finite value NaN at row 7, column 1", () -> C2st.test(ok2, withNaN, 1));
		double[][] withInfinity = gaussian(20, 2, 0, new Well19937c(21));
		withInfinity[3][0] = Double.NEGATIVE_INFINITY;
		assertRejected("the reference has a non-finite value -Infinity at row 3, column 0", () -> C2st.test(withInfinity, ok2, 1));

		double[][] ragged = gaussian(20, 2, 0, new Well19937c(22));
		ragged[5] = new double[] { 1, 2, 3 };
		assertRejected("row 5 of the approximation has 3 values but row 0 has 2", () -> C2st.test(ok2, ragged, 1));
		double[][] nullRow = gaussian(20, 2, 0, new Well19937c(23));
		nullRow[9] = null;
		assertRejected("row 9 of the reference is null", () -> C2st.test(nullRow, ok2, 1));
		assertRejected("the approximation samples are null", () -> C2st.test(ok2, null, 1));
		double[][] empty = new double[20][0];
		assertRejected("row 0 of the reference is empty", () -> C2st.test(empty, ok2, 1));

		assertRejected("at least 2 folds", () -> new C2st.Settings(10, 100, 1, 1, 0));
		assertRejected("maximum number of epochs", () -> C2st.Settings.sbibm(1).withMaxEpochs(0));
		assertRejected("hidden width factor", () -> new C2st.Settings(0, 100, 5, 1, 0));
		assertRejected("threads", () -> C2st.Settings.sbibm(1).withThreads(-1));
	}

	@Test
	void constantReferenceDimensionStaysFinite() {
		// The reference is constant in dimension 1 (std 0, floored) and the approximation is not: the
		// z-scores of the approximation are huge but clamped, training stays finite and separates them.
		Well19937c random = new Well19937c(24);
		double[][] x = gaussian(200, 2, 0, random);
		double[][] y = gaussian(200, 2, 0, random);
		for (double[] row : x) {
			row[1] = 3.0;
		}
		C2st.Result r = C2st.test(x, y, C2st.Settings.sbibm(1).withMaxEpochs(200));
		assertTrue(r.accuracy() > 0.95, r.toString());
	}
}
