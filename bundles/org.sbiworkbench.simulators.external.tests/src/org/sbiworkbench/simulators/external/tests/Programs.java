package org.sbiworkbench.simulators.external.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.sbiworkbench.simulators.external.DescriptorException;
import org.sbiworkbench.simulators.external.ExternalSimulator;

/** Small test programs and descriptors, written to a test's temporary folder. */
final class Programs {

	/**
	 * The Python 3 interpreter: Debian's own when present (a version manager's
	 * shim on the PATH can add 0.3 s to every start), else python3 on the PATH.
	 */
	static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

	/** Two parameters a, b with uniform priors on [-2, 2]. */
	static final String TWO_PARAMETERS = """
			"parameters": [
			  {"name": "a", "prior": {"distribution": "uniform", "lower": -2, "upper": 2}},
			  {"name": "b", "prior": {"distribution": "uniform", "lower": -2, "upper": 2}}
			]""";

	private Programs() {
	}

	/** Writes an executable script. */
	static Path script(Path dir, String name, String text) throws IOException {
		Path p = dir.resolve(name);
		Files.writeString(p, text, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
		return p;
	}

	/** Writes a descriptor file and returns its path. */
	static Path descriptor(Path dir, String name, String json) throws IOException {
		Path p = dir.resolve(name);
		Files.writeString(p, json, StandardCharsets.UTF_8);
		return p;
	}

	/**
	 * A descriptor of simulator {@code id} over a and b, with the given x names,
	 * command (a JSON array) and further fields (JSON members, may be empty).
	 */
	static String json(String id, String observations, String command, String more) {
		return "{\"id\": \"" + id + "\", " + TWO_PARAMETERS + ", \"observations\": " + observations + ", \"command\": "
				+ command + (more.isEmpty() ? "" : ", " + more) + "}";
	}

	static ExternalSimulator simulator(Path dir, String id, String observations, String command, String more)
			throws IOException, DescriptorException {
		return ExternalSimulator.read(descriptor(dir, id + ".json", json(id, observations, command, more)));
	}

	/** A JSON string literal. */
	static String quote(String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	/** The pids a test program wrote, one per line. */
	static List<Long> pids(Path file) throws IOException {
		return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
	}

	/** True while the process runs: exists and is not a zombie waiting to be reaped. */
	static boolean running(long pid) {
		Optional<ProcessHandle> h = ProcessHandle.of(pid);
		if (h.isEmpty() || !h.get().isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			return !state.equals("Z") && !state.equals("X");
		} catch (IOException | RuntimeException e) {
			return false; // gone meanwhile
		}
	}

	/** Waits up to {@code millis} for all processes to stop; returns those still running. */
	static List<Long> stillRunning(List<Long> pids, long millis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + millis;
		List<Long> alive = pids.stream().filter(Programs::running).toList();
		while (!alive.isEmpty() && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
			alive = alive.stream().filter(Programs::running).toList();
		}
		return alive;
	}
}
