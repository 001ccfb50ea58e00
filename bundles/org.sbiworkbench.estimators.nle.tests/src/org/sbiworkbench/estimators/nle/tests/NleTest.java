package org.sbiworkbench.estimators.nle.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.estimators.nle.McmcOptions;
import org.sbiworkbench.estimators.nle.McmcPosterior;
import org.sbiworkbench.estimators.nle.NeuralLikelihoodEstimation;
import org.sbiworkbench.estimators.nle.NleEstimator;
import org.sbiworkbench.mcmc.LogDensity;
import org.sbiworkbench.mcmc.McmcResult;

/**
 * NLE on a conjugate Gaussian problem with a closed-form posterior:
 * θ ~ N(0, I₂), x = θ + N(0, 0.5² I₂), so p(θ | x) = N(0.8·x, 0.2·I).
 */
class NleTest {

	static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));
	static final int N = 3_000;
	static final double POST_VAR = 0.2;
	static final double SIGMA = Math.sqrt(POST_VAR);
	static final double[] XO = { 0.8, -1.2 };
	static final Prior PRIOR = MultivariateGaussianPrior.isotropic(P, new double[2], 1.0);
	static NleEstimator estimator;
	static NeuralLikelihoodEstimation nle = new NeuralLikelihoodEstimation();

	static SimulatorDescriptor descriptor(Prior prior) {
		return new SimulatorDescriptor("conjugate", "Conjugate Gaussian", Domain.BENCHMARK, "1", "test", P, List.of("x1", "x2"), prior,
				List.of(), List.of());
	}

	static SimulationSet.TrainingData simulate(Prior prior, int n, long seed) {
		RandomGenerator r = new Well19937c(seed);
		double[][] theta = prior.sample(n, r);
		double[][] x = new double[n][2];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < 2; j++) {
				x[i][j] = theta[i][j] + 0.5 * r.nextGaussian();
			}
		}
		return new SimulationSet.TrainingData(theta, x, 0);
	}

	/** With sbi's defaults: MAF, slice sampling, 20 chains, 200 warm-up iterations, resampled starts. */
	@BeforeAll
	static void train() {
		estimator = nle.train(simulate(PRIOR, N, 1), PRIOR, descriptor(PRIOR), Map.of(), 7, ProgressMonitor.NULL);
		System.out.println("NLE (" + estimator.architecture().type() + ") training: " + nle.lastTraining().epochs() + " epochs, best "
				+ nle.lastTraining().bestEpoch() + String.format(", %.1f s", nle.lastTraining().seconds()));
	}

	/**
	 * The tolerance of a posterior mean. The likelihood fitted by maximum likelihood within the conditional Gaussian
	 * family (k = 2 + 4 + 3 numbers: shift, linear map and covariance of x given θ) from N pairs carries errors of order
	 * σ·sqrt(k/N) into the posterior; the flow has more freedom, so allow 5 times that. The Monte Carlo error of an
	 * MCMC mean is σ/sqrt(ESS), with the run's own bulk ESS; allow 5 of those. For a standard deviation the Monte Carlo
	 * error is about σ/sqrt(2·ESS).
	 */
	static void assertMoments(McmcResult r, String what) {
		double fit = 5 * SIGMA * Math.sqrt(9.0 / N);
		double ess = r.minEss();
		double[][] s = r.samples();
		int m = s.length;
		for (int j = 0; j < 2; j++) {
			double mean = 0, sq = 0;
			for (double[] t : s) {
				mean += t[j];
				sq += t[j] * t[j];
			}
			mean /= m;
			double std = Math.sqrt(sq / m - mean * mean);
			System.out.printf("%s: %s mean %.4f (true %.4f), std %.4f (true %.4f), R-hat %.4f, ESS %.0f, tolerance %.3f + %.3f%n", what,
					P.get(j).name(), mean, 0.8 * XO[j], std, SIGMA, r.rHat()[j], r.ess()[j], fit, 5 * SIGMA / Math.sqrt(ess));
			assertEquals(0.8 * XO[j], mean, fit + 5 * SIGMA / Math.sqrt(ess), what + ": posterior mean of " + P.get(j).name());
			assertEquals(SIGMA, std, fit + 5 * SIGMA / Math.sqrt(2 * ess), what + ": posterior std of " + P.get(j).name());
		}
		assertTrue(r.maxRHat() < 1.05, what + ": R-hat " + r.maxRHat());
	}

	@Test
	void posteriorBySliceSamplingMatchesTheClosedForm() {
		McmcPosterior q = estimator.condition(XO);
		McmcResult r = q.run(4_000, 3);
		assertEquals("slice", r.samplerId());
		assertEquals(20, r.chains().length, "sbi's 20 chains");
		assertMoments(r, "slice");
		assertTrue(q.warnings().isEmpty(), q.warnings().toString());
		assertEquals(r, q.lastSampling().orElseThrow());
		Map<String, Object> last = estimator.lastSampling();
		assertEquals(r.maxRHat(), (double) last.get("max_r_hat"), 0.0, "the estimator records the last run's R-hat");
		assertTrue(estimator.trainingSummary().containsKey("last_sampling"));
		// MAP = posterior mean for a Gaussian: the best draw refined by gradient ascent.
		double[] map = q.map(new Well19937c(4)).orElseThrow();
		double fit = 5 * SIGMA * Math.sqrt(9.0 / N);
		assertEquals(0.8 * XO[0], map[0], 2 * fit, "MAP");
		assertEquals(0.8 * XO[1], map[1], 2 * fit, "MAP");
		double[] lpMap = q.logProbsUpToConstant(new double[][] { map });
		double[] lpDraws = q.logProbsUpToConstant(r.samples());
		for (double lp : lpDraws) {
			assertTrue(lp <= lpMap[0] + 1e-6, "no draw has a higher potential than the MAP");
		}
	}

	/** The flow is a normalised density over x for each θ: midpoint rule on a 200² grid over ±4 noise stds (8σ). */
	@Test
	void learnedLikelihoodIntegratesToOneOverX() {
		for (double[] theta : new double[][] { { 0.3, -0.5 }, { -1.5, 1.0 } }) {
			int n = 200;
			double half = 4.0, h = 2 * half / n;
			double[][] xs = new double[n * n][];
			double[][] ts = new double[n * n][];
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < n; j++) {
					xs[i * n + j] = new double[] { theta[0] - half + (i + 0.5) * h, theta[1] - half + (j + 0.5) * h };
					ts[i * n + j] = theta;
				}
			}
			double integral = 0;
			for (double lp : estimator.logLikelihood(xs, ts)) {
				integral += Math.exp(lp) * h * h;
			}
			System.out.printf("∫ q(x | θ = %s) dx = %.5f%n", java.util.Arrays.toString(theta), integral);
			// The true likelihood has 1 − 6e-16 of its mass in the box and the midpoint rule's error on a Gaussian of
			// σ = 0.5 with h = 0.04 is below 1e-6; 0.01 leaves room for heavier tails of the flow. A forgotten
			// z-scoring Jacobian would give 1.25 (σ_x² = 1.25).
			assertEquals(1.0, integral, 0.01, "∫ q(x | θ) dx at θ = " + java.util.Arrays.toString(theta));
		}
	}

	/** ∂/∂θ of log q(x_o | θ) + log p(θ) through the tape against central differences of the same float32 network. */
	@Test
	void gradientMatchesFiniteDifferences() {
		LogDensity target = estimator.condition(XO).target();
		assertTrue(target.hasGradient());
		double[][] thetas = { { 0.6, -1.0 }, { -0.4, 0.3 }, { 1.5, -2.0 } };
		double[] lp = new double[thetas.length];
		double[][] grad = new double[thetas.length][2];
		target.logDensityAndGradient(thetas, lp, grad);
		double h = 1e-2;
		for (int r = 0; r < thetas.length; r++) {
			for (int j = 0; j < 2; j++) {
				double[][] pm = { thetas[r].clone(), thetas[r].clone() };
				pm[0][j] += h;
				pm[1][j] -= h;
				double[] v = new double[2];
				target.logDensity(pm, v);
				double fd = (v[0] - v[1]) / (2 * h);
				// Central differences err by h²/6·f''' (≈ 1e-4 here) plus float32 rounding of the potential
				// (≈ 1e-6 relative) divided by h.
				assertEquals(fd, grad[r][j], 2e-3 + 2e-3 * Math.abs(fd), "∂U/∂θ_" + j + " at " + java.util.Arrays.toString(thetas[r]));
			}
		}
		// Near the true posterior's mode (0.64, −0.96) the gradient is small; far from it, it points back.
		assertTrue(grad[2][0] < 0 && grad[2][1] > 0, "at (1.5, −2) the gradient points towards the mode");
	}

	@Test
	void hmcSamplesWithTheTapeGradient() {
		McmcPosterior q = estimator.condition(XO).withOptions(new McmcOptions("hmc", 20, 200, 1, McmcOptions.DEFAULT.init(), 1000));
		McmcResult r = q.run(2_000, 5);
		assertEquals("hmc", r.samplerId());
		assertTrue(r.acceptanceRate() > 0.5, "dual averaging aims at 0.8; got " + r.acceptanceRate());
		assertMoments(r, "hmc");
	}

	@Test
	void aSavedEstimatorGivesTheSamePotentialAndDraws(@TempDir Path dir) throws Exception {
		NleEstimator e = nle.train(simulate(PRIOR, 500, 2), PRIOR, descriptor(PRIOR),
				Map.of("density_estimator", "nsf", "max_epochs", "3", "sampler", "mh", "warmup", "50"), 9, ProgressMonitor.NULL);
		e.save(dir);
		NleEstimator loaded = (NleEstimator) nle.load(dir);
		assertEquals("nsf", loaded.architecture().type());
		assertEquals(e.mcmcOptions(), loaded.mcmcOptions(), "the MCMC options are saved");
		double[] xo = { -0.3, 2.0 };
		double[][] thetas = { { -0.2, 1.4 }, { 0.5, 0.5 }, { 2.0, -1.0 } };
		assertArrayEquals(e.condition(xo).logProbsUpToConstant(thetas), loaded.condition(xo).logProbsUpToConstant(thetas), 1e-9);
		double[][] a = e.condition(xo).sample(40, new Well19937c(9));
		double[][] b = loaded.condition(xo).sample(40, new Well19937c(9));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(a[i], b[i], 1e-9);
		}
		// A damaged weight file is named.
		Path w = dir.resolve("weights/003.npy");
		byte[] bytes = Files.readAllBytes(w);
		bytes[bytes.length - 1] ^= 1;
		Files.write(w, bytes);
		Exception ex = assertThrows(java.io.IOException.class, () -> nle.load(dir));
		assertTrue(ex.getMessage().contains("003.npy") && ex.getMessage().contains("SHA-256"), ex.getMessage());
		Exception wrong = assertThrows(java.io.IOException.class, () -> nle.load(dir.resolve("nothing")));
		assertTrue(wrong.getMessage().contains("estimator.json"), wrong.getMessage());
	}

	@Test
	void badSettingsAreNamedWithTheValidChoices() {
		SimulationSet.TrainingData d = simulate(PRIOR, 50, 3);
		String unknown = bad(d, Map.of("num_transforms", "3"));
		assertTrue(unknown.contains("'num_transforms'") && unknown.contains("density_estimator") && unknown.contains("sampler")
				&& unknown.contains("warmup"), unknown);
		String sampler = bad(d, Map.of("sampler", "nuts"));
		assertTrue(sampler.contains("'nuts'") && sampler.contains("slice") && sampler.contains("hmc"), sampler);
		String flow = bad(d, Map.of("density_estimator", "realnvp"));
		assertTrue(flow.contains("'realnvp'") && flow.contains("maf") && flow.contains("nsf"), flow);
		String number = bad(d, Map.of("warmup", "lots"));
		assertTrue(number.contains("'warmup'") && number.contains("'lots'"), number);
		String negative = bad(d, Map.of("mcmc_chains", "0"));
		assertTrue(negative.contains("'mcmc_chains'") && negative.contains("chain"), negative);
		String init = bad(d, Map.of("init", "uniform"));
		assertTrue(init.contains("'uniform'") && init.contains("resample"), init);
		String epochs = bad(d, Map.of("max_epochs", "0"));
		assertTrue(epochs.contains("'max_epochs'"), epochs);
	}

	private static String bad(SimulationSet.TrainingData d, Map<String, String> settings) {
		return assertThrows(IllegalArgumentException.class, () -> nle.train(d, PRIOR, descriptor(PRIOR), settings, 1, ProgressMonitor.NULL))
				.getMessage();
	}

	@Test
	void cancellingStopsSampling() {
		AtomicLong worked = new AtomicLong();
		ProgressMonitor cancelAfter30 = new ProgressMonitor() {
			@Override
			public void begin(String task, long totalWork) {
			}

			@Override
			public void worked(long work) {
				worked.addAndGet(work);
			}

			@Override
			public boolean isCanceled() {
				return worked.get() >= 30;
			}

			@Override
			public void done() {
			}
		};
		McmcPosterior q = estimator.condition(XO).monitored(cancelAfter30);
		CancellationException e = assertThrows(CancellationException.class, () -> q.sample(100_000, new Well19937c(1)));
		assertTrue(e.getMessage().contains("cancelled after 30"), e.getMessage());
		assertEquals(30, worked.get(), "no iteration after the cancellation");
		// Through the core Posterior API, as sbiw infer calls it.
		worked.set(0);
		org.sbiworkbench.core.Posterior p = estimator.condition(XO);
		assertThrows(CancellationException.class, () -> p.sample(100_000, new Well19937c(1), cancelAfter30));
		assertEquals(30, worked.get());
	}

	/** Chains stuck in two far-apart modes: R-hat is far above 1.05 and the run says so. */
	@Test
	void aRunThatDidNotConvergeIsRecordedWithAWarning() {
		List<Parameter> one = List.of(Parameter.of("t"));
		Prior wide = MultivariateGaussianPrior.isotropic(one, new double[1], 25.0);
		McmcPosterior bimodal = new McmcPosterior(one, wide, new double[] { 0 }, () -> (theta, out, gradient) -> {
			for (int r = 0; r < theta.length; r++) {
				double a = theta[r][0] - 5, b = theta[r][0] + 5;
				out[r] = Math.log(Math.exp(-a * a / 0.02) + Math.exp(-b * b / 0.02));
			}
		}, new McmcOptions("mh", 8, 100, 1, org.sbiworkbench.mcmc.InitStrategy.PRIOR, 100), null, null);
		McmcResult r = bimodal.run(800, 1);
		assertTrue(r.maxRHat() > 1.05, "R-hat " + r.maxRHat());
		assertEquals(1, bimodal.warnings().size());
		assertTrue(bimodal.warnings().get(0).contains("R-hat"), bimodal.warnings().get(0));
		// Sampled through the core API with a monitor, the warning still reaches the posterior the caller holds.
		org.sbiworkbench.core.Posterior again = bimodal.withOptions(bimodal.options());
		again.sample(800, new Well19937c(1), ProgressMonitor.NULL);
		assertEquals(1, again.warnings().size(), "warnings of the monitored run");
	}

	/** The method is a Declarative Services component: installed, it is found by its id like NPE. */
	@Test
	void isRegisteredAsAnInferenceMethodService() throws Exception {
		BundleContext bc = FrameworkUtil.getBundle(NleTest.class).getBundleContext();
		Set<String> ids = new TreeSet<>();
		InferenceMethod found = null;
		for (ServiceReference<InferenceMethod> ref : bc
				.getServiceReferences(InferenceMethod.class, null)) {
			InferenceMethod m = bc.getService(ref);
			ids.add(m.id());
			if (m.id().equals("nle")) {
				found = m;
			}
		}
		assertTrue(found instanceof NeuralLikelihoodEstimation, "registered methods: " + ids);
		assertTrue(!found.references().isEmpty() && !found.name().isBlank());
	}
}
