package org.sbiworkbench.simulators.climate.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.climate.tests.Statistics.Z;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.climate.Lorenz96;

/**
 * lorenz96: dX_k/dt = −X_{k−2}X_{k−1} + X_{k−1}X_{k+1} − X_k + F − (θ₁ + θ₂X_k) + η_k,
 * K = 40, F = 10, η_k AR(1) with φ = 0.984 and stationary variance 1 started
 * at 0, RK4 with Δt = 0.025, 160 time points, six statistics, as in ELFI's
 * {@code forecast_lorenz}. The tendency, the Runge–Kutta step and the
 * statistics are written out here again, independently of the simulator.
 */
class Lorenz96Test {

	private static final int K = 40;
	private static final double PHI = 0.984;

	// ---- the reference model, written out again (ELFI's form) ----

	private static double[] rhs(double[] y, double theta1, double theta2, double f, double[] eta) {
		int n = y.length;
		double[] d = new double[n];
		for (int k = 0; k < n; k++) {
			double ym2 = y[Math.floorMod(k - 2, n)];
			double ym1 = y[Math.floorMod(k - 1, n)];
			double yp1 = y[Math.floorMod(k + 1, n)];
			d[k] = -ym2 * ym1 + ym1 * yp1 - y[k] + f - (theta1 + theta2 * y[k]) + eta[k];
		}
		return d;
	}

	private static double[] plus(double[] y, double[] k, double scale) {
		double[] out = new double[y.length];
		for (int i = 0; i < y.length; i++) {
			out[i] = y[i] + scale * k[i];
		}
		return out;
	}

