package org.sbiworkbench.simulators.climate;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code lorenz96}: the stochastically parametrised Lorenz-96 "forecast"
 * model of Wilks (2005), whose closure parameters Hakkarainen et al. (2012)
 * estimate, in the form Thomas et al. (2020, LFIRE) use for likelihood-free
 * inference, as defined by ELFI's {@code elfi.examples.lorenz} (functions
 * {@code forecast_lorenz} and {@code get_model}), which this class follows
 * step by step.
 *
 * <h2>Model</h2>
 * K = 40 "slow" weather variables X_k on a latitude circle (cyclic,
 * X_{k±40} = X_k) obey
 * <pre>
 *   dX_k/dt = −X_{k−2} X_{k−1} + X_{k−1} X_{k+1} − X_k + F − g(X_k; θ) + η_k(t)
 *           = −X_{k−1}(X_{k−2} − X_{k+1}) − X_k + F − g(X_k; θ) + η_k(t),
 *   g(X; θ) = θ₁ + θ₂ X,
 * </pre>
 * with the large-scale forcing F = 10. In Lorenz's (1996) two-scale model the
 * slow variables are driven by unresolved fast ones; here the fast variables
 * are dropped and their net effect is the closure g, a deterministic linear
 * parametrisation with closure parameters θ = (θ₁, θ₂), plus a stochastic
 * forcing η_k(t) that represents what g misses (Wilks 2005). The advection
 * term conserves the "energy" ½ Σ X_k², so
 * d/dt ½ Σ X_k² = −(1 + θ₂) Σ X_k² + Σ (F − θ₁ + η_k) X_k: this bounds the
 * model when 1 + θ₂ &gt; 0, and not otherwise.
 * <p>
 * Time is in Lorenz's model units: one unit is about five days of
 * atmospheric error growth (Lorenz 1996), so the T = 4 simulated here are
 * about 20 days. X, F, θ₁ and η are dimensionless (or "in model units"), θ₂
 * is a rate relative to the unit damping.
 *
 * <h2>Stochastic forcing</h2>
 * η_k is an AR(1) process per variable, updated once per time step Δt and
 * held constant during the step (as in ELFI):
 * <pre>
 *   η_k(t_i) = φ η_k(t_{i−1}) + σ_e √(1 − φ²) e_{k,i},   e_{k,i} ~ N(0, 1),   η_k(t_0) = 0,
 * </pre>
 * with φ = 0.984 (Thomas et al. 2020 and ELFI, after Wilks 2005) and σ_e = 1, the
 * stationary standard deviation of η (innovation standard deviation
 * √(1 − φ²) = 0.178). Started from zero, η is not stationary:
 * Var η(t_i) = σ_e² (1 − φ^{2i}), which is 0.994 σ_e² at the last step;
 * its lag-one autocovariance is φ Var η(t_i). The draws are made
 * step by step, k = 1..40 within a step, each one
 * {@link RandomGenerator#nextGaussian()} of the generator passed in.
 *
 * <h2>Integration</h2>
 * Classical fourth-order Runge–Kutta with Δt = T/n = 4/160 = 0.025 from the
 * fixed initial state X(0) = {@link #initialState()}, the state ELFI uses
 * (obtained there by integrating the model for 1000 time units). As in ELFI,
 * the series has n = 160 time points t_i = iΔt, i = 0..159: the initial state
 * and 159 Runge–Kutta steps, covering t ∈ [0, 3.975].
 *
 * <h2>Observation: six summary statistics</h2>
 * The series X_k(t_i) (160 × 40) is reduced, as in Thomas et al. (2020) and
 * ELFI's {@code get_model}, to six statistics, each computed over
 * time for every variable k and then averaged over the 40 variables
 * (means over time are taken separately for the two time-shifted segments
 * of the lagged statistics; all divisors are the number of terms, 160 or
 * 159):
 * <ol start="0">
 * <li>{@code mean}: the mean of X_k over time;</li>
 * <li>{@code variance}: the variance of X_k over time;</li>
 * <li>{@code autocov_lag1}: the autocovariance of X_k(t_i) and X_k(t_{i+1});</li>
 * <li>{@code cov_neighbour}: the covariance of X_k and its neighbour X_{k+1};</li>
 * <li>{@code crosscov_prev_lag1}: the covariance of X_k(t_i) and X_{k−1}(t_{i+1});</li>
 * <li>{@code crosscov_next_lag1}: the covariance of X_k(t_i) and X_{k+1}(t_{i+1}).</li>
 * </ol>
 * Observation shape [6]. {@link #trajectory(double[], RandomGenerator)} gives
 * the raw series and {@link #summaries(double[][])} the reduction.
 *
 * <h2>Parameters and default prior</h2>
 * {@code theta1} θ₁ ~ U(0.5, 3.5) and {@code theta2} θ₂ ~ U(0, 0.3), the
 * uniform priors of Thomas et al. (2020) and ELFI, around the values
 * θ = (2.0, 0.1) at which that literature simulates its observed data: a
 * constant part of the closure that takes away a fifth of the forcing F, and a
 * linear part that strengthens the damping by up to 30 %.
 *
 * <h2>Default observation</h2>
 * "toy 1": the six statistics of one series simulated at the literature's
 * true θ = (2.0, 0.1) with {@code new Well19937c(96L)} (a long seed: Commons Math seeds
 * {@code Well19937c(int)} differently)
 * ({@link #DEFAULT_OBSERVATION_SEED}), stored in the descriptor. It is not
 * ELFI's observation (that one comes from NumPy's generator), but it is drawn
 * from the same model.
 *
 * <h2>Invalid parameters</h2>
 * θ of the wrong length, a non-finite component or θ₂ ≤ −1 (no damping
 * left: the energy grows without bound) is refused with an
 * {@link IllegalArgumentException} naming the parameter. The Runge–Kutta step
 * is unstable for (1 + θ₂)Δt beyond about 2.8 (θ₂ &gt; 110); a series that
 * diverges is reported as an {@link IllegalStateException}.
 *
 * <h2>Cost</h2>
 * 159 steps × 4 evaluations of 40 tendencies and 6,360 Gaussian draws (which
 * take most of the time): about 1 ms per simulation on a busy 2-core machine
 * (some 1,000 simulations per second and thread).
 */
@Component(service = Simulator.class)
public final class Lorenz96 implements Simulator {

	public static final String ID = "lorenz96";
	/** K, the number of slow variables. */
	public static final int VARIABLES = 40;
	/** F, the large-scale forcing. */
	public static final double FORCING = 10;
	/** φ, the lag-one (one time step) autocorrelation of the stochastic forcing. */
	public static final double PHI = 0.984;
	/** σ_e, the stationary standard deviation of the stochastic forcing. */
	public static final double NOISE_STD = 1;
	/** n, the number of time points of a series, the initial state included. */
	public static final int TIME_POINTS = 160;
	/** Δt = 4/160, the Runge–Kutta time step in model time units. */
	public static final double TIME_STEP = 4.0 / 160;
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 96;
	/** θ of the default observation: θ₁, θ₂ (Thomas et al. 2020; ELFI). */
	static final double[] DEFAULT_TRUE_PARAMETERS = { 2.0, 0.1 };

	/** The six summary statistics, in order. */
	public static final List<String> SUMMARY_NAMES = List.of("mean", "variance", "autocov_lag1", "cov_neighbour",
			"crosscov_prev_lag1", "crosscov_next_lag1");

	private static final List<Parameter> PARAMETERS = List.of(Parameter.of("theta1"), Parameter.of("theta2"));

	/**
	 * X(0), the initial state of ELFI's {@code forecast_lorenz} (a state on the
	 * attractor, from integrating the model for 1000 time units there).
	 */
	private static final double[] INITIAL_STATE = { 2.40711741e-01, 4.75597337e+00, 1.19145654e+01, 1.31324866e+00,
			2.82675744e+00, 3.96016971e+00, 2.10479504e+00, 5.47742826e+00, 5.42519447e+00, -1.45166074e+00,
			2.01991521e+00, 3.93873313e+00, 8.22837848e+00, 4.89401702e+00, -5.66278973e+00, 1.58617220e+00,
			-1.23849251e+00, -6.04649288e-01, 6.04132264e+00, 7.47588536e+00, 1.82761402e+00, 3.19209639e+00,
			-7.58539653e-02, -6.00928508e-03, 4.52902964e-01, 3.22063602e+00, 7.18613523e+00, 2.39210634e+00,
			-2.65743666e+00, 2.32046235e-01, 1.28079141e+00, 4.23344286e+00, 6.94213238e+00, -1.15939497e+00,
			-5.23037351e-01, 1.54618811e+00, 1.77863869e+00, 3.30139201e+00, 7.47769309e+00, -3.91312909e-01 };

	/** The six statistics of the default observation, drawn as the class comment says. */
	private static final double[] DEFAULT_SUMMARIES = { 2.3428605760540107, 10.907242010161976, 10.803863583462434,
			0.8562824807084188, 1.476425514610481, 0.22261527622214666 };

	private final double forcing;
	private final double phi;
	private final double noiseStd;
	private final int timePoints;
	private final double timeStep;
	private final SimulatorDescriptor descriptor;

	/** The simulator as registered: F = 10, φ = 0.984, σ_e = 1, 160 time points of Δt = 0.025. */
	public Lorenz96() {
		this(FORCING, PHI, NOISE_STD, TIME_POINTS, TIME_STEP);
	}

	/**
	 * The same model with other settings, e.g. σ_e = 0 for the deterministic
	 * Lorenz-96 system. Only the default settings carry the default observation.
	 *
	 * @param forcing    F, finite
	 * @param phi        φ ∈ [0, 1)
	 * @param noiseStd   σ_e ≥ 0; 0 switches the stochastic forcing off (no draws are made)
	 * @param timePoints n ≥ 2, the initial state included
	 * @param timeStep   Δt &gt; 0
	 */
	public Lorenz96(double forcing, double phi, double noiseStd, int timePoints, double timeStep) {
		if (!Double.isFinite(forcing)) {
			throw new IllegalArgumentException("The forcing F must be finite, got " + forcing);
		}
		if (!(phi >= 0 && phi < 1)) {
			throw new IllegalArgumentException("The autocorrelation φ of the stochastic forcing must lie in [0, 1), got " + phi);
		}
		if (!(noiseStd >= 0 && Double.isFinite(noiseStd))) {
			throw new IllegalArgumentException("The noise standard deviation σ_e must be finite and non-negative, got " + noiseStd);
		}
		if (timePoints < 2) {
			throw new IllegalArgumentException("A series needs at least 2 time points, got " + timePoints);
		}
		if (!(timeStep > 0 && Double.isFinite(timeStep))) {
			throw new IllegalArgumentException("The time step must be positive, got " + timeStep);
		}
		this.forcing = forcing;
		this.phi = phi;
		this.noiseStd = noiseStd;
		this.timePoints = timePoints;
		this.timeStep = timeStep;
		boolean standard = forcing == FORCING && phi == PHI && noiseStd == NOISE_STD && timePoints == TIME_POINTS
				&& timeStep == TIME_STEP;
		List<Observation> observations = standard
				? List.of(new Observation("toy 1", DEFAULT_SUMMARIES, DEFAULT_TRUE_PARAMETERS))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "Stochastic Lorenz-96", Domain.CLIMATE, "1.0",
				"The 40-variable Lorenz-96 weather model with F = " + format(forcing)
						+ ", its unresolved scales replaced by a linear closure theta1 + theta2 X and AR(1) stochastic "
						+ "forcing, integrated by RK4 over " + timePoints + " time points of " + format(timeStep)
						+ " and reduced to six statistics (mean, variance, lag-1 autocovariance, neighbour covariance, "
						+ "lag-1 cross-covariances with both neighbours).",
				PARAMETERS, SUMMARY_NAMES, prior(), observations,
				List.of("Lorenz, E. N. Predictability: a problem partly solved. Proc. ECMWF Seminar on Predictability, "
						+ "vol. 1 (1996) 1-18.",
						"Wilks, D. S. Effects of stochastic parametrizations in the Lorenz '96 system. "
								+ "Q. J. R. Meteorol. Soc. 131 (2005) 389-407.",
						"Hakkarainen, J., Ilin, A., Solonen, A., Laine, M., Haario, H., Tamminen, J., Oja, E., Jarvinen, H. "
								+ "On closure parameter estimation in chaotic systems. Nonlin. Processes Geophys. 19 (2012) 127-143.",
						"Thomas, O., Dutta, R., Corander, J., Kaski, S., Gutmann, M. U. Likelihood-free inference by ratio "
								+ "estimation. Bayesian Analysis 17 (2022) 1-31 (arXiv:1611.10242).",
						"ELFI, Engine for Likelihood-Free Inference: elfi.examples.lorenz (forecast_lorenz, get_model), "
								+ "https://github.com/elfi-dev/elfi."),
				List.of(SUMMARY_NAMES.size()));
	}

	private static BoxUniformPrior prior() {
		return new BoxUniformPrior(PARAMETERS, new double[] { 0.5, 0 }, new double[] { 3.5, 0.3 });
	}

	private static String format(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	/** X(0), the fixed initial state (ELFI's). */
	public static double[] initialState() {
		return INITIAL_STATE.clone();
	}

	/** Δt of this configuration. */
	public double timeStep() {
		return timeStep;
	}

	/** n of this configuration: time points per series, the initial state included. */
	public int timePoints() {
		return timePoints;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		return summaries(trajectory(theta, random));
	}

	/**
	 * The series X_k(t_i): n rows (time points, row 0 the initial state) of 40
	 * values.
	 */
	public double[][] trajectory(double[] theta, RandomGenerator random) {
		return trajectory(theta, INITIAL_STATE, random);
	}

	/**
	 * The series from another initial state X(0) (of any length K ≥ 4), e.g.
	 * to study the model's climate from independent starts.
	 */
	public double[][] trajectory(double[] theta, double[] initialState, RandomGenerator random) {
		check(theta);
		if (initialState == null || initialState.length < 4) {
			throw new IllegalArgumentException("The initial state needs at least 4 variables");
		}
		double theta1 = theta[0];
		double theta2 = theta[1];
		int variables = initialState.length;
		double[][] eta = forcingNoise(variables, random);
		double[][] x = new double[timePoints][];
		double[] state = initialState.clone();
		x[0] = state.clone();
		double[][] work = new double[5][variables];
		for (int i = 1; i < timePoints; i++) {
			rungeKuttaStep(state, theta1, theta2, forcing, eta[i], timeStep, work);
			for (double v : state) {
				if (!Double.isFinite(v)) {
					throw new IllegalStateException(ID + ": the series diverged at t = " + i * timeStep + " for θ = ("
							+ theta1 + ", " + theta2 + "); the Runge-Kutta step Δt = " + timeStep
							+ " is unstable when (1 + theta2) Δt exceeds about 2.8");
				}
			}
			x[i] = state.clone();
		}
		return x;
	}

	/**
	 * The stochastic forcing of one series, exactly as
	 * {@link #trajectory(double[], RandomGenerator)} draws it: row i = 1..n−1 is
	 * η(t_i), the forcing held during the step from t_{i−1} to t_i; row 0 is
	 * η(t_0) = 0. All zero, without draws, when σ_e = 0.
	 */
	public double[][] forcingNoise(int variables, RandomGenerator random) {
		double[][] eta = new double[timePoints][variables];
		if (noiseStd == 0) {
			return eta;
		}
		double innovation = noiseStd * Math.sqrt(1 - phi * phi);
		for (int i = 1; i < timePoints; i++) {
			for (int k = 0; k < variables; k++) {
				eta[i][k] = phi * eta[i - 1][k] + innovation * random.nextGaussian();
			}
		}
		return eta;
	}

	/**
	 * The right-hand side dX_k/dt = −X_{k−2}X_{k−1} + X_{k−1}X_{k+1} − X_k + F − θ₁ − θ₂X_k + η_k,
	 * cyclic in k, written into {@code out}.
	 */
	public static void tendency(double[] x, double theta1, double theta2, double forcing, double[] eta, double[] out) {
		int n = x.length;
		double constant = forcing - theta1;
		double damping = 1 + theta2;
		for (int k = 0; k < n; k++) {
			double prev = x[k == 0 ? n - 1 : k - 1];
			double prev2 = x[k < 2 ? k + n - 2 : k - 2];
			double next = x[k == n - 1 ? 0 : k + 1];
			out[k] = prev * (next - prev2) - damping * x[k] + constant + eta[k];
		}
	}

	/**
	 * One classical Runge–Kutta step of length dt of {@link #tendency}, with η
	 * held constant, done in place on {@code state}.
	 *
	 * @param work five scratch arrays of the state's length (or null)
	 */
	public static void rungeKuttaStep(double[] state, double theta1, double theta2, double forcing, double[] eta, double dt,
			double[][] work) {
		int n = state.length;
		double[][] w = work != null ? work : new double[5][n];
		double[] k1 = w[0];
		double[] k2 = w[1];
		double[] k3 = w[2];
		double[] k4 = w[3];
		double[] y = w[4];
		tendency(state, theta1, theta2, forcing, eta, k1);
		for (int k = 0; k < n; k++) {
			y[k] = state[k] + 0.5 * dt * k1[k];
		}
		tendency(y, theta1, theta2, forcing, eta, k2);
		for (int k = 0; k < n; k++) {
			y[k] = state[k] + 0.5 * dt * k2[k];
		}
		tendency(y, theta1, theta2, forcing, eta, k3);
		for (int k = 0; k < n; k++) {
			y[k] = state[k] + dt * k3[k];
		}
		tendency(y, theta1, theta2, forcing, eta, k4);
		for (int k = 0; k < n; k++) {
			state[k] += dt / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
		}
	}

	/**
	 * The six statistics of a series x[time][variable], in the order of
	 * {@link #SUMMARY_NAMES}; see the class comment.
	 */
	public static double[] summaries(double[][] x) {
		int n = x.length;
		int kk = x[0].length;
		double mean = 0;
		double variance = 0;
		double autocov = 0;
		double cov = 0;
		double crossPrev = 0;
		double crossNext = 0;
		for (int k = 0; k < kk; k++) {
			int next = (k + 1) % kk;
			int prev = (k + kk - 1) % kk;
			mean += meanOver(x, k, 0, n);
			variance += covariance(x, k, 0, k, 0, n);
			autocov += covariance(x, k, 0, k, 1, n - 1);
			cov += covariance(x, k, 0, next, 0, n);
			crossPrev += covariance(x, k, 0, prev, 1, n - 1);
			crossNext += covariance(x, k, 0, next, 1, n - 1);
		}
		return new double[] { mean / kk, variance / kk, autocov / kk, cov / kk, crossPrev / kk, crossNext / kk };
	}

	private static double meanOver(double[][] x, int k, int from, int length) {
		double s = 0;
		for (int i = from; i < from + length; i++) {
			s += x[i][k];
		}
		return s / length;
	}

	/** (1/m) Σ_i (x[a+i][j] − mean)(x[b+i][l] − mean), i = 0..m−1, each segment about its own mean. */
	private static double covariance(double[][] x, int j, int a, int l, int b, int m) {
		double mj = meanOver(x, j, a, m);
		double ml = meanOver(x, l, b, m);
		double s = 0;
		for (int i = 0; i < m; i++) {
			s += (x[a + i][j] - mj) * (x[b + i][l] - ml);
		}
		return s / m;
	}

	private void check(double[] theta) {
		if (theta == null || theta.length != PARAMETERS.size()) {
			throw new IllegalArgumentException(ID + " takes 2 parameters (theta1, theta2), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
		for (int i = 0; i < theta.length; i++) {
			if (!Double.isFinite(theta[i])) {
				throw new IllegalArgumentException(ID + ": " + PARAMETERS.get(i).name() + " must be finite, got " + theta[i]);
			}
		}
		if (!(theta[1] > -1)) {
			throw new IllegalArgumentException(ID + ": theta2 must exceed -1 (the closure's linear part may not cancel "
					+ "the damping, or the energy grows without bound), got " + theta[1]);
		}
	}
}
