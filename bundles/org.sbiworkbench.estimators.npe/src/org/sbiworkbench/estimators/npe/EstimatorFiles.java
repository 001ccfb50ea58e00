package org.sbiworkbench.estimators.npe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.core.storage.SavedFolder;
import org.sbiworkbench.nn.Variable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The neural pieces of a saved estimator folder (NPE's layout, shared by NLE
 * and NRE), on top of {@link SavedFolder}: {@code estimator.json}, the
 * z-scoring of θ and x, and a network's weights as {@code weights/NNN.npy},
 * one float64 array per variable in the network's order, listed in the JSON
 * with name, file, shape and SHA-256.
 */
public final class EstimatorFiles {

	/** The estimator's description, written last so that a folder without it is not an estimator yet. */
	public static final String FILE = "estimator.json";

	private EstimatorFiles() {
	}

	/** Adds {@code standardization}: thetaMean, thetaStd, xMean, xStd. */
	public static void putStandardization(ObjectNode root, Standardization theta, Standardization x) {
		ObjectNode std = root.putObject("standardization");
		std.set("thetaMean", SavedFolder.numbers(theta.mean()));
		std.set("thetaStd", SavedFolder.numbers(theta.std()));
		std.set("xMean", SavedFolder.numbers(x.mean()));
		std.set("xStd", SavedFolder.numbers(x.std()));
	}

	/** One z-scoring {@link #putStandardization} wrote: {@code which} is "theta" or "x". */
	public static Standardization standardization(JsonNode root, String which) {
		JsonNode s = root.get("standardization");
		return new Standardization(SavedFolder.doubles(s.get(which + "Mean")), SavedFolder.doubles(s.get(which + "Std")));
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
			SavedFolder.writeArray(dir, String.format("weights/%03d.npy", i), rows, v.cols(), list.addObject().put("name", v.name()));
		}
		return list;
	}

	/**
	 * Loads the arrays a {@link #write} listing names into {@code variables}
	 * (a freshly built network of the same architecture), checking names, shapes
	 * and checksums; every problem names the file.
	 *
	 * @param json    the estimator's JSON file, for messages
	 * @param network names the network in messages, e.g. "maf"
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
			NpyArray array = SavedFolder.readArray(dir, json, e);
			if (array.rows() != v.rows() || array.columns() != v.cols()) {
				throw new IOException(dir.resolve(e.path("file").asText()) + " holds " + array.rows() + "×" + array.columns() + "; expected "
						+ v.rows() + "×" + v.cols());
			}
			double[] data = array.data();
			for (int j = 0; j < data.length; j++) {
				v.values()[j] = (float) data[j];
			}
		}
	}
}
