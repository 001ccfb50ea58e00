package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Posterior;

/**
 * two_moons against analytic moments of the simulator and against sbibm's
 * reference posterior samples. Tolerances are five standard errors, computed
 * from the samples themselves.
 */
class TwoMoonsTest {

	private static final double Z = 5;

	private static BenchmarkTask twoMoons() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(TwoMoonsTest.class).getBundleContext();
		for (ServiceReference<BenchmarkTask> ref : context.getServiceReferences(BenchmarkTask.class, null)) {
			BenchmarkTask task = context.getService(ref);
			if (task.descriptor().id().equals("two_moons")) {
				return task;
			}
		}
		throw new AssertionError("two_moons service not found");
	}

	@Test
	void simulatedMeanMatchesTheAnalyticMean() throws Exception {
		BenchmarkTask task = twoMoons();
		double[] theta = { 0.3, -0.7 };
		int n = 50_000;
		Well19937c random = new Well19937c(1);
		double[] sum = new double[2];
		double[] sumSq = new double[2];
		for (int i = 0; i < n; i++) {
			double[] x = task.simulate(theta, random);
			for (int d = 0; d < 2; d++) {
				sum[d] += x[d];
				sumSq[d] += x[d] * x[d];
			}
		}
		// E[r cos a] = 0.1 · 2/π, E[r sin a] = 0 for a ~ U(-π/2, π/2), r ~ N(0.1, 0.01²).
		double[] expected = { 0.2 / Math.PI + 0.25 - Math.abs(theta[0] + theta[1]) / Math.sqrt(2),
				(theta[1] - theta[0]) / Math.sqrt(2) };
		for (int d = 0; d < 2; d++) {
			double mean = sum[d] / n;
			double sd = Math.sqrt(sumSq[d] / n - mean * mean);
			assertEquals(expected[d], mean, Z * sd / Math.sqrt(n), "E[x_" + (d + 1) + "]");
		}
	}

	@Test
	void sameSeedSameData() throws Exception {
		BenchmarkTask task = twoMoons();
		double[][] theta = { { 0.1, 0.2 }, { -0.5, 0.9 } };
		double[][] a = task.simulate(theta, new Well19937c(3));
		double[][] b = task.simulate(theta, new Well19937c(3));
		assertArrayEquals(a[0], b[0]);
		assertArrayEquals(a[1], b[1]);
	}

	@Test
	void referencePosteriorMatchesSbibmSamplesForObservation1() throws Exception {
		BenchmarkTask task = twoMoons();
		Observation o1 = task.descriptor().defaultObservations().get(0);
		assertArrayEquals(new double[] { -0.6396706, 0.16234657 }, o1.values());
		double[][] ref = readReference();
		assertEquals(10_000, ref.length);

		Posterior posterior = task.referencePosterior(o1.values());
		double[][] ours = posterior.sample(20_000, new Well19937c(11));
		for (double[] t : ours) {
			assertTrue(task.descriptor().defaultPrior().inSupport(t), "samples stay inside the prior");
		}
		for (int d = 0; d < 2; d++) {
			final int k = d;
			Moments r = Moments.of(ref, t -> t[k]);
			Moments q = Moments.of(ours, t -> t[k]);
			double seMean = Math.sqrt(r.var / ref.length + q.var / ours.length);
			assertEquals(r.mean, q.mean, Z * seMean, "posterior mean of theta_" + (d + 1));
			// SE of a sample variance: sqrt((μ4 - σ⁴)/n).
			double seVar = Math.sqrt((r.m4 - r.var * r.var) / ref.length + (q.m4 - q.var * q.var) / ours.length);
			assertEquals(r.var, q.var, Z * seVar, "posterior variance of theta_" + (d + 1));
		}
		// The posterior has two moons, split by the sign of θ₁+θ₂; compare the mass in each.
		Moments r = Moments.of(ref, t -> t[0] + t[1] > 0 ? 1 : 0);
		Moments q = Moments.of(ours, t -> t[0] + t[1] > 0 ? 1 : 0);
		assertTrue(r.mean > 0.2 && r.mean < 0.8, "reference is bimodal");
		assertEquals(r.mean, q.mean, Z * Math.sqrt(r.var / ref.length + q.var / ours.length), "mass of the upper moon");
	}

	@Test
	void simulatorRejectsWrongDimension() throws Exception {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> twoMoons().simulate(new double[] { 1, 2, 3 }, new Well19937c(1)));
		assertTrue(e.getMessage().contains("2 parameters"), e.getMessage());
	}

	private record Moments(double mean, double var, double m4) {
		static Moments of(double[][] rows, java.util.function.ToDoubleFunction<double[]> f) {
			double mean = 0;
			for (double[] r : rows) {
				mean += f.applyAsDouble(r);
			}
			mean /= rows.length;
			double var = 0;
			double m4 = 0;
			for (double[] r : rows) {
				double c = f.applyAsDouble(r) - mean;
				var += c * c;
				m4 += c * c * c * c;
			}
			return new Moments(mean, var / rows.length, m4 / rows.length);
		}
	}

	private static double[][] readReference() throws IOException {
		URL url = FrameworkUtil.getBundle(TwoMoonsTest.class).getEntry("data/two_moons_obs1_reference_posterior.csv");
		List<double[]> rows = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
			assertEquals("parameter_1,parameter_2", in.readLine());
			for (String line; (line = in.readLine()) != null;) {
				String[] f = line.split(",");
				rows.add(new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]) });
			}
		}
		return rows.toArray(double[][]::new);
	}
}
