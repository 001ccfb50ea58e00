package org.sbiworkbench.simulators.particle.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.particle.tests.Statistics.Z;

import java.util.Arrays;

import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.particle.Weinberg;

/**
 * weinberg: cos θ ~ p(c) = 3(1 + c² + A c)/8 on [−1, 1] with
 * A = 2 tanh(10(2E − 90)/90) · G_f, 100 events at E = 43, 44, 46, 47 GeV,
 * histogrammed in 10 bins of cos θ, flattened bin by bin. The analytic
 * distribution, its moments and the asymmetry A_FB = 3A/8 are written out
 * here again, independently of the simulator.
 */
class WeinbergTest {

	private static final double[] ENERGIES = { 43, 44, 46, 47 };

	private static double coefficient(double beamEnergy, double gf) {
		return 2 * Math.tanh(10 * (2 * beamEnergy - 90) / 90) * gf;
	}

	/** P(cos θ ≤ c) = 3/8 · [(c + 1) + (c³ + 1)/3 + A(c² − 1)/2]. */
	private static double cdf(double c, double a) {
		return 3.0 / 8 * ((c + 1) + (c * c * c + 1) / 3 + a * (c * c - 1) / 2);
	}

	/** The analytic distribution, for Commons Math's one-sample Kolmogorov–Smirnov test. */
	@SuppressWarnings("deprecation") // RealDistribution's isSupport*Inclusive are deprecated but abstract
	private static final class AngularDistribution extends AbstractRealDistribution {
		private static final long serialVersionUID = 1L;
		private final double a;

		AngularDistribution(double a) {
			super(null);
			this.a = a;
		}

		@Override
		public double density(double c) {
			return Math.abs(c) <= 1 ? 3.0 / 8 * (1 + c * c + a * c) : 0;
		}

		@Override
		public double cumulativeProbability(double c) {
			return c <= -1 ? 0 : c >= 1 ? 1 : cdf(c, a);
		}

		@Override
		public double getNumericalMean() {
			return a / 4;
		}

		@Override
		public double getNumericalVariance() {
			return 0.4 - a * a / 16;
		}

		@Override
		public double getSupportLowerBound() {
			return -1;
		}

		@Override
		public double getSupportUpperBound() {
			return 1;
		}

		@Override
		public boolean isSupportLowerBoundInclusive() {
			return true;
		}

		@Override
		public boolean isSupportUpperBoundInclusive() {
			return true;
		}

		@Override
		public boolean isSupportConnected() {
			return true;
		}
	}

	@Test
	void sampledCosThetaFollowsTheDifferentialCrossSection() {
		Well19937c random = new Well19937c(2024);
		KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
		int n = 100_000;
		// Both limits |A| = 2, the largest asymmetry of the default experiment (43 GeV, G_f = 2), small ones and none.
		for (double a : new double[] { -2, coefficient(43, 2), coefficient(44, 1), 0, coefficient(47, 1), 2 }) {
			double[] c = new double[n];
			for (int i = 0; i < n; i++) {
				c[i] = Weinberg.sampleCosTheta(a, random);
				assertTrue(c[i] >= -1 && c[i] <= 1);
			}
			double p = ks.kolmogorovSmirnovTest(new AngularDistribution(a), c);
			assertTrue(p > Statistics.LEVEL, "A = " + a + ": Kolmogorov–Smirnov rejects the analytic CDF, p = " + p);
			double[] mv = Statistics.meanAndVariance(c);
			double variance = 0.4 - a * a / 16;
			assertEquals(a / 4, mv[0], Z * Math.sqrt(variance / n), "A = " + a + ": ⟨cos θ⟩ = ∫ c p(c) dc = A/4");
			double[] squares = Arrays.stream(c).map(v -> v * v).toArray();
			double[] mv2 = Statistics.meanAndVariance(squares);
			assertEquals(0.4, mv2[0], Z * Math.sqrt(mv2[1] / n), "A = " + a + ": ⟨cos²θ⟩ = 2/5");
		}
	}

