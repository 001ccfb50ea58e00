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
	record Rejection(Rule rule, double value, DistanceScale scale, boolean regressionAdjustment, Bandwidth bandwidth) {

		/** The settings as a map that {@link #rejection(Map)} reads back to an equal record (saved with the estimator). */
		Map<String, String> toMap() {
			Map<String, String> m = new LinkedHashMap<>();
			m.put(rule.id(), rule == Rule.NUM_TOP_SAMPLES ? Long.toString((long) value) : Double.toString(value));
			m.put("distance_scale", scale.id());
			m.put("regression_adjustment", Boolean.toString(regressionAdjustment));
			m.put("kde_bandwidth", bandwidth.id());
			return m;
		}
	}

	/** SMC-ABC (id "smcabc"); {@code populationSize} 0 means "by the budget, as sbibm". */
	record Smc(int populationSize, double initialPopulationFactor, double epsilonQuantile, double kernelScale, DistanceScale scale,
			boolean regressionAdjustment, Bandwidth bandwidth, int threads) {

		/** sbibm's rule: 100 particles for budgets up to 10,000 simulations, 1,000 above. */
		int populationSize(long budget) {
			int n = populationSize > 0 ? populationSize : budget > 10_000 ? 1_000 : 100;
			return (int) Math.min(n, budget);
		}

		Map<String, Object> toMap(long budget) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("population_size", populationSize(budget));
			m.put("initial_population_factor", initialPopulationFactor);
			m.put("epsilon_quantile", epsilonQuantile);
			m.put("kernel_scale", kernelScale);
			m.put("distance_scale", scale.id());
			m.put("regression_adjustment", regressionAdjustment);
			m.put("kde_bandwidth", bandwidth.id());
			m.put("threads", threads);
			return m;
		}
	}

	static final List<String> REJECTION_SETTINGS = List.of("num_top_samples", "quantile", "epsilon", "distance_scale",
			"regression_adjustment", "kde_bandwidth");
	static final List<String> SMC_SETTINGS = List.of("population_size", "initial_population_factor", "epsilon_quantile",
			"kernel_scale", "distance_scale", "regression_adjustment", "kde_bandwidth", "threads");

	static Rejection rejection(Map<String, String> settings) {
		Rule rule = Rule.NUM_TOP_SAMPLES;
		double value = 100;
		String ruleGiven = null;
		DistanceScale scale = DistanceScale.STD;
		boolean lra = false;
		// Cross-validated, as sbibm's published REJ-ABC runs: Scott's rule over-smooths non-Gaussian posteriors
		// (two_moons at 10^4: C2ST 0.931 with Scott, 0.824 with cv; docs/benchmarks/methods.md).
		Bandwidth bandwidth = new Bandwidth("cv", Double.NaN);
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
			default -> throw unknown("abc", key, REJECTION_SETTINGS);
			}
		}
		return new Rejection(rule, value, scale, lra, bandwidth);
	}

	static Smc smc(Map<String, String> settings) {
		int population = 0;
		double factor = 5;
		double quantile = 0.2;
		double kernelScale = 2;
		DistanceScale scale = DistanceScale.STD;
		boolean lra = false;
		// Cross-validated like rejection ABC (two_moons at 10^4: C2ST 0.804 instead of 0.926 with Scott's rule).
		Bandwidth bandwidth = new Bandwidth("cv", Double.NaN);
		int threads = Runtime.getRuntime().availableProcessors();
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String key = e.getKey();
			String v = e.getValue() == null ? "" : e.getValue().trim();
			switch (key) {
			case "population_size" -> population = positiveInt("smcabc", key, v);
			case "initial_population_factor" -> factor = number("smcabc", key, v, 1, Double.POSITIVE_INFINITY, true, false,
					"a number ≥ 1 (the first generation simulates this many times the population size)");
			case "epsilon_quantile" -> quantile = number("smcabc", key, v, 0, 1, false, false, "a number in (0, 1), e.g. 0.2");
			case "kernel_scale" -> kernelScale = number("smcabc", key, v, 0, Double.POSITIVE_INFINITY, false, false,
					"a positive number (2 in Beaumont et al. 2009)");
			case "distance_scale" -> scale = distanceScale("smcabc", v);
			case "regression_adjustment" -> lra = bool("smcabc", key, v);
			case "kde_bandwidth" -> bandwidth = bandwidth("smcabc", v);
			case "threads" -> threads = positiveInt("smcabc", key, v);
			default -> throw unknown("smcabc", key, SMC_SETTINGS);
			}
		}
		return new Smc(population, factor, quantile, kernelScale, scale, lra, bandwidth, threads);
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
