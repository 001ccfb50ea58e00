package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Z;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Feature;
import org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Moments;

/**
 * slcp: θ ~ U[-3, 3]⁵; four i.i.d. points x_k ~ N(m, Σ) with m = (θ₁, θ₂),
 * Σ = [[θ₃⁴ + ε, ρ θ₃²θ₄²], [ρ θ₃²θ₄², θ₄⁴ + ε]], ρ = tanh θ₅, ε = 10⁻⁶,
 * flattened point by point. The reference posterior is MCMC on the exact
 * likelihood; it is compared with sbibm's reference samples (which sbibm drew
 * by rejection sampling, independently of any MCMC).
 */
class SlcpTest {

	private static final int D = 5;
	private static final int N = 10_000;

	/** 10,000 reference-posterior draws for sbibm's observation 1 (drawn once: MCMC takes about a second). */
	private static double[][] observation1Samples;

	private static BenchmarkTask task() throws Exception {
		return Benchmarks.task("slcp");
	}

	@BeforeAll
	static void sampleObservation1() throws Exception {
		BenchmarkTask task = task();
		observation1Samples = task.referencePosterior(task.descriptor().defaultObservations().get(0).values())
				.sample(N, new Well19937c(17));
	}

	@Test
	void simulatedMomentsMatchTheAnalyticOnes() throws Exception {
		BenchmarkTask task = task();
		double[] theta = { 0.7, -1.2, 1.1, -0.9, 0.6 };
		double s1 = theta[2] * theta[2];
		double s2 = theta[3] * theta[3];
		double rho = Math.tanh(theta[4]);
		double var1 = s1 * s1 + 1e-6;
		double var2 = s2 * s2 + 1e-6;
		double cov = rho * s1 * s2;
		int n = 50_000;
		double[][] x = task.simulate(GaussianLinearTest.repeat(theta, n), new Well19937c(51));
		assertEquals(8, x[0].length);
		for (int k = 0; k < 4; k++) {
			final int a = 2 * k;
			final int b = 2 * k + 1;
			String point = "point " + (k + 1);
			Moments m1 = Moments.of(Benchmarks.column(x, a));
			Moments m2 = Moments.of(Benchmarks.column(x, b));
			assertEquals(theta[0], m1.mean(), Z * m1.seMean(), point + ": E[x_1] = θ₁");
			assertEquals(theta[1], m2.mean(), Z * m2.seMean(), point + ": E[x_2] = θ₂");
			assertEquals(var1, m1.var(), Z * m1.seVar(), point + ": Var[x_1] = θ₃⁴ + ε");
			assertEquals(var2, m2.var(), Z * m2.seVar(), point + ": Var[x_2] = θ₄⁴ + ε");
			// The two coordinates of one point are adjacent in x and correlated.
			Benchmarks.assertExpectation(point + ": Cov(x_1, x_2) = tanh(θ₅) θ₃²θ₄²", cov,
					Arrays.stream(x).mapToDouble(r -> (r[a] - theta[0]) * (r[b] - theta[1])).toArray());
		}
		// Different points are independent.
		Benchmarks.assertExpectation("Cov(x1_1, x2_1)", 0,
				Arrays.stream(x).mapToDouble(r -> (r[0] - theta[0]) * (r[2] - theta[0])).toArray());
		Benchmarks.assertExpectation("Cov(x1_2, x4_2)", 0,
				Arrays.stream(x).mapToDouble(r -> (r[1] - theta[1]) * (r[7] - theta[1])).toArray());
		Benchmarks.assertExpectation("Cov(x1_1, x2_2)", 0,
				Arrays.stream(x).mapToDouble(r -> (r[0] - theta[0]) * (r[3] - theta[1])).toArray());
	}

