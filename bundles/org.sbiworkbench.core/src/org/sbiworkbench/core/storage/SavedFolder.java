package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The layout every saved estimator folder shares: a JSON description with a
 * {@code format} name and {@code formatVersion}, the simulator, the parameters
 * and the prior, written last (so that a folder without it is not an estimator
 * yet), and arrays as float64 {@code .npy} files listed in it with file, rows,
 * cols and SHA-256, checked on loading. Every problem on loading is an
 * {@link IOException} naming the file and what is wrong.
 */
public final class SavedFolder {

	/** Indented, as every saved estimator has been written. */
	public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	/** What reads a saved folder's description once its header has been checked. */
	@FunctionalInterface
	public interface Reader<T> {
		T read() throws IOException, RunFileException;
	}

	private SavedFolder() {
	}

	/** A new description starting with {@code format} and {@code formatVersion}. */
	public static ObjectNode header(String format, int version) {
		ObjectNode root = JSON.createObjectNode();
		root.put("format", format);
		root.put("formatVersion", version);
		return root;
	}

	/** Adds {@code simulator} (id, version), {@code parameters} (name, unit) and {@code prior} (as in run files). */
	public static void putModel(ObjectNode root, String simulatorId, String simulatorVersion, List<Parameter> parameters, Prior prior) {
		root.putObject("simulator").put("id", simulatorId).put("version", simulatorVersion);
		ArrayNode ps = root.putArray("parameters");
		parameters.forEach(p -> ps.addObject().put("name", p.name()).put("unit", p.unit()));
		root.set("prior", PriorSpecs.toJson(prior));
	}

	/** Writes {@code root} as {@code dir/name}; call it last. */
	public static void writeDescription(Path dir, String name, ObjectNode root) throws IOException {
		AtomicFiles.write(dir.resolve(name), JSON.writeValueAsBytes(root));
	}

	/**
	 * Reads {@code dir/name}, checking its format name and version.
	 *
	 * @param method names the method in messages, e.g. "NLE"
	 * @throws IOException naming the file and what is wrong
	 */
	public static JsonNode readHeader(Path dir, String name, String format, int version, String method) throws IOException {
		Path file = dir.resolve(name);
		JsonNode root;
		try {
			root = JSON.readTree(Files.readAllBytes(file));
		} catch (NoSuchFileException e) {
			throw new IOException(dir + " holds no saved " + method + " estimator (" + name + " is missing)");
		} catch (JsonProcessingException e) {
			throw new IOException(file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
		}
		if (root == null || !format.equals(root.path("format").asText())) {
			throw new IOException(file + " is not a saved " + method + " estimator (format '" + (root == null ? "" : root.path("format").asText())
					+ "', expected '" + format + "')");
		}
		if (root.path("formatVersion").asInt(-1) != version) {
			throw new IOException(file + " has format version " + root.path("formatVersion") + "; this SBI Workbench reads version " + version);
		}
		return root;
	}

	/**
	 * Runs {@code reader} on the description {@code file}: a problem in the
	 * prior, or a missing or mistyped entry, becomes an {@link IOException}
	 * naming the file.
	 */
	public static <T> T read(Path file, Reader<T> reader) throws IOException {
		try {
			return reader.read();
		} catch (RunFileException e) {
			throw new IOException(e.getMessage(), e);
		} catch (RuntimeException e) {
			throw new IOException(file + " is incomplete or damaged: " + e, e);
		}
	}

	/** The {@code parameters} that {@link #putModel} wrote. */
	public static List<Parameter> parameters(JsonNode root) {
		List<Parameter> parameters = new ArrayList<>();
		for (JsonNode p : root.withArray("parameters")) {
			parameters.add(new Parameter(p.get("name").asText(), p.path("unit").asText("")));
		}
		return parameters;
	}

	/** The {@code prior} that {@link #putModel} wrote; {@code file} names the description in messages. */
	public static Prior prior(JsonNode root, List<Parameter> parameters, Path file) throws RunFileException {
		return PriorSpecs.fromJson(root.get("prior"), parameters, file + ": prior");
	}

	public static String simulatorId(JsonNode root) {
		return root.path("simulator").path("id").asText();
	}

	public static String simulatorVersion(JsonNode root) {
		return root.path("simulator").path("version").asText();
	}

	public static ArrayNode numbers(double[] v) {
		ArrayNode a = JSON.createArrayNode();
		for (double d : v) {
			a.add(d);
		}
		return a;
	}

	public static double[] doubles(JsonNode a) {
		double[] v = new double[a.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = a.get(i).asDouble();
		}
		return v;
	}

	/**
	 * Writes {@code rows} (float64, C order) atomically as {@code dir/file} and
	 * lists it in {@code entry}: {@code file}, {@code rows}, {@code cols},
	 * {@code sha256}.
	 */
	public static void writeArray(Path dir, String file, double[][] rows, int cols, ObjectNode entry) throws IOException {
		byte[] bytes = Npy.toBytes(rows, cols);
		AtomicFiles.write(dir.resolve(file), bytes);
		entry.put("file", file).put("rows", rows.length).put("cols", cols).put("sha256", AtomicFiles.sha256(bytes));
	}

	/**
	 * Reads the array an {@link #writeArray} {@code entry} lists, checking its
	 * SHA-256; shapes are the caller's to check.
	 *
	 * @param json the description listing it, for messages
	 * @throws IOException naming the file when it is missing, changed or not an .npy array
	 */
	public static NpyArray readArray(Path dir, Path json, JsonNode entry) throws IOException {
		Path file = dir.resolve(entry.get("file").asText());
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (NoSuchFileException e) {
			throw new IOException(file + " is missing; " + json + " lists it");
		}
		if (!AtomicFiles.sha256(bytes).equals(entry.path("sha256").asText())) {
			throw new IOException(file + " does not match its SHA-256 in " + json.getFileName() + ": it was changed or damaged");
		}
		return Npy.read(bytes, file.toString());
	}
}
