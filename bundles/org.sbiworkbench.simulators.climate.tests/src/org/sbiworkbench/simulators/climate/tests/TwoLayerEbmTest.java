package org.sbiworkbench.simulators.climate.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.climate.tests.Statistics.Z;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.climate.TwoLayerEbm;

/**
 * two_layer_ebm: C dT/dt = F − λT − εγ(T − T_d), C_d dT_d/dt = γ(T − T_d),
 * T(0) = T_d(0) = 0, F constant within each year (the CO₂ forcing plus
 * AR(1)/white noise), observed as 150 annual means of T. The references here
 * are independent of the simulator's exact exponential integrator: Geoffroy
 * et al. (2013a)'s closed-form step response, Commons Math's eigen
 * decomposition, and Commons Math's adaptive Dormand–Prince 8(5,3)
 * integrator run at tolerance 10⁻¹².
 */
class TwoLayerEbmTest {

	private static final double F4X = 5.35 * Math.log(4);
	private static final double[] DEFAULT = { 1.13, 7.3, 106, 0.73, 1.3 };
	/** The default, the EBM-1 means (ε = 1) and the prior's slowest and fastest corners. */
	private static final List<double[]> THETAS = List.of(DEFAULT, new double[] { 1.13, 7.3, 106, 0.73, 1 },
			new double[] { 0.5, 10, 250, 0.3, 0.7 }, new double[] { 2, 4, 40, 1.2, 2 }, new double[] { 0.8, 8, 60, 0.5, 1.8 });

	// ---- references ----

	/** Geoffroy et al. (2013a) with γ → εγ in the upper layer (2013b): τ_f, τ_s, φ_f, φ_s, a_f, a_s. */
	private static double[] geoffroy(double[] theta) {
		double lambda = theta[0];
		double c = theta[1];
		double cd = theta[2];
		double gamma = theta[3];
		double eps = theta[4];
		double b = (lambda + eps * gamma) / c + gamma / cd;
		double bStar = (lambda + eps * gamma) / c - gamma / cd;
		double delta = b * b - 4 * lambda * gamma / (c * cd);
		double tauF = c * cd / (2 * lambda * gamma) * (b - Math.sqrt(delta));
		double tauS = c * cd / (2 * lambda * gamma) * (b + Math.sqrt(delta));
		double phiF = c / (2 * eps * gamma) * (bStar - Math.sqrt(delta));
		double phiS = c / (2 * eps * gamma) * (bStar + Math.sqrt(delta));
		double aF = phiS * tauF * lambda / (c * (phiS - phiF));
		double aS = -phiF * tauS * lambda / (c * (phiS - phiF));
		return new double[] { tauF, tauS, phiF, phiS, aF, aS };
	}

	/**
	 * Integrates the model with Dormand–Prince over piecewise-constant annual
	 * forcing; per year: T̄, T̄_d (annual means) and T, T_d at the year's end.
	 */
	private static double[][] reference(double[] theta, double[] forcing) {
		double lambda = theta[0];
		double c = theta[1];
		double cd = theta[2];
		double gamma = theta[3];
		double eps = theta[4];
		double[] f = new double[1];
		FirstOrderDifferentialEquations ode = new FirstOrderDifferentialEquations() {
			@Override
			public int getDimension() {
				return 4;
			}

			@Override
			public void computeDerivatives(double t, double[] y, double[] dy) {
				dy[0] = (f[0] - lambda * y[0] - eps * gamma * (y[0] - y[1])) / c;
				dy[1] = gamma * (y[0] - y[1]) / cd;
				dy[2] = y[0];
				dy[3] = y[1];
			}
		};
		DormandPrince853Integrator integrator = new DormandPrince853Integrator(1e-9, 1, 1e-13, 1e-12);
		int years = forcing.length;
		double[][] out = new double[4][years];
		double[] y = new double[4];
		for (int n = 0; n < years; n++) {
			f[0] = forcing[n];
			y[2] = 0;
			y[3] = 0;
			integrator.integrate(ode, n, y, n + 1, y);
			out[0][n] = y[2];
			out[1][n] = y[3];
			out[2][n] = y[0];
			out[3][n] = y[1];
		}
		return out;
	}

	private static TwoLayerEbm deterministic(double[] forcing) {
		return new TwoLayerEbm("test", forcing, 0, 0);
	}

	private static double[] constant(int years, double value) {
		double[] f = new double[years];
		Arrays.fill(f, value);
		return f;
	}

	// ---- the tests ----

