package org.sbiworkbench.simulators.moleculardynamics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.moleculardynamics.tests.Statistics.Z;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.moleculardynamics.OrnsteinUhlenbeck;

/**
 * ornstein_uhlenbeck: dX = −θ₁(X − θ₂)dt + σ dW sampled exactly at T times Δt
 * apart from the stationary state N(θ₂, σ²/(2θ₁)), so that Corr(X_j, X_k) =
 * e^{−θ₁Δt|j − k|}. The moments are checked across many independent series
 * (so the samples are independent), the likelihood against the multivariate
 * normal density of the whole series and by maximum likelihood.
 */
class OrnsteinUhlenbeckTest {

	/**
	 * Across 4,000 independent series: at the first, a middle and the last
	 * time, mean θ₂ within Z√(v/n) and variance v = σ²/(2θ₁) within Z√(2v²/n)
	 * (a normal's sample variance has variance 2v²/n); the lag-1 and lag-5
	 * correlations between neighbouring times e^{−θ₁Δt}, e^{−5θ₁Δt} within Z
	 * standard errors (1 − ρ²)/√n. The last θ has θ₁Δt = 1.5, where an Euler
	 * step would give the correlation 1 − θ₁Δt = −0.5 instead of e^{−1.5} = 0.22:
	 * the transition is exact at any step.
	 */
	@Test
	void seriesHaveTheStationaryMomentsAndTheExponentialAutocorrelation() {
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck();
		int n = 4000;
		for (double[] theta : new double[][] { { 2, 0.5, 1 }, { 0.5, -1, 0.3 }, { 5, 1.5, 2 }, { 15, 0, 1 } }) {
			String what = "θ = " + Arrays.toString(theta);
			double v = theta[2] * theta[2] / (2 * theta[0]);
			assertEquals(v, OrnsteinUhlenbeck.stationaryVariance(theta), 1e-15 * v);
			Well19937c random = new Well19937c(17);
			double[][] x = new double[n][];
			for (int i = 0; i < n; i++) {
				x[i] = sim.simulate(theta, random);
			}
			for (int k : new int[] { 0, 50, 99 }) {
				double[] mv = Statistics.meanAndVariance(column(x, k));
				assertEquals(theta[1], mv[0], Z * Math.sqrt(v / n), what + ": mean at time " + k);
				assertEquals(v, mv[1], Z * Math.sqrt(2 * v * v / n), what + ": variance at time " + k);
			}
			for (int lag : new int[] { 1, 5 }) {
				double rho = Math.exp(-theta[0] * sim.timeStep() * lag);
				assertEquals(rho, OrnsteinUhlenbeck.autocorrelation(theta, lag * sim.timeStep()), 1e-15);
				double r = Statistics.correlation(column(x, 50), column(x, 50 + lag));
				assertEquals(rho, r, Z * (1 - rho * rho) / Math.sqrt(n), what + ": lag-" + lag + " correlation");
			}
		}
	}

	/**
	 * Within one long series (T = 20,000): the sample lag-1 autocorrelation
	 * is e^{−θ₁Δt} within Z Bartlett standard errors √((1 − a²)/T), and the
	 * time average is θ₂ within Z√(v (1 + a)/((1 − a) T)) (the variance of
	 * the mean of an AR(1) series).
	 */
	@Test
	void oneLongSeriesIsErgodic() {
		int steps = 20_000;
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck(steps, 0.1);
		double[] theta = { 2, 0.5, 1 };
		double[] x = sim.simulate(theta, new Well19937c(3));
		double a = Math.exp(-0.2);
		double v = 0.25;
		double[] mv = Statistics.meanAndVariance(x);
		assertEquals(0.5, mv[0], Z * Math.sqrt(v * (1 + a) / ((1 - a) * steps)), "time average");
		double r = Statistics.correlation(Arrays.copyOfRange(x, 0, steps - 1), Arrays.copyOfRange(x, 1, steps));
		assertEquals(a, r, Z * Math.sqrt((1 - a * a) / steps), "lag-1 autocorrelation of one series");
	}

	private static double[] column(double[][] x, int k) {
		return Arrays.stream(x).mapToDouble(row -> row[k]).toArray();
	}

