package org.sbiworkbench.simulators.climate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code two_layer_ebm}: the global-mean surface temperature of a two-layer
 * energy-balance model (Held et al. 2010; Geoffroy et al. 2013a) with the
 * efficacy of deep-ocean heat uptake (Geoffroy et al. 2013b), driven by an
 * abrupt quadrupling of CO₂ plus stochastic radiative forcing, observed as
 * 150 annual means: the emulator that Geoffroy et al. calibrate on the CMIP5
 * {@code abrupt4xCO2} experiment, made stochastic.
 *
 * <h2>Model</h2>
 * An upper layer (atmosphere, land and ocean mixed layer; temperature
 * anomaly T, heat capacity C) exchanges heat with the deep ocean (T_d, C_d):
 * <pre>
 *   C   dT/dt   = F(t) − λ T − ε γ (T − T_d),
 *   C_d dT_d/dt = γ (T − T_d),
 * </pre>
 * with T(0) = T_d(0) = 0 (pre-industrial equilibrium). Time t is in years,
 * temperatures in K, fluxes in W m⁻². The first equation is Geoffroy et al.
 * (2013b)'s: C dT/dt = F − λT − γ(T − T_d) − (ε − 1)γ(T − T_d), i.e. the
 * deep-ocean heat uptake H = γ(T − T_d) cools the surface as if the
 * feedback were stronger by the efficacy factor ε while the deep ocean
 * receives only H. The top-of-atmosphere imbalance is
 * <pre>
 *   N = F − λT − (ε − 1) γ (T − T_d) = C dT/dt + C_d dT_d/dt,
 * </pre>
 * the rate of change of the heat content C T + C_d T_d. Under a constant F
 * the model relaxes to the equilibrium warming T = T_d = F/λ.
 *
 * <h2>Two time scales</h2>
 * The deterministic response to a step F is (Geoffroy et al. 2013a, with
 * γ replaced by εγ in the upper-layer terms as in 2013b)
 * <pre>
 *   T(t)   = (F/λ) [1 − a_f e^{−t/τ_f} − a_s e^{−t/τ_s}],
 *   T_d(t) = (F/λ) [1 − a_f φ_f e^{−t/τ_f} − a_s φ_s e^{−t/τ_s}],
 *   b  = (λ + εγ)/C + γ/C_d,   b* = (λ + εγ)/C − γ/C_d,   δ = b² − 4λγ/(C C_d),
 *   τ_f = C C_d (b − √δ)/(2λγ),   τ_s = C C_d (b + √δ)/(2λγ),
 *   φ_{f,s} = C (b* ∓ √δ)/(2εγ),   a_f = (φ_s − 1)/(φ_s − φ_f),   a_s = (1 − φ_f)/(φ_s − φ_f):
 * </pre>
 * a fast mode of a few years (the mixed layer adjusting) and a slow one of
 * centuries (the deep ocean filling up). {@link #timescales(double[])} gives
 * τ_f and τ_s.
 *
 * <h2>Forcing</h2>
 * F(t) = F_CO₂(t) + η(t). The registered simulator runs the
 * {@code abrupt4xCO2} experiment, F_CO₂ = 5.35 W m⁻² · ln 4 = 7.42 W m⁻² from
 * t = 0 on (the simplified expression of Myhre et al. 1998); the effective
 * forcings diagnosed from the CMIP5 abrupt-4×CO₂ runs by Geoffroy et al.
 * (2013a) scatter around such values. {@link #onePercentCo2(int)} gives the
 * 1 % per year ramp (the {@code 1pctCO2} experiment, F grows linearly by
 * 5.35 ln 1.01 W m⁻² per year) for other studies. η is stochastic radiative
 * forcing, the weather and internal variability that drive the
 * temperature's year-to-year noise (Hasselmann 1976): constant within each
 * year, and an AR(1) process from year to year,
 * <pre>
 *   η_1 = σ_F ξ_1,   η_n = ρ η_{n−1} + σ_F √(1 − ρ²) ξ_n,   ξ_n ~ N(0, 1),
 * </pre>
 * stationary from the first year, with standard deviation σ_F and lag-one
 * autocorrelation ρ. The registered simulator has white noise (ρ = 0) of
 * σ_F = 0.7 W m⁻², which gives the annual means of T a standard deviation
 * of about 0.12 K about the deterministic response (at the default θ and at
 * the prior means; mostly the fast mode, reddened over a few years), the
 * size of the interannual variability of global-mean temperature in
 * pre-industrial control runs of climate models. One {@link RandomGenerator#nextGaussian()} is drawn per
 * year, in order.
 *
 * <h2>Integration</h2>
 * Exact: within a year the forcing f_n is constant, so the state x = (T, T_d)
 * obeys x' = A x + u f_n, with A = [[−(λ + εγ)/C, εγ/C], [γ/C_d, −γ/C_d]],
 * u = (1/C, 0), and
 * <pre>
 *   x_n   = e^{A} x_{n−1} + (∫₀¹ e^{As} ds) u f_n,
 *   x̄_n  = (∫₀¹ e^{As} ds) x_{n−1} + (∫₀¹ ∫₀^s e^{Aσ} dσ ds) u f_n
 * </pre>
 * (x̄_n the annual mean of year n). The matrix functions are evaluated
 * through A's two real, negative, distinct eigenvalues −1/τ_f and −1/τ_s
 * (Sylvester's formula; (e^x − 1)/x and (e^x − 1 − x)/x² without
 * cancellation). Only rounding separates the result from the exact
 * solution, for any parameters and time step.
 *
 * <h2>Observation</h2>
 * x_n = T̄_n, the annual-mean surface temperature anomaly of year n = 1..150
 * [K] ({@code T_001} … {@code T_150}); shape [150], a time series, the length
 * of the CMIP5 {@code abrupt4xCO2} runs. {@link #run(double[], RandomGenerator)}
 * gives the deep ocean, the year-end states and the forcing too.
 *
 * <h2>Parameters and default prior</h2>
 * <ul>
 * <li>{@code lambda} λ [W m⁻² K⁻¹] ~ U(0.5, 2): the climate feedback
 * parameter; the equilibrium warming for 4×CO₂ is F/λ, 3.7–15 K, and the
 * equilibrium climate sensitivity F₂ₓ/λ 1.9–7.4 K;</li>
 * <li>{@code C} [W yr m⁻² K⁻¹] ~ U(4, 10): the upper layer's heat
 * capacity per square metre of the globe; a metre of sea water holds
 * ρc_p · 1 m ≈ 4.1 MJ m⁻² K⁻¹ = 0.13 W yr m⁻² K⁻¹, so the range is a
 * globe-covering water layer 31–77 m deep;</li>
 * <li>{@code C_d} [W yr m⁻² K⁻¹] ~ U(40, 250): the deep ocean's effective
 * heat capacity on centennial time scales (0.3–1.9 km of water);</li>
 * <li>{@code gamma} γ [W m⁻² K⁻¹] ~ U(0.3, 1.2): the heat-exchange
 * coefficient between the layers;</li>
 * <li>{@code epsilon} ε ~ U(0.7, 2): the efficacy of deep-ocean heat uptake
 * (ε = 1 is the plain two-layer model of Geoffroy et al. 2013a).</li>
 * </ul>
 * The boxes enclose with a margin the spread of the 16 CMIP5 models that
 * Geoffroy et al. (2013a, b) calibrated, whose multi-model means are about
 * λ = 1.13, C = 7.3, C_d = 106, γ = 0.73 (2013a) and whose efficacies exceed
 * 1 for most models (2013b); being uniform, they favour no model.
 *
 * <h2>Default observation</h2>
 * "toy 1": one abrupt-4×CO₂ run at λ = 1.13 W m⁻² K⁻¹, C = 7.3 and
 * C_d = 106 W yr m⁻² K⁻¹, γ = 0.73 W m⁻² K⁻¹ (a model at the CMIP5 means
 * above) and ε = 1.3, simulated with {@code new Well19937c(2013L)} (a long seed: Commons Math seeds
 * {@code Well19937c(int)} differently)
 * ({@link #DEFAULT_OBSERVATION_SEED}); its 150 values are stored in the
 * descriptor. Its time scales are τ_f = 3.5 yr and τ_s = 270 yr, its
 * equilibrium warming F/λ = 6.6 K.
 *
 * <h2>Invalid parameters</h2>
 * θ of the wrong length, a non-finite component, or λ, C, C_d, γ or ε not
 * positive is refused with an {@link IllegalArgumentException} naming the
 * parameter.
 *
 * <h2>Cost</h2>
 * The eigenvalues and three 2 × 2 matrix functions once, then 150 years of a
 * few multiplications and one Gaussian draw each: about 16 µs per simulation
 * on a busy 2-core machine (some 60,000 per second and thread).
 */
@Component(service = Simulator.class)
public final class TwoLayerEbm implements Simulator {

	public static final String ID = "two_layer_ebm";
	/** Years of the default experiment (the length of the CMIP5 abrupt-4×CO₂ runs). */
	public static final int YEARS = 150;
	/** 5.35 W m⁻², the coefficient of the CO₂ forcing F = 5.35 ln(c/c₀) (Myhre et al. 1998). */
	public static final double CO2_FORCING_COEFFICIENT = 5.35;
	/** F of a quadrupling of CO₂: 5.35 ln 4 = 7.42 W m⁻². */
	public static final double FORCING_4XCO2 = CO2_FORCING_COEFFICIENT * Math.log(4);
	/** σ_F, the standard deviation of the stochastic forcing of the registered simulator [W m⁻²]. */
	public static final double FORCING_NOISE = 0.7;
	/** ρ, the year-to-year autocorrelation of the stochastic forcing of the registered simulator (white). */
	public static final double FORCING_NOISE_AUTOCORRELATION = 0;
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 2013;
	/** θ of the default observation: λ, C, C_d, γ, ε. */
	static final double[] DEFAULT_TRUE_PARAMETERS = { 1.13, 7.3, 106, 0.73, 1.3 };

	private static final List<Parameter> PARAMETERS = List.of(new Parameter("lambda", "W/m^2/K"),
			new Parameter("C", "W yr/m^2/K"), new Parameter("C_d", "W yr/m^2/K"), new Parameter("gamma", "W/m^2/K"),
			Parameter.of("epsilon"));

	/** The 150 annual means of the default observation [K], drawn as the class comment says. */
	private static final double[] DEFAULT_TEMPERATURES = {
			0.40231383111760516, 1.1685165604241192, 1.8266410983126213, 2.282829537613331, 2.6103586320273457,
			2.9145895920877445, 3.1276310368901776, 3.2580491768561988, 3.367620151254277, 3.4253799312567903,
			3.42803119216128, 3.4349779055638616, 3.4670545539780684, 3.480536040239031, 3.5306499223558134,
			3.5537620455864922, 3.522232478437017, 3.5533375094583546, 3.520564157111267, 3.540547322107043,
			3.5863136903488977, 3.6182719119891913, 3.7205450709262005, 3.779638193542308, 3.743168517195179,
			3.7393297465783824, 3.825788917653786, 3.833662032247038, 3.794128587685135, 3.779153354096981,
			3.778204411329567, 3.768590839618271, 3.820750939195364, 3.9109052447402646, 3.884840181024796,
			3.875876719531398, 3.9328616989953034, 4.016535812809631, 4.100333687781209, 4.1370660371791335,
			4.145580548540691, 4.0909240012862895, 3.970271457248813, 3.918169924364931, 3.886426749398989,
			3.7918264073776724, 3.785928824751842, 3.8938557800211306, 3.989738273347788, 4.0153427638768635,
			3.999390403614174, 4.026861855392625, 4.083820718405647, 4.117053541618992, 4.155166306499576,
			4.192605634730038, 4.187198441746919, 4.154350738160623, 4.100055795520441, 4.077123198900478,
			4.148242952704726, 4.136776142929045, 4.110246445099148, 4.110975376374694, 4.156715733307549,
			4.239523459031761, 4.312247062372282, 4.340147672816033, 4.296771354249571, 4.235574783840565,
			4.16469840360326, 4.041319139534517, 3.9626471018399454, 3.912700300736197, 3.9410622055417193,
			4.058172720753709, 4.1949026306499775, 4.30120538776376, 4.249935416503944, 4.218721964480096,
			4.225367081390765, 4.1968853470545024, 4.300408598161468, 4.420826229322123, 4.518254037817226,
			4.604189263214546, 4.627271689888344, 4.656619236760781, 4.650018718507813, 4.668835278812461,
			4.683242767712808, 4.672483218101072, 4.59966612577992, 4.513250931268525, 4.501970037632873,
			4.4282314917227845, 4.3847704537113605, 4.475012579932512, 4.527425312204838, 4.5774874705260356,
			4.62024684815354, 4.550025292767126, 4.525525897598334, 4.6937661368069445, 4.786286973718399,
			4.7870621930217885, 4.7843614674157955, 4.7216445550552315, 4.652195690790909, 4.6348916531248285,
			4.660993696259833, 4.683981698583681, 4.710261322348516, 4.653159255175382, 4.520978308795187,
			4.520135605728372, 4.610774966619709, 4.689993474954291, 4.658568940137031, 4.521246613584521,
			4.486751129089055, 4.4416269439455185, 4.46317307206907, 4.484235978682224, 4.449847007936009,
			4.441128450525173, 4.400729562358126, 4.40765575977337, 4.52425495132411, 4.60856276615653,
			4.633519483927332, 4.708822267764616, 4.726567861052088, 4.7372112502653625, 4.7596825743482665,
			4.7352832973109855, 4.720865357186276, 4.722912114262611, 4.741937845869609, 4.678067508387995,
			4.544111747455668, 4.533744830150414, 4.587493001960172, 4.624108845877007, 4.664486665619079,
			4.6690324655653015, 4.646400758771671, 4.655405290502694, 4.696489186094484, 4.725360087129243 };

	private final String scenario;
	private final double[] forcing;
	private final double noiseStd;
	private final double noiseAutocorrelation;
	private final SimulatorDescriptor descriptor;

	/**
	 * The trajectory of one run, year n = 1..years at index n − 1.
	 *
	 * @param forcing                  F_n = F_CO₂ + η_n, the forcing during year n [W m⁻²]
	 * @param temperature              T̄_n, the annual-mean upper-layer (surface) temperature anomaly [K]
	 * @param deepTemperature          the annual-mean deep-ocean temperature anomaly [K]
	 * @param temperatureAtYearEnd     T at the end of year n [K]
	 * @param deepTemperatureAtYearEnd T_d at the end of year n [K]
	 */
	public record Run(double[] forcing, double[] temperature, double[] deepTemperature, double[] temperatureAtYearEnd,
			double[] deepTemperatureAtYearEnd) {
	}

	/** The simulator as registered: abrupt 4×CO₂, 150 years, white forcing noise of 0.7 W m⁻². */
	public TwoLayerEbm() {
		this("abrupt-4xCO2", abrupt4xCo2(YEARS), FORCING_NOISE, FORCING_NOISE_AUTOCORRELATION);
	}

	/**
	 * The same model under another forcing history or noise. Only the default
	 * configuration carries the default observation.
	 *
	 * @param scenario             a short name of the forcing history, for the description
	 * @param annualForcing        F_CO₂ of each year n = 1.. (constant within the year) [W m⁻²]; its length is the number of years
	 * @param noiseStd             σ_F ≥ 0 [W m⁻²]; 0 switches the stochastic forcing off (no draws are made)
	 * @param noiseAutocorrelation ρ ∈ [0, 1)
	 */
	public TwoLayerEbm(String scenario, double[] annualForcing, double noiseStd, double noiseAutocorrelation) {
		if (annualForcing == null || annualForcing.length == 0) {
			throw new IllegalArgumentException("The forcing history needs at least one year");
		}
		for (int n = 0; n < annualForcing.length; n++) {
			if (!Double.isFinite(annualForcing[n])) {
				throw new IllegalArgumentException("The forcing of year " + (n + 1) + " must be finite, got " + annualForcing[n]);
			}
		}
		if (!(noiseStd >= 0 && Double.isFinite(noiseStd))) {
			throw new IllegalArgumentException("The forcing noise σ_F must be finite and non-negative, got " + noiseStd + " W/m^2");
		}
		if (!(noiseAutocorrelation >= 0 && noiseAutocorrelation < 1)) {
			throw new IllegalArgumentException("The autocorrelation ρ of the forcing noise must lie in [0, 1), got " + noiseAutocorrelation);
		}
		this.scenario = scenario;
		this.forcing = annualForcing.clone();
		this.noiseStd = noiseStd;
		this.noiseAutocorrelation = noiseAutocorrelation;
		int years = forcing.length;
		boolean standard = "abrupt-4xCO2".equals(scenario) && java.util.Arrays.equals(forcing, abrupt4xCo2(YEARS))
				&& noiseStd == FORCING_NOISE && noiseAutocorrelation == FORCING_NOISE_AUTOCORRELATION;
		List<Observation> observations = standard
				? List.of(new Observation("toy 1", DEFAULT_TEMPERATURES, DEFAULT_TRUE_PARAMETERS))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "Two-layer energy-balance model", Domain.CLIMATE, "1.0",
				"Global-mean surface temperature of a two-layer (upper layer and deep ocean) energy-balance model with "
						+ "deep-ocean heat-uptake efficacy, forced by " + scenario + " plus "
						+ (noiseAutocorrelation == 0 ? "white" : "AR(1)") + " stochastic forcing of "
						+ String.format(Locale.ROOT, "%.2f", noiseStd) + " W/m^2, observed as " + years
						+ " annual means [K].",
				PARAMETERS, observationNames(years), prior(), observations,
				List.of("Held, I. M., Winton, M., Takahashi, K., Delworth, T., Zeng, F., Vallis, G. K. Probing the fast "
						+ "and slow components of global warming by returning abruptly to preindustrial forcing. "
						+ "J. Climate 23 (2010) 2418-2427.",
						"Geoffroy, O., Saint-Martin, D., Olivie, D. J. L., Voldoire, A., Bellon, G., Tyteca, S. Transient "
								+ "climate response in a two-layer energy-balance model. Part I: Analytical solution and "
								+ "parameter calibration using CMIP5 AOGCM experiments. J. Climate 26 (2013) 1841-1857.",
						"Geoffroy, O., Saint-Martin, D., Bellon, G., Voldoire, A., Olivie, D. J. L., Tyteca, S. Transient "
								+ "climate response in a two-layer energy-balance model. Part II: Representation of the "
								+ "efficacy of deep-ocean heat uptake and validation for CMIP5 AOGCMs. J. Climate 26 (2013) "
								+ "1859-1876.",
						"Myhre, G., Highwood, E. J., Shine, K. P., Stordal, F. New estimates of radiative forcing due to "
								+ "well mixed greenhouse gases. Geophys. Res. Lett. 25 (1998) 2715-2718.",
						"Hasselmann, K. Stochastic climate models. Part I. Theory. Tellus 28 (1976) 473-485."),
				List.of(years));
	}

	/** F_CO₂ = 5.35 ln 4 W m⁻² in every year: the abrupt-4×CO₂ experiment. */
	public static double[] abrupt4xCo2(int years) {
		double[] f = new double[years];
		java.util.Arrays.fill(f, FORCING_4XCO2);
		return f;
	}

	/**
	 * The 1pctCO2 experiment: c = c₀ · 1.01^t, F_CO₂(t) = 5.35 ln(1.01) t W m⁻²,
	 * averaged over each year n (t from n − 1 to n): 5.35 ln(1.01) (n − ½).
	 */
	public static double[] onePercentCo2(int years) {
		double[] f = new double[years];
		for (int n = 1; n <= years; n++) {
			f[n - 1] = CO2_FORCING_COEFFICIENT * Math.log(1.01) * (n - 0.5);
		}
		return f;
	}

	private static BoxUniformPrior prior() {
		return new BoxUniformPrior(PARAMETERS, new double[] { 0.5, 4, 40, 0.3, 0.7 }, new double[] { 2, 10, 250, 1.2, 2 });
	}

	/** T_001, T_002, ...: the annual means of years 1, 2, ... */
	private static List<String> observationNames(int years) {
		List<String> names = new ArrayList<>(years);
		int digits = Math.max(3, Integer.toString(years).length());
		for (int n = 1; n <= years; n++) {
			names.add(String.format(Locale.ROOT, "T_%0" + digits + "d", n));
		}
		return names;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	/** The deterministic forcing F_CO₂ of each year [W m⁻²]. */
	public double[] forcing() {
		return forcing.clone();
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		return run(theta, random).temperature();
	}

	/** One run with everything it computes: forcing, both layers' annual means and year-end states. */
	public Run run(double[] theta, RandomGenerator random) {
		check(theta);
		Propagator p = new Propagator(theta);
		int years = forcing.length;
		double[] f = new double[years];
		double[] mean = new double[years];
		double[] meanDeep = new double[years];
		double[] end = new double[years];
		double[] endDeep = new double[years];
		double innovation = noiseStd * Math.sqrt(1 - noiseAutocorrelation * noiseAutocorrelation);
		double eta = 0;
		double t = 0;
		double td = 0;
		for (int n = 0; n < years; n++) {
			if (noiseStd > 0) {
				eta = n == 0 ? noiseStd * random.nextGaussian() : noiseAutocorrelation * eta + innovation * random.nextGaussian();
			}
			double fn = forcing[n] + eta;
			double u = fn / p.c;
			mean[n] = p.s11 * t + p.s12 * td + p.q11 * u;
			meanDeep[n] = p.s21 * t + p.s22 * td + p.q21 * u;
			double tNext = p.e11 * t + p.e12 * td + p.s11 * u;
			double tdNext = p.e21 * t + p.e22 * td + p.s21 * u;
			t = tNext;
			td = tdNext;
			f[n] = fn;
			end[n] = t;
			endDeep[n] = td;
		}
		return new Run(f, mean, meanDeep, end, endDeep);
	}

	/**
	 * τ_f and τ_s [yr], the e-folding times of the fast and slow modes: minus the
	 * inverse eigenvalues of A.
	 */
	public static double[] timescales(double[] theta) {
		check(theta);
		double[] mu = eigenvalues(theta[0], theta[1], theta[2], theta[3], theta[4]);
		return new double[] { -1 / mu[0], -1 / mu[1] };
	}

	/** The eigenvalues of A, fast (more negative) first; real, negative and distinct for valid θ. */
	private static double[] eigenvalues(double lambda, double c, double cd, double gamma, double epsilon) {
		double a11 = -(lambda + epsilon * gamma) / c;
		double a22 = -gamma / cd;
		double trace = a11 + a22;
		double det = lambda * gamma / (c * cd);
		double d = a11 - a22;
		double root = Math.sqrt(d * d + 4 * (epsilon * gamma / c) * (gamma / cd));
		double fast = 0.5 * (trace - root);
		// The product of the eigenvalues is det(A): no cancellation for the slow one.
		return new double[] { fast, det / fast };
	}

	/** e^{A}, ∫₀¹ e^{As} ds and the first column of ∫₀¹∫₀^s e^{Aσ} dσ ds, for a one-year step. */
	private static final class Propagator {
		final double c;
		final double e11, e12, e21, e22;
		final double s11, s12, s21, s22;
		final double q11, q21;

		Propagator(double[] theta) {
			double lambda = theta[0];
			c = theta[1];
			double cd = theta[2];
			double gamma = theta[3];
			double epsilon = theta[4];
			double a11 = -(lambda + epsilon * gamma) / c;
			double a12 = epsilon * gamma / c;
			double a21 = gamma / cd;
			double a22 = -gamma / cd;
			double[] mu = eigenvalues(lambda, c, cd, gamma, epsilon);
			double m1 = mu[0];
			double m2 = mu[1];
			double gap = m1 - m2;
			// Sylvester: g(A) = [g(μ₁)(A − μ₂I) − g(μ₂)(A − μ₁I)] / (μ₁ − μ₂).
			double[] e = sylvester(Math.exp(m1), Math.exp(m2), m1, m2, gap, a11, a12, a21, a22);
			double[] s = sylvester(phi1(m1), phi1(m2), m1, m2, gap, a11, a12, a21, a22);
			double[] q = sylvester(phi2(m1), phi2(m2), m1, m2, gap, a11, a12, a21, a22);
			e11 = e[0];
			e12 = e[1];
			e21 = e[2];
			e22 = e[3];
			s11 = s[0];
			s12 = s[1];
			s21 = s[2];
			s22 = s[3];
			q11 = q[0];
			q21 = q[2];
		}

		private static double[] sylvester(double g1, double g2, double m1, double m2, double gap, double a11, double a12,
				double a21, double a22) {
			return new double[] { (g1 * (a11 - m2) - g2 * (a11 - m1)) / gap, (g1 - g2) * a12 / gap, (g1 - g2) * a21 / gap,
					(g1 * (a22 - m2) - g2 * (a22 - m1)) / gap };
		}
	}

	/** (e^x − 1)/x. */
	static double phi1(double x) {
		return x == 0 ? 1 : Math.expm1(x) / x;
	}

	/** (e^x − 1 − x)/x², by its series near 0. */
	static double phi2(double x) {
		if (Math.abs(x) < 1e-2) {
			return 0.5 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (1.0 / 720 + x / 5040))));
		}
		return (Math.expm1(x) - x) / (x * x);
	}

	private static void check(double[] theta) {
		if (theta == null || theta.length != PARAMETERS.size()) {
			throw new IllegalArgumentException(ID + " takes 5 parameters (lambda [W/m^2/K], C [W yr/m^2/K], "
					+ "C_d [W yr/m^2/K], gamma [W/m^2/K], epsilon), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
		for (int i = 0; i < theta.length; i++) {
			if (!Double.isFinite(theta[i])) {
				throw new IllegalArgumentException(ID + ": " + PARAMETERS.get(i).name() + " must be finite, got " + theta[i]);
			}
		}
		String[] why = { "the climate feedback parameter lambda must be positive (otherwise there is no equilibrium)",
				"the upper-layer heat capacity C must be positive", "the deep-ocean heat capacity C_d must be positive",
				"the heat-exchange coefficient gamma must be positive", "the efficacy epsilon must be positive" };
		for (int i = 0; i < theta.length; i++) {
			if (!(theta[i] > 0)) {
				throw new IllegalArgumentException(ID + ": " + why[i] + ", got " + theta[i]);
			}
		}
	}
}