	/**
	 * τ_f and τ_s are minus the inverse eigenvalues of the system matrix
	 * (Commons Math) and equal Geoffroy et al.'s closed forms; the simulated
	 * deterministic abrupt-4×CO₂ response, year-end values and annual means,
	 * is their T(t) = (F/λ)[1 − a_f e^{−t/τ_f} − a_s e^{−t/τ_s}] and
	 * T_d(t) = (F/λ)[1 − a_f φ_f e^{−t/τ_f} − a_s φ_s e^{−t/τ_s}].
	 */
	@Test
	void theStepResponseHasGeoffroysTwoTimescales() {
		for (double[] theta : THETAS) {
			String what = Arrays.toString(theta);
			double[] g = geoffroy(theta);
			double[] tau = TwoLayerEbm.timescales(theta);
			assertEquals(g[0], tau[0], 1e-12 * g[0], what + ": τ_f");
			assertEquals(g[1], tau[1], 1e-12 * g[1], what + ": τ_s");
			double[][] a = { { -(theta[0] + theta[4] * theta[3]) / theta[1], theta[4] * theta[3] / theta[1] },
					{ theta[3] / theta[2], -theta[3] / theta[2] } };
			double[] eigen = new EigenDecomposition(new Array2DRowRealMatrix(a)).getRealEigenvalues();
			Arrays.sort(eigen);
			assertEquals(-1 / eigen[0], tau[0], 1e-10 * tau[0], what + ": τ_f from the eigenvalues");
			assertEquals(-1 / eigen[1], tau[1], 1e-10 * tau[1], what + ": τ_s from the eigenvalues");
			assertTrue(tau[0] < tau[1], what + ": a fast and a slow mode");
			double aF = g[4];
			double aS = g[5];
			assertEquals(1, aF + aS, 1e-12, what + ": a_f + a_s = 1 (T(0) = 0)");
			assertEquals(1, aF * g[2] + aS * g[3], 1e-9, what + ": a_f φ_f + a_s φ_s = 1 (T_d(0) = 0)");

			TwoLayerEbm.Run run = deterministic(constant(150, F4X)).run(theta, null);
			double eq = F4X / theta[0];
			for (int n = 1; n <= 150; n++) {
				double ef = Math.exp(-n / g[0]);
				double es = Math.exp(-n / g[1]);
				assertEquals(eq * (1 - aF * ef - aS * es), run.temperatureAtYearEnd()[n - 1], 1e-10 * eq, what + ": T at year " + n);
				assertEquals(eq * (1 - aF * g[2] * ef - aS * g[3] * es), run.deepTemperatureAtYearEnd()[n - 1], 1e-10 * eq,
						what + ": T_d at year " + n);
				// The annual mean: ∫_{n−1}^{n} e^{−t/τ} dt = τ (e^{−(n−1)/τ} − e^{−n/τ}).
				double mf = g[0] * (Math.exp(-(n - 1) / g[0]) - ef);
				double ms = g[1] * (Math.exp(-(n - 1) / g[1]) - es);
				assertEquals(eq * (1 - aF * mf - aS * ms), run.temperature()[n - 1], 1e-10 * eq, what + ": T̄ of year " + n);
			}
		}
		// The default observation's model: a fast mode of 3.5 years and a slow one of 270.
		double[] tau = TwoLayerEbm.timescales(DEFAULT);
		assertEquals(3.47, tau[0], 0.01);
		assertEquals(270.1, tau[1], 0.1);
	}

	/** Under a constant forcing without noise both layers settle at F/λ, whatever C, C_d, γ and ε. */
	@Test
	void theEquilibriumWarmingIsForcingOverFeedback() {
		for (double forcing : new double[] { 5.35 * Math.log(2), F4X, -2 }) {
			TwoLayerEbm sim = deterministic(constant(30_000, forcing));
			for (double[] theta : THETAS) {
				TwoLayerEbm.Run run = sim.run(theta, null);
				double eq = forcing / theta[0];
				String what = "F = " + forcing + ", θ = " + Arrays.toString(theta);
				assertEquals(eq, run.temperatureAtYearEnd()[29_999], 1e-9 * Math.abs(eq), what + ": T → F/λ");
				assertEquals(eq, run.deepTemperatureAtYearEnd()[29_999], 1e-9 * Math.abs(eq), what + ": T_d → F/λ");
				assertEquals(eq, run.temperature()[29_999], 1e-9 * Math.abs(eq), what + ": T̄ → F/λ");
				// Monotone approach from below (above, for a negative forcing).
				double previous = 0;
				for (int n = 0; n < 200; n++) {
					double t = run.temperatureAtYearEnd()[n];
					assertTrue(Math.signum(forcing) * (t - previous) > 0 && Math.abs(t) < Math.abs(eq),
							what + ": monotone approach in year " + (n + 1));
					previous = t;
				}
			}
		}
	}

