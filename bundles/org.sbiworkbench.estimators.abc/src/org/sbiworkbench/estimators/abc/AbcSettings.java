package org.sbiworkbench.estimators.abc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of both ABC methods, parsed from the string map of a run file or the command line. Every problem
 * is an {@link IllegalArgumentException} that names the setting and, for unknown names, lists the valid ones.
 */
final class AbcSettings {

	private AbcSettings() {
	}

	/** How x is scaled per component before the Euclidean distance to x_o is taken. */
	enum DistanceScale {
		/** By the simulations' standard deviation (z-scoring, as sbibm's distance on z-scored data). */
		STD,
		/** By the median absolute deviation × 1.4826 (the std for Gaussian data; robust to outliers). */
		MAD,
		/** Not scaled: the plain L2 distance of sbi's {@code ABCBASE}. */
		NONE;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * The shape of the KDE's Gaussian kernel, before the bandwidth factor h: the particles' weighted covariance Σ
	 * (scipy's {@code gaussian_kde}), its diagonal, or σ² I with σ the standard deviation of all the particles'
	 * coordinates pooled (sklearn's isotropic {@code KernelDensity} as sbibm uses it, whose CV grid is in units of
	 * that σ). With several modes Σ is stretched along the line between them (two_moons: correlation 0.99), and
	 * a kernel of that shape smears each mode along it; the diagonal and isotropic kernels do not.
	 */
	enum KdeKernel {
		COVARIANCE, DIAGONAL, ISOTROPIC;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** Which simulations rejection ABC keeps. */
	enum Rule {
		NUM_TOP_SAMPLES, QUANTILE, EPSILON;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * The bandwidth of the Gaussian KDE drawn from: a factor h times the (weighted) covariance's square root, from
	 * a rule ("scott", "silverman", "cv") or given as a number; "none" resamples the particles without smoothing.
	 */
	record Bandwidth(String rule, double factor) {
		static final List<String> RULES = List.of("scott", "silverman", "cv", "none");

		String id() {
			return rule.equals("fixed") ? Double.toString(factor) : rule;
		}
	}

	/** Rejection ABC (id "abc"). */
	record Rejection(Rule rule, double value, DistanceScale scale, boolean regressionAdjustment, Bandwidth bandwidth, KdeKernel kernel) {

		/** The settings as a map that {@link #rejection(Map)} reads back to an equal record (saved with the estimator). */
		Map<String, String> toMap() {
			Map<String, String> m = new LinkedHashMap<>();
			m.put(rule.id(), rule == Rule.NUM_TOP_SAMPLES ? Long.toString((long) value) : Double.toString(value));
			m.put("distance_scale", scale.id());
			m.put("regression_adjustment", Boolean.toString(regressionAdjustment));
			m.put("kde_bandwidth", bandwidth.id());
			m.put("kde_kernel", kernel.id());
			return m;
		}
	}

	/** How SMC-ABC lowers its threshold from one generation to the next. */
	enum EpsilonSchedule {
		/**
		 * sbi's distance-based decay: ε_t is the smallest of the previous population's distinct distances at which
		 * their running sum reaches the fraction {@code epsilon_decay} of their total. Small distances weigh little in
		 * the sum, so this keeps more than the plain quantile (about 45% of uniform distances for 0.2).
		 */
		CUMULATIVE,
		/** The plain {@code epsilon_decay} quantile of the previous population's distances. */
		QUANTILE,
		/** ε_t = {@code epsilon_decay} × ε_{t−1} (sbi's constant decay). */
		CONSTANT;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** What SMC-ABC makes of a generation the budget ran out in. */
	enum LastPopulation {
		/**
		 * sbi's {@code use_last_pop_samples}: the particles accepted so far plus the nearest particles of the previous
		 * population up to N, all weighted as if proposed in the last generation.
		 */
		FILL,
		/** The previous, complete population. */
		PREVIOUS,
		/** The particles accepted so far, if at least half a population (a smaller importance sample at the smaller ε). */
		PARTIAL;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** SMC-ABC (id "smcabc"); {@code populationSize} 0 means "by the budget, as sbibm". */
	record Smc(int populationSize, double initialPopulationFactor, EpsilonSchedule schedule, double epsilonDecay, double kernelScale,
			LastPopulation lastPopulation, boolean budgetAwareEpsilon, double essMin, DistanceScale scale, boolean regressionAdjustment,
			Bandwidth bandwidth, KdeKernel kernel, boolean kdeWeights, int threads) {

		/** sbibm's rule: 100 particles for budgets up to 10,000 simulations, 1,000 above. */
		int populationSize(long budget) {
			int n = populationSize > 0 ? populationSize : budget > 10_000 ? 1_000 : 100;
			return (int) Math.min(n, budget);
		}

		Map<String, Object> toMap(long budget) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("population_size", populationSize(budget));
			m.put("initial_population_factor", initialPopulationFactor);
			m.put("epsilon_schedule", schedule.id());
			m.put("epsilon_decay", epsilonDecay);
			m.put("kernel_scale", kernelScale);
			m.put("last_population", lastPopulation.id());
			m.put("budget_aware_epsilon", budgetAwareEpsilon);
			m.put("ess_min", essMin);
			m.put("distance_scale", scale.id());
			m.put("regression_adjustment", regressionAdjustment);
			m.put("kde_bandwidth", bandwidth.id());
			m.put("kde_kernel", kernel.id());
			m.put("kde_weights", kdeWeights);
			m.put("threads", threads);
			return m;
		}
	}

	static final List<String> REJECTION_SETTINGS = List.of("num_top_samples", "quantile", "epsilon", "distance_scale",
			"regression_adjustment", "kde_bandwidth", "kde_kernel");
	static final List<String> SMC_SETTINGS = List.of("population_size", "initial_population_factor", "epsilon_schedule",
			"epsilon_decay", "kernel_scale", "last_population", "budget_aware_epsilon", "ess_min", "distance_scale",
			"regression_adjustment", "kde_bandwidth", "kde_kernel", "kde_weights", "threads");

	static Rejection rejection(Map<String, String> settings) {
		Rule rule = Rule.NUM_TOP_SAMPLES;
		double value = 100;
		String ruleGiven = null;
		DistanceScale scale = DistanceScale.STD;
		boolean lra = false;
		// Cross-validated, as sbibm's published REJ-ABC runs: Scott's rule over-smooths non-Gaussian posteriors
		// (two_moons at 10^4: C2ST 0.931 with Scott, 0.824 with cv; docs/benchmarks/methods.md).
		Bandwidth bandwidth = new Bandwidth("cv", Double.NaN);
		KdeKernel kernel = KdeKernel.COVARIANCE;
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String key = e.getKey();
			String v = e.getValue() == null ? "" : e.getValue().trim();
			switch (key) {
			case "num_top_samples", "quantile", "epsilon" -> {
				if (ruleGiven != null) {
					throw new IllegalArgumentException("ABC settings '" + ruleGiven + "' and '" + key
							+ "' both choose which simulations to keep; give only one of num_top_samples, quantile, epsilon");
				}
				ruleGiven = key;
				rule = Rule.valueOf(key.toUpperCase(Locale.ROOT));
				value = switch (rule) {
				case NUM_TOP_SAMPLES -> positiveInt("abc", key, v);
				case QUANTILE -> number("abc", key, v, 0, 1, false, true, "a number in (0, 1], e.g. 0.01");
				case EPSILON -> number("abc", key, v, 0, Double.POSITIVE_INFINITY, false, false, "a positive number");
				};
			}
			case "distance_scale" -> scale = distanceScale("abc", v);
			case "regression_adjustment" -> lra = bool("abc", key, v);
			case "kde_bandwidth" -> bandwidth = bandwidth("abc", v);
			case "kde_kernel" -> kernel = choice("abc", key, v, KdeKernel.values(), KdeKernel::id);
			default -> throw unknown("abc", key, REJECTION_SETTINGS);
			}
		}
		return new Rejection(rule, value, scale, lra, bandwidth, kernel);
	}

	/**
	 * Defaults are those of sbibm's SMC-ABC runs ({@code sbibm/algorithms/sbi/smcabc.py}, which runs sbi's
	 * {@code SMCABC}, variant C = Beaumont et al. 2009), except where noted.
	 */
	static Smc smc(Map<String, String> settings) {
		int population = 0;
		double factor = 5;
		EpsilonSchedule schedule = EpsilonSchedule.CUMULATIVE;
		double decay = 0.2;
		// sbibm's kernel_variance_scale: 0.5 × the weighted covariance (Beaumont et al. 2009 use 2 ×; the narrower
		// kernel accepts far more proposals at a given ε, which is what a fixed budget needs).
		double kernelScale = 0.5;
		LastPopulation last = LastPopulation.FILL;
		boolean budgetAware = false;
		double essMin = 0;
		// Not sbi's (unscaled L2): z-scoring keeps components of different scales comparable.
		DistanceScale scale = DistanceScale.STD;
		boolean lra = false;
		// Cross-validated, as sbibm's runs.
		Bandwidth bandwidth = new Bandwidth("cv", Double.NaN);
		// sbibm's kde_sample_weights = false. With the weights the KDE is exact for the ε-posterior only while they
		// hold: in ten dimensions they collapse onto a few particles (gaussian_linear at 10^4: ESS 1.6 of 100, C2ST
		// 0.874 with them, 0.809 without; two_moons 0.715 and 0.712; docs/benchmarks/methods.md).
		boolean kdeWeights = false;
		// Not the covariance: SMC-ABC's populations are often multimodal, and a kernel shaped like their covariance
		// smears each mode towards the others (two_moons at 10^4: C2ST 0.766 with it, 0.731 diagonal, 0.754
		// isotropic as sbibm's, observations 1-3).
		KdeKernel kernel = KdeKernel.DIAGONAL;
		int threads = Runtime.getRuntime().availableProcessors();
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String key = e.getKey();
			String v = e.getValue() == null ? "" : e.getValue().trim();
			switch (key) {
			case "population_size" -> population = positiveInt("smcabc", key, v);
			case "initial_population_factor" -> factor = number("smcabc", key, v, 1, Double.POSITIVE_INFINITY, true, false,
					"a number ≥ 1 (the first generation simulates this many times the population size)");
			case "epsilon_schedule" -> schedule = choice("smcabc", key, v, EpsilonSchedule.values(), EpsilonSchedule::id);
			case "epsilon_decay" -> decay = number("smcabc", key, v, 0, 1, false, false, "a number in (0, 1), e.g. 0.2");
			case "kernel_scale" -> kernelScale = number("smcabc", key, v, 0, Double.POSITIVE_INFINITY, false, false,
					"a positive number (0.5 in sbibm, 2 in Beaumont et al. 2009)");
			case "last_population" -> last = choice("smcabc", key, v, LastPopulation.values(), LastPopulation::id);
			case "budget_aware_epsilon" -> budgetAware = bool("smcabc", key, v);
			case "ess_min" -> essMin = number("smcabc", key, v, 0, 1, true, true,
					"a number in [0, 1]: resample when ESS / population is below it (0: never)");
			case "distance_scale" -> scale = distanceScale("smcabc", v);
			case "regression_adjustment" -> lra = bool("smcabc", key, v);
			case "kde_bandwidth" -> bandwidth = bandwidth("smcabc", v);
			case "kde_kernel" -> kernel = choice("smcabc", key, v, KdeKernel.values(), KdeKernel::id);
			case "kde_weights" -> kdeWeights = bool("smcabc", key, v);
			case "threads" -> threads = positiveInt("smcabc", key, v);
			default -> throw unknown("smcabc", key, SMC_SETTINGS);
			}
		}
		return new Smc(population, factor, schedule, decay, kernelScale, last, budgetAware, essMin, scale, lra, bandwidth, kernel, kdeWeights,
				threads);
	}

	private static <E> E choice(String method, String key, String v, E[] values, java.util.function.Function<E, String> id) {
		List<String> ids = new java.util.ArrayList<>();
		for (E value : values) {
			if (id.apply(value).equals(v.toLowerCase(Locale.ROOT))) {
				return value;
			}
			ids.add(id.apply(value));
		}
		throw new IllegalArgumentException(method + " setting '" + key + "' must be one of " + String.join(", ", ids) + "; got '" + v + "'");
	}

	private static IllegalArgumentException unknown(String method, String key, List<String> known) {
		return new IllegalArgumentException("Unknown " + method + " setting '" + key + "'; known: " + String.join(", ", known));
	}

	private static int positiveInt(String method, String key, String v) {
		try {
			int n = Integer.parseInt(v);
			if (n > 0) {
				return n;
			}
		} catch (NumberFormatException e) {
			// reported below
		}
		throw new IllegalArgumentException(method + " setting '" + key + "' must be a positive whole number, got '" + v + "'");
	}

	private static double number(String method, String key, String v, double lo, double hi, boolean loIncluded, boolean hiIncluded,
			String what) {
		double x;
		try {
			x = Double.parseDouble(v);
		} catch (NumberFormatException e) {
			x = Double.NaN;
		}
		boolean ok = !Double.isNaN(x) && (loIncluded ? x >= lo : x > lo) && (hiIncluded ? x <= hi : x < hi);
		if (!ok) {
			throw new IllegalArgumentException(method + " setting '" + key + "' must be " + what + ", got '" + v + "'");
		}
		return x;
	}

	private static boolean bool(String method, String key, String v) {
		return switch (v.toLowerCase(Locale.ROOT)) {
		case "true" -> true;
		case "false" -> false;
		default -> throw new IllegalArgumentException(method + " setting '" + key + "' must be true or false, got '" + v + "'");
		};
	}

	private static DistanceScale distanceScale(String method, String v) {
		for (DistanceScale s : DistanceScale.values()) {
			if (s.id().equals(v.toLowerCase(Locale.ROOT))) {
				return s;
			}
		}
		throw new IllegalArgumentException(method + " setting 'distance_scale' must be one of std, mad, none; got '" + v + "'");
	}

	private static Bandwidth bandwidth(String method, String v) {
		String s = v.toLowerCase(Locale.ROOT);
		if (Bandwidth.RULES.contains(s)) {
			return new Bandwidth(s, Double.NaN);
		}
		try {
			double h = Double.parseDouble(s);
			if (h > 0 && Double.isFinite(h)) {
				return new Bandwidth("fixed", h);
			}
		} catch (NumberFormatException e) {
			// reported below
		}
		throw new IllegalArgumentException(method + " setting 'kde_bandwidth' must be one of scott, silverman, cv, none or a positive "
				+ "factor; got '" + v + "'");
	}
}