	/**
	 * A_FB = (F − B)/(F + B) from the simulated histograms equals 3A/8 within
	 * Z standard errors √((1 − A_FB²)/N): negative below the toy's pole
	 * (E_beam = 45 GeV), positive above, proportional to G_f.
	 */
	@Test
	void forwardBackwardAsymmetryFollowsTheFormula() {
		Weinberg sim = new Weinberg();
		assertArrayEquals(ENERGIES, sim.beamEnergies(), 0);
		int runs = 500;
		double[][] measured = new double[3][];
		double[] gfs = { 0.25, 1, 2 };
		Well19937c random = new Well19937c(31);
		for (int g = 0; g < gfs.length; g++) {
			double[] forward = new double[4];
			double[] backward = new double[4];
			for (int i = 0; i < runs; i++) {
				double[] x = sim.simulate(new double[] { gfs[g] }, random);
				for (int k = 0; k < 10; k++) {
					for (int r = 0; r < 4; r++) {
						if (k < 5) {
							backward[r] += x[k * 4 + r];
						} else {
							forward[r] += x[k * 4 + r];
						}
					}
				}
			}
			measured[g] = new double[4];
			for (int r = 0; r < 4; r++) {
				double n = forward[r] + backward[r];
				assertEquals(runs * 100, n, 0, "100 events per beam energy and run");
				double afb = (forward[r] - backward[r]) / n;
				double expected = 3 * coefficient(ENERGIES[r], gfs[g]) / 8;
				assertEquals(expected, Weinberg.forwardBackwardAsymmetry(ENERGIES[r], gfs[g]), 1e-15);
				assertEquals(expected, afb, Z * Math.sqrt((1 - expected * expected) / n),
						"A_FB at E_beam = " + ENERGIES[r] + " GeV, G_f = " + gfs[g]);
				assertEquals(Math.signum(ENERGIES[r] - 45), Math.signum(afb),
						"A_FB < 0 below the pole and > 0 above it; E_beam = " + ENERGIES[r] + " GeV, G_f = " + gfs[g]);
				measured[g][r] = afb;
			}
		}
		// Linear in G_f: A_FB(G_f = 2) = 2 A_FB(G_f = 1), within the standard error of the difference.
		for (int r = 0; r < 4; r++) {
			double a1 = measured[1][r];
			double a2 = measured[2][r];
			double n = runs * 100;
			double se = Math.sqrt((4 * (1 - a1 * a1) + (1 - a2 * a2)) / n);
			assertEquals(2 * a1, a2, Z * se, "A_FB ∝ G_f at E_beam = " + ENERGIES[r] + " GeV");
			assertTrue(Math.abs(measured[0][r]) < Math.abs(a1) && Math.abs(a1) < Math.abs(a2),
					"|A_FB| grows with G_f at E_beam = " + ENERGIES[r] + " GeV");
		}
	}

	/**
	 * The histograms: counts of cell (bin k, energy r) summed over many runs
	 * against n·100·(F(c_{k+1}) − F(c_k)); each energy's 100 events are
	 * multinomial, so χ² has 4 × (10 − 1) = 36 degrees of freedom.
	 */
	@Test
	void histogramsFollowTheBinProbabilities() {
		Weinberg sim = new Weinberg();
		double gf = 1.3;
		int runs = 2000;
		double[] total = new double[40];
		Well19937c random = new Well19937c(77);
		for (int i = 0; i < runs; i++) {
			double[] x = sim.simulate(new double[] { gf }, random);
			assertEquals(40, x.length);
			for (int r = 0; r < 4; r++) {
				double events = 0;
				for (int k = 0; k < 10; k++) {
					events += x[k * 4 + r];
				}
				assertEquals(100, events, 0, "each beam energy has exactly 100 events");
			}
			for (int j = 0; j < 40; j++) {
				total[j] += x[j];
			}
		}
		double[] expected = new double[40];
		for (int k = 0; k < 10; k++) {
			for (int r = 0; r < 4; r++) {
				double a = coefficient(ENERGIES[r], gf);
				double lo = -1 + 0.2 * k;
				expected[k * 4 + r] = runs * 100 * (cdf(lo + 0.2, a) - cdf(lo, a));
			}
		}
		double chi2 = Statistics.chiSquare(total, expected);
		assertTrue(chi2 < Statistics.chiSquareBound(36), "χ² of the summed histograms: " + chi2 + " (36 dof)");
	}