	/**
	 * For short series the O(T) likelihood equals the density of the whole
	 * series as one multivariate normal, N(θ₂·1, C) with
	 * C_jk = σ²/(2θ₁) · e^{−θ₁Δt|j − k|}, computed by Commons Math (Cholesky,
	 * no Markov property used), to 10⁻⁹.
	 */
	@Test
	void theLikelihoodIsTheMultivariateNormalDensityOfTheSeries() {
		Well19937c random = new Well19937c(8);
		for (int steps : new int[] { 1, 2, 3, 6 }) {
			for (double dt : new double[] { 0.1, 0.7 }) {
				OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck(steps, dt);
				for (double[] theta : new double[][] { { 2, 0.5, 1 }, { 0.5, -1, 0.3 }, { 4.5, 1.5, 2 } }) {
					double[] mean = new double[steps];
					double[][] cov = new double[steps][steps];
					double v = theta[2] * theta[2] / (2 * theta[0]);
					for (int j = 0; j < steps; j++) {
						mean[j] = theta[1];
						for (int k = 0; k < steps; k++) {
							cov[j][k] = v * Math.exp(-theta[0] * dt * Math.abs(j - k));
						}
					}
					MultivariateNormalDistribution reference = new MultivariateNormalDistribution(mean, cov);
					for (int rep = 0; rep < 3; rep++) {
						// Typical series, and one far from this θ's mean.
						double[] x = rep < 2 ? sim.simulate(theta, random) : sim.simulate(new double[] { 1, 3, 1 }, random);
						double expected = Math.log(reference.density(x));
						assertEquals(expected, sim.logLikelihood(theta, x), 1e-9 * Math.max(1, Math.abs(expected)),
								"T = " + steps + ", Δt = " + dt + ", θ = " + Arrays.toString(theta));
					}
				}
			}
		}
	}

	/**
	 * Maximum likelihood on one series of T = 10,000 recovers θ = (2, 0.5, 1)
	 * within Z standard errors, taken from the inverse of the observed
	 * information (the log-likelihood's Hessian by central differences at the
	 * maximum), and those standard errors agree with the AR(1) asymptotics
	 * SE(θ₁) = √((1 − a²)/T)/(aΔt), SE(θ₂) = s/((1 − a)√T), s² = σ²(1 − a²)/(2θ₁)
	 * to 10 % (the observed information for θ₁ is a sum of squares of the
	 * series, which fluctuates by about 3 % at T = 10⁴, so its square root by 1.6 %).
	 */
	@Test
	void theLikelihoodsMaximumRecoversTheTruth() {
		int steps = 10_000;
		double dt = 0.1;
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck(steps, dt);
		double[] truth = { 2, 0.5, 1 };
		double[] x = sim.simulate(truth, new Well19937c(2024));
		// Maximise over (log θ₁, θ₂, log σ), which keeps θ₁ and σ positive.
		SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-13);
		PointValuePair best = optimizer.optimize(new MaxEval(20_000),
				new ObjectiveFunction(p -> sim.logLikelihood(new double[] { Math.exp(p[0]), p[1], Math.exp(p[2]) }, x)),
				GoalType.MAXIMIZE, new InitialGuess(new double[] { 0, 0, Math.log(0.5) }), new NelderMeadSimplex(3, 0.2));
		double[] p = best.getPoint();
		double[] mle = { Math.exp(p[0]), p[1], Math.exp(p[2]) };

