package org.sbiworkbench.simulators.external;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.simulators.external.ExternalSimulationException.Problem;
import org.sbiworkbench.simulators.external.ExternalSimulatorSpec.Input;
import org.sbiworkbench.simulators.external.ExternalSimulatorSpec.Output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Simulator} that is an external program, as an
 * {@link ExternalSimulatorSpec} describes it. Every simulation runs the
 * program once, as its own process, in a fresh temporary folder that holds
 * its input, output and captured stdout/stderr and is deleted afterwards.
 * <p>
 * <b>No shell.</b> The program is started directly with its argument list
 * ({@link ProcessBuilder}); arguments reach it verbatim, so no value can be
 * interpreted as a command.
 * <p>
 * <b>Reproducibility.</b> The seed handed to the program is drawn from the
 * {@link RandomGenerator} passed to {@link #simulate(double[], RandomGenerator)}
 * (one draw, before the program starts), so a campaign's row gets the same
 * seed, and a deterministic program the same x, whatever the thread count.
 * <p>
 * <b>Failures</b> are {@link ExternalSimulationException}s, which a
 * simulation campaign records as failed rows: a non-zero exit (with the exit
 * code and the last lines of stderr), output that is not the expected numbers
 * (saying what was expected and what came), and a run past the timeout (the
 * process and all its descendants are killed first). When the calling thread
 * is interrupted — a campaign abandons a simulation past its own timeout that
 * way — the process tree is killed too. Child processes that the program
 * detaches and leaves running after it exits normally are not tracked.
 * <p>
 * Thread-safe: simulations share nothing but the immutable spec.
 */
public final class ExternalSimulator implements Simulator {

	/** stdout larger than this is refused as bad output rather than read into memory. */
	static final long MAX_STDOUT_BYTES = 64L << 20;
	private static final int STDERR_TAIL_LINES = 8;
	private static final int STDERR_TAIL_BYTES = 8192;
	private static final Pattern NUMBER = Pattern.compile(
			"[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:nan|inf|infinity)");
	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

	private final ExternalSimulatorSpec spec;

	public ExternalSimulator(ExternalSimulatorSpec spec) {
		this.spec = spec;
	}

	/** Reads a descriptor file; see {@link ExternalSimulatorSpec#read(Path)}. */
	public static ExternalSimulator read(Path descriptorFile) throws DescriptorException {
		return new ExternalSimulator(ExternalSimulatorSpec.read(descriptorFile));
	}

	public ExternalSimulatorSpec spec() {
		return spec;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return spec.descriptor();
	}

	/** The seed the program gets for this generator's next draw: uniform in [0, 2^seedBits). */
	public long seedFor(RandomGenerator random) {
		return random.nextLong() >>> (64 - spec.seedBits());
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		int d = spec.descriptor().parameterDimension();
		if (theta.length != d) {
			throw new IllegalArgumentException(id() + " takes " + d + " parameters, got " + theta.length);
		}
		return run(theta, seedFor(random));
	}

	/** Runs the program once for θ with the given seed. */
	public double[] run(double[] theta, long seed) {
		Path dir;
		try {
			dir = Files.createTempDirectory("sbiw-" + id() + "-");
		} catch (IOException e) {
			throw new ExternalSimulationException(Problem.START_FAILED, id() + ": cannot create a temporary folder for the simulation: " + e);
		}
		try {
			return run(theta, seed, dir);
		} finally {
			deleteTree(dir);
		}
	}

	private double[] run(double[] theta, long seed, Path dir) {
		Path in = dir.resolve(spec.input() == Input.FILE_NPY ? "theta.npy" : "theta.json");
		Path out = dir.resolve("x.npy");
		Path stdout = dir.resolve("stdout.txt");
		Path stderr = dir.resolve("stderr.txt");
		List<String> command = commandLine(theta, seed, in, out);
		ProcessBuilder pb = new ProcessBuilder(command).directory(spec.workingDirectory().toFile())
				.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
		pb.environment().putAll(spec.environment());
		try {
			switch (spec.input()) {
			case STDIN_JSON -> {
				Files.write(in, inputJson(theta, seed));
				pb.redirectInput(in.toFile());
			}
			case FILE_JSON -> Files.write(in, inputJson(theta, seed));
			case FILE_NPY -> Npy.write(in, new NpyArray(new long[] { theta.length }, theta));
			case ARGUMENTS -> {
				// nothing to write
			}
			}
		} catch (IOException e) {
			throw new ExternalSimulationException(Problem.START_FAILED, id() + ": cannot write the input file " + in + ": " + e);
		}

		Process process;
		try {
			process = pb.start();
		} catch (IOException e) {
			throw new ExternalSimulationException(Problem.START_FAILED, id() + ": cannot start " + spec.command().get(0)
					+ " in " + spec.workingDirectory() + " (" + e.getMessage() + "); check 'command' in " + spec.source());
		}
		if (spec.input() != Input.STDIN_JSON) {
			try {
				process.getOutputStream().close(); // the program reads end-of-file, never blocks on stdin
			} catch (IOException e) {
				// it exited already; its exit code tells
			}
		}
		boolean finished;
		try {
			finished = process.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
		} catch (InterruptedException e) {
			int killed = killTree(process);
			Thread.currentThread().interrupt();
			throw new ExternalSimulationException(Problem.INTERRUPTED, id() + ": interrupted while " + program()
					+ " was running (a campaign timeout or a cancel); killed it" + children(killed));
		}
		if (!finished) {
			int killed = killTree(process);
			throw new ExternalSimulationException(Problem.TIMED_OUT, id() + ": " + program() + " did not finish within "
					+ seconds() + " s ('timeoutSeconds' in " + spec.source() + "); killed it" + children(killed)
					+ stderrTail(stderr) + reproduce(command));
		}
		int code = process.exitValue();
		if (code != 0) {
			String how = code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "";
			throw new ExternalSimulationException(Problem.CRASHED, id() + ": " + program() + " exited with code " + code
					+ how + stderrTail(stderr) + reproduce(command));
		}
		double[] x = switch (spec.output()) {
		case STDOUT_CSV -> parseCsv(readStdout(stdout), stderr);
		case STDOUT_JSON -> parseJson(readStdout(stdout), stderr);
		case NPY -> readNpy(out, stderr);
		};
		int n = spec.descriptor().observationDimension();
		if (x.length != n) {
			throw badOutput("returned " + x.length + " value" + (x.length == 1 ? "" : "s") + " but " + expected(), stderr);
		}
		return x;
	}

	/** The command line for one simulation: placeholders replaced, θ and the seed added as the input mode says. */
	List<String> commandLine(double[] theta, long seed, Path in, Path out) {
		List<String> command = new ArrayList<>(spec.command().size() + theta.length + 1);
		command.add(spec.command().get(0));
		for (int i = 1; i < spec.command().size(); i++) {
			command.add(spec.command().get(i).replace("{input}", in.toString()).replace("{output}", out.toString())
					.replace("{seed}", Long.toString(seed)));
		}
		if (spec.input() == Input.ARGUMENTS) {
			List<Parameter> ps = spec.descriptor().parameters();
			for (int i = 0; i < ps.size(); i++) {
				command.add("--" + ps.get(i).name() + "=" + Double.toString(theta[i]));
			}
			if (!spec.uses("seed")) {
				command.add("--seed=" + seed);
			}
		}
		return command;
	}

	/** {"parameters": {"name": value, ...}, "theta": [...], "seed": N}. */
	private byte[] inputJson(double[] theta, long seed) throws IOException {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode named = root.putObject("parameters");
		ArrayNode array = root.putArray("theta");
		List<Parameter> ps = spec.descriptor().parameters();
		for (int i = 0; i < ps.size(); i++) {
			named.put(ps.get(i).name(), theta[i]);
			array.add(theta[i]);
		}
		root.put("seed", seed);
		return JSON.writeValueAsBytes(root);
	}

	private String readStdout(Path stdout) {
		try {
			long size = Files.size(stdout);
			if (size > MAX_STDOUT_BYTES) {
				throw badOutput("printed " + size + " bytes on stdout; " + expected(), null);
			}
			return Files.readString(stdout, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new ExternalSimulationException(Problem.BAD_OUTPUT, id() + ": cannot read what " + program() + " printed: " + e);
		}
	}

	private double[] parseCsv(String text, Path stderr) {
		List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
		if (lines.isEmpty()) {
			throw badOutput("printed nothing on stdout; " + expected(), stderr);
		}
		if (lines.size() > 1) {
			throw badOutput("printed " + lines.size() + " lines on stdout (" + snippet(text) + "); " + expected()
					+ " (write log messages to stderr)", stderr);
		}
		String line = lines.get(0);
		String[] cells = line.split(",", -1);
		double[] x = new double[cells.length];
		for (int i = 0; i < cells.length; i++) {
			String c = cells[i].strip();
			if (!NUMBER.matcher(c).matches()) {
				throw badOutput("printed '" + snippet(line) + "': value " + (i + 1) + " ('" + snippet(c) + "') is not a number; "
						+ expected(), stderr);
			}
			x[i] = parseNumber(c);
		}
		return x;
	}

	private static double parseNumber(String c) {
		String lower = c.toLowerCase(Locale.ROOT);
		if (lower.endsWith("nan")) {
			return Double.NaN;
		}
		if (lower.endsWith("inf") || lower.endsWith("infinity")) {
			return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		return Double.parseDouble(c);
	}

	private double[] parseJson(String text, Path stderr) {
		if (text.isBlank()) {
			throw badOutput("printed nothing on stdout; " + expected(), stderr);
		}
		JsonNode root;
		try {
			root = JSON.readTree(text);
		} catch (JsonProcessingException e) {
			throw badOutput("printed '" + snippet(text) + "', which is not JSON (" + e.getOriginalMessage() + "); "
					+ expected(), stderr);
		}
		if (root == null || !root.isArray()) {
			throw badOutput("printed '" + snippet(text) + "'; " + expected(), stderr);
		}
		List<Double> values = new ArrayList<>();
		flatten(root, values, text, stderr);
		double[] x = new double[values.size()];
		for (int i = 0; i < x.length; i++) {
			x[i] = values.get(i);
		}
		return x;
	}

	private void flatten(JsonNode node, List<Double> values, String text, Path stderr) {
		for (JsonNode v : node) {
			if (v.isArray()) {
				flatten(v, values, text, stderr);
			} else if (v.isNumber()) {
				values.add(v.asDouble());
			} else {
				throw badOutput("printed '" + snippet(text) + "': value " + (values.size() + 1) + " (" + snippet(v.toString())
						+ ") is not a number; " + expected(), stderr);
			}
		}
	}

	private double[] readNpy(Path out, Path stderr) {
		try {
			return Npy.read(out).data();
		} catch (NoSuchFileException e) {
			throw badOutput("did not write its output file {output} (" + out + "); " + expected(), stderr);
		} catch (IOException e) {
			throw badOutput("wrote an output file that cannot be read: " + e.getMessage() + "; " + expected(), stderr);
		}
	}

	private String expected() {
		SimulatorDescriptor d = spec.descriptor();
		int n = d.observationDimension();
		String what = switch (spec.output()) {
		case STDOUT_CSV -> "one line of " + n + " comma-separated numbers on stdout";
		case STDOUT_JSON -> "a JSON array of " + n + " numbers on stdout";
		case NPY -> "a .npy file of " + n + " numbers";
		};
		List<String> names = d.observationNames();
		String list = names.size() <= 6 ? String.join(", ", names)
				: String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1);
		return "expected " + what + " (" + list + ")";
	}

	private ExternalSimulationException badOutput(String what, Path stderr) {
		return new ExternalSimulationException(Problem.BAD_OUTPUT, id() + ": " + program() + " " + what
				+ (stderr == null ? "" : stderrTail(stderr)));
	}

	/** "; last lines of stderr: a | b | c", or "" when stderr is empty. */
	static String stderrTail(Path stderr) {
		try (RandomAccessFile f = new RandomAccessFile(stderr.toFile(), "r")) {
			long size = f.length();
			int n = (int) Math.min(size, STDERR_TAIL_BYTES);
			byte[] bytes = new byte[n];
			f.seek(size - n);
			f.readFully(bytes);
			List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip)
					.filter(l -> !l.isEmpty()).toList();
			if (lines.isEmpty()) {
				return "; stderr is empty";
			}
			if (n < size) {
				lines = lines.subList(1, lines.size()); // the first may be cut
			}
			lines = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
			return "; last lines of stderr: " + String.join(" | ", lines.stream().map(ExternalSimulator::snippet).toList());
		} catch (IOException e) {
			return "";
		}
	}

	/**
	 * Kills the process and all its descendants (SIGKILL), and waits for them.
	 * Descendants are collected again after each round, so children forked
	 * while the tree was being killed are caught too.
	 *
	 * @return how many descendants were killed
	 */
	static int killTree(Process process) {
		Set<ProcessHandle> all = new LinkedHashSet<>();
		Set<ProcessHandle> known = new LinkedHashSet<>();
		known.add(process.toHandle());
		for (int round = 0; round < 5; round++) {
			Set<ProcessHandle> found = new LinkedHashSet<>();
			for (ProcessHandle h : known) {
				h.descendants().forEach(found::add);
			}
			found.removeAll(all);
			all.addAll(found);
			// Parent first: a dead parent forks no more; its children keep their handles.
			process.destroyForcibly();
			found.forEach(ProcessHandle::destroyForcibly);
			known.addAll(found);
			known.removeIf(h -> !h.isAlive());
			if (found.isEmpty() && !process.isAlive()) {
				break;
			}
		}
		// Wait (briefly) until they are gone. onExit() of a process that is not our child polls slowly, so poll here.
		try {
			process.waitFor(5, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (all.stream().anyMatch(ExternalSimulator::running) && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return all.size();
	}

	/**
	 * True while the process runs. A killed process whose parent was killed too
	 * is a zombie until init reaps it; on Linux, /proc tells, and a zombie
	 * counts as stopped.
	 */
	private static boolean running(ProcessHandle h) {
		if (!h.isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
			int end = stat.lastIndexOf(')');
			char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'R';
			return state != 'Z' && state != 'X';
		} catch (IOException | RuntimeException e) {
			return h.isAlive(); // no /proc (not Linux), or the process is gone
		}
	}

	private static String children(int killed) {
		return killed == 0 ? "" : " and its " + killed + " child process" + (killed == 1 ? "" : "es");
	}

	private static String reproduce(List<String> command) {
		String c = String.join(" ", command.stream().map(a -> a.isEmpty() || a.matches(".*[\\s'\"\\\\$;&|<>*?()`].*")
				? "'" + a.replace("'", "'\\''") + "'" : a).toList());
		return "; command: " + snippet(c);
	}

	private static String snippet(String s) {
		String one = s.strip().replace("\r", "").replace('\n', '⏎');
		return one.length() <= 300 ? one : one.substring(0, 300) + "…";
	}

	private String seconds() {
		double s = spec.timeout().toNanos() / 1e9;
		return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
	}

	/** The program as a person would name it: "python3 gaussian_sim.py", "./my_sim". */
	private String program() {
		List<String> c = spec.command();
		String name = baseName(c.get(0));
		if (c.size() > 1 && !c.get(1).startsWith("-") && !c.get(1).contains("{")) {
			name += " " + baseName(c.get(1));
		}
		return name;
	}

	private static String baseName(String path) {
		String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		return p.substring(p.lastIndexOf('/') + 1);
	}

	private String id() {
		return spec.descriptor().id();
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (IOException e) {
					// best effort: a temporary folder
				}
			});
		} catch (IOException e) {
			// best effort
		}
	}

	@Override
	public String toString() {
		return "ExternalSimulator[" + id() + " from " + spec.source() + ": " + Arrays.toString(spec.command().toArray()) + "]";
	}
}
