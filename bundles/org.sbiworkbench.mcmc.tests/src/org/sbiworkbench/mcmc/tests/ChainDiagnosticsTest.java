package org.sbiworkbench.mcmc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.mcmc.ChainDiagnostics;

/**
 * R̂ and ESS on chains whose answer is known: independent draws, AR(1)
 * chains with a known autocorrelation time, and chains that do not agree.
 * <p>
 * The ESS tolerances come from the estimator's own spread. For independent
 * draws the estimate is S / τ̂ with τ̂ = 1 + 2 Σ ρ̂_t over the few lags before
 * Geyer's truncation (about 3), each ρ̂_t with standard deviation 1/√S, so
 * sd(ESS/S) ≈ 2√(3/S): 0.024 for S = 20,000. Measured over 400 independent
 * data sets of 4 × 1,000 draws the mean of ESS/S was 0.983 and its standard
 * deviation 0.045, as the formula gives for S = 4,000. For AR(1) with φ = 0.8
 * (τ = 9) more lags enter; measured over 200 data sets of 4 × 5,000, ESS / (S/τ)
 * had mean 0.992 and standard deviation 0.058. The bounds are about 4 of
 * these standard deviations.
 */
class ChainDiagnosticsTest {

	private static double[][] iid(int m, int n, RandomGenerator random) {
		double[][] c = new double[m][n];
		for (double[] chain : c) {
			for (int t = 0; t < n; t++) {
				chain[t] = random.nextGaussian();
			}
		}
		return c;
	}

	/** Stationary AR(1) chains x_t = φ x_{t−1} + ε_t, whose autocorrelation time is (1 + φ)/(1 − φ). */
	private static double[][] ar1(int m, int n, double phi, RandomGenerator random) {
		double[][] c = new double[m][n];
		for (double[] chain : c) {
			double x = random.nextGaussian() / Math.sqrt(1 - phi * phi);
			for (int t = 0; t < n; t++) {
				x = phi * x + random.nextGaussian();
				chain[t] = x;
			}
		}
		return c;
	}

	@Test
	void independentDrawsHaveAnEssOfTheirNumber() {
		int m = 4, n = 5000, s = m * n;
		double[][] c = iid(m, n, new Well19937c(1));
		double ess = ChainDiagnostics.ess(c), bulk = ChainDiagnostics.bulkEss(c);
		System.out.printf("iid: ESS/S = %.4f, bulk ESS/S = %.4f%n", ess / s, bulk / s);
		assertEquals(1, ess / s, 0.1, "ESS of " + s + " independent draws: " + ess);
		assertEquals(1, bulk / s, 0.1, "bulk ESS of " + s + " independent draws: " + bulk);
		// and the MCSE of their mean is the textbook 1/√S (sd 1), within the ESS's spread
		assertEquals(1 / Math.sqrt(s), ChainDiagnostics.mcse(c), 0.06 / Math.sqrt(s));
	}

	@Test
	void autocorrelatedDrawsHaveTheirKnownEss() {
		int m = 4, n = 5000;
		double phi = 0.8, expected = m * n * (1 - phi) / (1 + phi);
		double[][] c = ar1(m, n, phi, new Well19937c(2));
		double ess = ChainDiagnostics.ess(c), bulk = ChainDiagnostics.bulkEss(c);
		System.out.printf("AR(1) phi=0.8: ESS/expected = %.4f, bulk %.4f%n", ess / expected, bulk / expected);
		assertEquals(1, ess / expected, 0.25, "ESS " + ess + " against " + expected);
		assertEquals(1, bulk / expected, 0.25, "bulk ESS " + bulk + " against " + expected);
	}

	@Test
	void agreeingChainsHaveAnRHatOfOne() {
		double[][] c = iid(4, 1000, new Well19937c(3));
		double r = ChainDiagnostics.rHat(c), split = ChainDiagnostics.splitRHat(c);
		System.out.printf("iid: R-hat %.5f, split R-hat %.5f%n", r, split);
		// measured over 400 such data sets: mean 1.0003, largest 1.0028
		assertTrue(r < 1.005, "rank-normalised split R-hat " + r);
		assertTrue(split < 1.005, "split R-hat " + split);
	}

