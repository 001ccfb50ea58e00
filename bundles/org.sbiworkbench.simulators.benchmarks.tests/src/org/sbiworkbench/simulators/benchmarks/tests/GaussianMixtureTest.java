package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Z;

import java.util.Arrays;
import java.util.TreeSet;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.simulators.benchmarks.tests.Benchmarks.Moments;

/**
 * gaussian_mixture: θ ~ U[-10, 10]², x ~ ½ N(θ, I) + ½ N(θ, 0.01·I); the
 * posterior is that mixture centred on x_o and truncated to the box. No sbibm
 * samples are bundled for it, so the reference posterior is checked against
 * the truncated mixture computed here independently (standard normal CDF and
 * density): normalisation of its density, its moments and marginal CDFs.
 */
class GaussianMixtureTest {

	private static final double BOUND = 10;
	private static final double[] WEIGHTS = { 0.5, 0.5 };
	private static final double[] SCALES = { 1.0, 0.1 };
	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

	private static BenchmarkTask task() throws Exception {
		return Benchmarks.task("gaussian_mixture");
	}

	@Test
	void simulatedMomentsMatchTheAnalyticOnes() throws Exception {
		BenchmarkTask task = task();
		double[] theta = { 1.5, -2 };
		int n = 200_000;
		double[][] x = task.simulate(GaussianLinearTest.repeat(theta, n), new Well19937c(31));
		for (int i = 0; i < 2; i++) {
			final int k = i;
			Benchmarks.assertExpectation("E[x_" + (i + 1) + "]", theta[i], Benchmarks.column(x, i));
			// E[(x−θ)²] = ½·1 + ½·0.01; E[(x−θ)⁴] = ½·3 + ½·3·10⁻⁴.
			Benchmarks.assertExpectation("E[(x_" + (i + 1) + " − θ)²]", 0.505,
					Arrays.stream(x).mapToDouble(r -> Math.pow(r[k] - theta[k], 2)).toArray());
			Benchmarks.assertExpectation("E[(x_" + (i + 1) + " − θ)⁴]", 1.50015,
					Arrays.stream(x).mapToDouble(r -> Math.pow(r[k] - theta[k], 4)).toArray());
		}
		// One component for the whole vector, as in sbibm: E[(x₁−θ₁)²(x₂−θ₂)²] = ½·1 + ½·10⁻⁴ = 0.50005
		// (independent components per coordinate would give 0.505² = 0.255).
		Benchmarks.assertExpectation("E[(x_1 − θ_1)²(x_2 − θ_2)²]", 0.50005,
				Arrays.stream(x).mapToDouble(r -> Math.pow((r[0] - theta[0]) * (r[1] - theta[1]), 2)).toArray());
		Benchmarks.assertExpectation("Cov(x_1, x_2)", 0,
				Arrays.stream(x).mapToDouble(r -> (r[0] - theta[0]) * (r[1] - theta[1])).toArray());
	}

