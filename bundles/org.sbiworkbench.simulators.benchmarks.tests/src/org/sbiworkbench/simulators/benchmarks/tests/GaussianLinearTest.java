package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Z;

import java.util.Arrays;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Moments;

/**
 * gaussian_linear: θ ~ N(0, 0.1·I), x ~ N(θ, 0.1·I) in 10-D, posterior
 * N(0.5·x_o, 0.05·I). Checked against analytic moments, its exact density and
 * sbibm's reference samples.
 */
class GaussianLinearTest {

	private static final int D = 10;

	private static BenchmarkTask task() throws Exception {
		return Benchmarks.task("gaussian_linear");
	}

	@Test
	void simulatedMomentsMatchTheAnalyticOnes() throws Exception {
		BenchmarkTask task = task();
		double[] theta = { 0.3, -0.2, 0.0, 0.5, -0.7, 0.1, 0.25, -0.05, 0.9, -1.1 };
		int n = 40_000;
		double[][] x = task.simulate(repeat(theta, n), new Well19937c(21));
		for (int i = 0; i < D; i++) {
			Moments m = Moments.of(Benchmarks.column(x, i));
			assertEquals(theta[i], m.mean(), Z * m.seMean(), "E[x_" + (i + 1) + "]");
			assertEquals(0.1, m.var(), Z * m.seVar(), "Var[x_" + (i + 1) + "]");
		}
		// Independent noise: Cov(x_1, x_2) = 0.
		double[] products = Arrays.stream(x).mapToDouble(r -> (r[0] - theta[0]) * (r[1] - theta[1])).toArray();
		Benchmarks.assertExpectation("Cov(x_1, x_2)", 0, products);
	}

	@Test
	void sameSeedSameData() throws Exception {
		BenchmarkTask task = task();
		double[][] theta = repeat(new double[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 }, 3);
		double[][] a = task.simulate(theta, new Well19937c(3));
		double[][] b = task.simulate(theta, new Well19937c(3));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(a[i], b[i]);
		}
		assertFalse(Arrays.equals(a[0], task.simulate(theta, new Well19937c(4))[0]), "another seed, other data");
	}

	@Test
	void simulatorRejectsWrongDimension() throws Exception {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> task().simulate(new double[] { 1, 2, 3 }, new Well19937c(1)));
		assertTrue(e.getMessage().contains("gaussian_linear") && e.getMessage().contains("10 parameters"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> task().referencePosterior(new double[9]));
	}

	@Test
	void referencePosteriorHasTheExactGaussianDensity() throws Exception {
		BenchmarkTask task = task();
		double[] xo = task.descriptor().defaultObservations().get(0).values();
		Posterior posterior = task.referencePosterior(xo);
		assertTrue(posterior.hasDensity());
		assertEquals(D, posterior.dimension());
		assertArrayEquals(xo, posterior.observation());
		Well19937c random = new Well19937c(8);
		for (int k = 0; k < 20; k++) {
			double[] theta = new double[D];
			double r2 = 0;
			for (int i = 0; i < D; i++) {
				theta[i] = 0.5 * xo[i] + 0.4 * random.nextGaussian();
				r2 += (theta[i] - 0.5 * xo[i]) * (theta[i] - 0.5 * xo[i]);
			}
			// log N(θ; 0.5·x_o, 0.05·I) in 10-D.
			double expected = -0.5 * D * Math.log(2 * Math.PI * 0.05) - r2 / (2 * 0.05);
			assertEquals(expected, posterior.logProb(theta), 1e-12 * Math.max(1, Math.abs(expected)), "log density at " + Arrays.toString(theta));
		}
	}

	@Test
	void referenceSamplerHasTheAnalyticMoments() throws Exception {
		BenchmarkTask task = task();
		double[] xo = task.descriptor().defaultObservations().get(3).values();
		double[][] samples = task.referencePosterior(xo).sample(20_000, new Well19937c(12));
		for (int i = 0; i < D; i++) {
			Moments m = Moments.of(Benchmarks.column(samples, i));
			assertEquals(0.5 * xo[i], m.mean(), Z * m.seMean(), "posterior mean of theta_" + (i + 1));
			assertEquals(0.05, m.var(), Z * m.seVar(), "posterior variance of theta_" + (i + 1));
		}
	}

	@Test
	void referencePosteriorMatchesSbibmSamplesForObservation1() throws Exception {
		BenchmarkTask task = task();
		Observation o1 = task.descriptor().defaultObservations().get(0);
		assertEquals("sbibm 1", o1.name());
		assertArrayEquals(new double[] { 1.0471346, 0.5566712, -0.23618454, 0.027879834, -1.0051446, -0.007930746,
				0.06117077, -0.29286885, -0.38539964, 0.2449614 }, o1.values());
		assertArrayEquals(new double[] { 0.27184236, 0.6762953, 0.17189318, -0.04218617, -0.82151634, 0.024290232,
				-0.24255924, -0.16438946, -0.13595216, 0.26958188 }, o1.knownParameters().orElseThrow());
		double[][] reference = Benchmarks.readParameterCsv("gaussian_linear_obs1_reference_posterior.csv", D);
		assertEquals(10_000, reference.length);
		// Exact, independent draws on both sides.
		double[][] ours = task.referencePosterior(o1.values()).sample(10_000, new Well19937c(13));
		Benchmarks.assertSameDistribution("gaussian_linear, observation 1", ours, reference, Benchmarks.coordinates(D), 5, 101);
	}

	static double[][] repeat(double[] theta, int n) {
		double[][] rows = new double[n][];
		Arrays.fill(rows, theta);
		return rows;
	}
}
