package org.sbiworkbench.estimators.npe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.estimators.npe.NeuralPosteriorEstimation;
import org.sbiworkbench.estimators.npe.NpeEstimator;
import org.sbiworkbench.estimators.npe.NpePosterior;

/**
 * NPE on a conjugate Gaussian problem with a closed-form posterior:
 * θ ~ N(0, I₂), x = θ + N(0, 0.5² I₂), so p(θ | x) = N(0.8·x, 0.2·I).
 */
class NpeTest {

	static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));
	static final int N = 2_000;
	static final double POST_VAR = 0.2;
	static NpeEstimator estimator;
	static NeuralPosteriorEstimation npe = new NeuralPosteriorEstimation();

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

	/** With the default density estimator, the neural spline flow. */
	@BeforeAll
	static void train() {
		Prior prior = MultivariateGaussianPrior.isotropic(P, new double[2], 1.0);
		estimator = npe.train(simulate(prior, N, 1), prior, descriptor(prior), Map.of(), 7, ProgressMonitor.NULL);
	}

	@Test
	void posteriorMomentsMatchTheClosedForm() {
		double[] xo = { 0.8, -1.2 };
		NpePosterior q = estimator.condition(xo);
		int m = 20_000;
		double[][] s = q.sample(m, new Well19937c(3));
		// A maximum-likelihood fit of the conditional Gaussian family (k = 2 + 4 + 3 numbers) from N pairs
		// has errors of order σ·sqrt(k/N); the flow has more freedom, so allow 5 times that, plus 5 Monte Carlo SEs.
		double sigma = Math.sqrt(POST_VAR);
		double fit = 5 * sigma * Math.sqrt(9.0 / N);
		for (int j = 0; j < 2; j++) {
			double mean = 0, sq = 0;
			for (double[] t : s) {
				mean += t[j];
				sq += t[j] * t[j];
			}
			mean /= m;
			double var = sq / m - mean * mean;
			assertEquals(0.8 * xo[j], mean, fit + 5 * sigma / Math.sqrt(m), "posterior mean of " + P.get(j).name());
			assertEquals(sigma, Math.sqrt(var), fit + 5 * sigma / Math.sqrt(2.0 * m), "posterior std of " + P.get(j).name());
		}
		assertEquals(1.0, q.acceptanceRate(), 0.0, "a Gaussian prior has full support");
		double[] map = q.map(new Well19937c(4)).orElseThrow();
		assertEquals(0.8 * xo[0], map[0], 2 * fit, "MAP = posterior mean for a Gaussian");
		assertEquals(0.8 * xo[1], map[1], 2 * fit);
		// The learned density against the true one at the mode: log N(μ; μ, 0.2 I) = −log(2π·0.2).
		assertEquals(-Math.log(2 * Math.PI * POST_VAR), q.logProb(new double[] { 0.8 * xo[0], 0.8 * xo[1] }), 0.25,
				"log density at the mode");
	}

	@Test
	void aSavedEstimatorAnswersNewObservationsAfterLoading(@TempDir Path dir) throws Exception {
		estimator.save(dir);
		NpeEstimator loaded = (NpeEstimator) npe.load(dir);
		double[] xo = { -0.3, 2.0 };
		double[] theta = { -0.2, 1.4 };
		assertEquals(estimator.condition(xo).logProb(theta), loaded.condition(xo).logProb(theta), 1e-6);
		double[][] a = estimator.condition(xo).sample(5, new Well19937c(9));
		double[][] b = loaded.condition(xo).sample(5, new Well19937c(9));
		for (int i = 0; i < 5; i++) {
			assertArrayEquals(a[i], b[i], 1e-6);
		}
		// A damaged weight file is named.
		Path w = dir.resolve("weights/000.npy");
		byte[] bytes = Files.readAllBytes(w);
		bytes[bytes.length - 1] ^= 1;
		Files.write(w, bytes);
		Exception e = assertThrows(java.io.IOException.class, () -> npe.load(dir));
		assertTrue(e.getMessage().contains("000.npy") && e.getMessage().contains("SHA-256"), e.getMessage());
	}

	@Test
	void leakageIsRejectedAndNormalisedAndHopelessSamplingStops(@TempDir Path dir) throws Exception {
		// Train under a box prior; near its edge the flow leaks mass outside.
		Prior box = BoxUniformPrior.of(P, -1, 1);
		NpeEstimator e = npe.train(simulate(box, N, 2), box, descriptor(box), Map.of("density_estimator", "maf"), 8, ProgressMonitor.NULL);
		NpePosterior q = e.condition(new double[] { 1.3, 0.9 });
		for (double[] t : q.sample(2_000, new Well19937c(5))) {
			assertTrue(box.inSupport(t), "samples stay in the prior's support");
		}
		double rate = q.acceptanceRate();
		assertTrue(rate < 1 && rate > NpePosterior.MIN_ACCEPTANCE, "some leakage: " + rate);
		// The normalised density integrates to 1 over the box (midpoint rule, 200² cells).
		int n = 200;
		double h = 2.0 / n;
		double[][] grid = new double[n * n][];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				grid[i * n + j] = new double[] { -1 + (i + 0.5) * h, -1 + (j + 0.5) * h };
			}
		}
		double integral = 0;
		for (double lp : q.logProbs(grid)) {
			integral += Math.exp(lp) * h * h;
		}
		// The normaliser is estimated from 20,000 draws: relative SE sqrt((1-p)/(p·20000)); plus quadrature error.
		double se = Math.sqrt((1 - rate) / (rate * 20_000));
		assertEquals(1.0, integral, 5 * se + 0.01, "∫ q(θ | x_o) dθ over the prior's support");

		// An estimator whose prior excludes all of its mass stops with a message instead of hanging.
		e.save(dir);
		Path json = dir.resolve(NpeEstimator.FILE);
		Files.writeString(json, Files.readString(json).replace("\"lower\" : -1.0", "\"lower\" : 5.0").replace("\"upper\" : 1.0",
				"\"upper\" : 6.0"));
		NpePosterior hopeless = ((NpeEstimator) npe.load(dir)).condition(new double[] { 0, 0 });
		IllegalStateException ex = assertThrows(IllegalStateException.class, () -> hopeless.sample(100, new Well19937c(1)));
		assertTrue(ex.getMessage().contains("inside the prior's support"), ex.getMessage());
	}

	@Test
	void anEmbeddingIsTrainedSavedAndLoadedWithTheFlow(@TempDir Path dir) throws Exception {
		Prior prior = MultivariateGaussianPrior.isotropic(P, new double[2], 1.0);
		NpeEstimator e = npe.train(simulate(prior, 500, 3), prior, descriptor(prior),
				Map.of("density_estimator", "maf", "embedding", "fc", "embedding_features", "3", "max_epochs", "5"), 9, ProgressMonitor.NULL);
		assertEquals("fc", e.architecture().embedding());
		e.save(dir);
		NpeEstimator loaded = (NpeEstimator) npe.load(dir);
		assertEquals("fc", loaded.architecture().embedding());
		double[] xo = { 0.4, -0.1 };
		double[] theta = { 0.3, -0.2 };
		assertEquals(e.condition(xo).logProb(theta), loaded.condition(xo).logProb(theta), 1e-6, "the embedding's weights were saved too");
		IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> npe.train(simulate(prior, 50, 3), prior,
				descriptor(prior), Map.of("embedding", "lstm"), 1, ProgressMonitor.NULL));
		assertTrue(bad.getMessage().contains("'lstm'") && bad.getMessage().contains("cnn"), bad.getMessage());
	}
}
