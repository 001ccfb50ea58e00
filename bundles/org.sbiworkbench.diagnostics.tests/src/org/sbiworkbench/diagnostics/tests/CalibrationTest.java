package org.sbiworkbench.diagnostics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.ExpectedCoverage;
import org.sbiworkbench.diagnostics.PriorPredictiveCalibration;
import org.sbiworkbench.diagnostics.SimulationBasedCalibration;
import org.sbiworkbench.simulators.benchmarks.GaussianLinear;

/**
 * Coverage and SBC on gaussian_linear, whose exact posterior is known: the exact posterior passes both, and a
 * posterior with a quarter (overconfident) or four times (underconfident) its variance fails both, in the
 * right direction.
 */
class CalibrationTest {

	static final GaussianLinear TASK = new GaussianLinear();
	static final String[] NAMES = TASK.descriptor().parameters().stream().map(p -> p.name()).toArray(String[]::new);
	static final int TESTS = 300;

	static PriorPredictiveCalibration.Result calibrate(double factor) {
		return PriorPredictiveCalibration.run(TASK, TASK.descriptor().defaultPrior(),
				new ScaledGaussianLinearPosterior(TASK.descriptor().parameters(), factor), new PriorPredictiveCalibration.Settings(TESTS, 999),
				42, ProgressMonitor.NULL);
	}

	@Test
	void theExactPosteriorLiesOnTheDiagonalAndHasUniformRanks() {
		PriorPredictiveCalibration.Result r = calibrate(1);
		assertEquals(TESTS, r.tests());
		assertTrue(r.hasDensity());
		ExpectedCoverage c = ExpectedCoverage.of(r, NAMES);
		// The coverage curve is the empirical CDF of the HPD levels: its largest deviation from the diagonal is a
		// KS statistic, below 1.63/sqrt(n) with probability 0.99 for a calibrated posterior.
		assertTrue(c.worstDeviation() < 1.63 / Math.sqrt(TESTS), "largest deviation " + c.worstDeviation());
		assertEquals(ExpectedCoverage.Verdict.CALIBRATED, c.verdict());
		SimulationBasedCalibration s = SimulationBasedCalibration.of(r, NAMES);
		assertTrue(s.passes(), "uniform ranks expected; failing: " + s.failing());
		for (int j = 0; j < NAMES.length; j++) {
			// Bonferroni over 10 parameters: each data-averaged posterior matches the prior.
			assertTrue(s.priorPValue()[j] > 0.001, NAMES[j] + ": data-averaged posterior vs prior p = " + s.priorPValue()[j]);
		}
		long total = 0;
		for (long k : s.counts()[0]) {
			total += k;
		}
		assertEquals(TESTS, total, "every test's rank is in one bin");
	}

	@Test
	void anOverconfidentPosteriorIsFlaggedByCoverageAndSbc() {
		PriorPredictiveCalibration.Result r = calibrate(0.25);
		assertEquals(ExpectedCoverage.Verdict.OVERCONFIDENT, ExpectedCoverage.of(r, NAMES).verdict());
		SimulationBasedCalibration s = SimulationBasedCalibration.of(r, NAMES);
		assertEquals(List.of(NAMES), s.failing(), "every parameter's ranks pile up at the ends");
		// U shape: the outer bins hold more than uniform.
		assertTrue(s.counts()[0][0] + s.counts()[0][19] > 2 * 2 * s.expected()[0]);
	}

	@Test
	void anUnderconfidentPosteriorIsFlaggedByCoverageAndSbc() {
		PriorPredictiveCalibration.Result r = calibrate(4);
		assertEquals(ExpectedCoverage.Verdict.UNDERCONFIDENT, ExpectedCoverage.of(r, NAMES).verdict());
		SimulationBasedCalibration s = SimulationBasedCalibration.of(r, NAMES);
		assertEquals(List.of(NAMES), s.failing(), "every parameter's ranks gather in the middle");
		assertTrue(s.counts()[0][0] + s.counts()[0][19] < s.expected()[0]);
	}

	@Test
	void withoutADensityCoverageUsesCentralMarginalIntervals() {
		PriorPredictiveCalibration.Result r = calibrate(1);
		PriorPredictiveCalibration.Result noDensity = new PriorPredictiveCalibration.Result(r.theta(), r.ranks(), null, r.dataAveraged(),
				r.samplesPerTest(), 0, 0, null);
		ExpectedCoverage c = ExpectedCoverage.of(noDensity, NAMES);
		assertEquals(NAMES.length, c.empirical().length, "one curve per parameter");
		assertEquals(ExpectedCoverage.Verdict.CALIBRATED, c.verdict());
		PriorPredictiveCalibration.Result over = calibrate(0.25);
		assertEquals(ExpectedCoverage.Verdict.OVERCONFIDENT, ExpectedCoverage.of(new PriorPredictiveCalibration.Result(over.theta(),
				over.ranks(), null, over.dataAveraged(), over.samplesPerTest(), 0, 0, null), NAMES).verdict());
	}
}
