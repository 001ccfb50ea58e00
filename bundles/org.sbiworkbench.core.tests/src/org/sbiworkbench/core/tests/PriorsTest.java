package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.IndependentPrior;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Priors;
import org.sbiworkbench.core.TruncatedPrior;

/**
 * Every prior's samples against its own logProb and against analytic moments.
 * Samples vs logProb: bin the draws, integrate exp(logProb) over each bin
 * (Simpson), chi-square test at α = 0.001; the integrals must also sum to 1
 * (logProb is normalised). Moments within 5 standard errors.
 */
class PriorsTest {

	private static final int N = 40_000;
	private static final double Z = 5;
	private static final double ALPHA = 0.001;

	private static final Parameter A = new Parameter("a", "");
	private static final Parameter B = new Parameter("b", "K");

	private static double[][] draws(Prior p, long seed) {
		return p.sample(N, new Well19937c(seed));
	}

	private static void assertMean(double expected, double[][] xs, ToDoubleFunction<double[]> f, double variance, String what) {
		double m = 0;
		for (double[] x : xs) {
			m += f.applyAsDouble(x);
		}
		m /= xs.length;
		assertEquals(expected, m, Z * Math.sqrt(variance / xs.length), what);
	}

	/** Variance of a sample variance ≈ (μ4 − σ⁴)/n; μ4 given. */
	private static void assertVariance(double expected, double mu4, double[][] xs, int d, String what) {
		double m = 0;
		for (double[] x : xs) {
			m += x[d];
		}
		m /= xs.length;
		double v = 0;
		for (double[] x : xs) {
			v += (x[d] - m) * (x[d] - m);
		}
		v /= xs.length;
		assertEquals(expected, v, Z * Math.sqrt((mu4 - expected * expected) / xs.length), what);
	}

	/** Samples of a 1-D prior vs its logProb on [lo, hi] cut into bins; the mass outside goes into two tail bins. */
	private static void assertSamplesFollowDensity(Prior p, double lo, double hi, int bins, long seed) {
		double[][] xs = draws(p, seed);
		double[] edges = new double[bins + 1];
		for (int i = 0; i <= bins; i++) {
			edges[i] = lo + (hi - lo) * i / bins;
		}
		double[] expected = new double[bins + 2];
		long[] observed = new long[bins + 2];
		double inside = 0;
		for (int i = 0; i < bins; i++) {
			expected[i + 1] = simpson(t -> Math.exp(p.logProb(new double[] { t })), edges[i], edges[i + 1], 200);
			inside += expected[i + 1];
		}
		assertTrue(inside <= 1 + 1e-6, "exp(logProb) integrates to more than 1 on [" + lo + ", " + hi + "]: " + inside);
		// Tails: what the density leaves outside [lo, hi] (checked to be small where the support is inside).
		double below = p.lowerBounds()[0] >= lo ? 0 : -1;
		double above = p.upperBounds()[0] <= hi ? 0 : -1;
		if (below == 0 && above == 0) {
			assertEquals(1.0, inside, 1e-5, "logProb is normalised over the support");
		}
		double tails = Math.max(0, 1 - inside);
		expected[0] = below == 0 ? 0 : tails / 2;
		expected[bins + 1] = above == 0 ? 0 : tails / 2;
		for (double[] x : xs) {
			double t = x[0];
			int bin = t < lo ? 0 : t >= hi ? bins + 1 : Math.min(bins, 1 + (int) ((t - lo) / (hi - lo) * bins));
			observed[bin]++;
		}
		// Drop empty-expectation bins and merge the two tails (their split is unknown).
		java.util.List<Double> e = new java.util.ArrayList<>();
		java.util.List<Long> o = new java.util.ArrayList<>();
		for (int i = 1; i <= bins; i++) {
			e.add(expected[i] * N);
			o.add(observed[i]);
		}
		if (tails * N > 5) {
			e.add(tails * N);
			o.add(observed[0] + observed[bins + 1]);
		} else {
			assertTrue(observed[0] + observed[bins + 1] <= Math.max(10, 10 * tails * N), "draws outside the bulk: " + (observed[0] + observed[bins + 1]));
		}
		double[] ev = e.stream().mapToDouble(Double::doubleValue).toArray();
		long[] ov = o.stream().mapToLong(Long::longValue).toArray();
		// Rescale expected counts to the observed total (the test compares shapes; normalisation was checked above).
		double sumE = java.util.Arrays.stream(ev).sum();
		long sumO = java.util.Arrays.stream(ov).sum();
		for (int i = 0; i < ev.length; i++) {
			ev[i] *= sumO / sumE;
		}
		double pValue = new ChiSquareTest().chiSquareTest(ev, ov);
		assertTrue(pValue > ALPHA, p + ": samples disagree with exp(logProb), chi-square p = " + pValue);
	}

