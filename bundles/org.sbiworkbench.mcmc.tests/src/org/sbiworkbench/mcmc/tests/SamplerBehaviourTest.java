package org.sbiworkbench.mcmc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.Hmc;
import org.sbiworkbench.mcmc.InitStrategy;
import org.sbiworkbench.mcmc.Initialiser;
import org.sbiworkbench.mcmc.LogDensity;
import org.sbiworkbench.mcmc.McmcResult;
import org.sbiworkbench.mcmc.McmcSettings;
import org.sbiworkbench.mcmc.Sampler;
import org.sbiworkbench.mcmc.Samplers;
import org.sbiworkbench.mcmc.SliceSampler;

/** What every sampler must do besides being accurate: refuse, stop, repeat itself, count, start well. */
class SamplerBehaviourTest {

	private static final McmcSettings SMALL = McmcSettings.defaults().withChains(4).withWarmup(50).withSamples(200);

	/** A progress monitor that records its calls and cancels after a given amount of work. */
	static final class RecordingMonitor implements ProgressMonitor {
		final long cancelAfter;
		long total = -1, worked;
		int begins, dones;

		RecordingMonitor(long cancelAfter) {
			this.cancelAfter = cancelAfter;
		}

		@Override
		public void begin(String task, long totalWork) {
			begins++;
			total = totalWork;
		}

		@Override
		public void worked(long work) {
			worked += work;
		}

		@Override
		public boolean isCanceled() {
			return worked >= cancelAfter;
		}

		@Override
		public void done() {
			dones++;
		}
	}