	@Test
	void invalidParametersAreRefused() {
		Weinberg sim = new Weinberg();
		Well19937c random = new Well19937c(3);
		for (double gf : new double[] { Double.NaN, Double.POSITIVE_INFINITY, -0.1, 2.5 }) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
					() -> sim.simulate(new double[] { gf }, random), "G_f = " + gf);
			assertTrue(e.getMessage().contains("G_f") && e.getMessage().contains("weinberg"), e.getMessage());
		}
		IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
				() -> sim.simulate(new double[] { 2.5 }, random));
		assertTrue(negative.getMessage().contains("negative"), "why G_f = 2.5 is refused: " + negative.getMessage());
		assertThrows(IllegalArgumentException.class, () -> sim.simulate(new double[] { 1, 1 }, random));
		assertThrows(IllegalArgumentException.class, () -> sim.simulate(new double[0], random));
		assertThrows(IllegalArgumentException.class, () -> Weinberg.sampleCosTheta(2.01, random));
		assertThrows(IllegalArgumentException.class, () -> Weinberg.sampleCosTheta(Double.NaN, random));
		// The edges: no weak interaction (symmetric), and the largest G_f for which (1 + c² + A c) ≥ 0 at 43 and 47 GeV.
		assertEquals(40, sim.simulate(new double[] { 0 }, random).length);
		double largest = 2 / Math.abs(coefficient(47, 1));
		assertEquals(2.396, largest, 1e-3);
		assertEquals(40, sim.simulate(new double[] { largest * (1 - 1e-12) }, random).length);
	}

	@Test
	void theSameSeedGivesTheSameHistograms() {
		Weinberg sim = new Weinberg();
		double[] a = sim.simulate(new double[] { 0.8 }, new Well19937c(8));
		double[] b = sim.simulate(new double[] { 0.8 }, new Well19937c(8));
		double[] c = sim.simulate(new double[] { 0.8 }, new Well19937c(9));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c));
	}

	@Test
	void theDefaultObservationIsReproducibleAndPlausible() {
		Weinberg sim = new Weinberg();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(new double[] { 1 }, theta, 0);
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(Weinberg.DEFAULT_OBSERVATION_SEED)), 0,
				"toy 1 is simulate(θ_true, new Well19937c(" + Weinberg.DEFAULT_OBSERVATION_SEED + "))");
		double[] x = o.values();
		double[] expected = new double[40];
		for (int k = 0; k < 10; k++) {
			for (int r = 0; r < 4; r++) {
				double a = coefficient(ENERGIES[r], theta[0]);
				expected[k * 4 + r] = 100 * (cdf(-0.8 + 0.2 * k, a) - cdf(-1 + 0.2 * k, a));
			}
		}
		for (int r = 0; r < 4; r++) {
			double events = 0;
			double forward = 0;
			for (int k = 0; k < 10; k++) {
				double v = x[k * 4 + r];
				assertTrue(v >= 0 && v == Math.rint(v));
				events += v;
				forward += k >= 5 ? v : 0;
			}
			assertEquals(100, events, 0);
			double afb = (2 * forward - events) / events;
			double expectedAfb = 3 * coefficient(ENERGIES[r], theta[0]) / 8;
			assertEquals(expectedAfb, afb, Z * Math.sqrt((1 - expectedAfb * expectedAfb) / events),
					"A_FB of toy 1 at " + ENERGIES[r] + " GeV");
		}
		double chi2 = Statistics.chiSquare(x, expected);
		assertTrue(chi2 < Statistics.chiSquareBound(36), "χ² of toy 1 against its expectation: " + chi2);
	}
}
