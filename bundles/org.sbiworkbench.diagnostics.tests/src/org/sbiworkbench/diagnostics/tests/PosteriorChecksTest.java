package org.sbiworkbench.diagnostics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.Misspecification;
import org.sbiworkbench.diagnostics.PosteriorPredictiveCheck;
import org.sbiworkbench.diagnostics.PosteriorSummary;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.simulators.benchmarks.GaussianLinear;

/** Summaries, PPC and the misspecification check against gaussian_linear's closed forms. */
class PosteriorChecksTest {

	static final GaussianLinear TASK = new GaussianLinear();
	static final double[] XO = TASK.descriptor().defaultObservations().get(0).values();

	static double[][] priorPredictive(int n, long seed) {
		Well19937c r = new Well19937c(seed);
		return TASK.simulate(TASK.descriptor().defaultPrior().sample(n, r), r);
	}

	@Test
	void misspecificationFlagsAFarObservationAndPassesTheDefaultOne() {
		double[][] simulated = priorPredictive(5_000, 1);
		Misspecification ok = Misspecification.of(simulated, XO);
		assertFalse(ok.flagged(), "the default observation, p = " + ok.pValue());
		double[] far = new double[10];
		Arrays.fill(far, 3.0); // 6.7 prior-predictive standard deviations in every component
		Misspecification bad = Misspecification.of(simulated, far);
		assertTrue(bad.flagged());
		assertEquals(1.0 / (1 + bad.calibrationScores().length), bad.pValue(), 1e-12, "farther than every calibration simulation");
	}

	@Test
	void misspecificationFalseAlarmsHappenAtTheNominalRate() {
		double[][] simulated = priorPredictive(5_000, 2);
		double[][] fresh = priorPredictive(150, 3);
		int flagged = 0;
		for (double[] x : fresh) {
			flagged += Misspecification.of(simulated, x).flagged() ? 1 : 0;
		}
		// A conformal p-value is uniform under the null: flags ~ Binomial(150, 0.01); allow its 99.9% quantile.
		int bound = new BinomialDistribution(150, Misspecification.DEFAULT_ALPHA).inverseCumulativeProbability(0.999);
		assertTrue(flagged <= bound, flagged + " of 150 simulated observations flagged, more than " + bound);
	}

	@Test
	void ppcMatchesTheAnalyticPredictiveAndFlagsWhatThePosteriorCannotReproduce() {
		Posterior exact = TASK.referencePosterior(XO);
		double[][] samples = exact.sample(4_000, new Well19937c(4));
		PosteriorPredictiveCheck p = PosteriorPredictiveCheck.run(TASK, samples, XO, 4_000, 5, ProgressMonitor.NULL);
		assertEquals(4_000, p.replicates().length);
		// x_rep = θ + noise with θ ~ N(x_o/2, 0.05): x_rep ~ N(x_o/2, 0.15). A 2.5% quantile from n draws has
		// standard error sqrt(q(1-q)/n)/φ(z_q) in units of σ.
		double sd = Math.sqrt(0.15);
		double se = Math.sqrt(0.025 * 0.975 / 4_000) / 0.05845 * sd;
		for (int j = 0; j < XO.length; j++) {
			assertEquals(XO[j] / 2 - 1.95996 * sd, p.lower95()[j], 5 * se, "2.5% predictive quantile of x_" + (j + 1));
			assertEquals(XO[j] / 2 + 1.95996 * sd, p.upper95()[j], 5 * se, "97.5% predictive quantile of x_" + (j + 1));
		}
		assertEquals(List.of(), p.outliers(), "the exact posterior reproduces its own observation");

		// Shrinkage: given x_1 = 3, even the exact posterior predicts x_1 ~ N(1.5, 0.15), 3.9 sd below x_1.
		double[] odd = XO.clone();
		odd[0] = 3.0;
		PosteriorPredictiveCheck q = PosteriorPredictiveCheck.run(TASK, TASK.referencePosterior(odd).sample(4_000, new Well19937c(6)), odd,
				4_000, 7, ProgressMonitor.NULL);
		assertEquals(List.of("x_1"), q.outliers());
	}

	@Test
	void summariesMatchTheExactPosterior() {
		Posterior exact = TASK.referencePosterior(XO);
		int n = 40_000;
		PosteriorSummary s = PosteriorSummary.of(exact.parameters(), exact.sample(n, new Well19937c(8)));
		double sd = Math.sqrt(0.05);
		double[][] ci = s.credibleInterval(0.95);
		double quantileSe = Math.sqrt(0.025 * 0.975 / n) / 0.05845 * sd;
		for (int j = 0; j < 10; j++) {
			assertEquals(XO[j] / 2, s.mean()[j], 5 * sd / Math.sqrt(n));
			assertEquals(XO[j] / 2, s.median()[j], 5 * 1.2533 * sd / Math.sqrt(n));
			assertEquals(sd, s.std()[j], 5 * sd / Math.sqrt(2.0 * n));
			assertEquals(XO[j] / 2 - 1.95996 * sd, ci[j][0], 5 * quantileSe);
			assertEquals(XO[j] / 2 + 1.95996 * sd, ci[j][1], 5 * quantileSe);
		}
		double[][] corr = s.correlation();
		for (int a = 0; a < 10; a++) {
			assertEquals(1.0, corr[a][a], 1e-12);
			for (int b = 0; b < a; b++) {
				assertEquals(0.0, corr[a][b], 5 / Math.sqrt(n), "independent coordinates");
			}
		}
		// No MAP of its own: the best sample refined by Nelder–Mead on the exact density reaches the mode x_o/2.
		double[] map = s.map(exact, new Well19937c(9)).orElseThrow();
		for (int j = 0; j < 10; j++) {
			assertEquals(XO[j] / 2, map[j], 0.01 * sd, "MAP of theta_" + (j + 1));
		}
	}

	@Test
	void thePairplotMarksTruthAndMapBelowTheDiagonalOnly() {
		Posterior exact = TASK.referencePosterior(XO);
		PosteriorSummary s = PosteriorSummary.of(exact.parameters(), exact.sample(2_000, new Well19937c(10)));
		double[] truth = new double[10];
		Figure f = DiagnosticFigures.pairplot(s, null, truth, s.mean());
		assertEquals(100, f.panels().size());
		assertEquals(10, f.columns());
		assertNull(f.panels().get(1), "upper triangle is empty");
		assertTrue(f.panels().get(0).layers().stream().anyMatch(l -> l instanceof Layer.Bars), "a marginal histogram on the diagonal");
		assertTrue(f.panels().get(10).layers().stream().anyMatch(l -> l instanceof Layer.Heatmap), "a 2-D density below it");
		assertTrue(f.panels().get(10).layers().stream().anyMatch(l -> l.role() == Layer.Role.TRUTH));
		assertTrue(f.panels().get(10).layers().stream().anyMatch(l -> l.role() == Layer.Role.MAP));
	}
}