	@Test
	void hmcRefusesATargetWithoutGradient() {
		LogDensity noGradient = LogDensity.of(2, t -> -0.5 * (t[0] * t[0] + t[1] * t[1]));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Hmc()
				.sample(noGradient, Targets.box(2, -5, 5), SMALL, 1, ProgressMonitor.NULL));
		assertTrue(e.getMessage().contains("gradient") && e.getMessage().contains("slice"), e.getMessage());
		UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
				() -> noGradient.logDensityAndGradient(new double[1][2], new double[1], new double[1][2]));
		assertTrue(u.getMessage().contains("no gradient"), u.getMessage());
	}

	@Test
	void cancellationStopsEverySamplerPromptly() {
		for (String id : Samplers.IDS) {
			RecordingMonitor monitor = new RecordingMonitor(30);
			CancellationException e = assertThrows(CancellationException.class, () -> Samplers.byId(id)
					.sample(Targets.correlatedGaussian().density(), Targets.correlatedGaussian().init(),
							McmcSettings.defaults().withWarmup(1000).withSamples(100_000), 1, monitor),
					id);
			assertEquals(30, monitor.worked, id + " ran on after the cancellation");
			assertEquals(1, monitor.dones, id + " reports done");
			assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
		}
	}

	@Test
	void theSameSeedGivesTheSameDraws() {
		for (String id : Samplers.IDS) {
			Sampler s = Samplers.byId(id);
			Targets.Target t = Targets.banana(1, 0.5);
			McmcResult a = s.sample(t.density(), t.init(), SMALL, 7, ProgressMonitor.NULL);
			McmcResult b = s.sample(t.density(), t.init(), SMALL, 7, ProgressMonitor.NULL);
			McmcResult c = s.sample(t.density(), t.init(), SMALL, 8, ProgressMonitor.NULL);
			assertTrue(Arrays.deepEquals(a.samples(), b.samples()), id + " is not deterministic");
			assertFalse(Arrays.deepEquals(a.samples(), c.samples()), id + " ignores its seed");
			assertEquals(a.acceptanceRate(), b.acceptanceRate(), 0);
			assertEquals(a.evaluations(), b.evaluations());
		}
	}

	/** Exactly the samples asked for, chains of equal length, thinning and progress consistent. */
	@Test
	void countsAddUp() {
		McmcSettings settings = McmcSettings.defaults().withChains(6).withWarmup(40).withSamples(301).withThin(3);
		int perChain = 51; // ⌈301 / 6⌉
		for (String id : Samplers.IDS) {
			RecordingMonitor monitor = new RecordingMonitor(Long.MAX_VALUE);
			Targets.Target t = Targets.correlatedGaussian();
			McmcResult r = Samplers.byId(id).sample(t.density(), t.init(), settings, 3, monitor);
			assertEquals(id, r.samplerId());
			assertEquals(301, r.samples().length, id);
			assertEquals(6, r.chains().length, id);
			for (double[][] chain : r.chains()) {
				assertEquals(perChain, chain.length, id);
			}
			// the pooled samples run across the chains, iteration by iteration
			assertArrayEquals(r.chains()[1][0], r.samples()[1], id);
			assertArrayEquals(r.chains()[0][1], r.samples()[6], id);
			assertEquals(40 + perChain * 3, monitor.total, id);
			assertEquals(monitor.total, monitor.worked, id);
			assertEquals(1, monitor.begins, id);
			assertEquals(1, monitor.dones, id);
			assertEquals(3, r.rHat().length);
			assertEquals(3, r.ess().length);
			assertTrue(r.evaluations() > 6L * (40 + perChain * 3), id + " evaluations " + r.evaluations());
			assertTrue(r.acceptanceRate() > 0 && r.acceptanceRate() <= 1, id + " acceptance " + r.acceptanceRate());
		}
	}

	/**
	 * Chains started in two modes 40 standard deviations apart never meet;
	 * R̂ must say so. Half the chains start in each mode.
	 */
	@Test
	void stuckChainsGiveALargeRHat() {
		LogDensity twoModes = LogDensity.withGradient(1, (t, g) -> {
			double a = -0.5 * (t[0] + 20) * (t[0] + 20), b = -0.5 * (t[0] - 20) * (t[0] - 20);
			double max = Math.max(a, b), lse = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
			g[0] = -Math.exp(a - lse) * (t[0] + 20) - Math.exp(b - lse) * (t[0] - 20);
			return lse;
		});
		Initialiser bothModes = Initialiser.at(new double[] { -20 }, new double[] { 20 });
		for (String id : Samplers.IDS) {
			McmcResult r = Samplers.byId(id).sample(twoModes, bothModes,
					McmcSettings.defaults().withWarmup(200).withSamples(4000).withInit(InitStrategy.PRIOR), 9,
					ProgressMonitor.NULL);
			System.out.printf("stuck in two modes: %s R-hat %.2f%n", id, r.rHat()[0]);
			assertTrue(r.rHat()[0] > 1.1, id + ": R-hat " + r.rHat()[0]);
		}
	}

	@Test
	void startsHaveAFiniteLogDensity() {
		// the target is −∞ on the left half of the prior's box: PRIOR redraws, the others choose among candidates
		LogDensity rightHalf = LogDensity.of(1, t -> t[0] > 0 ? -0.5 * t[0] * t[0] : Double.NEGATIVE_INFINITY);
		for (InitStrategy init : InitStrategy.values()) {
			McmcResult r = new SliceSampler().sample(rightHalf, Targets.box(1, -5, 5),
					SMALL.withInit(init).withInitCandidates(50), 11, ProgressMonitor.NULL);
			for (double[] row : r.samples()) {
				assertTrue(row[0] > 0, init + " left the support: " + row[0]);
			}
		}
		LogDensity nowhere = LogDensity.of(1, t -> Double.NEGATIVE_INFINITY);
		for (InitStrategy init : InitStrategy.values()) {
			IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SliceSampler()
					.sample(nowhere, Targets.box(1, -5, 5), SMALL.withInit(init).withInitCandidates(20), 1,
							ProgressMonitor.NULL));
			assertTrue(e.getMessage().contains("finite log-density"), e.getMessage());
		}
	}

	/** Where each strategy starts the chains, seen through HMC, which evaluates the gradient at the starts first. */
	@Test
	void initStrategiesChooseWhereTheyShould() {
		double[][] candidates = new double[10][];
		for (int i = 0; i < 10; i++) {
			candidates[i] = new double[] { i };
		}
		Initialiser zeroToNine = Initialiser.at(candidates);
		McmcSettings four = McmcSettings.defaults().withChains(4).withWarmup(0).withSamples(4).withInitCandidates(10);
		assertEquals(List.of(0.0, 1.0, 2.0, 3.0), starts(zeroToNine, four.withInit(InitStrategy.PRIOR), 1),
				"PRIOR takes the first draws");
		List<Double> best = starts(zeroToNine, four.withInit(InitStrategy.BEST_OF_N), 1);
		assertTrue(best.containsAll(List.of(2.0, 3.0, 4.0)) && (best.contains(1.0) || best.contains(5.0)),
				"BEST_OF_N takes the 4 candidates nearest the mode at 3: " + best);
		assertEquals(List.of(3.0, 3.0, 3.0, 3.0), starts(zeroToNine, four.withInit(InitStrategy.RESAMPLE), 0.01),
				"RESAMPLE: all weight on the candidate at the mode");
	}

	/** The chains' starting points for N(3, sd²), each candidate a point from the initialiser. */
	private static List<Double> starts(Initialiser init, McmcSettings settings, double sd) {
		List<Double> starts = new ArrayList<>();
		LogDensity target = new LogDensity() {
			@Override
			public int dimension() {
				return 1;
			}

			@Override
			public void logDensity(double[][] theta, double[] out) {
				for (int r = 0; r < theta.length; r++) {
					out[r] = -0.5 * (theta[r][0] - 3) * (theta[r][0] - 3) / (sd * sd);
				}
			}

			@Override
			public boolean hasGradient() {
				return true;
			}

			@Override
			public void logDensityAndGradient(double[][] theta, double[] out, double[][] grad) {
				if (starts.isEmpty()) {
					for (double[] row : theta) {
						starts.add(row[0]);
					}
				}
				for (int r = 0; r < theta.length; r++) {
					out[r] = -0.5 * (theta[r][0] - 3) * (theta[r][0] - 3) / (sd * sd);
					grad[r][0] = -(theta[r][0] - 3) / (sd * sd);
				}
			}
		};
		new Hmc().sample(target, init, settings, 1, ProgressMonitor.NULL);
		return starts;
	}

	@Test
	void unknownSamplerIdsListTheValidOnes() {
		for (String id : Samplers.IDS) {
			assertEquals(id, Samplers.byId(id).id());
		}
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Samplers.byId("nuts"));
		assertTrue(e.getMessage().contains("'nuts'") && e.getMessage().contains("slice, mh, hmc, gibbs"),
				e.getMessage());
		assertEquals("slice", Samplers.defaultSampler().id());
	}

	@Test
	void settingsHaveSbisDefaultsAndRefuseNonsense() {
		McmcSettings d = McmcSettings.defaults();
		assertEquals(20, d.chains());
		assertEquals(200, d.warmup());
		assertEquals(1, d.thin());
		assertEquals(InitStrategy.RESAMPLE, d.init());
		assertEquals(50, d.withSamples(1000).drawsPerChain());
		assertEquals(51, d.withSamples(1001).drawsPerChain());
		assertEquals(153, d.withSamples(1001).withThin(3).iterationsAfterWarmup());
		assertThrows(IllegalArgumentException.class, () -> d.withChains(0));
		assertThrows(IllegalArgumentException.class, () -> d.withThin(0));
		assertThrows(IllegalArgumentException.class, () -> d.withWarmup(-1));
		assertThrows(IllegalArgumentException.class, () -> d.withSamples(0));
		assertNotEquals(d, d.withChains(4));
	}

	@Test
	void batchedTargetsAreCalledOncePerRoundForAllChains() {
		int[] calls = new int[1];
		long[] points = new long[1];
		LogDensity counting = new LogDensity() {
			@Override
			public int dimension() {
				return 2;
			}

			@Override
			public void logDensity(double[][] theta, double[] out) {
				calls[0]++;
				points[0] += theta.length;
				for (int r = 0; r < theta.length; r++) {
					out[r] = -0.5 * (theta[r][0] * theta[r][0] + theta[r][1] * theta[r][1]);
				}
			}
		};
		McmcResult r = Samplers.byId("mh").sample(counting, Targets.box(2, -3, 3),
				McmcSettings.defaults().withWarmup(10).withSamples(200), 1, ProgressMonitor.NULL);
		// one call for the 1,000 candidates, then one call per iteration for all 20 chains
		assertEquals(1 + 10 + 10, calls[0]);
		assertEquals(points[0], r.evaluations());
		assertEquals(1000 + 20 * 20, points[0]);
	}
}
