package org.sbiworkbench.simulators.moleculardynamics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.moleculardynamics.tests.Statistics.Z;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.moleculardynamics.LennardJones2D;
import org.sbiworkbench.simulators.moleculardynamics.LennardJones2D.Measurement;
import org.sbiworkbench.simulators.moleculardynamics.LennardJones2D.Settings;

/**
 * lennard_jones_2d as a simulator: θ = (ε [ε₀], σ [σ₀], T [ε₀/k_B]) to 17
 * summaries (g(r) in 12 bins over [0.6, 3) σ₀, MSD at 0.1, 0.5, 2.5, 10 τ₀,
 * ⟨U⟩/N). Its summaries are checked where they are known exactly (the ideal
 * gas limit ε → 0) and for their physical response to each parameter.
 */
class LennardJones2DTest {

	private static final int G = 12;
	private static final int MSD = 12;
	private static final int U = 16;
	/** A short run for the tests that need no physics: 1 + 10.5 τ₀. */
	private static final Settings SHORT = new Settings(100, 0.5, 0.005, 1, 200, 2100);

	@Test
	void theDescriptorNamesTheSummariesAndTheUnits() {
		SimulatorDescriptor d = new LennardJones2D().descriptor();
		assertEquals("lennard_jones_2d", d.id());
		assertEquals(List.of(new Parameter("epsilon", "epsilon0"), new Parameter("sigma", "sigma0"),
				new Parameter("temperature", "epsilon0/k_B")), d.parameters());
		assertEquals(List.of(17), d.observationShape());
		assertEquals(List.of("g_0.6_0.8", "g_0.8_1", "g_1_1.2", "g_1.2_1.4", "g_1.4_1.6", "g_1.6_1.8", "g_1.8_2", "g_2_2.2",
				"g_2.2_2.4", "g_2.4_2.6", "g_2.6_2.8", "g_2.8_3", "msd_0.1", "msd_0.5", "msd_2.5", "msd_10", "u_pot"),
				d.observationNames());
		assertArrayEquals(new double[] { 0.6, 0.85, 0.8 }, d.defaultPrior().lowerBounds(), 0);
		assertArrayEquals(new double[] { 1.4, 1.15, 2.0 }, d.defaultPrior().upperBounds(), 0);
		assertArrayEquals(new double[] { 0.1, 0.5, 2.5, 10 }, new LennardJones2D().msdLags(), 1e-12);
		assertTrue(new LennardJones2D(SHORT).descriptor().defaultObservations().isEmpty());
	}

	/**
	 * The ideal gas ε = 0, where every summary is known:
	 * g(r) = 1 in every bin, ⟨U⟩/N = 0, ⟨K⟩/N = T, and each particle is a free
	 * Langevin particle, MSD(τ) = 4 (k_BT/(mγ²)) (γτ − 1 + e^{−γτ}) in two
	 * dimensions. The MSD is checked per lag within Z standard errors from the
	 * spread over the 100 (independent) particles; g(r) within Z standard
	 * errors of counts that are Poisson per frame, counting conservatively
	 * only one independent frame per τ₀ (a pair's distance changes by a bin
	 * width in about 0.1 τ₀); ⟨K⟩/N within Z · T/√(N · 40) (40 τ₀ with a
	 * correlation time of the kinetic energy of 1/(2γ) = 0.5 τ₀).
	 */
	@Test
	void theIdealGasLimitHasItsExactSummaries() {
		LennardJones2D sim = new LennardJones2D();
		double temperature = 1.2;
		double gamma = 1;
		Measurement m = sim.measure(new double[] { 0, 1, temperature }, new Well19937c(12));
		double[] x = m.summaries();
		double[] lags = sim.msdLags();
		for (int k = 0; k < lags.length; k++) {
			double tau = lags[k];
			double exact = 4 * temperature / (gamma * gamma) * (gamma * tau - 1 + Math.exp(-gamma * tau));
			double[] se = Statistics.meanAndStandardError(m.msdPerParticle()[k]);
			assertEquals(se[0], x[MSD + k], 1e-12 * se[0], "the summary is the mean over particles");
			assertEquals(exact, x[MSD + k], Z * se[1], "free-particle MSD at τ = " + tau + " τ₀ (± " + se[1] + ")");
		}
		double pairs = 100 * 99 / 2.0;
		double box2 = 200;
		for (int j = 0; j < G; j++) {
			double lo = 0.6 + 0.2 * j;
			double hi = lo + 0.2;
			double perFrame = pairs * Math.PI * (hi * hi - lo * lo) / box2;
			double independentFrames = 40;
			assertEquals(1, x[j], Z / Math.sqrt(perFrame * independentFrames), "ideal-gas g(r) in bin " + j);
		}
		assertEquals(0, x[U], 0, "no potential energy");
		assertEquals(temperature, m.kineticTemperature(), Z * temperature / Math.sqrt(100 * 40), "⟨K⟩/N = T");
	}