	@Test
	void sameSeedSameData() throws Exception {
		BenchmarkTask task = task();
		double[][] theta = GaussianLinearTest.repeat(new double[] { 3, -4 }, 5);
		double[][] a = task.simulate(theta, new Well19937c(3));
		double[][] b = task.simulate(theta, new Well19937c(3));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(a[i], b[i]);
		}
		assertFalse(Arrays.equals(a[0], task.simulate(theta, new Well19937c(4))[0]), "another seed, other data");
		double[] xo = { 1, 2 };
		assertTrue(Arrays.deepEquals(task.referencePosterior(xo).sample(50, new Well19937c(5)),
				task.referencePosterior(xo).sample(50, new Well19937c(5))), "the reference sampler is deterministic too");
	}

	@Test
	void simulatorRejectsWrongDimension() throws Exception {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> task().simulate(new double[] { 1, 2, 3 }, new Well19937c(1)));
		assertTrue(e.getMessage().contains("gaussian_mixture") && e.getMessage().contains("2 parameters"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> task().referencePosterior(new double[3]));
	}

	@Test
	void descriptorHasTheSbibmPriorAndNoBundledObservations() throws Exception {
		BenchmarkTask task = task();
		assertArrayEquals(new double[] { -10, -10 }, task.descriptor().defaultPrior().lowerBounds());
		assertArrayEquals(new double[] { 10, 10 }, task.descriptor().defaultPrior().upperBounds());
		assertEquals(Math.log(1.0 / 400), task.descriptor().defaultPrior().logProb(new double[] { 3, -9 }), 1e-15);
		assertTrue(task.descriptor().defaultObservations().isEmpty());
	}

	/**
	 * ∫ p(θ | x_o) dθ over the box = 1, by tensor-product Gauss–Legendre
	 * quadrature on panels split at x_o ± {0.3, 1, 3, 6} (so every panel spans
	 * at most a few standard deviations of either component, and the box edges
	 * where the density jumps to 0 are panel ends). The 64-node rule must agree
	 * with the 32-node rule to 1e-11, which shows the quadrature has converged;
	 * the integral must then be 1 within 1e-9, far below the size of any real
	 * mistake in the normaliser (e.g. dropping the truncation changes it by
	 * Φ(−2) ≈ 2 %, the weights by 50 %).
	 */
	@Test
	void densityIsNormalisedOverThePriorBox() throws Exception {
		BenchmarkTask task = task();
		for (double[] xo : new double[][] { { 0.2, -0.4 }, { 9.3, -9.8 }, { 10.5, 3 }, { -11, -10.2 } }) {
			Posterior posterior = task.referencePosterior(xo);
			assertTrue(posterior.hasDensity());
			double coarse = integrate(posterior, xo, 32);
			double fine = integrate(posterior, xo, 64);
			assertEquals(fine, coarse, 1e-11, "quadrature converged for x_o = " + Arrays.toString(xo));
			assertEquals(1, fine, 1e-9, "∫ p(θ | x_o) dθ for x_o = " + Arrays.toString(xo));
			assertEquals(Double.NEGATIVE_INFINITY, posterior.logProb(new double[] { 10.01, 0 }));
			assertEquals(Double.NEGATIVE_INFINITY, posterior.logProb(new double[] { 0, -10.01 }));
		}
	}

	@Test
	void densityMatchesTheTruncatedMixtureFormula() throws Exception {
		double[] xo = { 9.3, -9.8 };
		Posterior posterior = task().referencePosterior(xo);
		Truncated t = new Truncated(xo);
		for (double[] theta : new double[][] { { 9.3, -9.8 }, { 9.35, -9.75 }, { 8, -9 }, { 0, 0 }, { -9.9, 9.9 }, { 10, -10 } }) {
			double unnormalised = 0;
			for (int k = 0; k < 2; k++) {
				double s = SCALES[k];
				unnormalised += WEIGHTS[k] * STANDARD_NORMAL.density((theta[0] - xo[0]) / s) / s
						* STANDARD_NORMAL.density((theta[1] - xo[1]) / s) / s;
			}
			assertEquals(Math.log(unnormalised / t.mass), posterior.logProb(theta), 1e-10,
					"log p(θ | x_o) at " + Arrays.toString(theta));
		}
	}

	@Test
	void samplesHaveTheMomentsAndMarginalsOfTheTruncatedMixture() throws Exception {
		double[] xo = { 9.3, -9.8 }; // both components are cut by the box, the narrow one at 2σ
		Truncated t = new Truncated(xo);
		int n = 100_000;
		double[][] samples = task().referencePosterior(xo).sample(n, new Well19937c(41));
		KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
		for (int i = 0; i < 2; i++) {
			final int d = i;
			double[] v = Benchmarks.column(samples, i);
			for (double value : v) {
				assertTrue(value >= -BOUND && value <= BOUND, "sample inside the prior box");
			}
			Moments m = Moments.of(v);
			assertEquals(t.mean(i), m.mean(), Z * m.seMean(), "posterior mean of theta_" + (i + 1));
			assertEquals(t.variance(i), m.var(), Z * m.seVar(), "posterior variance of theta_" + (i + 1));
			// One-sample Kolmogorov–Smirnov against the exact marginal CDF; two tests share α = 0.001.
			double[] sorted = v.clone();
			Arrays.sort(sorted);
			double dStat = 0;
			for (int j = 0; j < n; j++) {
				double f = t.marginalCdf(d, sorted[j]);
				dStat = Math.max(dStat, Math.max((j + 1.0) / n - f, f - (double) j / n));
			}
			double p = 1 - ks.cdf(dStat, n);
			assertTrue(p > Benchmarks.ALPHA / 2, "KS rejects the marginal of theta_" + (i + 1) + ": D = " + dStat + ", p = " + p);
		}
		// Both coordinates share the component: E[θ₁θ₂] = Σ_k w'_k μ_k1 μ_k2.
		Benchmarks.assertExpectation("E[theta_1 · theta_2]", t.crossMoment(),
				Arrays.stream(samples).mapToDouble(r -> r[0] * r[1]).toArray());
	}

	/** The truncated mixture, from the standard normal CDF and density. */
	private static final class Truncated {
		final double[][] lo = new double[2][2]; // [component][dimension], standardised
		final double[][] hi = new double[2][2];
		final double[][] p = new double[2][2]; // Φ(hi) − Φ(lo)
		final double[] w = new double[2]; // weights after truncation
		final double[] xo;
		final double mass;

		Truncated(double[] xo) {
			this.xo = xo;
			double z = 0;
			for (int k = 0; k < 2; k++) {
				double mk = WEIGHTS[k];
				for (int i = 0; i < 2; i++) {
					lo[k][i] = (-BOUND - xo[i]) / SCALES[k];
					hi[k][i] = (BOUND - xo[i]) / SCALES[k];
					p[k][i] = STANDARD_NORMAL.cumulativeProbability(hi[k][i]) - STANDARD_NORMAL.cumulativeProbability(lo[k][i]);
					mk *= p[k][i];
				}
				w[k] = mk;
				z += mk;
			}
			mass = z;
			for (int k = 0; k < 2; k++) {
				w[k] /= z;
			}
		}

		/** Mean of component k's truncated normal in dimension i. */
		double componentMean(int k, int i) {
			return xo[i] + SCALES[k] * (STANDARD_NORMAL.density(lo[k][i]) - STANDARD_NORMAL.density(hi[k][i])) / p[k][i];
		}

		double componentVariance(int k, int i) {
			double a = lo[k][i];
			double b = hi[k][i];
			double r = (STANDARD_NORMAL.density(a) - STANDARD_NORMAL.density(b)) / p[k][i];
			return SCALES[k] * SCALES[k] * (1 + (a * STANDARD_NORMAL.density(a) - b * STANDARD_NORMAL.density(b)) / p[k][i] - r * r);
		}

		double mean(int i) {
			return w[0] * componentMean(0, i) + w[1] * componentMean(1, i);
		}

		double variance(int i) {
			double second = 0;
			for (int k = 0; k < 2; k++) {
				second += w[k] * (componentVariance(k, i) + Math.pow(componentMean(k, i), 2));
			}
			return second - Math.pow(mean(i), 2);
		}

		double crossMoment() {
			return w[0] * componentMean(0, 0) * componentMean(0, 1) + w[1] * componentMean(1, 0) * componentMean(1, 1);
		}

		double marginalCdf(int i, double t) {
			double f = 0;
			for (int k = 0; k < 2; k++) {
				f += w[k] * (STANDARD_NORMAL.cumulativeProbability((t - xo[i]) / SCALES[k])
						- STANDARD_NORMAL.cumulativeProbability(lo[k][i])) / p[k][i];
			}
			return f;
		}
	}

	private static double integrate(Posterior posterior, double[] xo, int nodes) {
		double[][] edges = { breakpoints(xo[0]), breakpoints(xo[1]) };
		GaussIntegratorFactory factory = new GaussIntegratorFactory();
		double sum = 0;
		for (int a = 0; a + 1 < edges[0].length; a++) {
			GaussIntegrator g1 = factory.legendre(nodes, edges[0][a], edges[0][a + 1]);
			for (int b = 0; b + 1 < edges[1].length; b++) {
				GaussIntegrator g2 = factory.legendre(nodes, edges[1][b], edges[1][b + 1]);
				for (int i = 0; i < nodes; i++) {
					for (int j = 0; j < nodes; j++) {
						sum += g1.getWeight(i) * g2.getWeight(j)
								* Math.exp(posterior.logProb(new double[] { g1.getPoint(i), g2.getPoint(j) }));
					}
				}
			}
		}
		return sum;
	}

	private static double[] breakpoints(double x) {
		TreeSet<Double> points = new TreeSet<>();
		points.add(-BOUND);
		points.add(BOUND);
		for (double offset : new double[] { 0.3, 1, 3, 6 }) {
			for (double p : new double[] { x - offset, x + offset }) {
				if (p > -BOUND && p < BOUND) {
					points.add(p);
				}
			}
		}
		return points.stream().mapToDouble(Double::doubleValue).toArray();
	}
}
