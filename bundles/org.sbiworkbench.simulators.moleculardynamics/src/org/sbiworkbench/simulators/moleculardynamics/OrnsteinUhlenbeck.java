package org.sbiworkbench.simulators.moleculardynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.util.FastMath;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code ornstein_uhlenbeck}: the Ornstein–Uhlenbeck process, the Langevin
 * equation of a coordinate relaxing in a harmonic well under thermal noise,
 * observed at equally spaced times. Its likelihood is known exactly
 * ({@link #logLikelihood(double[], double[])}), so it is the molecular-dynamics
 * simulator on which an inference can be checked against the true posterior.
 *
 * <h2>Model</h2>
 * The stochastic differential equation
 * <pre>
 *   dX = −θ₁ (X − θ₂) dt + σ dW
 * </pre>
 * (W a standard Wiener process) with mean-reversion rate θ₁ &gt; 0, long-run
 * mean θ₂ and noise amplitude σ &gt; 0. Its stationary distribution is
 * N(θ₂, σ²/(2θ₁)) and its stationary autocorrelation e^{−θ₁|t − t'|}: θ₁ is the
 * inverse correlation time. As physics: the overdamped Langevin equation
 * γ dX = −κ (X − θ₂) dt + √(2γ k_BT) dW of a bead in an optical trap of
 * stiffness κ centred at θ₂, with friction coefficient γ, is this process with
 * θ₁ = κ/γ (= 2π × the corner frequency of the power spectrum) and σ² = 2D =
 * 2k_BT/γ (D the diffusion coefficient); the stationary variance σ²/(2θ₁) is
 * then k_BT/κ, equipartition. The same equation is the velocity of a free
 * Brownian particle (θ₂ = 0, θ₁ = γ/m).
 *
 * <h2>Units</h2>
 * Reduced units: time in a unit t₀ (the sampling interval is Δt = 0.1 t₀),
 * X in a unit x₀; hence θ₁ in 1/t₀, θ₂ in x₀ and σ in x₀/√t₀. For the optical
 * trap, e.g., t₀ = 1 ms and x₀ = 10 nm.
 *
 * <h2>Simulation: the exact transition</h2>
 * The process is sampled at t_k = kΔt, k = 0, …, T − 1 (T = 100, Δt = 0.1 t₀ by
 * default), with the exact Gaussian transition, so there is no discretisation
 * error at any Δt (unlike an Euler–Maruyama step):
 * <pre>
 *   X₀      = θ₂ + s_∞ ε₀,                     s_∞² = σ²/(2θ₁)    (stationary start),
 *   X_{k+1} = θ₂ + a (X_k − θ₂) + s ε_{k+1},    a = e^{−θ₁Δt},  s² = s_∞² (1 − a²),
 * </pre>
 * with independent ε_k ~ N(0, 1): a stationary Gaussian AR(1) series. The
 * series is stationary from the first point, so every X_k has the stationary
 * distribution and Corr(X_j, X_k) = a^{|j − k|}.
 *
 * <h2>Observation</h2>
 * The series itself, x = (X₀, …, X_{T−1}) in x₀, shape [T] (= [100]), so that
 * a 1-D convolutional embedding can learn its summaries. Components are named
 * {@code x_000} … {@code x_099} (x_k at time kΔt).
 *
 * <h2>Exact likelihood</h2>
 * Because of the Markov property,
 * <pre>
 *   log p(x | θ) = log N(x₀; θ₂, s_∞²) + Σ_{k=1}^{T−1} log N(x_k; θ₂ + a (x_{k−1} − θ₂), s²),
 * </pre>
 * which equals the density of the multivariate normal N(θ₂ 1, C) with
 * C_jk = s_∞² a^{|j−k|}, computed in O(T) ({@link #logLikelihood}). With it the
 * posterior of any prior is known up to normalisation, e.g. for MCMC or for a
 * check of a neural posterior.
 *
 * <h2>Parameters and default prior</h2>
 * <ul>
 * <li>{@code rate} θ₁ [1/t₀] ~ U(0.5, 5): the correlation time 1/θ₁ runs from
 * 2 t₀ (20 samples) down to 0.2 t₀ (2 samples), so the sampling always
 * resolves the decay (lag-one autocorrelation a from 0.95 down to 0.61) and
 * the 9.9 t₀ window spans 5 to 50 correlation times;</li>
 * <li>{@code mean} θ₂ [x₀] ~ U(−2, 2): the trap centre or equilibrium value,
 * a few stationary widths either side of zero;</li>
 * <li>{@code noise} σ [x₀/√t₀] ~ U(0.2, 2): together with θ₁ the stationary
 * standard deviation σ/√(2θ₁) ranges from 0.06 to 2 x₀, from much narrower
 * than the prior range of θ₂ to as wide as it.</li>
 * </ul>
 * The stationary mean of a short series is the hardest: its standard error is
 * about σ/(θ₁√(TΔt)), up to 1.3 x₀ at the slow, noisy corner of the prior.
 *
 * <h2>Default observation</h2>
 * "series 1": one series simulated at θ₁ = 2 /t₀, θ₂ = 0.5 x₀, σ = 1 x₀/√t₀
 * (stationary standard deviation 0.5 x₀, lag-one autocorrelation e^{−0.2} =
 * 0.819) with {@code new Well19937c(1L)} ({@link #DEFAULT_OBSERVATION_SEED}, a {@code long}); its
 * values are stored in the descriptor.
 *
 * <h2>Invalid parameters</h2>
 * θ with the wrong length, a non-finite component, θ₁ ≤ 0 (no stationary
 * state) or σ ≤ 0 is refused with an {@link IllegalArgumentException} naming
 * the parameter, which a campaign records as a failed row.
 */
@Component(service = Simulator.class)
public final class OrnsteinUhlenbeck implements Simulator {

	public static final String ID = "ornstein_uhlenbeck";
	/** T, the number of observed times of the registered simulator. */
	public static final int STEPS = 100;
	/** Δt, the sampling interval of the registered simulator [t₀]. */
	public static final double TIME_STEP = 0.1;
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 1;
	/** θ of the default observation: θ₁ [1/t₀], θ₂ [x₀], σ [x₀/√t₀]. */
	static final double[] DEFAULT_TRUE_PARAMETERS = { 2, 0.5, 1 };

	private static final double LOG_TWO_PI = FastMath.log(2 * FastMath.PI);
	private static final List<Parameter> PARAMETERS = List.of(new Parameter("rate", "1/t0"), new Parameter("mean", "x0"),
			new Parameter("noise", "x0/sqrt(t0)"));

	/** The default observation, drawn as the class comment says. */
	private static final double[] DEFAULT_SERIES = {
			1.1635000181338464, 1.2306845964645685, 1.5987826062396926, 1.2830044916094212, 1.1146174309627708,
			1.0849256323226744, 0.3898345076975543, 0.3773970377991993, 0.6503596109210688, 0.6469202699660034,
			0.626850423171211, 0.7628645812502819, 1.0255551072446671, 0.8870963214887528, 0.892298855993252,
			0.9686266631641698, 0.6551664828481036, 0.7929409818565175, 0.7051777280415177, 0.9146209854519795,
			0.8173212328670874, 0.15865047398185883, 0.03834552572312161, 0.5791109766502478, 0.6344671912610993,
			0.4004712859817985, 0.43742955442190257, 0.42410518148754806, 0.43115713725684013, 0.4445553689288996,
			0.521250875563029, 0.15134796164363606, 0.2930456897248303, 0.5292181920570066, 0.24542216747912343,
			0.0876386202513576, 0.08342536634894399, 0.30275099445866577, 0.010406767178217369, 0.21278416181276544,
			0.25446991746688474, 0.34793936608423126, 0.21495508382102052, 0.5833939716728243, 1.0647812255766704,
			0.5146087227361171, 0.7457851270341292, 0.5654352821686156, 0.7692819388126836, 0.8057217977301763,
			0.8059648547942748, 1.0558132168664853, 1.3603124758006138, 1.141933179951677, 0.9878874329327991,
			0.31244181298365237, 0.8244031831775926, 0.335796778083407, 0.336138734912108, 0.21762408253989612,
			0.4086644124653731, 0.5675008084883701, 0.06848582562340927, -0.0012769881087919543, -0.30429829836579514,
			-0.523462415584045, -0.5679350387168713, -0.5220317439859299, -0.3493279203774906, -0.23046481887869685,
			-0.19662960537111196, 0.344749249292925, 0.08525475305698882, 0.3020057100346789, 0.6465480492917137,
			0.9298102143099771, 1.239683496159093, 1.075531525532416, 1.3079920843737414, 1.0373332502804784,
			1.5437236097565823, 1.4884270317281842, 1.3680734258542318, 1.0954796501593327, 0.7697991208541708,
			1.1308623176146884, 1.0087726201270022, 0.5220125851489854, 0.09514865025686292, 0.3356256054288631,
			0.13358880801638384, 0.1422830255687032, 0.25892404732510166, -0.14576569448425736, -0.5063553419038354,
			-0.17930356594805885, -0.09344101489139145, -0.5827571836550343, -0.44052068942746847, 0.16561303628779128 };

	private final int steps;
	private final double timeStep;
	private final SimulatorDescriptor descriptor;

	/** The simulator as registered: T = 100 times, Δt = 0.1 t₀. */
	public OrnsteinUhlenbeck() {
		this(STEPS, TIME_STEP);
	}

	/**
	 * The same process observed at another number of times or sampling
	 * interval. Only the default configuration carries the default observation.
	 *
	 * @param steps    T, the number of observed times, at least 1
	 * @param timeStep Δt [t₀], positive and finite
	 */
	public OrnsteinUhlenbeck(int steps, double timeStep) {
		if (steps < 1) {
			throw new IllegalArgumentException("A series needs at least one time, got " + steps);
		}
		if (!(timeStep > 0 && Double.isFinite(timeStep))) {
			throw new IllegalArgumentException("The sampling interval must be positive and finite, got " + timeStep);
		}
		this.steps = steps;
		this.timeStep = timeStep;
		boolean standard = steps == STEPS && timeStep == TIME_STEP;
		List<Observation> observations = standard
				? List.of(new Observation("series 1", DEFAULT_SERIES, DEFAULT_TRUE_PARAMETERS))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "Ornstein-Uhlenbeck process", Domain.MOLECULAR_DYNAMICS, "1.0",
				"The Langevin equation dX = -theta1 (X - theta2) dt + sigma dW (a particle in a harmonic trap under thermal "
						+ "noise), sampled exactly at " + steps + " times " + timeStep + " t0 apart from its stationary "
						+ "distribution; the likelihood is known exactly (a Gaussian AR(1) series).",
				PARAMETERS, observationNames(steps), prior(), observations,
				List.of("G. E. Uhlenbeck, L. S. Ornstein. On the theory of the Brownian motion. Phys. Rev. 36 (1930) 823.",
						"D. T. Gillespie. Exact numerical simulation of the Ornstein-Uhlenbeck process and its integral. "
								+ "Phys. Rev. E 54 (1996) 2084.",
						"K. Berg-Sorensen, H. Flyvbjerg. Power spectrum analysis for optical tweezers. "
								+ "Rev. Sci. Instrum. 75 (2004) 594."),
				List.of(steps));
	}

	private static BoxUniformPrior prior() {
		return new BoxUniformPrior(PARAMETERS, new double[] { 0.5, -2, 0.2 }, new double[] { 5, 2, 2 });
	}

	/** x_000, x_001, ...: the value at t_k = kΔt, zero-padded to at least three digits. */
	private static List<String> observationNames(int steps) {
		int digits = Math.max(3, Integer.toString(steps - 1).length());
		List<String> names = new ArrayList<>(steps);
		for (int k = 0; k < steps; k++) {
			names.add("x_" + String.format(Locale.ROOT, "%0" + digits + "d", k));
		}
		return names;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	/** T, the number of observed times. */
	public int steps() {
		return steps;
	}

	/** Δt, the sampling interval [t₀]. */
	public double timeStep() {
		return timeStep;
	}

	/** s_∞² = σ²/(2θ₁), the variance of the stationary distribution [x₀²]. */
	public static double stationaryVariance(double[] theta) {
		check(theta);
		return theta[2] * theta[2] / (2 * theta[0]);
	}

	/** Corr(X_t, X_{t+lag}) = e^{−θ₁ · lag} in the stationary state (lag in t₀). */
	public static double autocorrelation(double[] theta, double lag) {
		check(theta);
		return FastMath.exp(-theta[0] * Math.abs(lag));
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		check(theta);
		double rate = theta[0];
		double mean = theta[1];
		double sigma = theta[2];
		double stationarySd = sigma / Math.sqrt(2 * rate);
		double a = FastMath.exp(-rate * timeStep);
		// s = s_∞ √(1 − a²), with 1 − a² = −expm1(−2θ₁Δt) free of cancellation for small θ₁Δt.
		double innovationSd = stationarySd * Math.sqrt(-FastMath.expm1(-2 * rate * timeStep));
		double[] x = new double[steps];
		double deviation = stationarySd * random.nextGaussian();
		x[0] = mean + deviation;
		for (int k = 1; k < steps; k++) {
			deviation = a * deviation + innovationSd * random.nextGaussian();
			x[k] = mean + deviation;
		}
		return x;
	}

	/**
	 * The exact log-likelihood log p(x | θ) of a series x = (x₀, …, x_{T−1}),
	 * as written in the class comment: the stationary density of x₀ times the
	 * Gaussian transition densities, in O(T).
	 *
	 * @param theta (θ₁ [1/t₀], θ₂ [x₀], σ [x₀/√t₀]), checked as for {@link #simulate}
	 * @param x     the series, of length T
	 * @return the natural logarithm of the density of x [in units of x₀^{−T}]
	 */
	public double logLikelihood(double[] theta, double[] x) {
		check(theta);
		if (x == null || x.length != steps) {
			throw new IllegalArgumentException(ID + ": the series must have " + steps + " values, got "
					+ (x == null ? "null" : Integer.toString(x.length)));
		}
		double rate = theta[0];
		double mean = theta[1];
		double sigma = theta[2];
		double stationaryVariance = sigma * sigma / (2 * rate);
		double a = FastMath.exp(-rate * timeStep);
		double innovationVariance = stationaryVariance * -FastMath.expm1(-2 * rate * timeStep);
		double d0 = x[0] - mean;
		double logL = -0.5 * (LOG_TWO_PI + FastMath.log(stationaryVariance) + d0 * d0 / stationaryVariance);
		double squares = 0;
		for (int k = 1; k < steps; k++) {
			double r = (x[k] - mean) - a * (x[k - 1] - mean);
			squares += r * r;
		}
		logL -= 0.5 * ((steps - 1) * (LOG_TWO_PI + FastMath.log(innovationVariance)) + squares / innovationVariance);
		return logL;
	}

	private static void check(double[] theta) {
		if (theta == null || theta.length != PARAMETERS.size()) {
			throw new IllegalArgumentException(ID + " takes 3 parameters (rate [1/t0], mean [x0], noise [x0/sqrt(t0)]), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
		for (int i = 0; i < theta.length; i++) {
			if (!Double.isFinite(theta[i])) {
				throw new IllegalArgumentException(ID + ": " + PARAMETERS.get(i).name() + " must be finite, got " + theta[i]);
			}
		}
		if (!(theta[0] > 0)) {
			throw new IllegalArgumentException(ID + ": the mean-reversion rate must be positive (else there is no "
					+ "stationary state), got " + theta[0] + " /t0");
		}
		if (!(theta[2] > 0)) {
			throw new IllegalArgumentException(ID + ": the noise amplitude must be positive, got " + theta[2] + " x0/sqrt(t0)");
		}
	}
}