	/** Chains stuck in two far-apart modes: between-chain variance dwarfs within-chain variance. */
	@Test
	void separateModesGiveALargeRHat() {
		RandomGenerator random = new Well19937c(4);
		double[][] c = iid(4, 1000, random);
		for (int k = 0; k < 4; k++) {
			double shift = k < 2 ? -10 : 10;
			for (int t = 0; t < c[k].length; t++) {
				c[k][t] += shift;
			}
		}
		double r = ChainDiagnostics.rHat(c);
		System.out.printf("separate modes: R-hat %.3f, split %.3f%n", r, ChainDiagnostics.splitRHat(c));
		assertTrue(r > 1.1, "R-hat " + r);
		assertTrue(ChainDiagnostics.splitRHat(c) > 1.1);
	}

	/**
	 * Chains with the same centre but one of them three times wider: the
	 * classic split-R̂ compares means only and misses it; the folded
	 * (tail) part of the rank-normalised R̂ catches it (Vehtari et al. 2021, fig. 3).
	 */
	@Test
	void differentSpreadsAreCaughtByTheFoldedRHat() {
		double[][] c = iid(4, 1000, new Well19937c(5));
		for (int t = 0; t < c[3].length; t++) {
			c[3][t] *= 3;
		}
		double r = ChainDiagnostics.rHat(c), split = ChainDiagnostics.splitRHat(c);
		System.out.printf("different spreads: R-hat %.4f, split %.4f%n", r, split);
		assertTrue(split < 1.01, "split R-hat sees equal means: " + split);
		assertTrue(r > 1.05, "rank-normalised R-hat sees the spread: " + r);
	}

	/** A chain that drifts: the halves of the split chain disagree, although all chains have the same mean. */
	@Test
	void aDriftWithinChainsIsCaughtBySplitting() {
		double[][] c = iid(4, 1000, new Well19937c(6));
		for (double[] chain : c) {
			for (int t = 0; t < chain.length; t++) {
				chain[t] += 4.0 * t / chain.length;
			}
		}
		double r = ChainDiagnostics.rHat(c);
		System.out.printf("drift: R-hat %.4f%n", r);
		assertTrue(r > 1.1, "R-hat " + r);
	}

	@Test
	void heavyTailsDoNotHideDisagreementFromRanks() {
		// Cauchy draws: the raw variance is dominated by a few huge values; ranks are not
		RandomGenerator random = new Well19937c(7);
		double[][] c = new double[4][1000];
		for (int k = 0; k < 4; k++) {
			for (int t = 0; t < 1000; t++) {
				c[k][t] = Math.tan(Math.PI * (random.nextDouble() - 0.5)) + (k == 0 ? 2 : 0);
			}
		}
		double r = ChainDiagnostics.rHat(c);
		System.out.printf("Cauchy, one chain shifted by 2: R-hat %.4f, split %.4f%n", r, ChainDiagnostics.splitRHat(c));
		assertTrue(r > 1.05, "rank-normalised R-hat " + r);
	}

	@Test
	void badInputIsRefusedOrNaN() {
		assertTrue(Double.isNaN(ChainDiagnostics.rHat(new double[][] { { 1, 1, 1, 1 }, { 1, 1, 1, 1 } })),
				"constant chains have no R-hat");
		assertTrue(Double.isNaN(ChainDiagnostics.ess(new double[][] { { 2, 2, 2, 2, 2, 2, 2, 2 } })));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> ChainDiagnostics.rHat(new double[][] { { 1, 2, 3, 4 }, { 1, 2, 3 } }));
		assertTrue(e.getMessage().contains("equal lengths"), e.getMessage());
	}
}
