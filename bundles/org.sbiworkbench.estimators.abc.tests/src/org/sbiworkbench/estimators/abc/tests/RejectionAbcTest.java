package org.sbiworkbench.estimators.abc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.estimators.abc.tests.ConjugateGaussian.DESCRIPTOR;
import static org.sbiworkbench.estimators.abc.tests.ConjugateGaussian.POST_VAR;
import static org.sbiworkbench.estimators.abc.tests.ConjugateGaussian.PRIOR;
import static org.sbiworkbench.estimators.abc.tests.ConjugateGaussian.SHRINK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.estimators.abc.AbcEstimator;
import org.sbiworkbench.estimators.abc.AbcPosterior;
import org.sbiworkbench.estimators.abc.RejectionAbc;
import org.sbiworkbench.estimators.abc.tests.ConjugateGaussian.Moments;

/**
 * Rejection ABC on the conjugate Gaussian problem of {@link ConjugateGaussian}, whose posterior N(0.8·x_o, 0.2·I)
 * and ε-ABC approximation are known. Tolerances are Monte Carlo standard errors of the accepted sample (σ/√n for
 * a mean, σ/√(2n) for a Gaussian std) times 4, plus the ε bounds derived there.
 */
class RejectionAbcTest {

	static final RejectionAbc ABC = new RejectionAbc();
	static final double SIGMA = Math.sqrt(POST_VAR);

	static AbcEstimator train(SimulationSet.TrainingData data, Map<String, String> settings) {
		return ABC.train(data, PRIOR, DESCRIPTOR, settings, 1, ProgressMonitor.NULL);
	}

