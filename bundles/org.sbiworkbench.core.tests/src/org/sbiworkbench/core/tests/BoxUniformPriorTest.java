package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Parameter;

class BoxUniformPriorTest {

	private final List<Parameter> params = List.of(new Parameter("mass", "GeV"), new Parameter("width", "GeV"));
	private final BoxUniformPrior prior = new BoxUniformPrior(params, new double[] { 100, 0.5 }, new double[] { 150, 4.5 });

	@Test
	void logProbIsMinusLogVolumeInsideAndMinusInfinityOutside() {
		assertEquals(-Math.log(50 * 4.0), prior.logProb(new double[] { 120, 1 }), 1e-12);
		assertEquals(Double.NEGATIVE_INFINITY, prior.logProb(new double[] { 99.9, 1 }));
		assertEquals(Double.NEGATIVE_INFINITY, prior.logProb(new double[] { 120, Double.NaN }));
		assertTrue(prior.inSupport(new double[] { 150, 0.5 }), "bounds belong to the support");
		assertFalse(prior.inSupport(new double[] { 120, 4.6 }));
	}

	@Test
	void samplesHaveTheUniformMeanAndVarianceWithinMonteCarloError() {
		int n = 40_000;
		double[][] draws = prior.sample(n, new Well19937c(42));
		double[] lo = prior.lowerBounds();
		double[] hi = prior.upperBounds();
		for (int d = 0; d < 2; d++) {
			double sum = 0;
			double sumSq = 0;
			for (double[] t : draws) {
				assertTrue(prior.inSupport(t));
				sum += t[d];
				sumSq += t[d] * t[d];
			}
			double mean = sum / n;
			double var = sumSq / n - mean * mean;
			double width = hi[d] - lo[d];
			double trueVar = width * width / 12;
			// 5 standard errors: SE(mean) = σ/√n; SE(var) = σ²·√(4/(5n)) for a uniform (μ4 = 9σ⁴/5).
			assertEquals((lo[d] + hi[d]) / 2, mean, 5 * Math.sqrt(trueVar / n), "mean of " + params.get(d).name());
			assertEquals(trueVar, var, 5 * trueVar * Math.sqrt(0.8 / n), "variance of " + params.get(d).name());
		}
	}

	@Test
	void sameSeedGivesSameDraws() {
		double[][] a = prior.sample(5, new Well19937c(7));
		double[][] b = prior.sample(5, new Well19937c(7));
		for (int i = 0; i < 5; i++) {
			org.junit.jupiter.api.Assertions.assertArrayEquals(a[i], b[i]);
		}
	}

	@Test
	void badInputNamesTheProblem() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new BoxUniformPrior(params, new double[] { 1, 2 }, new double[] { 0, 3 }));
		assertTrue(e.getMessage().contains("mass"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> prior.logProb(new double[] { 1 }));
		assertTrue(e.getMessage().contains("1 components") && e.getMessage().contains("2 parameters"), e.getMessage());
		assertEquals("U(100, 150)", prior.describe(0));
		assertEquals("U(0.5, 4.5)", prior.describe(1));
	}
}