	/**
	 * The exact exponential integrator against Dormand–Prince for
	 * time-varying forcing histories: the 1 %/yr ramp, and the realised
	 * forcing of noisy runs (white and AR(1)).
	 */
	@Test
	void theIntegratorAgreesWithAnAdaptiveReferenceForAnyForcing() {
		double[] ramp = TwoLayerEbm.onePercentCo2(150);
		assertEquals(5.35 * Math.log(1.01) * 0.5, ramp[0], 1e-15);
		assertEquals(5.35 * Math.log(1.01) * 139.5, ramp[139], 1e-12, "the ramp reaches 4×CO₂ near year 140");
		assertEquals(F4X, ramp[139], 0.01);
		List<TwoLayerEbm> sims = List.of(deterministic(ramp), new TwoLayerEbm(), new TwoLayerEbm("1pctCO2", ramp, 0.5, 0.6));
		Well19937c random = new Well19937c(21);
		for (TwoLayerEbm sim : sims) {
			for (double[] theta : THETAS) {
				TwoLayerEbm.Run run = sim.run(theta, random);
				double[][] ref = reference(theta, run.forcing());
				String what = sim.descriptor().description() + " θ = " + Arrays.toString(theta);
				assertArrayEquals(ref[0], run.temperature(), 1e-9, what + ": T̄");
				assertArrayEquals(ref[1], run.deepTemperature(), 1e-9, what + ": T̄_d");
				assertArrayEquals(ref[2], run.temperatureAtYearEnd(), 1e-9, what + ": T at year ends");
				assertArrayEquals(ref[3], run.deepTemperatureAtYearEnd(), 1e-9, what + ": T_d at year ends");
			}
		}
	}

	/**
	 * Energy: per year, the change of the heat content C T + C_d T_d equals
	 * the top-of-atmosphere imbalance N = F − λT − (ε − 1)γ(T − T_d)
	 * integrated over the year, and the deep ocean's change equals the heat
	 * it took up, γ ∫(T − T_d) dt; summed, the heat content after 150 years
	 * is the total imbalance.
	 */
	@Test
	void theEnergyBudgetCloses() {
		TwoLayerEbm sim = new TwoLayerEbm();
		Well19937c random = new Well19937c(31);
		for (double[] theta : THETAS) {
			TwoLayerEbm.Run run = sim.run(theta, random);
			double lambda = theta[0];
			double c = theta[1];
			double cd = theta[2];
			double gamma = theta[3];
			double eps = theta[4];
			double t = 0;
			double td = 0;
			double total = 0;
			for (int n = 0; n < 150; n++) {
				double tEnd = run.temperatureAtYearEnd()[n];
				double tdEnd = run.deepTemperatureAtYearEnd()[n];
				double heatGain = c * (tEnd - t) + cd * (tdEnd - td);
				double uptake = gamma * (run.temperature()[n] - run.deepTemperature()[n]);
				double imbalance = run.forcing()[n] - lambda * run.temperature()[n] - (eps - 1) * uptake;
				double scale = Math.abs(run.forcing()[n]) + 10;
				String what = Arrays.toString(theta) + ", year " + (n + 1);
				assertEquals(imbalance, heatGain, 1e-11 * scale, what + ": C ΔT + C_d ΔT_d = ∫N dt");
				assertEquals(uptake, cd * (tdEnd - td), 1e-11 * scale, what + ": C_d ΔT_d = γ∫(T − T_d) dt");
				total += imbalance;
				t = tEnd;
				td = tdEnd;
			}
			assertEquals(total, c * t + cd * td, 1e-9 * Math.abs(total), Arrays.toString(theta) + ": heat content after 150 years");
			assertTrue(total > 0, "the planet has taken up heat: " + total + " W yr/m^2");
		}
	}