	/**
	 * The KDE kernel's shape: with x = (θ₁ + θ₂, θ₁ + θ₂) + noise the kept particles are strongly negatively
	 * correlated. Draws are a particle plus kernel noise, so their covariance is the particles' weighted
	 * covariance Σ plus h² S: the covariance kernel scales all of Σ by 1 + h², the diagonal and
	 * isotropic kernels add nothing off the diagonal, and the isotropic one adds the same h² v to both variances.
	 * Tolerance: 5 standard errors of the draws' sample covariance, √((Σ₀₀Σ₁₁ + Σ₀₁²)/n) off the diagonal and √(2/n) Σⱼⱼ on
	 * it (Gaussian approximation), on 40,000 draws.
	 */
	@Test
	void theKdeKernelShapes() {
		org.apache.commons.math3.random.RandomGenerator r = new Well19937c(61);
		int n = 20_000;
		double[][] theta = PRIOR.sample(n, r);
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			double sum = theta[i][0] + theta[i][1];
			x[i] = new double[] { sum + 0.1 * r.nextGaussian(), sum + 0.1 * r.nextGaussian() };
		}
		SimulationSet.TrainingData data = new SimulationSet.TrainingData(theta, x, 0);
		double[] xo = { 0.5, 0.5 };
		int draws = 40_000;
		for (String kernel : java.util.List.of("covariance", "diagonal", "isotropic")) {
			AbcPosterior q = train(data, Map.of("num_top_samples", "400", "kde_kernel", kernel)).condition(xo);
			assertEquals(kernel, q.summary().get("kde_kernel"));
			double[][] p = q.particles();
			double[][] cp = covariance(p, q.weights(), true);
			double h2 = q.bandwidthFactor() * q.bandwidthFactor();
			assertTrue(h2 > 0, kernel + ": h = " + q.bandwidthFactor());
			double[][] cs = covariance(q.sample(draws, new Well19937c(62)), null, false);
			double se = Math.sqrt((cp[0][0] * cp[1][1] + cp[0][1] * cp[0][1]) / draws);
			// the pooled variance of all coordinates about their common mean: the average variance plus the means' spread
			double[] w = q.weights();
			double sq = 0;
			for (double v : w) {
				sq += v * v;
			}
			double m0 = mean(p, w, 0), m1 = mean(p, w, 1);
			double pooled = (cp[0][0] + cp[1][1]) / 2 + (m0 - m1) * (m0 - m1) / (4 * (1 - sq));
			System.out.printf("KDE kernel %s: particles' covariance %s, draws' %s, h² %.4f%n", kernel, java.util.Arrays.deepToString(cp),
					java.util.Arrays.deepToString(cs), h2);
			assertTrue(cp[0][1] < -0.5 * Math.sqrt(cp[0][0] * cp[1][1]), "strongly correlated particles: " + java.util.Arrays.deepToString(cp));
			// a draw's particle part has the weighted covariance without the 1/(1 − Σw²) correction
			double[][] cb = { { cp[0][0] * (1 - sq), cp[0][1] * (1 - sq) }, { cp[1][0] * (1 - sq), cp[1][1] * (1 - sq) } };
			double off = cb[0][1] + (kernel.equals("covariance") ? h2 * cp[0][1] : 0);
			assertEquals(off, cs[0][1], 5 * se, kernel + ": off-diagonal");
			for (int j = 0; j < 2; j++) {
				double add = switch (kernel) {
				case "isotropic" -> h2 * pooled;
				default -> h2 * cp[j][j];
				};
				double expected = cb[j][j] + add;
				assertEquals(expected, cs[j][j], 5 * Math.sqrt(2.0 / draws) * expected, kernel + ": variance of θ" + j);
			}
		}
	}

	private static double mean(double[][] p, double[] w, int j) {
		double m = 0, total = 0;
		for (int i = 0; i < p.length; i++) {
			double wi = w == null ? 1 : w[i];
			m += wi * p[i][j];
			total += wi;
		}
		return m / total;
	}

	/** The weighted covariance; {@code unbiased}: divided by 1 − Σw² (normalised weights) as the KDE does. */
	private static double[][] covariance(double[][] p, double[] w, boolean unbiased) {
		double total = 0, sq = 0;
		for (int i = 0; i < p.length; i++) {
			double wi = w == null ? 1 : w[i];
			total += wi;
			sq += wi * wi;
		}
		double[] m = { mean(p, w, 0), mean(p, w, 1) };
		double[][] c = new double[2][2];
		for (int i = 0; i < p.length; i++) {
			double wi = (w == null ? 1 : w[i]) / total;
			for (int a = 0; a < 2; a++) {
				for (int b = 0; b < 2; b++) {
					c[a][b] += wi * (p[i][a] - m[a]) * (p[i][b] - m[b]);
				}
			}
		}
		double norm = unbiased ? 1 / (1 - sq / (total * total)) : 1;
		for (int a = 0; a < 2; a++) {
			for (int b = 0; b < 2; b++) {
				c[a][b] *= norm;
			}
		}
		return c;
	}

	@Test
	void keepingTheNearestOnePercentRecoversThePosteriorWithinWhatEpsilonExplains() {
		double[] xo = { 0.8, -1.2 };
		AbcEstimator estimator = train(ConjugateGaussian.simulations(PRIOR, 20_000, 1), Map.of("quantile", "0.01", "kde_bandwidth", "scott"));
		AbcPosterior q = estimator.condition(xo);
		double[][] kept = q.particles();
		int n = kept.length;
		assertEquals(200, n, "1% of 20,000");
		double eps = q.epsilon();
		double[] s = estimator.distanceScale();
		// z-scoring by the prior predictive's std, √1.25 = 1.118, estimated from 20,000 draws (SE 0.5%).
		assertEquals(Math.sqrt(ConjugateGaussian.PRED_VAR), s[0], 0.02);
		for (double d : q.distances()) {
			assertTrue(d <= eps);
		}
		Moments m = Moments.of(kept, q.weights());
		double bias = ConjugateGaussian.meanBiasBound(xo, s, eps);
		Moments exact = ConjugateGaussian.abcMoments(xo, s, eps);
		System.out.printf("rejection 1%%: n=%d ε=%.4f bias bound %.4f; mean %s vs true (%.3f, %.3f), std %s (true %.4f), exact ε-ABC mean %s std %s%n",
				n, eps, bias, java.util.Arrays.toString(m.mean()), SHRINK * xo[0], SHRINK * xo[1], java.util.Arrays.toString(m.std()), SIGMA,
				java.util.Arrays.toString(exact.mean()), java.util.Arrays.toString(exact.std()));
		for (int j = 0; j < 2; j++) {
			double maxStd = ConjugateGaussian.maxStd(s, eps, j);
			// Mean: 4 standard errors of n draws (with the largest std ε allows) plus the ε-bias bound.
			assertEquals(SHRINK * xo[j], m.mean()[j], 4 * maxStd / Math.sqrt(n) + bias, "posterior mean of θ" + j);
			// Std: at least the posterior's, at most what ε explains, each up to 4 standard errors of a std.
			assertTrue(m.std()[j] > SIGMA - 4 * SIGMA / Math.sqrt(2.0 * n), "std of θ" + j + " = " + m.std()[j]);
			assertTrue(m.std()[j] < maxStd + 4 * maxStd / Math.sqrt(2.0 * n), "std of θ" + j + " = " + m.std()[j] + " > " + maxStd);
			// And against the exact ε-ABC posterior at this ε.
			assertEquals(exact.mean()[j], m.mean()[j], 4 * exact.std()[j] / Math.sqrt(n), "ε-ABC mean of θ" + j);
			assertEquals(exact.std()[j], m.std()[j], 4 * exact.std()[j] / Math.sqrt(2.0 * n), "ε-ABC std of θ" + j);
		}

		// The KDE: same mean as the particles, variance inflated by exactly 1 + h² (h = Scott's 200^(−1/6)).
		assertEquals(Math.pow(200, -1.0 / 6), q.bandwidthFactor(), 1e-12);
		int draws = 20_000;
		double h2 = q.bandwidthFactor() * q.bandwidthFactor();
		Moments k = Moments.of(q.sample(draws, new Well19937c(3)), null);
		assertEquals(1.0, q.acceptanceRate(), 0.0, "a Gaussian prior has full support");
		for (int j = 0; j < 2; j++) {
			double particleVar = m.std()[j] * m.std()[j];
			double kdeVar = particleVar + h2 * particleVar * n / (n - 1);
			assertEquals(m.mean()[j], k.mean()[j], 4 * Math.sqrt(kdeVar / draws), "KDE mean of θ" + j);
			assertEquals(kdeVar, k.std()[j] * k.std()[j], 5 * kdeVar * Math.sqrt(2.0 / draws), "KDE variance of θ" + j);
		}

		// The default rule keeps sbibm's 100, and the epsilon rule keeps exactly those within ε.
		assertEquals(100, train(ConjugateGaussian.simulations(PRIOR, 20_000, 1), Map.of()).condition(xo).particles().length);
		AbcPosterior within = train(ConjugateGaussian.simulations(PRIOR, 20_000, 1), Map.of("epsilon", Double.toString(eps))).condition(xo);
		assertEquals(200, within.particles().length, "the 200 within the 200th distance");
		assertArrayEquals(q.particles(), within.particles());
	}

	@Test
	void theRegressionAdjustmentRemovesTheBiasAndInflationOfAWideThreshold() {
		// Far from the prior mean and keeping 10%: plain rejection is visibly shrunk towards 0 and too wide.
		double[] xo = { 1.5, -1.0 };
		SimulationSet.TrainingData data = ConjugateGaussian.simulations(PRIOR, 20_000, 2);
		AbcEstimator plainEstimator = train(data, Map.of("quantile", "0.1"));
		AbcPosterior plain = plainEstimator.condition(xo);
		AbcPosterior adjusted = train(data, Map.of("quantile", "0.1", "regression_adjustment", "true")).condition(xo);
		assertEquals(2_000, plain.particles().length);
		Moments p = Moments.of(plain.particles(), plain.weights());
		Moments a = Moments.of(adjusted.particles(), adjusted.weights());
		double ess = adjusted.effectiveSampleSize();
		Moments exact = ConjugateGaussian.abcMoments(xo, plainEstimator.distanceScale(), plain.epsilon());
		System.out.printf("regression adjustment: ε=%.4f; plain mean %s std %s; exact ε-ABC mean %s std %s; adjusted mean %s std %s "
				+ "(ESS %.0f); true mean (%.3f, %.3f) std %.4f%n", plain.epsilon(), java.util.Arrays.toString(p.mean()),
				java.util.Arrays.toString(p.std()), java.util.Arrays.toString(exact.mean()), java.util.Arrays.toString(exact.std()),
				java.util.Arrays.toString(a.mean()), java.util.Arrays.toString(a.std()), ess, SHRINK * xo[0], SHRINK * xo[1], SIGMA);
		double plainMeanError = 0;
		double adjustedMeanError = 0;
		for (int j = 0; j < 2; j++) {
			double truth = SHRINK * xo[j];
			plainMeanError += Math.pow(p.mean()[j] - truth, 2);
			adjustedMeanError += Math.pow(a.mean()[j] - truth, 2);
			// Plain rejection is what ε-ABC predicts (the error is ε's, not the code's)...
			assertEquals(exact.mean()[j], p.mean()[j], 4 * exact.std()[j] / Math.sqrt(2_000), "plain ε-ABC mean of θ" + j);
			assertEquals(exact.std()[j], p.std()[j], 4 * exact.std()[j] / Math.sqrt(4_000.0), "plain ε-ABC std of θ" + j);
			// ...the adjustment (exact for this linear model up to the fitted slope) brings the std back to the posterior's
			assertTrue(Math.abs(a.std()[j] - SIGMA) < Math.abs(p.std()[j] - SIGMA), "std of θ" + j);
			// and both moments within 5 standard errors of the effective sample (the slope's own error adds a little).
			assertEquals(truth, a.mean()[j], 5 * SIGMA / Math.sqrt(ess), "adjusted mean of θ" + j);
			assertEquals(SIGMA, a.std()[j], 5 * SIGMA / Math.sqrt(2 * ess), "adjusted std of θ" + j);
		}
		assertTrue(adjustedMeanError < plainMeanError, "the adjusted mean is nearer the truth");
		// Epanechnikov weights: the farthest kept simulation gets weight 0.
		double[] w = adjusted.weights();
		assertEquals(0.0, w[w.length - 1], 1e-15);
	}

	@Test
	void samplesStayInTheSupportOfABoundedPrior() {
		Prior box = BoxUniformPrior.of(ConjugateGaussian.P, -1, 1);
		AbcEstimator e = ABC.train(ConjugateGaussian.simulations(box, 5_000, 4), box, ConjugateGaussian.descriptor(box), Map.of(), 1,
				ProgressMonitor.NULL);
		AbcPosterior q = e.condition(new double[] { 1.3, 0.9 });
		for (double[] t : q.sample(2_000, new Well19937c(5))) {
			assertTrue(box.inSupport(t), "samples stay in the prior's support");
		}
		assertTrue(q.acceptanceRate() < 1 && q.acceptanceRate() > 0.3, "some KDE draws fall outside and are rejected: " + q.acceptanceRate());
		assertFalse(q.hasDensity());
		assertThrows(UnsupportedOperationException.class, () -> q.logProb(new double[] { 0, 0 }));
	}

	@Test
	void settingsErrorsNameTheSettingAndTheValidOnes() {
		SimulationSet.TrainingData data = ConjugateGaussian.simulations(PRIOR, 500, 6);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("num_top_sample", "10")));
		assertTrue(e.getMessage().contains("'num_top_sample'") && e.getMessage().contains("num_top_samples, quantile, epsilon, distance_scale, "
				+ "regression_adjustment, kde_bandwidth"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, new java.util.TreeMap<>(Map.of("quantile", "0.1", "epsilon", "0.3"))));
		assertTrue(e.getMessage().contains("'epsilon'") && e.getMessage().contains("'quantile'") && e.getMessage().contains("only one"),
				e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("quantile", "1.5")));
		assertTrue(e.getMessage().contains("'quantile'") && e.getMessage().contains("(0, 1]") && e.getMessage().contains("1.5"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("kde_bandwidth", "wide")));
		assertTrue(e.getMessage().contains("'kde_bandwidth'") && e.getMessage().contains("scott, silverman, cv, none"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("regression_adjustment", "yes")));
		assertTrue(e.getMessage().contains("'regression_adjustment'") && e.getMessage().contains("true or false"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("distance_scale", "iqr")));
		assertTrue(e.getMessage().contains("'distance_scale'") && e.getMessage().contains("std, mad, none"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> train(data, Map.of("num_top_samples", "1000")));
		assertTrue(e.getMessage().contains("num_top_samples") && e.getMessage().contains("500"), e.getMessage());
		IllegalStateException none = assertThrows(IllegalStateException.class,
				() -> train(data, Map.of("epsilon", "1e-9")).condition(new double[] { 0, 0 }));
		assertTrue(none.getMessage().contains("epsilon") && none.getMessage().contains("nearest"), none.getMessage());
	}

	@Test
	void aSavedEstimatorGivesTheSameSamplesAfterLoading(@TempDir Path dir) throws Exception {
		Map<String, String> settings = Map.of("quantile", "0.05", "regression_adjustment", "true", "distance_scale", "mad",
				"kde_bandwidth", "cv");
		AbcEstimator e = train(ConjugateGaussian.simulations(PRIOR, 3_000, 7), settings);
		e.save(dir);
		AbcEstimator loaded = ABC.load(dir);
		assertEquals(e.settings(), loaded.settings());
		assertEquals("0.05", loaded.settings().get("quantile"));
		assertArrayEquals(e.distanceScale(), loaded.distanceScale(), 0.0);
		double[] xo = { -0.3, 0.6 };
		AbcPosterior a = e.condition(xo);
		AbcPosterior b = loaded.condition(xo);
		assertEquals(a.bandwidthFactor(), b.bandwidthFactor(), 0.0);
		double[][] sa = a.sample(500, new Well19937c(9));
		double[][] sb = b.sample(500, new Well19937c(9));
		for (int i = 0; i < sa.length; i++) {
			assertArrayEquals(sa[i], sb[i], 0.0, "sample " + i);
		}

		// A damaged data file, a missing one and a missing description are each named.
		Path x = dir.resolve("x.npy");
		byte[] bytes = Files.readAllBytes(x);
		bytes[bytes.length - 1] ^= 1;
		Files.write(x, bytes);
		IOException ex = assertThrows(IOException.class, () -> ABC.load(dir));
		assertTrue(ex.getMessage().contains("x.npy") && ex.getMessage().contains("SHA-256"), ex.getMessage());
		Files.delete(dir.resolve("theta.npy"));
		ex = assertThrows(IOException.class, () -> ABC.load(dir));
		assertTrue(ex.getMessage().contains("theta.npy") && ex.getMessage().contains("missing"), ex.getMessage());
		Files.writeString(dir.resolve(AbcEstimator.FILE), "{ \"format\": ");
		ex = assertThrows(IOException.class, () -> ABC.load(dir));
		assertTrue(ex.getMessage().contains(AbcEstimator.FILE) && ex.getMessage().contains("JSON"), ex.getMessage());
		Files.delete(dir.resolve(AbcEstimator.FILE));
		ex = assertThrows(IOException.class, () -> ABC.load(dir));
		assertTrue(ex.getMessage().contains(AbcEstimator.FILE) && ex.getMessage().contains("missing"), ex.getMessage());
	}
}