		double[][] hessian = new double[3][3];
		double[] h = { 1e-3, 1e-3, 1e-3 };
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++) {
				hessian[i][j] = (logL(sim, x, mle, i, h[i], j, h[j]) - logL(sim, x, mle, i, h[i], j, -h[j])
						- logL(sim, x, mle, i, -h[i], j, h[j]) + logL(sim, x, mle, i, -h[i], j, -h[j])) / (4 * h[i] * h[j]);
			}
		}
		RealMatrix covariance = new LUDecomposition(MatrixUtils.createRealMatrix(hessian).scalarMultiply(-1)).getSolver()
				.getInverse();
		String[] names = { "θ₁", "θ₂", "σ" };
		double[] se = new double[3];
		for (int i = 0; i < 3; i++) {
			se[i] = Math.sqrt(covariance.getEntry(i, i));
			assertEquals(truth[i], mle[i], Z * se[i], names[i] + ": MLE " + mle[i] + " ± " + se[i]);
		}
		double a = Math.exp(-mle[0] * dt);
		double s = mle[2] * Math.sqrt((1 - a * a) / (2 * mle[0]));
		assertEquals(Math.sqrt((1 - a * a) / steps) / (a * dt), se[0], 0.1 * se[0], "SE(θ₁) from the AR(1) asymptotics");
		assertEquals(s / ((1 - a) * Math.sqrt(steps)), se[1], 0.1 * se[1], "SE(θ₂) from the AR(1) asymptotics");
		assertTrue(se[0] < 0.1 && se[1] < 0.05 && se[2] < 0.02, "T = 10,000 pins θ down: " + Arrays.toString(se));
	}

	/** log L at θ with components i and j moved by di and dj. */
	private static double logL(OrnsteinUhlenbeck sim, double[] x, double[] theta, int i, double di, int j, double dj) {
		double[] t = theta.clone();
		t[i] += di;
		t[j] += dj;
		return sim.logLikelihood(t, x);
	}

	/**
	 * The stored series is simulate(θ_true, new Well19937c(1)); θ_true lies in
	 * the prior, and is plausible for the series by Wilks' theorem: twice the
	 * log-likelihood ratio between the maximum and θ_true is below the
	 * 1 − 10⁻⁵ quantile of χ²₃.
	 */
	@Test
	void theDefaultObservationIsReproducibleAndPlausible() {
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		assertEquals("series 1", o.name());
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(new double[] { 2, 0.5, 1 }, theta, 0);
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(OrnsteinUhlenbeck.DEFAULT_OBSERVATION_SEED)), 0,
				"series 1 is simulate(θ_true, new Well19937c(" + OrnsteinUhlenbeck.DEFAULT_OBSERVATION_SEED + "))");
		double[] x = o.values();
		PointValuePair best = new SimplexOptimizer(1e-12, 1e-12).optimize(new MaxEval(20_000),
				new ObjectiveFunction(p -> sim.logLikelihood(new double[] { Math.exp(p[0]), p[1], Math.exp(p[2]) }, x)),
				GoalType.MAXIMIZE, new InitialGuess(new double[] { 0, 0, 0 }), new NelderMeadSimplex(3, 0.2));
		double q = 2 * (best.getValue() - sim.logLikelihood(theta, x));
		assertTrue(q >= -1e-9, "the maximum is at least the likelihood at θ_true");
		assertTrue(q < new ChiSquaredDistribution(null, 3).inverseCumulativeProbability(1 - Statistics.LEVEL),
				"θ_true is plausible for series 1: 2 log LR = " + q);
	}

	@Test
	void theDescriptorNamesTheSeriesAndTheUnits() {
		SimulatorDescriptor d = new OrnsteinUhlenbeck().descriptor();
		assertEquals("ornstein_uhlenbeck", d.id());
		assertEquals(List.of(new Parameter("rate", "1/t0"), new Parameter("mean", "x0"), new Parameter("noise", "x0/sqrt(t0)")),
				d.parameters());
		assertEquals(List.of(100), d.observationShape());
		assertEquals("x_000", d.observationNames().get(0));
		assertEquals("x_099", d.observationNames().get(99));
		assertArrayEquals(new double[] { 0.5, -2, 0.2 }, d.defaultPrior().lowerBounds(), 0);
		assertArrayEquals(new double[] { 5, 2, 2 }, d.defaultPrior().upperBounds(), 0);
		assertEquals(List.of(1000), new OrnsteinUhlenbeck(1000, 0.01).descriptor().observationShape());
		assertEquals("x_999", new OrnsteinUhlenbeck(1000, 0.01).descriptor().observationNames().get(999));
		assertEquals("x_00000", new OrnsteinUhlenbeck(20_000, 0.01).descriptor().observationNames().get(0));
		assertTrue(new OrnsteinUhlenbeck(1000, 0.01).descriptor().defaultObservations().isEmpty());
	}

	@Test
	void theSameSeedGivesTheSameSeries() {
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck();
		double[] theta = { 1.3, -0.4, 0.7 };
		double[] a = sim.simulate(theta, new Well19937c(99));
		double[] b = sim.simulate(theta, new Well19937c(99));
		double[] c = sim.simulate(theta, new Well19937c(100));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c), "another seed, another series");
		assertEquals(100, a.length);
		Well19937c random = new Well19937c(5);
		double[][] batch = sim.simulate(new double[][] { theta, theta }, random);
		Well19937c again = new Well19937c(5);
		assertArrayEquals(sim.simulate(theta, again), batch[0], 0);
		assertArrayEquals(sim.simulate(theta, again), batch[1], 0);
	}

	@Test
	void invalidParametersAreRefusedWithTheParameterNamed() {
		OrnsteinUhlenbeck sim = new OrnsteinUhlenbeck();
		Well19937c random = new Well19937c(1);
		record Case(double[] theta, String word) {
		}
		for (Case c : List.of(new Case(new double[] { 0, 0, 1 }, "rate"), new Case(new double[] { -1, 0, 1 }, "rate"),
				new Case(new double[] { Double.NaN, 0, 1 }, "rate"), new Case(new double[] { 1, 0, 0 }, "noise"),
				new Case(new double[] { 1, 0, -0.5 }, "noise"), new Case(new double[] { 1, 0, Double.POSITIVE_INFINITY }, "noise"),
				new Case(new double[] { 1, Double.NaN, 1 }, "mean"), new Case(new double[] { 1, 0 }, "3 parameters"),
				new Case(new double[] { 1, 0, 1, 0 }, "3 parameters"), new Case(null, "3 parameters"))) {
			String label = c.theta() == null ? "null" : Arrays.toString(c.theta());
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(c.theta(), random),
					label);
			assertTrue(e.getMessage().contains(c.word()) && e.getMessage().contains("ornstein_uhlenbeck"),
					"message names the problem: " + e.getMessage());
			IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
					() -> sim.logLikelihood(c.theta(), new double[100]), label);
			assertTrue(l.getMessage().contains(c.word()), l.getMessage());
		}
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> sim.logLikelihood(new double[] { 1, 0, 1 }, new double[99]));
		assertTrue(e.getMessage().contains("100 values"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new OrnsteinUhlenbeck(0, 0.1));
		assertThrows(IllegalArgumentException.class, () -> new OrnsteinUhlenbeck(10, 0));
		assertThrows(IllegalArgumentException.class, () -> new OrnsteinUhlenbeck(10, Double.NaN));
	}
}
