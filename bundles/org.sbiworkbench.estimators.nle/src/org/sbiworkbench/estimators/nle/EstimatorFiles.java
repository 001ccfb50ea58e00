package org.sbiworkbench.estimators.nle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.nn.Variable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The pieces of a saved estimator folder, in NPE's layout: {@code estimator.json}
 * with a format name and version, and a network's weights as
 * {@code weights/NNN.npy}, one float64 array per variable in the network's
 * order, listed in the JSON with name, file, shape and SHA-256.
 */
public final class EstimatorFiles {

	/** The estimator's description, written last so that a folder without it is not an estimator yet. */
	public static final String FILE = "estimator.json";
	public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private EstimatorFiles() {
	}

	/**
	 * Reads {@code dir/estimator.json}, checking its format name and version.
	 *
	 * @param method names the method in messages, e.g. "NLE"
	 * @throws IOException naming the file and what is wrong
	 */
	public static JsonNode readHeader(Path dir, String format, int version, String method) throws IOException {
		Path file = dir.resolve(FILE);
		JsonNode root;
		try {
			root = JSON.readTree(Files.readAllBytes(file));
		} catch (NoSuchFileException e) {
			throw new IOException(dir + " holds no saved " + method + " estimator (" + FILE + " is missing)");
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

	/** Writes every variable under {@code dir/weights/} and returns their JSON listing. */
	public static ArrayNode write(Path dir, List<Variable> variables) throws IOException {
		Files.createDirectories(dir.resolve("weights"));
		ArrayNode list = JsonNodeFactory.instance.arrayNode();
		for (int i = 0; i < variables.size(); i++) {
			Variable v = variables.get(i);
			double[][] rows = new double[v.rows()][v.cols()];
			for (int r = 0; r < v.rows(); r++) {
				for (int c = 0; c < v.cols(); c++) {
					rows[r][c] = v.values()[r * v.cols() + c];
				}
			}
			byte[] bytes = Npy.toBytes(rows, v.cols());
			String file = String.format("weights/%03d.npy", i);
			AtomicFiles.write(dir.resolve(file), bytes);
			list.addObject().put("name", v.name()).put("file", file).put("rows", v.rows()).put("cols", v.cols())
					.put("sha256", AtomicFiles.sha256(bytes));
		}
		return list;
	}

	/**
	 * Loads the arrays a {@link #write} listing names into {@code variables}
	 * (a freshly built network of the same architecture), checking names, shapes
	 * and checksums; every problem names the file.
	 *
	 * @param json the estimator's JSON file, for messages
	 */
	public static void read(Path dir, Path json, JsonNode listing, List<Variable> variables, String network) throws IOException {
		if (listing == null || !listing.isArray()) {
			throw new IOException(json + " lists no weight arrays");
		}
		if (listing.size() != variables.size()) {
			throw new IOException(json + " lists " + listing.size() + " weight arrays; the " + network + " has " + variables.size());
		}
		for (int i = 0; i < variables.size(); i++) {
			Variable v = variables.get(i);
			JsonNode e = listing.get(i);
			if (!v.name().equals(e.path("name").asText()) || v.rows() != e.path("rows").asInt() || v.cols() != e.path("cols").asInt()) {
				throw new IOException(json + ": weight array " + i + " is " + e.path("name").asText() + " " + e.path("rows") + "×"
						+ e.path("cols") + " but the network expects " + v);
			}
			Path w = dir.resolve(e.path("file").asText());
			byte[] bytes = Files.readAllBytes(w);
			if (!AtomicFiles.sha256(bytes).equals(e.path("sha256").asText())) {
				throw new IOException(w + " does not match its SHA-256 in " + json.getFileName() + ": it was changed or damaged");
			}
			NpyArray array = Npy.read(bytes, w.toString());
			if (array.rows() != v.rows() || array.columns() != v.cols()) {
				throw new IOException(w + " holds " + array.rows() + "×" + array.columns() + "; expected " + v.rows() + "×" + v.cols());
			}
			double[] data = array.data();
			for (int j = 0; j < data.length; j++) {
				v.values()[j] = (float) data[j];
			}
		}
	}
}