	/** k1 = h f(y), k2 = h f(y + k1/2), k3 = h f(y + k2/2), k4 = h f(y + k3); y + (k1 + 2k2 + 2k3 + k4)/6. */
	private static double[] rk4(double[] y, double theta1, double theta2, double f, double[] eta, double h) {
		double[] k1 = scale(rhs(y, theta1, theta2, f, eta), h);
		double[] k2 = scale(rhs(plus(y, k1, 0.5), theta1, theta2, f, eta), h);
		double[] k3 = scale(rhs(plus(y, k2, 0.5), theta1, theta2, f, eta), h);
		double[] k4 = scale(rhs(plus(y, k3, 1), theta1, theta2, f, eta), h);
		double[] out = new double[y.length];
		for (int i = 0; i < y.length; i++) {
			out[i] = y[i] + (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
		}
		return out;
	}

	private static double[] scale(double[] v, double s) {
		return Arrays.stream(v).map(x -> x * s).toArray();
	}

	private static double[] column(double[][] x, int k, int from, int to) {
		double[] c = new double[to - from];
		for (int i = from; i < to; i++) {
			c[i - from] = x[i][Math.floorMod(k, x[i].length)];
		}
		return c;
	}

	/** ELFI's mean, var, autocov, cov, xcov(prev), xcov(next), each averaged over the variables. */
	private static double[] elfiStatistics(double[][] x) {
		int n = x.length;
		int kk = x[0].length;
		double[] s = new double[6];
		for (int k = 0; k < kk; k++) {
			double[] all = column(x, k, 0, n);
			s[0] += Statistics.mean(all);
			s[1] += Statistics.variance(all);
			s[2] += Statistics.covariance(column(x, k, 0, n - 1), column(x, k, 1, n));
			s[3] += Statistics.covariance(all, column(x, k + 1, 0, n));
			s[4] += Statistics.covariance(column(x, k, 0, n - 1), column(x, k - 1, 1, n));
			s[5] += Statistics.covariance(column(x, k, 0, n - 1), column(x, k + 1, 1, n));
		}
		for (int j = 0; j < 6; j++) {
			s[j] /= kk;
		}
		return s;
	}

	// ---- the tests ----

	@Test
	void oneStepIsClassicalRungeKuttaOfTheLorenz96Tendency() {
		double[] x0 = Lorenz96.initialState();
		assertEquals(K, x0.length);
		// The deterministic model (θ = 0, no noise): the simulator's first step against the step computed here.
		Lorenz96 deterministic = new Lorenz96(10, PHI, 0, 2, 0.025);
		double[][] series = deterministic.trajectory(new double[] { 0, 0 }, null);
		assertArrayEquals(x0, series[0], 0, "row 0 is the initial state");
		double[] expected = rk4(x0, 0, 0, 10, new double[K], 0.025);
		assertArrayEquals(expected, series[1], 1e-13, "one RK4 step of the deterministic Lorenz-96 model, F = 10");
		double moved = 0;
		for (int k = 0; k < K; k++) {
			moved = Math.max(moved, Math.abs(series[1][k] - x0[k]));
		}
		assertTrue(moved > 0.05, "the state moves in one step: " + moved);

		// With closure and noise, through the public step.
		Well19937c random = new Well19937c(5);
		double[] eta = new double[K];
		for (int k = 0; k < K; k++) {
			eta[k] = random.nextGaussian();
		}
		double[] state = x0.clone();
		Lorenz96.rungeKuttaStep(state, 2.0, 0.1, 10, eta, 0.025, null);
		assertArrayEquals(rk4(x0, 2.0, 0.1, 10, eta, 0.025), state, 1e-13, "θ = (2, 0.1) with η");
	}

	/**
	 * The whole stochastic series, recomputed here step by step from the
	 * forcing the simulator reports for the same seed, as ELFI computes it.
	 */
	@Test
	void theStochasticSeriesIsElfisRecursion() {
		Lorenz96 sim = new Lorenz96();
		assertEquals(160, sim.timePoints());
		assertEquals(0.025, sim.timeStep(), 0);
		double[] theta = { 2.0, 0.1 };
		double[][] eta = sim.forcingNoise(K, new Well19937c(17));
		double[][] x = sim.trajectory(theta, new Well19937c(17));
		assertEquals(160, x.length);
		double[] y = Lorenz96.initialState();
		double worst = 0;
		for (int i = 1; i < 160; i++) {
			y = rk4(y, theta[0], theta[1], 10, eta[i], 0.025);
			for (int k = 0; k < K; k++) {
				worst = Math.max(worst, Math.abs(y[k] - x[i][k]));
			}
		}
		// Chaos amplifies rounding differences by about e^{1.7 · 4} over the series.
		assertTrue(worst < 1e-9, "largest difference from the recursion: " + worst);
		assertArrayEquals(elfiStatistics(x), sim.simulate(theta, new Well19937c(17)), 1e-12, "simulate = six statistics of the series");
	}

	/**
	 * The advection term conserves ½Σ X_k², so Σ X_k dX_k/dt =
	 * −(1 + θ₂)Σ X_k² + Σ (F − θ₁ + η_k) X_k exactly, at any state.
	 */
	@Test
	void theAdvectionConservesEnergy() {
		Well19937c random = new Well19937c(3);
		double[] out = new double[K];
		for (int trial = 0; trial < 100; trial++) {
			double[] x = new double[K];
			double[] eta = new double[K];
			for (int k = 0; k < K; k++) {
				x[k] = 2 + 5 * random.nextGaussian();
				eta[k] = random.nextGaussian();
			}
			double theta1 = 4 * random.nextDouble();
			double theta2 = random.nextDouble();
			Lorenz96.tendency(x, theta1, theta2, 10, eta, out);
			double power = 0;
			double expected = 0;
			double scale = 0;
			for (int k = 0; k < K; k++) {
				power += x[k] * out[k];
				expected += -(1 + theta2) * x[k] * x[k] + (10 - theta1 + eta[k]) * x[k];
				scale += x[k] * x[k] * (1 + Math.abs(x[k]));
			}
			assertEquals(expected, power, 1e-13 * scale, "energy budget at trial " + trial);
		}
	}

	/**
	 * The classic deterministic Lorenz-96 model (F = 8, no closure, no noise)
	 * has a chaotic climate with mean 2.3 and standard deviation 3.6 per
	 * variable (Lorenz and Emanuel 1998). Two runs of 1000 time units from
	 * independent starts agree within their statistical errors (from 20 batch
	 * means each) and with those values to their quoted precision.
	 */
	@Test
	void classicLorenz96WithF8HasTheKnownClimate() {
		int spinUp = 800; // 20 time units
		int batches = 20;
		int perBatch = 2000; // 50 time units
		Lorenz96 sim = new Lorenz96(8, PHI, 0, spinUp + batches * perBatch, 0.025);
		double[][] stats = new double[2][4];
		for (int run = 0; run < 2; run++) {
			Well19937c random = new Well19937c(100 + run);
			double[] x0 = new double[K];
			for (int k = 0; k < K; k++) {
				x0[k] = 8 + 0.01 * random.nextGaussian();
			}
			double[][] x = sim.trajectory(new double[] { 0, 0 }, x0, null);
			double[] batchMean = new double[batches];
			double[] batchStd = new double[batches];
			double sum = 0;
			double squares = 0;
			for (int b = 0; b < batches; b++) {
				double s = 0;
				double q = 0;
				for (int i = spinUp + b * perBatch; i < spinUp + (b + 1) * perBatch; i++) {
					for (double v : x[i]) {
						s += v;
						q += v * v;
					}
				}
				int count = perBatch * K;
				batchMean[b] = s / count;
				batchStd[b] = Math.sqrt(q / count - batchMean[b] * batchMean[b]);
				sum += s;
				squares += q;
			}
			int count = batches * perBatch * K;
			double mean = sum / count;
			double std = Math.sqrt(squares / count - mean * mean);
			stats[run] = new double[] { mean, Statistics.standardError(batchMean), std, Statistics.standardError(batchStd) };
			assertEquals(2.3, mean, 0.05 + Z * stats[run][1], "mean of X_k, run " + run + ": " + Arrays.toString(stats[run]));
			assertEquals(3.6, std, 0.05 + Z * stats[run][3], "standard deviation of X_k, run " + run);
			assertTrue(stats[run][1] < 0.02 && stats[run][3] < 0.01, "the runs are long enough: " + Arrays.toString(stats[run]));
		}
		assertEquals(stats[0][0], stats[1][0], Z * Math.hypot(stats[0][1], stats[1][1]), "the two runs' means agree");
		assertEquals(stats[0][2], stats[1][2], Z * Math.hypot(stats[0][3], stats[1][3]), "the two runs' standard deviations agree");
	}

	/**
	 * η_k(t_i) = φ η_k(t_{i−1}) + √(1 − φ²) e: over 500 × 40 independent
	 * series, Var η(t_i) = 1 − φ^{2i}, Cov(η(t_i), η(t_{i+1})) = φ Var η(t_i)
	 * (lag-one autocorrelation φ once stationary), innovations of variance
	 * 1 − φ², uncorrelated in time and between neighbours.
	 */
	@Test
	void theStochasticForcingIsTheStatedAr1Process() {
		Lorenz96 sim = new Lorenz96();
		int runs = 500;
		int series = runs * K;
		double[][][] eta = new double[runs][][];
		Well19937c random = new Well19937c(41);
		for (int r = 0; r < runs; r++) {
			eta[r] = sim.forcingNoise(K, random);
		}
		for (int i : new int[] { 1, 10, 80, 158 }) {
			double[] now = new double[series];
			double[] next = new double[series];
			for (int r = 0; r < runs; r++) {
				for (int k = 0; k < K; k++) {
					now[r * K + k] = eta[r][i][k];
					next[r * K + k] = eta[r][i + 1][k];
				}
			}
			double variance = 1 - Math.pow(PHI, 2 * i);
			double varianceNext = 1 - Math.pow(PHI, 2 * i + 2);
			assertEquals(0, Statistics.mean(now), Z * Math.sqrt(variance / series), "mean of η at step " + i);
			assertEquals(variance, Statistics.variance(now), Z * variance * Math.sqrt(2.0 / series), "Var η at step " + i);
			double cov = PHI * variance;
			assertEquals(cov, Statistics.covariance(now, next), Z * Math.sqrt((variance * varianceNext + cov * cov) / series),
					"lag-one autocovariance at step " + i);
			if (i == 158) {
				double correlation = Statistics.covariance(now, next) / Math.sqrt(Statistics.variance(now) * Statistics.variance(next));
				assertEquals(PHI, correlation, 0.003 + Z * (1 - PHI * PHI) / Math.sqrt(series), "lag-one autocorrelation ≈ φ");
			}
		}
		assertArrayEquals(new double[K], eta[0][0], 0, "η starts at 0");

		// Innovations e√(1 − φ²) = η_i − φ η_{i−1}: variance 1 − φ², no memory, no spatial correlation.
		int count = runs * K * 158;
		double[] innovation = new double[count];
		double[] previous = new double[count];
		double[] neighbour = new double[count];
		int c = 0;
		for (int r = 0; r < runs; r++) {
			for (int i = 2; i < 160; i++) {
				for (int k = 0; k < K; k++) {
					innovation[c] = eta[r][i][k] - PHI * eta[r][i - 1][k];
					previous[c] = eta[r][i - 1][k] - PHI * eta[r][i - 2][k];
					neighbour[c] = eta[r][i][(k + 1) % K] - PHI * eta[r][i - 1][(k + 1) % K];
					c++;
				}
			}
		}
		double v = 1 - PHI * PHI;
		assertEquals(v, Statistics.variance(innovation), Z * v * Math.sqrt(2.0 / count), "innovation variance 1 − φ²");
		assertEquals(0, Statistics.covariance(innovation, previous) / v, Z / Math.sqrt(count), "innovations are white in time");
		assertEquals(0, Statistics.covariance(innovation, neighbour) / v, Z / Math.sqrt(count), "and independent between variables");
	}

	@Test
	void summariesAreElfisSixStatisticsAndFiniteOverThePrior() {
		Lorenz96 sim = new Lorenz96();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(List.of("mean", "variance", "autocov_lag1", "cov_neighbour", "crosscov_prev_lag1", "crosscov_next_lag1"),
				d.observationNames());
		assertEquals(List.of(6), d.observationShape());
		Well19937c random = new Well19937c(8);
		for (int n = 0; n < 100; n++) {
			double[] theta = d.defaultPrior().sample(random);
			double[][] x = sim.trajectory(theta, random);
			double[] s = Lorenz96.summaries(x);
			assertArrayEquals(elfiStatistics(x), s, 1e-12, "θ = " + Arrays.toString(theta));
			for (double v : s) {
				assertTrue(Double.isFinite(v), "finite statistics at θ = " + Arrays.toString(theta));
			}
			assertTrue(s[1] > 0, "a positive variance: " + Arrays.toString(s));
		}
		// Shifting the series moves the mean only.
		double[][] x = sim.trajectory(new double[] { 2, 0.1 }, new Well19937c(9));
		double[][] shifted = Arrays.stream(x).map(row -> Arrays.stream(row).map(v -> v + 3).toArray()).toArray(double[][]::new);
		double[] a = Lorenz96.summaries(x);
		double[] b = Lorenz96.summaries(shifted);
		assertEquals(a[0] + 3, b[0], 1e-12);
		for (int j = 1; j < 6; j++) {
			assertEquals(a[j], b[j], 1e-10, "statistic " + j + " is shift invariant");
		}
	}

	/**
	 * The closure acts as it should: a larger constant θ₁ takes forcing away
	 * (lower mean and variance), a larger θ₂ damps (lower variance); each by
	 * many standard errors of 40 simulations.
	 */
	@Test
	void theStatisticsRespondToTheClosureParameters() {
		Lorenz96 sim = new Lorenz96();
		Well19937c random = new Well19937c(12);
		double[][] weak = many(sim, new double[] { 0.5, 0.1 }, 40, random);
		double[][] strong = many(sim, new double[] { 3.5, 0.1 }, 40, random);
		assertDecrease("mean, θ₁ 0.5 → 3.5", column(weak, 0), column(strong, 0));
		assertDecrease("variance, θ₁ 0.5 → 3.5", column(weak, 1), column(strong, 1));
		double[][] undamped = many(sim, new double[] { 2, 0 }, 40, random);
		double[][] damped = many(sim, new double[] { 2, 0.3 }, 40, random);
		assertDecrease("variance, θ₂ 0 → 0.3", column(undamped, 1), column(damped, 1));
	}

	private static double[][] many(Lorenz96 sim, double[] theta, int n, Well19937c random) {
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = sim.simulate(theta, random);
		}
		return x;
	}