	@Test
	void sameSeedSameData() throws Exception {
		BenchmarkTask task = task();
		double[][] theta = GaussianLinearTest.repeat(new double[] { 1, -1, 2, 0.5, -0.3 }, 4);
		double[][] a = task.simulate(theta, new Well19937c(3));
		double[][] b = task.simulate(theta, new Well19937c(3));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(a[i], b[i]);
		}
		assertFalse(Arrays.equals(a[0], task.simulate(theta, new Well19937c(4))[0]), "another seed, other data");
	}

	@Test
	void referenceSamplerIsDeterministicGivenTheSeed() throws Exception {
		BenchmarkTask task = task();
		Posterior posterior = task.referencePosterior(task.descriptor().defaultObservations().get(1).values());
		double[][] a = posterior.sample(120, new Well19937c(9));
		double[][] b = posterior.sample(120, new Well19937c(9));
		assertTrue(Arrays.deepEquals(a, b), "same seed, same samples");
		assertFalse(Arrays.deepEquals(a, posterior.sample(120, new Well19937c(10))), "another seed, other samples");
		assertFalse(posterior.hasDensity());
		assertThrows(UnsupportedOperationException.class, () -> posterior.logProb(new double[D]));
	}

	@Test
	void simulatorRejectsWrongDimension() throws Exception {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> task().simulate(new double[] { 1, 2, 3 }, new Well19937c(1)));
		assertTrue(e.getMessage().contains("slcp") && e.getMessage().contains("5 parameters"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> task().referencePosterior(new double[5]));
	}

	@Test
	void referencePosteriorMatchesSbibmSamplesForObservation1() throws Exception {
		BenchmarkTask task = task();
		Observation o1 = task.descriptor().defaultObservations().get(0);
		assertEquals("sbibm 1", o1.name());
		assertArrayEquals(new double[] { 2.3718784, 0.49947417, 9.931435, 1.7136912, -10.436423, -1.9067793, -1.2343777, -0.09735 },
				o1.values());
		assertArrayEquals(new double[] { -2.8581212, -0.44451332, 2.9473476, 1.2396116, 2.9712725 },
				o1.knownParameters().orElseThrow());
		double[][] reference = Benchmarks.readParameterCsv("slcp_obs1_reference_posterior.csv", D);
		assertEquals(N, reference.length);
		Prior prior = task.descriptor().defaultPrior();
		for (double[] t : observation1Samples) {
			assertTrue(prior.inSupport(t), "MCMC samples stay inside the prior");
		}
		// The KS tests and standard errors assume independent draws. sbibm's samples are
		// independent (rejection sampling); ours are thinned MCMC draws, 50 sweeps apart
		// within each of 50 chains, whose autocorrelation is checked below to be
		// indistinguishable from 0: we take the effective sample size to be N = 10,000.
		List<Feature> features = new ArrayList<>(Benchmarks.coordinates(D));
		// The four modes differ only in the signs of θ₃ and θ₄; compare the magnitudes and the sign pattern too.
		features.add(new Feature("|theta_3|", t -> Math.abs(t[2])));
		features.add(new Feature("|theta_4|", t -> Math.abs(t[3])));
		features.add(new Feature("sign(theta_3 · theta_4)", t -> Math.signum(t[2] * t[3])));
		Benchmarks.assertSameDistribution("slcp, observation 1", observation1Samples, reference, features, 5, 202);
		// Each sign-symmetric mode holds a quarter of the mass.
		for (int j = 2; j <= 3; j++) {
			final int k = j;
			Benchmarks.assertExpectation("P(theta_" + (j + 1) + " > 0) = ½", 0.5,
					Arrays.stream(observation1Samples).mapToDouble(t -> t[k] > 0 ? 1 : 0).toArray());
		}
	}

	/**
	 * The returned samples are close to independent: the sample
	 * autocorrelation of θ₁, θ₂, |θ₃|, |θ₄| and θ₅ along the returned sequence
	 * at every lag 1..120 (which covers successive draws of one chain, however
	 * the chains are interleaved, for up to 120 chains) is within 5 standard
	 * errors (1/√N) of 0.
	 */
	@Test
	void referenceSamplesAreCloseToIndependent() {
		List<Feature> features = List.of(new Feature("theta_1", t -> t[0]), new Feature("theta_2", t -> t[1]),
				new Feature("|theta_3|", t -> Math.abs(t[2])), new Feature("|theta_4|", t -> Math.abs(t[3])),
				new Feature("theta_5", t -> t[4]));
		double bound = Z / Math.sqrt(N);
		for (Feature feature : features) {
			double[] v = Arrays.stream(observation1Samples).mapToDouble(feature.f()).toArray();
			Moments m = Moments.of(v);
			for (int lag = 1; lag <= 120; lag++) {
				double c = 0;
				for (int i = 0; i + lag < v.length; i++) {
					c += (v[i] - m.mean()) * (v[i + lag] - m.mean());
				}
				double r = c / (v.length - lag) / m.var();
				assertTrue(Math.abs(r) < bound, "autocorrelation of " + feature.name() + " at lag " + lag + " is " + r
						+ " (bound " + bound + ")");
			}
		}
	}
}