	/**
	 * The stochastic forcing η_n = F_n − F_CO₂: white, mean 0, variance
	 * σ_F² = 0.49 W² m⁻⁴ for the registered simulator; for ρ = 0.6 and σ_F = 0.5,
	 * stationary from year 1 with Cov(η_n, η_{n+l}) = ρ^l σ_F².
	 */
	@Test
	void theForcingNoiseHasTheStatedStatistics() {
		record Setting(TwoLayerEbm sim, double sigma, double rho) {
		}
		int runs = 2000;
		for (Setting s : List.of(new Setting(new TwoLayerEbm(), 0.7, 0),
				new Setting(new TwoLayerEbm("abrupt", TwoLayerEbm.abrupt4xCo2(150), 0.5, 0.6), 0.5, 0.6))) {
			Well19937c random = new Well19937c(51);
			double[][] eta = new double[runs][];
			for (int r = 0; r < runs; r++) {
				eta[r] = Arrays.stream(s.sim().run(DEFAULT, random).forcing()).map(f -> f - F4X).toArray();
			}
			double v = s.sigma() * s.sigma();
			for (int n : new int[] { 0, 1, 74, 147 }) {
				double[] now = column(eta, n);
				String what = "σ_F = " + s.sigma() + ", ρ = " + s.rho() + ", year " + (n + 1);
				assertEquals(0, Statistics.mean(now), Z * Math.sqrt(v / runs), what + ": mean");
				assertEquals(v, Statistics.variance(now), Z * v * Math.sqrt(2.0 / runs), what + ": variance σ_F²");
				for (int lag = 1; lag <= 2; lag++) {
					double expected = Math.pow(s.rho(), lag) * v;
					assertEquals(expected, Statistics.covariance(now, column(eta, n + lag)),
							Z * Math.sqrt((v * v + expected * expected) / runs), what + ": autocovariance at lag " + lag);
				}
			}
			// Pooled over all years: the lag-one autocorrelation is ρ.
			double[] now = new double[runs * 149];
			double[] next = new double[runs * 149];
			for (int r = 0; r < runs; r++) {
				System.arraycopy(eta[r], 0, now, r * 149, 149);
				System.arraycopy(eta[r], 1, next, r * 149, 149);
			}
			double correlation = Statistics.covariance(now, next) / Statistics.variance(now);
			// Effective sample size of a lag-one product of an AR(1): about n (1 − ρ²)/(1 + ρ²).
			double se = (1 - s.rho() * s.rho()) / Math.sqrt(now.length * (1 - s.rho() * s.rho()) / (1 + s.rho() * s.rho()));
			assertEquals(s.rho(), correlation, Z * se, "pooled lag-one autocorrelation, ρ = " + s.rho());
		}
	}

	/**
	 * The temperature noise is the forcing noise filtered by the model: T̄_n
	 * minus the deterministic response is Σ_j h_j η_{n−j}, where h_j (the
	 * annual-mean response j years after a one-year pulse of 1 W m⁻²) comes
	 * from the Dormand–Prince reference; its variance is
	 * σ_F² Σ_{j,l} h_j h_l ρ^{|j−l|}, checked at several years over 3000 runs.
	 */
	@Test
	void theTemperatureNoiseIsTheFilteredForcingNoise() {
		double[] pulse = new double[150];
		pulse[0] = 1;
		double[] h = reference(DEFAULT, pulse)[0];
		double[] expectedDeterministic = reference(DEFAULT, TwoLayerEbm.abrupt4xCo2(150))[0];
		int runs = 3000;
		for (double[] setting : new double[][] { { 0.7, 0 }, { 0.5, 0.6 } }) {
			double sigma = setting[0];
			double rho = setting[1];
			TwoLayerEbm sim = new TwoLayerEbm("abrupt", TwoLayerEbm.abrupt4xCo2(150), sigma, rho);
			Well19937c random = new Well19937c(61);
			double[][] anomaly = new double[runs][];
			for (int r = 0; r < runs; r++) {
				double[] x = sim.simulate(DEFAULT, random);
				anomaly[r] = new double[150];
				for (int n = 0; n < 150; n++) {
					anomaly[r][n] = x[n] - expectedDeterministic[n];
				}
			}
			for (int n : new int[] { 0, 4, 29, 149 }) {
				double variance = 0;
				for (int j = 0; j <= n; j++) {
					for (int l = 0; l <= n; l++) {
						variance += h[j] * h[l] * Math.pow(rho, Math.abs(j - l));
					}
				}
				variance *= sigma * sigma;
				double[] values = column(anomaly, n);
				String what = "σ_F = " + sigma + ", ρ = " + rho + ", year " + (n + 1);
				assertEquals(0, Statistics.mean(values), Z * Math.sqrt(variance / runs), what + ": mean anomaly");
				assertEquals(variance, Statistics.variance(values), Z * variance * Math.sqrt(2.0 / runs), what + ": variance");
				if (n == 149 && rho == 0) {
					assertEquals(0.12, Math.sqrt(variance), 0.01, "the registered noise gives T̄ a standard deviation of about 0.12 K");
				}
			}
		}
	}

	private static double[] column(double[][] x, int j) {
		return Arrays.stream(x).mapToDouble(r -> r[j]).toArray();
	}

