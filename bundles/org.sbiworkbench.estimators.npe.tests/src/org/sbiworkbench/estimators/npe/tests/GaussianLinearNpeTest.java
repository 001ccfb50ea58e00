package org.sbiworkbench.estimators.npe.tests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.estimators.npe.NeuralPosteriorEstimation;
import org.sbiworkbench.estimators.npe.NpeEstimator;
import org.sbiworkbench.estimators.npe.NpePosterior;
import org.sbiworkbench.simulators.benchmarks.GaussianLinear;

/**
 * NPE on sbibm's gaussian_linear (10 parameters): θ ~ N(0, 0.1·I), x | θ ~ N(θ, 0.1·I), so the posterior is
 * N(x_o / 2, 0.05·I). One flow trained on N simulations is conditioned on observations drawn from the prior
 * predictive; its mean, standard deviations and correlations must match the closed form within tolerances
 * derived from the budget.
 */
class GaussianLinearNpeTest {

	static final int N = 5_000;
	static final int D = 10;
	static final double SIGMA = Math.sqrt(0.05);
	static final int M = 20_000;

	@Test
	void meanAndCovarianceMatchTheClosedFormPosterior() {
		GaussianLinear task = new GaussianLinear();
		SimulatorDescriptor d = task.descriptor();
		Prior prior = d.defaultPrior();
		Well19937c r = new Well19937c(11);
		double[][] theta = prior.sample(N, r);
		double[][] x = task.simulate(theta, r);
		NpeEstimator npe = new NeuralPosteriorEstimation().train(new SimulationSet.TrainingData(theta, x, 0), prior, d, Map.of(), 5,
				ProgressMonitor.NULL);

		// Typical observations: fresh draws from the prior predictive (not in the training set).
		double[][] observations = task.simulate(prior.sample(3, new Well19937c(13)), new Well19937c(14));
		List<Executable> checks = new ArrayList<>();
		for (int o = 0; o < observations.length; o++) {
			checks.addAll(checks(npe.condition(observations[o]), observations[o], o));
		}
		assertAll(checks);
	}

	private static List<Executable> checks(NpePosterior q, double[] xo, int o) {
		double[][] s = q.sample(M, new Well19937c(12 + o));
		double[] mean = new double[D];
		for (double[] t : s) {
			for (int j = 0; j < D; j++) {
				mean[j] += t[j] / M;
			}
		}
		double[][] cov = new double[D][D];
		for (double[] t : s) {
			for (int i = 0; i < D; i++) {
				for (int j = 0; j < D; j++) {
					cov[i][j] += (t[i] - mean[i]) * (t[j] - mean[j]) / (M - 1);
				}
			}
		}
		// A maximum-likelihood fit of the linear-Gaussian family from N pairs predicts the mean at x_o with an
		// error of about σ·sqrt((1 + h)/N), h = x_oᵀ Σ_x⁻¹ x_o its leverage (Σ_x = 0.2·I, the prior predictive's
		// covariance). The flow is a far larger family, so allow 5 times that, plus 5 Monte Carlo standard errors.
		double h = 0;
		for (double v : xo) {
			h += v * v / 0.2;
		}
		double fit = 5 * SIGMA * Math.sqrt((1 + h) / N);
		List<Executable> checks = new ArrayList<>();
		double worstCorrelation = 0;
		for (int j = 0; j < D; j++) {
			String at = "theta_" + (j + 1) + " at observation " + o + " (leverage " + String.format("%.1f", h) + ")";
			double mj = mean[j], sj = Math.sqrt(cov[j][j]), truth = xo[j] / 2;
			checks.add(() -> assertEquals(truth, mj, fit + 5 * SIGMA / Math.sqrt(M), "posterior mean of " + at));
			checks.add(() -> assertEquals(SIGMA, sj, fit + 5 * SIGMA / Math.sqrt(2.0 * M), "posterior std of " + at));
			for (int k = 0; k < j; k++) {
				worstCorrelation = Math.max(worstCorrelation, Math.abs(cov[j][k] / Math.sqrt(cov[j][j] * cov[k][k])));
			}
		}
		// A fitted correlation has a standard error of about 1/sqrt(N), a sample correlation about 1/sqrt(M).
		double corrTolerance = 5 / Math.sqrt(N) + 5 / Math.sqrt(M);
		double worst = worstCorrelation;
		checks.add(() -> assertTrue(worst < corrTolerance, "the true posterior has independent coordinates; at observation " + o
				+ " the largest |correlation| was " + worst + " > " + corrTolerance));
		checks.add(() -> assertEquals(1.0, q.acceptanceRate(), 0.0, "a Gaussian prior has full support"));
		return checks;
	}
}
