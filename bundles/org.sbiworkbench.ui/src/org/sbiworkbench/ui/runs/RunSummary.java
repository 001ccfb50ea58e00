package org.sbiworkbench.ui.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of a run's {@code summary.json} the views read (the fields {@code sbiw infer} writes). Missing or
 * null fields give empty or null values rather than errors, so an older or partial summary still shows what it
 * has. Reads a file: create it off the UI thread.
 */
public final class RunSummary {

	private static final ObjectMapper JSON = new ObjectMapper();
	private final Path file;
	private final JsonNode root;

	private RunSummary(Path file, JsonNode root) {
		this.file = file;
		this.root = root;
	}

	/** Reads {@code folder/summary.json}. */
	public static RunSummary read(Path folder) throws IOException {
		Path file = folder.resolve(RunFolders.SUMMARY);
		JsonNode root = JSON.readTree(file.toFile());
		if (root == null || !root.isObject()) {
			throw new IOException(file + " is not a JSON object");
		}
		return new RunSummary(file, root);
	}

	public Path file() {
		return file;
	}

	public String simulator() {
		return root.path("simulator").asText("");
	}

	public String method() {
		return root.path("method").asText("");
	}

	public List<String> parameters() {
		List<String> out = new ArrayList<>();
		root.path("parameters").forEach(p -> out.add(p.asText()));
		return out;
	}

	/** A numeric array field, e.g. "mean"; null when missing or null. */
	public double[] vector(String field) {
		JsonNode n = root.path(field);
		if (!n.isArray()) {
			return null;
		}
		double[] v = new double[n.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = n.get(i).isNumber() ? n.get(i).asDouble() : Double.NaN;
		}
		return v;
	}

	/** A field holding one {lower, upper} pair per parameter, e.g. "ci95"; null when missing. */
	public double[][] intervals(String field) {
		JsonNode n = root.path(field);
		if (!n.isArray()) {
			return null;
		}
		double[][] v = new double[n.size()][];
		for (int i = 0; i < v.length; i++) {
			JsonNode pair = n.get(i);
			v[i] = new double[] { pair.path(0).asDouble(Double.NaN), pair.path(1).asDouble(Double.NaN) };
		}
		return v;
	}

	public double[] mean() {
		return vector("mean");
	}

	public double[] std() {
		return vector("std");
	}

	public double[] median() {
		return vector("median");
	}

	public double[][] ci95() {
		return intervals("ci95");
	}

	public double[] map() {
		return vector("map");
	}

	public double[] trueParameters() {
		return vector("true_parameters");
	}

	public double[] observation() {
		return vector("observation");
	}

	/** The number of posterior samples the run drew, or -1. */
	public int samples() {
		return root.path("samples").asInt(-1);
	}

	/** Whether the run used the simulator's default prior (so its bounds can serve as plot ranges). */
	public boolean defaultPrior() {
		return root.path("settings").path("prior").asText("default").equals("default");
	}

	public List<String> warnings() {
		List<String> out = new ArrayList<>();
		root.path("warnings").forEach(w -> out.add(w.asText()));
		return out;
	}

	/** Each diagnostic's node ({@code status}, {@code headline}, its figures) by id, in the run's order. */
	public Map<String, JsonNode> diagnostics() {
		Map<String, JsonNode> out = new LinkedHashMap<>();
		root.path("diagnostics").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
		return out;
	}

	/** {@code training.<field>} as numbers (e.g. "training_loss"), empty when missing. */
	public List<Double> trainingSeries(String field) {
		List<Double> out = new ArrayList<>();
		root.path("training").path(field).forEach(v -> out.add(v.isNumber() ? v.asDouble() : Double.NaN));
		return out;
	}

	/** The scalar entries of {@code training} (epochs, best validation loss, seconds...), in order. */
	public Map<String, String> trainingFacts() {
		Map<String, String> out = new LinkedHashMap<>();
		root.path("training").fields().forEachRemaining(e -> {
			if (e.getValue().isValueNode() && !e.getValue().isNull()) {
				out.put(e.getKey(), e.getValue().isFloatingPointNumber()
						? String.format(java.util.Locale.ROOT, "%.4g", e.getValue().asDouble()) : e.getValue().asText());
			}
		});
		return out;
	}

	/** The raw JSON, for fields this class does not name. */
	public JsonNode json() {
		return root;
	}
}
