package org.sbiworkbench.estimators.abc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.core.storage.SavedFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rejection ABC's "estimator": the simulations themselves, with the distance scale taken from them and the
 * settings that say how many to keep. {@link #condition(double[])} answers any observation from the same
 * simulations, so coverage checks and SBC can run on it as on any amortized posterior.
 * <p>
 * Saved as a folder in the format "sbiworkbench-abc", version 1:
 * <ul>
 * <li>{@code theta.npy}: the simulations' parameters, float64, N × d (C order);</li>
 * <li>{@code x.npy}: their data, float64, N × k;</li>
 * <li>{@code abc.json}, written last: {@code format}, {@code formatVersion}, {@code method} ("abc"),
 * {@code simulator} (id, version), {@code parameters} (name, unit), {@code prior} (as in run files),
 * {@code observationDimension}, {@code simulations} (N), {@code settings} (every setting with its value, defaults
 * included, read back through the same parser) and {@code files}: for theta and x the file, rows, cols and
 * SHA-256.</li>
 * </ul>
 * The distance scale is recomputed from x on loading (it is a deterministic function of it). No Java
 * serialization; a missing or damaged file gives an {@link IOException} that names it.
 */
public final class AbcEstimator implements AmortizedPosterior {

	public static final String FILE = "abc.json";
	public static final String FORMAT = "sbiworkbench-abc";
	public static final int FORMAT_VERSION = 1;

	private final List<Parameter> parameters;
	private final Prior prior;
	private final double[][] theta;
	private final double[][] x;
	private final double[] scale;
	private final AbcSettings.Rejection settings;
	private final String simulatorId;
	private final String simulatorVersion;
	private final int excluded;

	AbcEstimator(List<Parameter> parameters, Prior prior, double[][] theta, double[][] x, AbcSettings.Rejection settings,
			String simulatorId, String simulatorVersion, int excluded) {
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.theta = theta;
		this.x = x;
		this.settings = settings;
		this.simulatorId = simulatorId;
		this.simulatorVersion = simulatorVersion;
		this.excluded = excluded;
		this.scale = AbcMath.scales(x, settings.scale());
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	/** The number of simulations kept (N). */
	public int simulations() {
		return theta.length;
	}

	/** Per component of x, what differences to x_o are divided by before the Euclidean distance. */
	public double[] distanceScale() {
		return scale.clone();
	}

	/** Every setting with its value, defaults included. */
	public Map<String, String> settings() {
		return settings.toMap();
	}

	/**
	 * The rejection-ABC posterior for x_o: distances ‖(xᵢ − x_o)/s‖ to all N simulations, the nearest kept by
	 * the rule in the settings, optionally regression-adjusted, sampled through a Gaussian KDE.
	 *
	 * @throws IllegalArgumentException when x_o has the wrong length or non-finite values
	 * @throws IllegalStateException    when no simulation lies within {@code epsilon}, or the regression
	 *                                  adjustment cannot be fitted
	 */
	@Override
	public AbcPosterior condition(double[] observation) {
		int k = scale.length;
		if (observation.length != k) {
			throw new IllegalArgumentException("The observation has " + observation.length + " values; these simulations have " + k);
		}
		for (int j = 0; j < k; j++) {
			if (!Double.isFinite(observation[j])) {
				throw new IllegalArgumentException("Component " + j + " of the observation is " + observation[j]);
			}
		}
		double[] d = AbcMath.distances(x, observation, scale);
		int[] keep = switch (settings.rule()) {
		case NUM_TOP_SAMPLES -> AbcMath.nearest(d, (int) settings.value());
		case QUANTILE -> AbcMath.nearest(d, Math.max(1, (int) Math.floor(settings.value() * d.length + 1e-9)));
		case EPSILON -> AbcMath.within(d, settings.value());
		};
		if (keep.length == 0) {
			double min = Double.POSITIVE_INFINITY;
			for (double v : d) {
				min = Math.min(min, v);
			}
			throw new IllegalStateException("No simulation lies within epsilon = " + settings.value() + " of the observation (the "
					+ "nearest is at " + min + " in scaled units); increase epsilon or use quantile or num_top_samples");
		}
		double[][] accepted = new double[keep.length][];
		double[][] xs = new double[keep.length][];
		double[] dist = new double[keep.length];
		for (int i = 0; i < keep.length; i++) {
			accepted[i] = theta[keep[i]].clone();
			xs[i] = x[keep[i]];
			dist[i] = d[keep[i]];
		}
		double epsilon = settings.rule() == AbcSettings.Rule.EPSILON ? settings.value() : dist[dist.length - 1];
		double[] weights = new double[keep.length];
		java.util.Arrays.fill(weights, 1);
		if (settings.regressionAdjustment()) {
			weights = AbcMath.epanechnikov(dist, epsilon);
			accepted = AbcMath.regressionAdjust(accepted, xs, observation, scale, weights);
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("method", "abc");
		summary.put("simulations", theta.length);
		summary.put(settings.rule().id(), settings.rule() == AbcSettings.Rule.NUM_TOP_SAMPLES ? (Object) (long) settings.value()
				: (Object) settings.value());
		summary.put("distance_scale", settings.scale().id());
		summary.put("regression_adjustment", settings.regressionAdjustment());
		return new AbcPosterior(parameters, prior, observation, accepted, weights, null, dist, epsilon, settings.bandwidth(), settings.kernel(),
				summary);
	}

	@Override
	public Map<String, Object> trainingSummary() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", "abc");
		m.put("simulations", theta.length);
		m.put("excluded", excluded);
		m.putAll(settings.toMap());
		return m;
	}

	@Override
	public void save(Path dir) throws IOException {
		if (!PriorSpecs.isWritable(prior)) {
			throw new IOException("Cannot save this ABC estimator: its prior " + prior + " cannot be written as JSON");
		}
		Files.createDirectories(dir);
		ObjectNode root = SavedFolder.header(FORMAT, FORMAT_VERSION);
		root.put("method", "abc");
		SavedFolder.putModel(root, simulatorId, simulatorVersion, parameters, prior);
		root.put("observationDimension", scale.length);
		root.put("simulations", theta.length);
		root.put("excluded", excluded);
		ObjectNode s = root.putObject("settings");
		settings.toMap().forEach((key, value) -> {
			if (key.equals("regression_adjustment")) {
				s.put(key, Boolean.parseBoolean(value));
			} else if (key.equals("num_top_samples")) {
				s.put(key, Long.parseLong(value));
			} else if (key.equals("quantile") || key.equals("epsilon")) {
				s.put(key, Double.parseDouble(value));
			} else {
				s.put(key, value);
			}
		});
		ObjectNode files = root.putObject("files");
		SavedFolder.writeArray(dir, "theta.npy", theta, parameters.size(), files.putObject("theta"));
		SavedFolder.writeArray(dir, "x.npy", x, scale.length, files.putObject("x"));
		// Written last: a folder without it, or with an older one, is not a (new) estimator yet.
		SavedFolder.writeDescription(dir, FILE, root);
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static AbcEstimator load(Path dir) throws IOException {
		JsonNode root = SavedFolder.readHeader(dir, FILE, FORMAT, FORMAT_VERSION, "ABC");
		Path file = dir.resolve(FILE);
		return SavedFolder.read(file, () -> {
			List<Parameter> parameters = SavedFolder.parameters(root);
			Prior prior = SavedFolder.prior(root, parameters, file);
			Map<String, String> raw = new LinkedHashMap<>();
			root.get("settings").properties().forEach(e -> raw.put(e.getKey(), e.getValue().asText()));
			AbcSettings.Rejection settings;
			try {
				settings = AbcSettings.rejection(raw);
			} catch (IllegalArgumentException e) {
				throw new IOException(file + ": " + e.getMessage(), e);
			}
			int n = root.get("simulations").asInt();
			int k = root.get("observationDimension").asInt();
			JsonNode files = root.get("files");
			double[][] theta = read(dir, file, files.get("theta"), n, parameters.size());
			double[][] x = read(dir, file, files.get("x"), n, k);
			return new AbcEstimator(parameters, prior, theta, x, settings, SavedFolder.simulatorId(root), SavedFolder.simulatorVersion(root),
					root.path("excluded").asInt(0));
		});
	}

	private static double[][] read(Path dir, Path json, JsonNode entry, int rows, int cols) throws IOException {
		NpyArray array = SavedFolder.readArray(dir, json, entry);
		if (array.ndim() != 2 || array.rows() != rows || array.columns() != cols) {
			throw new IOException(dir.resolve(entry.get("file").asText()) + " holds an array of shape " + java.util.Arrays.toString(array.shape())
					+ "; expected " + rows + "×" + cols);
		}
		return array.toRows();
	}
}
