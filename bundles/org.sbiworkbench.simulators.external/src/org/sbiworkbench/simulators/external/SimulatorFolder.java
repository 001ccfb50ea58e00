package org.sbiworkbench.simulators.external;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator descriptors in one folder: every {@code *.json} file directly
 * in it (not in sub-folders), read in name order. A file that cannot be used
 * is skipped and its problem kept; the others are unaffected. Two
 * descriptors with the same id: the first (in name order) wins.
 */
public final class SimulatorFolder {

	/** The system property naming the folder of external simulator descriptors. */
	public static final String PROPERTY = "sbiworkbench.external.dir";
	/** The environment variable naming it, used when the system property is not set. */
	public static final String ENVIRONMENT_VARIABLE = "SBIW_EXTERNAL_SIMULATORS";

	/** A descriptor that was skipped, and why (the message names the file, the field and the fix). */
	public record Problem(Path file, String message) {
	}

	/** What a scan found: the usable simulators and the problems of the skipped files. */
	public record Scan(Path folder, List<ExternalSimulator> simulators, List<Problem> problems) {
		public Scan {
			simulators = List.copyOf(simulators);
			problems = List.copyOf(problems);
		}
	}

	private SimulatorFolder() {
	}

	/**
	 * The configured folder: the system property {@value #PROPERTY}, else the
	 * environment variable {@value #ENVIRONMENT_VARIABLE}; empty when neither is set.
	 */
	public static Optional<Path> configured() {
		return configured(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT_VARIABLE));
	}

	static Optional<Path> configured(String property, String environment) {
		String v = property != null && !property.isBlank() ? property : environment;
		return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v.strip()).toAbsolutePath().normalize());
	}

	/** Reads every {@code *.json} descriptor in {@code folder}. */
	public static Scan scan(Path folder) {
		List<ExternalSimulator> simulators = new ArrayList<>();
		List<Problem> problems = new ArrayList<>();
		if (!Files.isDirectory(folder)) {
			problems.add(new Problem(folder, "The external simulator folder " + folder + " (from -D" + PROPERTY + " or $"
					+ ENVIRONMENT_VARIABLE + ") is not an existing folder"));
			return new Scan(folder, simulators, problems);
		}
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.json")) {
			for (Path p : dir) {
				if (Files.isRegularFile(p)) {
					files.add(p);
				}
			}
		} catch (IOException e) {
			problems.add(new Problem(folder, "The external simulator folder " + folder + " cannot be listed: " + e.getMessage()));
			return new Scan(folder, simulators, problems);
		}
		files.sort(null);
		Map<String, Path> ids = new HashMap<>();
		for (Path file : files) {
			try {
				ExternalSimulator s = ExternalSimulator.read(file);
				String id = s.descriptor().id();
				Path first = ids.putIfAbsent(id, file);
				if (first != null) {
					problems.add(new Problem(file, file + ": 'id' '" + id + "' is already used by " + first.getFileName()
							+ "; give each simulator its own id"));
					continue;
				}
				simulators.add(s);
			} catch (DescriptorException e) {
				problems.add(new Problem(file, e.getMessage()));
			} catch (RuntimeException e) {
				problems.add(new Problem(file, file + " cannot be used: " + e));
			}
		}
		return new Scan(folder, simulators, problems);
	}
}