	private static double[] column(double[][] x, int j) {
		return Arrays.stream(x).mapToDouble(r -> r[j]).toArray();
	}

	private static void assertDecrease(String what, double[] before, double[] after) {
		double difference = Statistics.mean(before) - Statistics.mean(after);
		double se = Math.hypot(Statistics.standardError(before), Statistics.standardError(after));
		assertTrue(difference > 2 * Z * se, what + ": decrease " + difference + " against its standard error " + se);
	}

	@Test
	void theDefaultObservationIsReproducibleAndTypicalOfItsParameters() {
		Lorenz96 sim = new Lorenz96();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		assertEquals("toy 1", o.name());
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(new double[] { 2.0, 0.1 }, theta, 0, "the literature's true θ");
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(Lorenz96.DEFAULT_OBSERVATION_SEED)), 0,
				"toy 1 is simulate(θ_true, new Well19937c(" + Lorenz96.DEFAULT_OBSERVATION_SEED + "))");
		double[][] x = many(sim, theta, 200, new Well19937c(13));
		for (int j = 0; j < 6; j++) {
			double[] c = column(x, j);
			double z = (o.values()[j] - Statistics.mean(c)) / Math.sqrt(Statistics.variance(c));
			assertTrue(Math.abs(z) < Z, d.observationNames().get(j) + " of toy 1 lies " + z + " standard deviations from its mean");
		}
	}

	@Test
	void theSameSeedGivesTheSameStatistics() {
		Lorenz96 sim = new Lorenz96();
		double[] a = sim.simulate(new double[] { 1.5, 0.2 }, new Well19937c(8));
		double[] b = sim.simulate(new double[] { 1.5, 0.2 }, new Well19937c(8));
		double[] c = sim.simulate(new double[] { 1.5, 0.2 }, new Well19937c(9));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c));
	}

	@Test
	void invalidParametersAreRefusedWithTheParameterNamed() {
		Lorenz96 sim = new Lorenz96();
		Well19937c random = new Well19937c(1);
		record Case(double[] theta, String word) {
		}
		for (Case c : List.of(new Case(new double[] { Double.NaN, 0.1 }, "theta1"),
				new Case(new double[] { Double.POSITIVE_INFINITY, 0.1 }, "theta1"),
				new Case(new double[] { 2, Double.NaN }, "theta2"), new Case(new double[] { 2, -1 }, "theta2"),
				new Case(new double[] { 2, -3 }, "theta2"), new Case(new double[] { 2 }, "2 parameters"),
				new Case(new double[] { 2, 0.1, 0 }, "2 parameters"))) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(c.theta(), random),
					Arrays.toString(c.theta()));
			assertTrue(e.getMessage().contains(c.word()) && e.getMessage().contains("lorenz96"), e.getMessage());
		}
		assertThrows(IllegalArgumentException.class, () -> sim.simulate((double[]) null, random));
		// Beyond the prior but valid: θ₁ < 0 adds forcing, −1 < θ₂ < 0 weakens the damping.
		for (double v : sim.simulate(new double[] { -1, -0.5 }, random)) {
			assertTrue(Double.isFinite(v));
		}
		// A damping too strong for the RK4 step diverges and says why.
		IllegalStateException diverged = assertThrows(IllegalStateException.class,
				() -> sim.simulate(new double[] { 2, 200 }, random));
		assertTrue(diverged.getMessage().contains("unstable"), diverged.getMessage());
		// Settings.
		assertThrows(IllegalArgumentException.class, () -> new Lorenz96(10, 1, 1, 160, 0.025));
		assertThrows(IllegalArgumentException.class, () -> new Lorenz96(10, 0.5, -1, 160, 0.025));
		assertThrows(IllegalArgumentException.class, () -> new Lorenz96(Double.NaN, 0.5, 1, 160, 0.025));
		assertThrows(IllegalArgumentException.class, () -> new Lorenz96(10, 0.5, 1, 1, 0.025));
		assertThrows(IllegalArgumentException.class, () -> new Lorenz96(10, 0.5, 1, 160, 0));
		assertTrue(new Lorenz96(10, 0.5, 1, 160, 0.01).descriptor().defaultObservations().isEmpty(),
				"only the registered configuration carries toy 1");
	}
}
