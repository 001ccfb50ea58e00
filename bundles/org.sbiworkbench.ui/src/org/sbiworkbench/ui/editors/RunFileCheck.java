package org.sbiworkbench.ui.editors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.runs.InferenceRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a run file's JSON exactly as the headless application does: it is parsed by {@link RunFile} and resolved
 * by {@link InferenceRun#of} against the installed services, so the editor shows the same messages {@code sbiw run}
 * would print. The JSON is parsed from a temporary copy whose relative paths (output, observation file) are made
 * absolute against the run file's folder; messages name the run file, not the copy.
 */
public final class RunFileCheck {

	/** The field a message is about, so the editor can mark it. */
	public enum Field {
		SIMULATOR, PRIOR, SIMULATIONS, SEED, SAMPLES, DIAGNOSTIC_TESTS, METHOD, OBSERVATION, DIAGNOSTICS, OUTPUT, CAMPAIGN, OTHER
	}

	/** A problem with its field. */
	public record Problem(Field field, String message) {
	}

	static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private RunFileCheck() {
	}

	/**
	 * The first problem of {@code json} as the run file {@code file}, or null when {@code sbiw run} would accept
	 * it. Reads an observation file if the JSON names one.
	 */
	public static Problem check(JsonNode json, Path file, InferenceRun.Services services) {
		Path base = file.toAbsolutePath().getParent();
		JsonNode copy = json.deepCopy();
		if (copy instanceof ObjectNode o) {
			if (o.path("output").isTextual()) {
				o.put("output", base.resolve(o.path("output").asText()).toString());
			}
			JsonNode obs = o.path("observation");
			if (obs instanceof ObjectNode observation && observation.path("file").isTextual()) {
				observation.put("file", base.resolve(observation.path("file").asText()).toString());
			}
		}
		Path temp = null;
		try {
			temp = Files.createTempFile("sbirun-check", ".json");
			Files.write(temp, JSON.writeValueAsBytes(copy));
			RunFile run = RunFile.read(temp);
			InferenceRun.of(run, services);
			return null;
		} catch (RunFileException e) {
			String message = e.getMessage().replace(temp.toString(), file.toString());
			return new Problem(field(message), message);
		} catch (IOException e) {
			return new Problem(Field.OTHER, "Cannot check the run file: " + e.getMessage());
		} catch (RuntimeException e) {
			// A value the parser passes on to a library that refuses it (e.g. a distribution's constructor).
			String message = String.valueOf(e.getMessage()).replace(String.valueOf(temp), file.toString());
			return new Problem(field(message), file + ": " + message);
		} finally {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				} catch (IOException e) {
					// a temporary file left behind is harmless
				}
			}
		}
	}

	/** The field a parser message names. */
	static Field field(String message) {
		String m = message.toLowerCase(Locale.ROOT);
		if (m.contains("'samples'")) {
			return Field.SAMPLES;
		}
		if (m.contains("'diagnostictests'")) {
			return Field.DIAGNOSTIC_TESTS;
		}
		if (m.contains("'simulator'") || m.contains("no simulator")) {
			return Field.SIMULATOR;
		}
		if (m.contains("prior")) {
			return Field.PRIOR;
		}
		if (m.contains("'simulations'")) {
			return Field.SIMULATIONS;
		}
		if (m.contains("'seed'")) {
			return Field.SEED;
		}
		if (m.contains("observation")) {
			return Field.OBSERVATION;
		}
		if (m.contains("diagnostic")) {
			return Field.DIAGNOSTICS;
		}
		if (m.contains("method")) {
			return Field.METHOD;
		}
		if (m.contains("'output'")) {
			return Field.OUTPUT;
		}
		if (m.contains("campaign")) {
			return Field.CAMPAIGN;
		}
		return Field.OTHER;
	}
}