	/**
	 * Each parameter moves the summaries as physics says, from the default
	 * θ = (1, 1, 1.2): a deeper well (ε = 1.4) lowers ⟨U⟩/N and sharpens the
	 * first peak; larger particles (σ = 1.15) move the first peak out, from the
	 * bin [1, 1.2) to [1.2, 1.4) σ₀, and empty the bin [0.8, 1.0) (r &lt; 0.87σ); a
	 * hotter bath (T = 2) speeds the particles up. At every θ the shortest
	 * lag is nearly ballistic: MSD(0.1 τ₀) lies within 80–100 % of 2 (k_BT/m) τ²
	 * (the free Langevin value is 97 %, collisions take off a little more), so
	 * the MSD measures T.
	 */
	@Test
	void theSummariesRespondToEachParameterAsPhysicsSays() {
		LennardJones2D sim = new LennardJones2D();
		double[] base = sim.descriptor().defaultObservations().get(0).values();
		double[] deep = sim.simulate(new double[] { 1.4, 1, 1.2 }, new Well19937c(2));
		double[] wide = sim.simulate(new double[] { 1, 1.15, 1.2 }, new Well19937c(3));
		double[] hot = sim.simulate(new double[] { 1, 1, 2.0 }, new Well19937c(4));
		assertTrue(deep[U] < base[U] - 0.3, "ε = 1.4 binds more: " + deep[U] + " against " + base[U]);
		assertTrue(deep[2] > base[2], "ε = 1.4 sharpens the first peak");
		assertEquals(2, argMax(base, 0, G), "σ = 1: the peak is in [1, 1.2)");
		assertEquals(3, argMax(wide, 0, G), "σ = 1.15: the peak is in [1.2, 1.4)");
		assertTrue(wide[1] < 0.05 * base[1], "σ = 1.15 empties [0.8, 1.0): " + wide[1]);
		for (int k = 0; k < 4; k++) {
			assertTrue(hot[MSD + k] > base[MSD + k], "T = 2 moves faster at lag " + k);
		}
		double[][] xs = { base, deep, wide, hot };
		double[] temperatures = { 1.2, 1.2, 1.2, 2.0 };
		for (int i = 0; i < xs.length; i++) {
			double ballistic = 2 * temperatures[i] * 0.1 * 0.1;
			double ratio = xs[i][MSD] / ballistic;
			assertTrue(ratio > 0.8 && ratio < 1.0, "MSD(0.1 τ₀) / (2 k_BT τ²/m) = " + ratio);
			for (int k = 1; k < 4; k++) {
				assertTrue(xs[i][MSD + k] > xs[i][MSD + k - 1], "the MSD grows with the lag");
			}
			assertEquals(0, xs[i][0], 1e-3, "no pairs closer than 0.8 σ₀ (< 0.8σ)");
		}
	}

	private static int argMax(double[] x, int from, int to) {
		int best = from;
		for (int j = from; j < to; j++) {
			if (x[j] > x[best]) {
				best = j;
			}
		}
		return best - from;
	}

	/** The stored run is simulate(θ_true, new Well19937c(1)), with θ_true in the prior. */
	@Test
	void theDefaultObservationIsReproducible() {
		LennardJones2D sim = new LennardJones2D();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		assertEquals("run 1", o.name());
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(new double[] { 1, 1, 1.2 }, theta, 0);
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(LennardJones2D.DEFAULT_OBSERVATION_SEED)), 0,
				"run 1 is simulate(θ_true, new Well19937c(" + LennardJones2D.DEFAULT_OBSERVATION_SEED + "))");
	}

	@Test
	void theSameSeedGivesTheSameSummaries() {
		LennardJones2D sim = new LennardJones2D(SHORT);
		double[] theta = { 0.9, 1.05, 1.5 };
		double[] a = sim.simulate(theta, new Well19937c(99));
		double[] b = sim.simulate(theta, new Well19937c(99));
		double[] c = sim.simulate(theta, new Well19937c(100));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c), "another seed, another run");
		assertEquals(17, a.length);
		Well19937c random = new Well19937c(5);
		double[][] batch = sim.simulate(new double[][] { theta, theta }, random);
		Well19937c again = new Well19937c(5);
		assertArrayEquals(sim.simulate(theta, again), batch[0], 0);
		assertArrayEquals(sim.simulate(theta, again), batch[1], 0);
	}

	@Test
	void invalidParametersAreRefusedWithTheParameterNamed() {
		LennardJones2D sim = new LennardJones2D(SHORT);
		Well19937c random = new Well19937c(1);
		record Case(double[] theta, String word) {
		}
		for (Case c : List.of(new Case(new double[] { -0.1, 1, 1 }, "epsilon"), new Case(new double[] { -1, 1, 1 }, "epsilon"),
				new Case(new double[] { Double.NaN, 1, 1 }, "epsilon"), new Case(new double[] { 1, 0, 1 }, "sigma"),
				new Case(new double[] { 1, -1, 1 }, "sigma"), new Case(new double[] { 1, 3, 1 }, "sigma"),
				new Case(new double[] { 1, Double.POSITIVE_INFINITY, 1 }, "sigma"),
				new Case(new double[] { 1, 1, 0 }, "temperature"), new Case(new double[] { 1, 1, -2 }, "temperature"),
				new Case(new double[] { 1, 1 }, "3 parameters"), new Case(new double[] { 1, 1, 1, 1 }, "3 parameters"),
				new Case(null, "3 parameters"))) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(c.theta(), random),
					c.theta() == null ? "null" : Arrays.toString(c.theta()));
			assertTrue(e.getMessage().contains(c.word()) && e.getMessage().contains("lennard_jones_2d"),
					"message names the problem: " + e.getMessage());
		}
		assertThrows(IllegalArgumentException.class, () -> new Settings(100, 5, 0.005, 1, 100, 4000), "box too small for g(r)");
		assertThrows(IllegalArgumentException.class, () -> new Settings(100, 0.5, 0.005, 1, 100, 1000), "run shorter than 10 τ₀");
		assertThrows(IllegalArgumentException.class, () -> new Settings(100, 0.5, 0.005, 0, 100, 4000), "no friction");
		assertThrows(IllegalArgumentException.class, () -> new Settings(100, 0.5, 0, 1, 100, 4000), "no time step");
	}
}