	@Test
	void theDefaultObservationIsReproducibleAndPlausible() {
		TwoLayerEbm sim = new TwoLayerEbm();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(150, d.observationDimension());
		assertEquals(List.of(150), d.observationShape());
		assertEquals("T_001", d.observationNames().get(0));
		assertEquals("T_150", d.observationNames().get(149));
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		assertEquals("toy 1", o.name());
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(DEFAULT, theta, 0);
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(TwoLayerEbm.DEFAULT_OBSERVATION_SEED)), 0,
				"toy 1 is simulate(θ_true, new Well19937c(" + TwoLayerEbm.DEFAULT_OBSERVATION_SEED + "))");
		// Its departures from the deterministic response are noise of about 0.1 K.
		double[] deterministic = deterministic(TwoLayerEbm.abrupt4xCo2(150)).simulate(theta, null);
		double squares = 0;
		for (int n = 0; n < 150; n++) {
			double r = o.values()[n] - deterministic[n];
			assertTrue(Math.abs(r) < Z * 0.12, "year " + (n + 1) + ": departure " + r + " K");
			squares += r * r;
		}
		double rms = Math.sqrt(squares / 150);
		assertTrue(rms > 0.04 && rms < 0.25, "rms departure of toy 1 from the deterministic response: " + rms + " K");
		assertEquals(4.6, o.values()[149], 0.5, "about 70 % of the 6.6 K equilibrium warming after 150 years");
	}

	@Test
	void theSameSeedGivesTheSameSeries() {
		TwoLayerEbm sim = new TwoLayerEbm();
		double[] a = sim.simulate(DEFAULT, new Well19937c(8));
		double[] b = sim.simulate(DEFAULT, new Well19937c(8));
		double[] c = sim.simulate(DEFAULT, new Well19937c(9));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c));
		// Without noise nothing is drawn.
		assertArrayEquals(deterministic(TwoLayerEbm.abrupt4xCo2(150)).simulate(DEFAULT, null),
				deterministic(TwoLayerEbm.abrupt4xCo2(150)).simulate(DEFAULT, new Well19937c(1)), 0);
	}

	@Test
	void invalidParametersAreRefusedWithTheParameterNamed() {
		TwoLayerEbm sim = new TwoLayerEbm();
		Well19937c random = new Well19937c(1);
		record Case(double[] theta, String word) {
		}
		for (Case c : List.of(new Case(new double[] { 0, 7.3, 106, 0.73, 1.3 }, "lambda"),
				new Case(new double[] { -1, 7.3, 106, 0.73, 1.3 }, "lambda"),
				new Case(new double[] { Double.NaN, 7.3, 106, 0.73, 1.3 }, "lambda"),
				new Case(new double[] { 1.13, 0, 106, 0.73, 1.3 }, "C"),
				new Case(new double[] { 1.13, 7.3, -5, 0.73, 1.3 }, "C_d"),
				new Case(new double[] { 1.13, 7.3, Double.POSITIVE_INFINITY, 0.73, 1.3 }, "C_d"),
				new Case(new double[] { 1.13, 7.3, 106, 0, 1.3 }, "gamma"),
				new Case(new double[] { 1.13, 7.3, 106, 0.73, 0 }, "epsilon"),
				new Case(new double[] { 1.13, 7.3, 106, 0.73 }, "5 parameters"))) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(c.theta(), random),
					Arrays.toString(c.theta()));
			assertTrue(e.getMessage().contains(c.word()) && e.getMessage().contains("two_layer_ebm"), e.getMessage());
		}
		assertThrows(IllegalArgumentException.class, () -> TwoLayerEbm.timescales(new double[] { 1, 1, 1, -1, 1 }));
		assertThrows(IllegalArgumentException.class, () -> new TwoLayerEbm("x", new double[0], 0.7, 0));
		assertThrows(IllegalArgumentException.class, () -> new TwoLayerEbm("x", new double[] { Double.NaN }, 0.7, 0));
		assertThrows(IllegalArgumentException.class, () -> new TwoLayerEbm("x", new double[] { 1 }, -0.1, 0));
		assertThrows(IllegalArgumentException.class, () -> new TwoLayerEbm("x", new double[] { 1 }, 0.7, 1));
		assertTrue(new TwoLayerEbm("x", TwoLayerEbm.abrupt4xCo2(150), 0.5, 0).descriptor().defaultObservations().isEmpty(),
				"only the registered configuration carries toy 1");
		// Extreme but valid parameters still give finite series.
		for (double v : sim.simulate(new double[] { 0.01, 0.1, 5000, 20, 50 }, random)) {
			assertTrue(Double.isFinite(v));
		}
	}
}
