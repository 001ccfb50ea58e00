package org.sbiworkbench.core.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One whole inference, as a JSON file that the headless application and the
 * workbench both read:
 *
 * <pre>
 * {
 *   "simulator": "two_moons",
 *   "prior": "default",
 *   "simulations": 10000,
 *   "seed": 42,
 *   "method": { "name": "npe", "settings": { } },
 *   "observation": "default",
 *   "diagnostics": ["coverage", "sbc"],
 *   "diagnosticTests": 200,
 *   "samples": 10000,
 *   "output": "runs/two_moons",
 *   "campaign": { "chunkSize": 1000, "threads": 0, "timeoutSeconds": 60 },
 *   "executor": { "type": "slurm", "partition": "short", "time-limit": "00:30:00", "setup": ["module load java/17"] }
 * }
 * </pre>
 *
 * "observation" is "default" (the simulator's first default observation),
 * {"default": "sbibm 3"} (one by name), {"values": [...]}, or {"file": "x.csv" | "x.npy"}
 * (relative paths are relative to the run file). "output" is relative to the run file too.
 * "executor" (optional; local threads without it) says where the simulations run: its "type"
 * names an executor ("local", "slurm") and the other entries are that executor's settings
 * (for Slurm the keys of {@code SlurmSettings}; a list of strings is one line each).
 * "samples" (posterior samples drawn for x_o) and "diagnosticTests" (prior-predictive tests of coverage
 * and SBC) are optional, with the defaults of {@code sbiw infer}.
 */
public record RunFile(Path source, String simulator, JsonNode prior, long simulations, long seed, String method,
		JsonNode methodSettings, JsonNode observation, List<String> diagnostics, Path output, int chunkSize,
		int threads, Double timeoutSeconds, Executor executor, int samples, int diagnosticTests) {

	/** Posterior samples a run draws unless its file says otherwise. */
	public static final int DEFAULT_SAMPLES = 10_000;
	/** Prior-predictive tests of coverage and SBC unless the file says otherwise. */
	public static final int DEFAULT_DIAGNOSTIC_TESTS = 200;

	/** A run file with the default sample and test counts. */
	public RunFile(Path source, String simulator, JsonNode prior, long simulations, long seed, String method,
			JsonNode methodSettings, JsonNode observation, List<String> diagnostics, Path output, int chunkSize,
			int threads, Double timeoutSeconds, Executor executor) {
		this(source, simulator, prior, simulations, seed, method, methodSettings, observation, diagnostics, output, chunkSize,
				threads, timeoutSeconds, executor, DEFAULT_SAMPLES, DEFAULT_DIAGNOSTIC_TESTS);
	}

	/**
	 * The run file's "executor" section: an executor id and its settings as text, ready for
	 * {@link org.sbiworkbench.core.campaign.CampaignExecutor#configure(Map)}.
	 */
	public record Executor(String type, Map<String, String> settings) {

		/** Simulations on this machine's threads: what a run file without "executor" means. */
		public static final Executor LOCAL = new Executor("local", Map.of());

		/** The settings each built-in executor takes; a run file's keys are checked against them. */
		public static final Map<String, List<String>> KNOWN = Map.of("local", List.of(), "slurm",
				List.of("partition", "time-limit", "memory", "cpus-per-task", "setup", "max-concurrent", "chunk-size", "retries",
						"launcher", "slurm-bin", "account", "sbatch-options", "poll-seconds"));

		public Executor {
			settings = Map.copyOf(settings);
		}

		public boolean isLocal() {
			return type.equals("local");
		}
	}

	/** A run file on this machine's threads (no "executor" section). */
	public RunFile(Path source, String simulator, JsonNode prior, long simulations, long seed, String method,
			JsonNode methodSettings, JsonNode observation, List<String> diagnostics, Path output, int chunkSize,
			int threads, Double timeoutSeconds) {
		this(source, simulator, prior, simulations, seed, method, methodSettings, observation, diagnostics, output, chunkSize,
				threads, timeoutSeconds, Executor.LOCAL);
	}

	/**
	 * The diagnostics a run gets when its file names none: diagnostics are on by default. An empty list turns
	 * them off. Other ids name diagnostics contributed by installed bundles; the application checks them.
	 */
	public static final List<String> DEFAULT_DIAGNOSTICS = List.of("coverage", "sbc", "ppc", "misspecification");
	private static final Set<String> FIELDS = Set.of("simulator", "prior", "simulations", "seed", "method", "observation",
			"diagnostics", "diagnosticTests", "samples", "output", "campaign", "executor");
	private static final Set<String> CAMPAIGN_FIELDS = Set.of("chunkSize", "threads", "timeoutSeconds");
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	public boolean usesDefaultPrior() {
		return prior == null;
	}

	/** Reads and checks a run file; every problem names the file, the field and the fix. */
	public static RunFile read(Path file) throws RunFileException {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (NoSuchFileException e) {
			throw new RunFileException("Run file " + file + " does not exist");
		} catch (IOException e) {
			throw new RunFileException("Run file " + file + " cannot be read: " + e.getMessage(), e);
		}
		JsonNode root;
		try {
			root = JSON.readTree(bytes);
		} catch (JsonProcessingException e) {
			throw new RunFileException(file + " is not valid JSON: " + e.getOriginalMessage()
					+ (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""), e);
		} catch (IOException e) {
			throw new RunFileException(file + " cannot be read: " + e.getMessage(), e);
		}
		return parse(root, file);
	}

	static RunFile parse(JsonNode root, Path file) throws RunFileException {
		String f = file.toString();
		if (root == null || !root.isObject()) {
			throw new RunFileException(f + " must hold a JSON object such as {\"simulator\": \"two_moons\", \"simulations\": 1000, ...}");
		}
		unknownFields(root, FIELDS, f, "");
		String simulator = text(root, "simulator", f, true);
		JsonNode prior = root.get("prior");
		if (prior != null && prior.isTextual() && prior.asText().equals("default") || prior != null && prior.isNull()) {
			prior = null;
		} else if (prior != null && !prior.isObject()) {
			throw new RunFileException(f + ": 'prior' must be \"default\" or an object with one entry per parameter");
		}
		long simulations = integer(root, "simulations", f, true, 0);
		if (simulations <= 0) {
			throw new RunFileException(f + ": 'simulations' must be a positive integer, got " + simulations);
		}
		long seed = integer(root, "seed", f, false, 0);
		if (!root.has("seed")) {
			throw new RunFileException(f + ": 'seed' is missing; give one (any integer) so the run can be repeated");
		}
		String method = null;
		JsonNode methodSettings = null;
		JsonNode m = root.get("method");
		if (m != null && m.isTextual()) {
			method = m.asText();
		} else if (m != null && m.isObject()) {
			unknownFields(m, Set.of("name", "settings"), f, "method.");
			method = text(m, "name", f + ": method", true);
			methodSettings = m.get("settings");
			if (methodSettings != null && !methodSettings.isObject()) {
				throw new RunFileException(f + ": 'method.settings' must be an object");
			}
		} else if (m != null && !m.isNull()) {
			throw new RunFileException(f + ": 'method' must be a name such as \"npe\" or {\"name\": \"npe\", \"settings\": {...}}");
		}
		JsonNode observation = root.get("observation");
		if (observation == null) {
			throw new RunFileException(f + ": 'observation' is missing; use \"default\", {\"values\": [...]} or {\"file\": \"x.csv\"}");
		}
		checkObservationForm(observation, f);
		List<String> diagnostics = new ArrayList<>();
		JsonNode d = root.get("diagnostics");
		if (d == null) {
			diagnostics.addAll(DEFAULT_DIAGNOSTICS);
		} else {
			if (!d.isArray()) {
				throw new RunFileException(f + ": 'diagnostics' must be a list such as [\"coverage\", \"sbc\"]");
			}
			for (JsonNode n : d) {
				if (!n.isTextual() || !n.asText().matches("[a-z][a-z0-9_]*")) {
					throw new RunFileException(f + ": " + n + " is not a diagnostic name; use ids such as " + DEFAULT_DIAGNOSTICS
							+ " ('sbiw infer --help' lists the installed ones)");
				}
				diagnostics.add(n.asText());
			}
		}
		String out = text(root, "output", f, true);
		Path base = file.toAbsolutePath().getParent();
		Path output = base.resolve(out).normalize();
		int chunkSize = org.sbiworkbench.core.campaign.CampaignSettings.DEFAULT_CHUNK_SIZE;
		int threads = 0;
		Double timeout = null;
		JsonNode c = root.get("campaign");
		if (c != null) {
			if (!c.isObject()) {
				throw new RunFileException(f + ": 'campaign' must be an object with chunkSize, threads, timeoutSeconds");
			}
			unknownFields(c, CAMPAIGN_FIELDS, f, "campaign.");
			if (c.has("chunkSize")) {
				chunkSize = (int) integer(c, "chunkSize", f + ": campaign", true, 0);
				if (chunkSize <= 0) {
					throw new RunFileException(f + ": 'campaign.chunkSize' must be positive");
				}
			}
			if (c.has("threads")) {
				threads = (int) integer(c, "threads", f + ": campaign", true, 0);
				if (threads < 0) {
					throw new RunFileException(f + ": 'campaign.threads' must be 0 (one per core) or positive");
				}
			}
			if (c.has("timeoutSeconds")) {
				JsonNode t = c.get("timeoutSeconds");
				if (!t.isNumber() || !(t.asDouble() > 0)) {
					throw new RunFileException(f + ": 'campaign.timeoutSeconds' must be a positive number of seconds");
				}
				timeout = t.asDouble();
			}
		}
		long samples = integer(root, "samples", f, false, DEFAULT_SAMPLES);
		if (samples < 1 || samples > 100_000_000) {
			throw new RunFileException(f + ": 'samples' (posterior samples) must be between 1 and 100000000, e.g. 10000; got " + samples);
		}
		long tests = integer(root, "diagnosticTests", f, false, DEFAULT_DIAGNOSTIC_TESTS);
		if (tests < 10 || tests > 1_000_000) {
			throw new RunFileException(f + ": 'diagnosticTests' must be between 10 and 1000000 (coverage and SBC need at least 10 tests "
					+ "to say anything; " + DEFAULT_DIAGNOSTIC_TESTS + " is the default); got " + tests);
		}
		return new RunFile(file, simulator, prior, simulations, seed, method, methodSettings, observation,
				List.copyOf(diagnostics), output, chunkSize, threads, timeout, executor(root.get("executor"), f), (int) samples, (int) tests);
	}

	private static Executor executor(JsonNode e, String f) throws RunFileException {
		if (e == null || e.isNull()) {
			return Executor.LOCAL;
		}
		if (e.isTextual()) {
			e = JSON.createObjectNode().put("type", e.asText());
		}
		if (!e.isObject()) {
			throw new RunFileException(f + ": 'executor' must be an object such as {\"type\": \"slurm\", \"partition\": \"short\"}");
		}
		String type = text(e, "type", f + ": executor", true);
		List<String> keys = Executor.KNOWN.get(type);
		if (keys == null) {
			var hint = Suggestions.closest(type, Executor.KNOWN.keySet());
			if (hint.isPresent()) {
				throw new RunFileException(f + ": unknown executor type '" + type + "'; did you mean '" + hint.get() + "'?");
			}
		}
		java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
		for (Iterator<String> it = e.fieldNames(); it.hasNext();) {
			String name = it.next();
			if (name.equals("type")) {
				continue;
			}
			if (keys != null && !keys.contains(name)) {
				var hint = Suggestions.closest(name, keys);
				throw new RunFileException(f + ": unknown setting 'executor." + name + "' of the " + type + " executor"
						+ (hint.isPresent() ? "; did you mean 'executor." + hint.get() + "'?" : "; its settings are " + keys));
			}
			JsonNode v = e.get(name);
			if (v.isArray()) {
				List<String> lines = new ArrayList<>();
				for (JsonNode line : v) {
					if (!line.isTextual()) {
						throw new RunFileException(f + ": 'executor." + name + "' must be a list of strings (one line each)");
					}
					lines.add(line.asText());
				}
				settings.put(name, String.join("\n", lines));
			} else if (v.isTextual() || v.isNumber() || v.isBoolean()) {
				settings.put(name, v.asText());
			} else {
				throw new RunFileException(f + ": 'executor." + name + "' must be a string, a number or a list of strings, got " + v);
			}
		}
		return new Executor(type, settings);
	}

	private static void checkObservationForm(JsonNode o, String f) throws RunFileException {
		if (o.isTextual() && o.asText().equals("default")) {
			return;
		}
		if (o.isObject() && o.size() == 1 && (o.has("default") && (o.get("default").isTextual() || o.get("default").isInt())
				|| o.has("values") && o.get("values").isArray() || o.has("file") && o.get("file").isTextual())) {
			return;
		}
		throw new RunFileException(f + ": 'observation' must be \"default\", {\"default\": \"<name>\"}, {\"values\": [...]} or {\"file\": \"x.csv\" or \"x.npy\"}");
	}

	/** The prior this run uses: the simulator's default or the one the run file gives. */
	public Prior resolvePrior(SimulatorDescriptor d) throws RunFileException {
		return prior == null ? d.defaultPrior() : PriorSpecs.fromJson(prior, d.parameters(), source + ": prior");
	}

	/** The observation x_o, checked against what the simulator produces. */
	public Observation resolveObservation(SimulatorDescriptor d) throws RunFileException {
		String f = source.toString();
		if (observation.isTextual() || observation.has("default")) {
			if (d.defaultObservations().isEmpty()) {
				throw new RunFileException(f + ": 'observation' asks for a default observation but " + d.id()
						+ " has none; give {\"values\": [...]} or {\"file\": ...}");
			}
			if (observation.isTextual()) {
				return d.defaultObservations().get(0);
			}
			JsonNode which = observation.get("default");
			for (int i = 0; i < d.defaultObservations().size(); i++) {
				Observation o = d.defaultObservations().get(i);
				if (which.isTextual() && o.name().equals(which.asText()) || which.isInt() && which.asInt() == i + 1) {
					return o;
				}
			}
			throw new RunFileException(f + ": " + d.id() + " has no default observation " + which + "; it has "
					+ d.defaultObservations().stream().map(Observation::name).toList());
		}
		double[] values;
		String name;
		if (observation.has("values")) {
			values = PriorSpecs.numbers(observation.get("values"), f + ": observation.values", -1);
			name = "given in " + source.getFileName();
		} else {
			Path p = source.toAbsolutePath().getParent().resolve(observation.get("file").asText());
			values = readObservationFile(p);
			name = p.getFileName().toString();
		}
		if (values.length != d.observationDimension()) {
			throw new RunFileException(f + ": the observation has " + values.length + " values but " + d.id()
					+ " produces " + d.observationDimension() + " " + d.observationNames());
		}
		return new Observation(name, values, null);
	}

	/** One observation from a .csv (one row of numbers, optionally after a header) or a .npy file. */
	public static double[] readObservationFile(Path p) throws RunFileException {
		String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
		try {
			if (lower.endsWith(".npy")) {
				NpyArray a = Npy.read(p);
				if (a.rows() != 1 && a.ndim() == 2) {
					throw new RunFileException(p + " holds " + a.rows() + " observations; give a file with one (a 1-D array or one row)");
				}
				return a.data();
			}
			if (lower.endsWith(".csv")) {
				List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8).stream().map(String::strip)
						.filter(l -> !l.isEmpty()).toList();
				List<String> numeric = new ArrayList<>();
				for (String l : lines) {
					if (!l.matches("^[A-Za-z_\"].*")) { // skip a header row of names
						numeric.add(l);
					}
				}
				if (numeric.size() != 1) {
					throw new RunFileException(p + " must hold exactly one row of numbers (optionally after a header), found " + numeric.size());
				}
				String[] cells = numeric.get(0).split(",");
				double[] v = new double[cells.length];
				for (int i = 0; i < v.length; i++) {
					try {
						v[i] = Double.parseDouble(cells[i].strip());
					} catch (NumberFormatException e) {
						throw new RunFileException(p + ": value " + (i + 1) + " ('" + cells[i].strip() + "') is not a number");
					}
					if (!Double.isFinite(v[i])) {
						throw new RunFileException(p + ": value " + (i + 1) + " is not finite");
					}
				}
				return v;
			}
		} catch (NoSuchFileException e) {
			throw new RunFileException("Observation file " + p + " does not exist");
		} catch (IOException e) {
			throw new RunFileException("Observation file " + p + " cannot be read: " + e.getMessage(), e);
		}
		throw new RunFileException("Observation file " + p + " must be .csv or .npy");
	}

	/** Writes the run file as JSON (what the workbench's editor saves). */
	public void write(Path file) throws IOException {
		ObjectNode root = JSON.createObjectNode();
		root.put("simulator", simulator);
		if (prior == null) {
			root.put("prior", "default");
		} else {
			root.set("prior", prior);
		}
		root.put("simulations", simulations);
		root.put("seed", seed);
		if (method != null) {
			ObjectNode m = root.putObject("method");
			m.put("name", method);
			if (methodSettings != null) {
				m.set("settings", methodSettings);
			}
		}
		root.set("observation", observation);
		diagnostics.forEach(root.putArray("diagnostics")::add);
		if (diagnosticTests != DEFAULT_DIAGNOSTIC_TESTS) {
			root.put("diagnosticTests", diagnosticTests);
		}
		if (samples != DEFAULT_SAMPLES) {
			root.put("samples", samples);
		}
		Path base = file.toAbsolutePath().getParent();
		root.put("output", base.relativize(output.toAbsolutePath()).toString());
		ObjectNode c = root.putObject("campaign");
		c.put("chunkSize", chunkSize);
		c.put("threads", threads);
		if (timeoutSeconds != null) {
			c.put("timeoutSeconds", timeoutSeconds);
		}
		if (executor != null && !executor.isLocal()) {
			ObjectNode e = root.putObject("executor");
			e.put("type", executor.type());
			new java.util.TreeMap<>(executor.settings()).forEach((k, v) -> {
				if (v.contains("\n")) {
					var lines = e.putArray(k);
					v.lines().forEach(lines::add);
				} else {
					e.put(k, v);
				}
			});
		}
		org.sbiworkbench.core.storage.AtomicFiles.write(file, JSON.writeValueAsBytes(root));
	}

	private static void unknownFields(JsonNode node, Set<String> known, String f, String prefix) throws RunFileException {
		for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
			String name = it.next();
			if (!known.contains(name)) {
				var hint = Suggestions.closest(name, known);
				throw new RunFileException(f + ": unknown field '" + prefix + name + "'"
						+ (hint.isPresent() ? "; did you mean '" + prefix + hint.get() + "'?" : "; known fields are " + new java.util.TreeSet<>(known)));
			}
		}
	}

	private static String text(JsonNode node, String field, String f, boolean required) throws RunFileException {
		JsonNode v = node.get(field);
		if (v == null || v.isNull()) {
			if (required) {
				throw new RunFileException(f + ": '" + field + "' is missing");
			}
			return null;
		}
		if (!v.isTextual() || v.asText().isBlank()) {
			throw new RunFileException(f + ": '" + field + "' must be a non-empty string, got " + v);
		}
		return v.asText();
	}

	private static long integer(JsonNode node, String field, String f, boolean required, long fallback) throws RunFileException {
		JsonNode v = node.get(field);
		if (v == null || v.isNull()) {
			if (required) {
				throw new RunFileException(f + ": '" + field + "' is missing");
			}
			return fallback;
		}
		if (!v.isIntegralNumber() || !v.canConvertToLong()) {
			throw new RunFileException(f + ": '" + field + "' must be an integer, got " + v);
		}
		return v.asLong();
	}
}
