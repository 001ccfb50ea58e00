package org.sbiworkbench.simulators.external;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.run.Suggestions;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An external simulator as its descriptor file describes it: what it is (the
 * {@link SimulatorDescriptor}), which program to run, how θ and the seed go in
 * and how x comes back. {@link #read(Path)} reads and checks a descriptor;
 * every problem names the file, the field and the fix. The format is
 * documented in {@code examples/external-simulator/README.md}; in short:
 *
 * <pre>
 * {
 *   "id": "gaussian_external",
 *   "name": "Gaussian (external program)",
 *   "description": "x = θ + N(0, 0.5²) noise, by a Python script",
 *   "parameters": [
 *     { "name": "mu1", "unit": "", "description": "mean of x1", "prior": { "distribution": "uniform", "lower": -3, "upper": 3 } },
 *     { "name": "mu2", "prior": { "distribution": "normal", "mean": 0, "std": 1 } }
 *   ],
 *   "observations": ["x1", "x2"],
 *   "defaultObservations": [ { "name": "example 1", "values": [0.8, -1.1], "trueParameters": [1, -1] } ],
 *   "command": ["python3", "gaussian_sim.py"],
 *   "input": "arguments",
 *   "output": "stdout-csv",
 *   "timeoutSeconds": 30
 * }
 * </pre>
 *
 * @param source                the descriptor file
 * @param descriptor            the simulator's description, as every simulator has one
 * @param parameterDescriptions one entry per parameter ("" where none was given)
 * @param command               the program (resolved to an absolute path when given as a path) and its fixed
 *                              arguments, with the placeholders {input}, {output} and {seed} still in place
 * @param workingDirectory      the directory the program runs in (absolute)
 * @param environment           variables added to the program's environment
 * @param input                 how θ and the seed reach the program
 * @param output                how x comes back
 * @param timeout               how long one simulation may run before its process tree is killed
 * @param seedBits              the seed is a uniformly drawn integer in [0, 2^seedBits)
 */
public record ExternalSimulatorSpec(Path source, SimulatorDescriptor descriptor, List<String> parameterDescriptions,
		List<String> command, Path workingDirectory, Map<String, String> environment, Input input, Output output,
		Duration timeout, int seedBits) {

	/** How θ and the seed reach the program. */
	public enum Input {
		/** Appended to the command line as {@code --name=value} per parameter, then {@code --seed=N}. */
		ARGUMENTS("arguments"),
		/** A JSON object on standard input: {"parameters": {"name": value, ...}, "theta": [...], "seed": N}. */
		STDIN_JSON("stdin-json"),
		/** The same JSON object in a file whose path replaces {input} in the command. */
		FILE_JSON("file"),
		/** θ as a 1-D float64 .npy file whose path replaces {input}; the seed replaces {seed}. */
		FILE_NPY("file");

		private final String id;

		Input(String id) {
			this.id = id;
		}

		/** The name used in descriptors, e.g. "stdin-json". */
		public String id() {
			return id;
		}
	}

	/** How x comes back from the program. */
	public enum Output {
		/** One line of comma-separated numbers on standard output. */
		STDOUT_CSV("stdout-csv"),
		/** A JSON array of numbers (nested arrays are flattened in C order) on standard output. */
		STDOUT_JSON("stdout-json"),
		/** A .npy file written to the path that replaces {output} in the command. */
		NPY("npy");

		private final String id;

		Output(String id) {
			this.id = id;
		}

		/** The name used in descriptors, e.g. "stdout-csv". */
		public String id() {
			return id;
		}
	}

	/** The placeholders that may appear in command arguments. */
	public static final Set<String> PLACEHOLDERS = Set.of("input", "output", "seed");
	/** Used when a descriptor gives no "timeoutSeconds". */
	public static final double DEFAULT_TIMEOUT_SECONDS = 60;

	static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");
	private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
	private static final Set<String> FIELDS = Set.of("id", "name", "description", "version", "domain", "references",
			"parameters", "prior", "observations", "observationShape", "defaultObservations", "command",
			"workingDirectory", "environment", "input", "output", "timeoutSeconds", "seedBits", "comment");
	private static final Set<String> PARAMETER_FIELDS = Set.of("name", "unit", "description", "prior");
	private static final Set<String> OBSERVATION_FIELDS = Set.of("name", "values", "file", "trueParameters");
	private static final ObjectMapper JSON = new ObjectMapper();

	public ExternalSimulatorSpec {
		parameterDescriptions = List.copyOf(parameterDescriptions);
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

	/** True when the program's command line contains the placeholder, e.g. "seed". */
	public boolean uses(String placeholder) {
		String token = "{" + placeholder + "}";
		return command.stream().skip(1).anyMatch(a -> a.contains(token));
	}

	/** Reads and checks a descriptor file. */
	public static ExternalSimulatorSpec read(Path file) throws DescriptorException {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (NoSuchFileException e) {
			throw new DescriptorException(file, "Simulator descriptor " + file + " does not exist");
		} catch (IOException e) {
			throw new DescriptorException(file, "Simulator descriptor " + file + " cannot be read: " + e.getMessage(), e);
		}
		JsonNode root;
		try {
			root = JSON.readTree(bytes);
		} catch (JsonProcessingException e) {
			throw new DescriptorException(file, file + " is not valid JSON: " + e.getOriginalMessage()
					+ (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
							+ e.getLocation().getColumnNr() + ")" : ""), e);
		} catch (IOException e) {
			throw new DescriptorException(file, file + " cannot be read: " + e.getMessage(), e);
		}
		return new Reader(file, bytes).parse(root);
	}

	/** One descriptor being read; every message starts with the file's name. */
	private static final class Reader {
		final Path file;
		final String f;
		final byte[] bytes;
		final Path folder;

		Reader(Path file, byte[] bytes) {
			this.file = file;
			this.f = file.toString();
			this.bytes = bytes;
			this.folder = file.toAbsolutePath().normalize().getParent();
		}

		DescriptorException error(String message) {
			return new DescriptorException(file, f + ": " + message);
		}

		ExternalSimulatorSpec parse(JsonNode root) throws DescriptorException {
			if (root == null || !root.isObject()) {
				throw error("a simulator descriptor must hold a JSON object such as {\"id\": \"my_sim\", \"parameters\": [...], "
						+ "\"observations\": [...], \"command\": [...]}");
			}
			unknownFields(root, FIELDS, "");
			String id = text(root, "id", null);
			if (!id.matches("[a-z][a-z0-9_]*")) {
				throw error("'id' is '" + id + "'; an id starts with a lower-case letter and uses only a-z, 0-9 and '_', "
						+ "e.g. \"" + suggestId(id) + "\"");
			}
			String name = text(root, "name", id);
			String description = text(root, "description", "");
			String version = text(root, "version", null, false);
			if (version == null) {
				version = "descriptor-" + sha256(bytes).substring(0, 12);
			}
			Domain domain = domain(root.get("domain"));
			List<String> references = strings(root.get("references"), "references");

			// Parameters and their priors.
			JsonNode ps = root.get("parameters");
			if (ps == null || !ps.isArray() || ps.isEmpty()) {
				throw error("'parameters' must be a non-empty list such as [{\"name\": \"mu\", \"unit\": \"GeV\", "
						+ "\"prior\": {\"distribution\": \"uniform\", \"lower\": 0, \"upper\": 1}}]");
			}
			List<Parameter> parameters = new ArrayList<>();
			List<String> parameterDescriptions = new ArrayList<>();
			ObjectNode priorSpec = JsonNodeFactory.instance.objectNode();
			JsonNode jointPrior = root.get("prior");
			for (int i = 0; i < ps.size(); i++) {
				JsonNode p = ps.get(i);
				String at = "parameters[" + i + "]";
				if (!p.isObject()) {
					throw error("'" + at + "' must be an object such as {\"name\": \"mu\", \"prior\": {...}}");
				}
				unknownFields(p, PARAMETER_FIELDS, at + ".");
				String pname = text(p, "name", null, true, at + ".name");
				String unit = text(p, "unit", "", false, at + ".unit");
				String pdesc = text(p, "description", "", false, at + ".description");
				if (parameters.stream().anyMatch(q -> q.name().equals(pname))) {
					throw error("parameter '" + pname + "' is listed twice in 'parameters'; give each parameter its own name");
				}
				parameters.add(new Parameter(pname, unit));
				parameterDescriptions.add(pdesc);
				JsonNode prior = p.get("prior");
				if (prior == null && jointPrior == null) {
					throw error("'" + at + ".prior' is missing: give parameter '" + pname
							+ "' a prior such as {\"distribution\": \"uniform\", \"lower\": 0, \"upper\": 1} "
							+ "(uniform, normal, lognormal, gamma, beta; optional \"truncate\": [lower, upper])");
				}
				if (prior != null && jointPrior != null) {
					throw error("'" + at + ".prior' and the top-level 'prior' both give a prior for '" + pname
							+ "'; use one or the other");
				}
				if (prior != null) {
					priorSpec.set(pname, prior);
				}
			}
			Prior prior;
			try {
				prior = jointPrior != null ? PriorSpecs.fromJson(jointPrior, parameters, f + ": prior")
						: PriorSpecs.fromJson(priorSpec, parameters, f + ": parameters' priors");
			} catch (RunFileException e) {
				throw new DescriptorException(file, e.getMessage(), e);
			}

			// Observations.
			List<String> observationNames = observationNames(root.get("observations"));
			List<Integer> shape = List.of(observationNames.size());
			JsonNode sh = root.get("observationShape");
			if (sh != null) {
				if (!sh.isArray() || sh.isEmpty()) {
					throw error("'observationShape' must be a list of sizes such as [100, 3] (C order)");
				}
				List<Integer> s = new ArrayList<>();
				long size = 1;
				for (JsonNode n : sh) {
					if (!n.isInt() || n.asInt() <= 0) {
						throw error("'observationShape' must hold positive integers, got " + sh);
					}
					s.add(n.asInt());
					size *= n.asInt();
				}
				if (size != observationNames.size()) {
					throw error("'observationShape' " + sh + " holds " + size + " values but 'observations' names "
							+ observationNames.size() + "; make them agree");
				}
				shape = s;
			}
			List<Observation> defaults = defaultObservations(root.get("defaultObservations"), parameters,
					observationNames.size());

			// The program.
			List<String> command = command(root.get("command"));
			Path workingDirectory = folder;
			JsonNode wd = root.get("workingDirectory");
			if (wd != null) {
				if (!wd.isTextual() || wd.asText().isBlank()) {
					throw error("'workingDirectory' must be a folder path (relative to " + folder + ")");
				}
				workingDirectory = folder.resolve(wd.asText()).normalize();
			}
			if (!Files.isDirectory(workingDirectory)) {
				throw error("'workingDirectory' " + workingDirectory + " is not an existing folder"
						+ (wd == null ? "" : "; relative paths are relative to the descriptor's folder " + folder));
			}
			Map<String, String> environment = new LinkedHashMap<>();
			JsonNode env = root.get("environment");
			if (env != null) {
				if (!env.isObject()) {
					throw error("'environment' must be an object of variables such as {\"OMP_NUM_THREADS\": \"1\"}");
				}
				for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext();) {
					Map.Entry<String, JsonNode> e = it.next();
					if (!e.getValue().isTextual() && !e.getValue().isNumber()) {
						throw error("'environment." + e.getKey() + "' must be a string, got " + e.getValue());
					}
					environment.put(e.getKey(), e.getValue().asText());
				}
			}
			Input input = input(root.get("input"));
			Output output = output(root.get("output"));
			double timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
			JsonNode t = root.get("timeoutSeconds");
			if (t != null) {
				if (!t.isNumber() || !(t.asDouble() > 0) || !Double.isFinite(t.asDouble())) {
					throw error("'timeoutSeconds' must be a positive number of seconds, got " + t);
				}
				timeoutSeconds = t.asDouble();
			}
			int seedBits = 63;
			JsonNode sb = root.get("seedBits");
			if (sb != null) {
				if (!sb.isInt() || sb.asInt() < 1 || sb.asInt() > 63) {
					throw error("'seedBits' must be an integer from 1 to 63 (e.g. 32 for numpy.random.seed), got " + sb);
				}
				seedBits = sb.asInt();
			}
			checkPlaceholders(command, input, output, parameters);

			String fullDescription = description;
			if (parameterDescriptions.stream().anyMatch(s -> !s.isEmpty())) {
				StringBuilder b = new StringBuilder(description.strip());
				b.append(b.length() > 0 ? " " : "").append("Parameters:");
				for (int i = 0; i < parameters.size(); i++) {
					b.append(i == 0 ? " " : "; ").append(parameters.get(i).label());
					if (!parameterDescriptions.get(i).isEmpty()) {
						b.append(": ").append(parameterDescriptions.get(i));
					}
				}
				fullDescription = b.append('.').toString();
			}
			SimulatorDescriptor descriptor;
			try {
				descriptor = new SimulatorDescriptor(id, name, domain, version, fullDescription, parameters,
						observationNames, prior, defaults, references, shape);
			} catch (IllegalArgumentException e) {
				throw error(e.getMessage());
			}
			return new ExternalSimulatorSpec(file, descriptor, parameterDescriptions, command, workingDirectory,
					environment, input, output, Duration.ofNanos(Math.round(timeoutSeconds * 1e9)), seedBits);
		}

		List<String> observationNames(JsonNode o) throws DescriptorException {
			String hint = "'observations' must list the names of x's components, e.g. [\"x1\", \"x2\"], "
					+ "or give {\"prefix\": \"x\", \"count\": 100} for x_001 ... x_100";
			if (o == null) {
				throw error("'observations' is missing: " + hint);
			}
			List<String> names = new ArrayList<>();
			if (o.isArray()) {
				for (JsonNode n : o) {
					if (!n.isTextual() || n.asText().isBlank()) {
						throw error(hint + "; got " + n);
					}
					names.add(n.asText());
				}
			} else if (o.isObject()) {
				unknownFields(o, Set.of("prefix", "count"), "observations.");
				JsonNode c = o.get("count");
				if (c == null || !c.isInt() || c.asInt() <= 0) {
					throw error("'observations.count' must be a positive integer; " + hint);
				}
				String prefix = text(o, "prefix", "x", false, "observations.prefix");
				int digits = String.valueOf(c.asInt()).length();
				for (int i = 1; i <= c.asInt(); i++) {
					names.add(prefix + "_" + String.format(Locale.ROOT, "%0" + digits + "d", i));
				}
			} else {
				throw error(hint);
			}
			if (names.isEmpty()) {
				throw error(hint + "; the list is empty");
			}
			if (new TreeSet<>(names).size() != names.size()) {
				throw error("'observations' lists a name twice; give each component of x its own name");
			}
			return names;
		}

		List<Observation> defaultObservations(JsonNode d, List<Parameter> parameters, int size) throws DescriptorException {
			List<Observation> out = new ArrayList<>();
			if (d == null) {
				return out;
			}
			if (!d.isArray()) {
				throw error("'defaultObservations' must be a list such as [{\"name\": \"example 1\", \"values\": [...], "
						+ "\"trueParameters\": [...]}]");
			}
			for (int i = 0; i < d.size(); i++) {
				JsonNode o = d.get(i);
				String at = "defaultObservations[" + i + "]";
				if (!o.isObject()) {
					throw error("'" + at + "' must be an object with \"name\" and \"values\" (or \"file\")");
				}
				unknownFields(o, OBSERVATION_FIELDS, at + ".");
				String oname = text(o, "name", "observation " + (i + 1), false, at + ".name");
				double[] values;
				if (o.has("values") == o.has("file")) {
					throw error("'" + at + "' needs either \"values\": [...] or \"file\": \"x_o.csv\" / \"x_o.npy\"");
				}
				if (o.has("values")) {
					values = numbers(o.get("values"), at + ".values", size);
				} else {
					JsonNode fn = o.get("file");
					if (!fn.isTextual()) {
						throw error("'" + at + ".file' must be a file name (.csv or .npy, relative to " + folder + ")");
					}
					try {
						values = RunFile.readObservationFile(folder.resolve(fn.asText()));
					} catch (RunFileException e) {
						throw error("'" + at + ".file': " + e.getMessage());
					}
					if (values.length != size) {
						throw error("'" + at + ".file' holds " + values.length + " values but 'observations' names " + size);
					}
				}
				double[] truth = null;
				JsonNode tp = o.get("trueParameters");
				if (tp != null && !tp.isNull()) {
					if (tp.isObject()) {
						truth = new double[parameters.size()];
						unknownFields(tp, new java.util.HashSet<>(parameters.stream().map(Parameter::name).toList()),
								at + ".trueParameters.");
						for (int j = 0; j < parameters.size(); j++) {
							JsonNode v = tp.get(parameters.get(j).name());
							if (v == null || !v.isNumber()) {
								throw error("'" + at + ".trueParameters." + parameters.get(j).name()
										+ "' must be a number (give one for every parameter)");
							}
							truth[j] = v.asDouble();
						}
					} else {
						truth = numbers(tp, at + ".trueParameters", parameters.size());
					}
				}
				out.add(new Observation(oname, values, truth));
			}
			return out;
		}

		List<String> command(JsonNode c) throws DescriptorException {
			String hint = "'command' must be a list: the program, then its fixed arguments, e.g. [\"python3\", \"my_sim.py\", "
					+ "\"--steps\", \"100\"]; it is run directly, never through a shell";
			if (c == null) {
				throw error("'command' is missing: " + hint);
			}
			if (c.isTextual()) {
				throw error(hint + "; got the single string " + c
						+ ": split it into the program and its arguments (no shell parses it)");
			}
			if (!c.isArray() || c.isEmpty()) {
				throw error(hint);
			}
			List<String> command = new ArrayList<>();
			for (int i = 0; i < c.size(); i++) {
				JsonNode a = c.get(i);
				if (!a.isTextual() && !a.isNumber()) {
					throw error("'command[" + i + "]' must be a string, got " + a);
				}
				command.add(a.asText());
			}
			String program = command.get(0);
			if (program.isBlank()) {
				throw error("'command[0]' (the program) is empty");
			}
			if (PLACEHOLDER.matcher(program).find()) {
				throw error("'command[0]' (the program) may not contain a placeholder; put {input}, {output} or {seed} in an argument");
			}
			if (program.contains("/")) {
				Path p = folder.resolve(program).normalize();
				if (!Files.isRegularFile(p)) {
					throw error("'command[0]': the program " + p + " does not exist"
							+ (Path.of(program).isAbsolute() ? "" : " (relative paths are relative to the descriptor's folder " + folder + ")"));
				}
				if (!Files.isExecutable(p)) {
					throw error("'command[0]': " + p + " is not executable; make it so (chmod +x " + p.getFileName()
							+ ") or run it through its interpreter, e.g. [\"python3\", \"" + program + "\"]");
				}
				command.set(0, p.toString());
			} else if (!onPath(program)) {
				throw error("'command[0]': the program '" + program + "' is not on the PATH (" + System.getenv("PATH")
						+ "); give its full path or install it");
			}
			return command;
		}

		Input input(JsonNode n) throws DescriptorException {
			String hint = "'input' must be \"arguments\" (--name=value ... --seed=N), \"stdin-json\", \"file\" "
					+ "(a JSON file at {input}) or {\"mode\": \"file\", \"format\": \"npy\"}";
			if (n == null) {
				return Input.ARGUMENTS;
			}
			String mode;
			String format = "json";
			if (n.isTextual()) {
				mode = n.asText();
			} else if (n.isObject()) {
				unknownFields(n, Set.of("mode", "format"), "input.");
				mode = text(n, "mode", null, true, "input.mode");
				format = text(n, "format", "json", false, "input.format");
			} else {
				throw error(hint);
			}
			switch (mode) {
			case "arguments":
			case "stdin-json":
				if (n.isObject() && n.has("format")) {
					throw error("'input.format' only applies to \"mode\": \"file\"");
				}
				return mode.equals("arguments") ? Input.ARGUMENTS : Input.STDIN_JSON;
			case "file":
				if (format.equals("json")) {
					return Input.FILE_JSON;
				}
				if (format.equals("npy")) {
					return Input.FILE_NPY;
				}
				throw error("'input.format' is '" + format + "'; use \"json\" or \"npy\"");
			default:
				throw error("'input' is '" + mode + "'" + suggest(mode, List.of("arguments", "stdin-json", "file")) + "; " + hint);
			}
		}

		Output output(JsonNode n) throws DescriptorException {
			List<String> ids = List.of("stdout-csv", "stdout-json", "npy");
			String hint = "'output' must be \"stdout-csv\" (one line of comma-separated numbers), \"stdout-json\" "
					+ "(a JSON array) or \"npy\" (a .npy file written to the path {output})";
			if (n == null) {
				return Output.STDOUT_CSV;
			}
			if (!n.isTextual()) {
				throw error(hint);
			}
			for (Output o : Output.values()) {
				if (o.id().equals(n.asText())) {
					return o;
				}
			}
			throw error("'output' is '" + n.asText() + "'" + suggest(n.asText(), ids) + "; " + hint);
		}

		void checkPlaceholders(List<String> command, Input input, Output output, List<Parameter> parameters)
				throws DescriptorException {
			Set<String> used = new TreeSet<>();
			for (int i = 1; i < command.size(); i++) {
				Matcher m = PLACEHOLDER.matcher(command.get(i));
				while (m.find()) {
					if (!PLACEHOLDERS.contains(m.group(1))) {
						throw error("'command[" + i + "]' contains the unknown placeholder {" + m.group(1) + "}"
								+ suggest(m.group(1), List.copyOf(PLACEHOLDERS)) + "; known placeholders are {input}, {output} and {seed}");
					}
					used.add(m.group(1));
				}
			}
			boolean file = input == Input.FILE_JSON || input == Input.FILE_NPY;
			if (file && !used.contains("input")) {
				throw error("'input' is a file but no argument of 'command' contains {input}: add one, e.g. \"--theta={input}\"");
			}
			if (!file && used.contains("input")) {
				throw error("'command' contains {input} but 'input' is \"" + input.id()
						+ "\"; use \"input\": \"file\" or remove the placeholder");
			}
			if (output == Output.NPY && !used.contains("output")) {
				throw error("'output' is \"npy\" but no argument of 'command' contains {output}: add one, e.g. \"--out={output}\"");
			}
			if (output != Output.NPY && used.contains("output")) {
				throw error("'command' contains {output} but 'output' is \"" + output.id()
						+ "\"; use \"output\": \"npy\" or remove the placeholder");
			}
			if (input == Input.FILE_NPY && !used.contains("seed")) {
				throw error("an .npy input file holds only θ, so the seed must be an argument: add one with {seed}, e.g. \"--seed={seed}\"");
			}
			if (input == Input.ARGUMENTS) {
				for (Parameter p : parameters) {
					if (!ARGUMENT_NAME.matcher(p.name()).matches()) {
						throw error("parameter '" + p.name() + "' is passed as --" + p.name()
								+ "=value, so its name may use only letters, digits, '_', '.' and '-' (and not start with a digit or '-')");
					}
					if (p.name().equals("seed") && !used.contains("seed")) {
						throw error("a parameter named 'seed' would clash with the --seed=N argument; rename it, "
								+ "or put the seed elsewhere with {seed}, e.g. \"--random-seed={seed}\"");
					}
				}
			}
		}

		Domain domain(JsonNode n) throws DescriptorException {
			if (n == null || n.isNull()) {
				return Domain.OTHER;
			}
			List<String> ids = java.util.Arrays.stream(Domain.values()).map(d -> d.name().toLowerCase(Locale.ROOT)).toList();
			if (n.isTextual()) {
				String v = n.asText().strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
				for (Domain d : Domain.values()) {
					if (d.name().toLowerCase(Locale.ROOT).equals(v)) {
						return d;
					}
				}
			}
			throw error("'domain' is " + n + "; use one of " + ids);
		}

		List<String> strings(JsonNode n, String field) throws DescriptorException {
			List<String> out = new ArrayList<>();
			if (n == null || n.isNull()) {
				return out;
			}
			if (!n.isArray()) {
				throw error("'" + field + "' must be a list of strings");
			}
			for (JsonNode s : n) {
				if (!s.isTextual()) {
					throw error("'" + field + "' must be a list of strings, got " + s);
				}
				out.add(s.asText());
			}
			return out;
		}

		double[] numbers(JsonNode a, String at, int expected) throws DescriptorException {
			if (a == null || !a.isArray() || a.size() != expected) {
				throw error("'" + at + "' must be a list of " + expected + " numbers"
						+ (a != null && a.isArray() ? ", got " + a.size() : ""));
			}
			double[] out = new double[expected];
			for (int i = 0; i < expected; i++) {
				if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())) {
					throw error("'" + at + "[" + i + "]' must be a finite number, got " + a.get(i));
				}
				out[i] = a.get(i).asDouble();
			}
			return out;
		}

		String text(JsonNode node, String field, String fallback) throws DescriptorException {
			return text(node, field, fallback, fallback == null, field);
		}

		String text(JsonNode node, String field, String fallback, boolean required) throws DescriptorException {
			return text(node, field, fallback, required, field);
		}

		String text(JsonNode node, String field, String fallback, boolean required, String at) throws DescriptorException {
			JsonNode v = node.get(field);
			if (v == null || v.isNull()) {
				if (required) {
					throw error("'" + at + "' is missing");
				}
				return fallback;
			}
			if (!v.isTextual() || (required && v.asText().isBlank())) {
				throw error("'" + at + "' must be a" + (required ? " non-empty" : "") + " string, got " + v);
			}
			return v.asText();
		}

		void unknownFields(JsonNode node, Set<String> known, String prefix) throws DescriptorException {
			for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
				String name = it.next();
				if (!known.contains(name)) {
					var hint = Suggestions.closest(name, known);
					throw error("unknown field '" + prefix + name + "'" + (hint.isPresent()
							? "; did you mean '" + prefix + hint.get() + "'?" : "; known fields are " + new TreeSet<>(known)));
				}
			}
		}
	}

	private static String suggest(String got, List<String> known) {
		for (String k : known) {
			if (!got.isEmpty() && k.contains(got)) {
				return " (did you mean '" + k + "'?)";
			}
		}
		return Suggestions.closest(got, known).map(best -> " (did you mean '" + best + "'?)").orElse("");
	}

	private static String suggestId(String id) {
		String s = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "sim_" + s : s;
	}

	static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (!dir.isEmpty()) {
				Path p = Path.of(dir, program);
				if (Files.isRegularFile(p) && Files.isExecutable(p)) {
					return true;
				}
			}
		}
		return false;
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