	static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, int n) {
		double h = (b - a) / n;
		double s = f.applyAsDouble(a) + f.applyAsDouble(b);
		for (int i = 1; i < n; i++) {
			s += f.applyAsDouble(a + i * h) * (i % 2 == 1 ? 4 : 2);
		}
		return s * h / 3;
	}

	@Test
	void normalPrior() {
		IndependentPrior p = Priors.independent(Priors.normal(A, 1.5, 0.7));
		double[][] xs = draws(p, 1);
		assertMean(1.5, xs, x -> x[0], 0.49, "mean");
		assertVariance(0.49, 3 * 0.49 * 0.49, xs, 0, "variance");
		assertSamplesFollowDensity(p, -2, 5, 40, 2);
		assertEquals("N(1.5, 0.7²)", p.describe(0));
	}

	@Test
	void logNormalPriorForPositiveParameters() {
		double mu = 0.3, s = 0.5;
		IndependentPrior p = Priors.independent(Priors.logNormal(B, mu, s));
		double mean = Math.exp(mu + s * s / 2);
		double var = (Math.exp(s * s) - 1) * Math.exp(2 * mu + s * s);
		double[][] xs = draws(p, 3);
		// log θ is N(mu, s²): check its moments exactly, and θ's mean.
		assertMean(mu, xs, x -> Math.log(x[0]), s * s, "mean of log θ");
		assertMean(mean, xs, x -> x[0], var, "mean of θ");
		assertEquals(Double.NEGATIVE_INFINITY, p.logProb(new double[] { -0.1 }), "no mass at negative values");
		assertEquals(0, p.lowerBounds()[0]);
		assertSamplesFollowDensity(p, 0, 6, 40, 4);
	}

	@Test
	void gammaPriorForPositiveParameters() {
		double k = 2.5, theta = 0.8;
		IndependentPrior p = Priors.independent(Priors.gamma(A, k, theta));
		double[][] xs = draws(p, 5);
		double var = k * theta * theta;
		double mu4 = 3 * k * (k + 2) * Math.pow(theta, 4); // 4th central moment of a gamma
		assertMean(k * theta, xs, x -> x[0], var, "mean");
		assertVariance(var, mu4, xs, 0, "variance");
		assertSamplesFollowDensity(p, 0, 10, 40, 6);
	}

	@Test
	void independentProductOfDifferentFamilies() {
		IndependentPrior p = Priors.independent(Priors.normal(A, 0, 1), Priors.gamma(B, 3, 2), Priors.uniform(Parameter.of("c"), -1, 4));
		double[] t = { 0.3, 2.0, 1.0 };
		double expected = new NormalDistribution(0, 1).logDensity(0.3)
				+ new org.apache.commons.math3.distribution.GammaDistribution(3, 2).logDensity(2.0) + Math.log(1 / 5.0);
		assertEquals(expected, p.logProb(t), 1e-12, "logProb is the sum of the marginals'");
		double[][] xs = draws(p, 7);
		assertMean(6, xs, x -> x[1], 12, "gamma marginal mean");
		assertMean(1.5, xs, x -> x[2], 25 / 12.0, "uniform marginal mean");
		// Independence: the sample correlation of the normal and gamma components is ~0.
		assertMean(0, xs, x -> x[0] * (x[1] - 6), 12, "E[a (b - E b)] = 0");
		assertTrue(p.toString().contains("b ~ Gamma(shape 3, scale 2)"), p.toString());
	}

	@Test
	void truncatedNormalIsExactAndNormalised() {
		double mu = 0.5, sigma = 1.2, lo = -0.5, hi = 2.0;
		TruncatedPrior p = new TruncatedPrior(Priors.independent(Priors.normal(A, mu, sigma)), new double[] { lo }, new double[] { hi });
		assertTrue(p.normaliserIsExact());
		NormalDistribution std = new NormalDistribution(0, 1);
		double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
		double zMass = std.cumulativeProbability(b) - std.cumulativeProbability(a);
		double mean = mu + sigma * (std.density(a) - std.density(b)) / zMass;
		double var = sigma * sigma * (1 + (a * std.density(a) - b * std.density(b)) / zMass
				- Math.pow((std.density(a) - std.density(b)) / zMass, 2));
		double[][] xs = draws(p, 8);
		for (double[] x : xs) {
			assertTrue(x[0] >= lo && x[0] <= hi);
		}
		assertMean(mean, xs, x -> x[0], var, "truncated-normal mean");
		assertSamplesFollowDensity(p, lo, hi, 30, 9);
		assertEquals(Double.NEGATIVE_INFINITY, p.logProb(new double[] { 2.01 }));
	}

	@Test
	void correlatedGaussian() {
		double[] mean = { 1, -2 };
		double[][] cov = { { 2.0, 0.9 }, { 0.9, 1.0 } };
		MultivariateGaussianPrior p = new MultivariateGaussianPrior(List.of(A, B), mean, cov);
		double[][] xs = draws(p, 10);
		assertMean(1, xs, x -> x[0], 2.0, "mean a");
		assertMean(-2, xs, x -> x[1], 1.0, "mean b");
		// E[(a-1)(b+2)] = 0.9; Var of the product = Σ11Σ22 + Σ12² for a Gaussian.
		assertMean(0.9, xs, x -> (x[0] - 1) * (x[1] + 2), 2.0 * 1.0 + 0.81, "covariance");
		// logProb against Commons Math's own density.
		var reference = new org.apache.commons.math3.distribution.MultivariateNormalDistribution(mean, cov);
		for (double[] t : new double[][] { { 0, 0 }, { 1, -2 }, { 3.3, -0.1 } }) {
			assertEquals(Math.log(reference.density(t)), p.logProb(t), 1e-10);
		}
		// The marginal of a through the 2-D density: integrate b out numerically and compare with samples.
		assertEquals(1.0, simpson(a -> simpson(b -> Math.exp(p.logProb(new double[] { a, b })), -8, 4, 200), -7, 9, 200), 1e-6,
				"normalised");
	}

	@Test
	void truncatedCorrelatedGaussianUsesAMonteCarloNormaliser() {
		double[][] cov = { { 1.0, 0.6 }, { 0.6, 1.0 } };
		TruncatedPrior p = new TruncatedPrior(new MultivariateGaussianPrior(List.of(A, B), new double[] { 0, 0 }, cov),
				new double[] { -0.5, -1 }, new double[] { 1.5, 0.8 });
		assertTrue(!p.normaliserIsExact());
		double[][] xs = draws(p, 11);
		for (double[] x : xs) {
			assertTrue(p.inSupport(x), "draws stay in the box");
		}
		// ∫ exp(logProb) over the box = 1 up to the normaliser's Monte Carlo error (200,000 draws).
		double mass = Math.exp(p.logMass());
		double relativeSe = Math.sqrt((1 - mass) / (mass * 200_000));
		double integral = simpson(a -> simpson(b -> Math.exp(p.logProb(new double[] { a, b })), -1, 0.8, 200), -0.5, 1.5, 200);
		assertEquals(1.0, integral, Z * relativeSe + 1e-6, "normalised up to Monte Carlo error");
		// Moments of the samples against the density: E[a] by quadrature vs by sampling.
		double ea = simpson(a -> a * simpson(b -> Math.exp(p.logProb(new double[] { a, b })), -1, 0.8, 200), -0.5, 1.5, 200) / integral;
		double va = simpson(a -> (a - ea) * (a - ea) * simpson(b -> Math.exp(p.logProb(new double[] { a, b })), -1, 0.8, 200), -0.5, 1.5, 200)
				/ integral;
		assertMean(ea, xs, x -> x[0], va, "E[a] by sampling vs by quadrature of exp(logProb)");
	}

	@Test
	void badPriorsAreNamed() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new MultivariateGaussianPrior(List.of(A, B), new double[] { 0, 0 }, new double[][] { { 1, 2 }, { 2, 1 } }));
		assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class,
				() -> new TruncatedPrior(Priors.independent(Priors.normal(A, 0, 1)), new double[] { 50 }, new double[] { 60 }));
		assertTrue(e.getMessage().contains("no prior mass") && e.getMessage().contains("a"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new IndependentPrior(List.of(A, B), List.of(new NormalDistribution(0, 1))));
		assertTrue(e.getMessage().contains("2 parameters"), e.getMessage());
	}
}
