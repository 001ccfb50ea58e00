package org.sbiworkbench.estimators.npe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.Variable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trained NPE density estimator q(θ | x) with the z-scoring it was trained
 * under and the prior whose support bounds it: an amortized posterior.
 * <p>
 * Saved as a folder: {@code estimator.json} (format "sbiworkbench-npe",
 * version 1: parameters, prior, architecture, standardisation, and for each
 * weight array its file, shape and SHA-256) and {@code weights/NNN.npy}, one
 * float64 array per variable in the network's order. No Java serialization.
 */
public final class NpeEstimator implements AmortizedPosterior {

	public static final String FILE = "estimator.json";
	public static final String FORMAT = "sbiworkbench-npe";
	public static final int FORMAT_VERSION = 1;
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private final List<Parameter> parameters;
	private final Prior prior;
	private final Architecture architecture;
	private final ConditionalDensity density;
	private final Standardization theta;
	private final Standardization x;
	private final String simulatorId;
	private final String simulatorVersion;
	private volatile java.util.Map<String, Object> trainingSummary = java.util.Map.of();

	NpeEstimator(List<Parameter> parameters, Prior prior, Architecture architecture, ConditionalDensity density,
			Standardization theta, Standardization x, String simulatorId, String simulatorVersion) {
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.architecture = architecture;
		this.density = density;
		this.theta = theta;
		this.x = x;
		this.simulatorId = simulatorId;
		this.simulatorVersion = simulatorVersion;
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public NpePosterior condition(double[] observation) {
		if (observation.length != x.mean().length) {
			throw new IllegalArgumentException("The observation has " + observation.length + " values; this estimator was trained on "
					+ x.mean().length);
		}
		return new NpePosterior(this, observation);
	}

	Prior prior() {
		return prior;
	}

	ConditionalDensity density() {
		return density;
	}

	Standardization thetaStandardization() {
		return theta;
	}

	Standardization xStandardization() {
		return x;
	}

	public Architecture architecture() {
		return architecture;
	}

	@Override
	public java.util.Map<String, Object> trainingSummary() {
		return trainingSummary;
	}

	void recordTraining(org.sbiworkbench.nn.Trainer.Result r, String kernels) {
		java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
		m.put("density_estimator", architecture.type());
		m.put("kernels", kernels);
		m.put("epochs", r.epochs());
		m.put("best_epoch", r.bestEpoch());
		m.put("best_validation_loss", r.bestValidationLoss());
		m.put("seconds", r.seconds());
		m.put("cancelled", r.cancelled());
		m.put("training_loss", List.copyOf(r.trainingLoss()));
		m.put("validation_loss", List.copyOf(r.validationLoss()));
		trainingSummary = java.util.Collections.unmodifiableMap(m);
	}

	@Override
	public void save(Path dir) throws IOException {
		Files.createDirectories(dir.resolve("weights"));
		ObjectNode root = JSON.createObjectNode();
		root.put("format", FORMAT);
		root.put("formatVersion", FORMAT_VERSION);
		root.putObject("simulator").put("id", simulatorId).put("version", simulatorVersion);
		ArrayNode ps = root.putArray("parameters");
		parameters.forEach(p -> ps.addObject().put("name", p.name()).put("unit", p.unit()));
		root.set("prior", PriorSpecs.toJson(prior));
		ObjectNode arch = root.putObject("architecture");
		arch.put("type", architecture.type());
		arch.put("dimension", architecture.dimension());
		arch.put("contextDimension", architecture.contextDimension());
		arch.put("initSeed", architecture.initSeed());
		arch.put("embedding", architecture.embedding());
		arch.put("embeddingFeatures", architecture.embeddingFeatures());
		ArrayNode shape = arch.putArray("observationShape");
		architecture.observationShape().forEach(shape::add);
		ObjectNode std = root.putObject("standardization");
		std.set("thetaMean", numbers(theta.mean()));
		std.set("thetaStd", numbers(theta.std()));
		std.set("xMean", numbers(x.mean()));
		std.set("xStd", numbers(x.std()));
		ArrayNode vars = root.putArray("variables");
		List<Variable> vs = density.variables();
		for (int i = 0; i < vs.size(); i++) {
			Variable v = vs.get(i);
			double[][] rows = new double[v.rows()][v.cols()];
			for (int r = 0; r < v.rows(); r++) {
				for (int c = 0; c < v.cols(); c++) {
					rows[r][c] = v.values()[r * v.cols() + c];
				}
			}
			byte[] bytes = Npy.toBytes(rows, v.cols());
			String file = String.format("weights/%03d.npy", i);
			AtomicFiles.write(dir.resolve(file), bytes);
			vars.addObject().put("name", v.name()).put("file", file).put("rows", v.rows()).put("cols", v.cols())
					.put("sha256", AtomicFiles.sha256(bytes));
		}
		// Written last: a folder without it, or with an older one, is not a (new) estimator yet.
		AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(root));
	}

	private static ArrayNode numbers(double[] v) {
		ArrayNode a = JSON.createArrayNode();
		for (double d : v) {
			a.add(d);
		}
		return a;
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static NpeEstimator load(Path dir) throws IOException {
		Path file = dir.resolve(FILE);
		JsonNode root;
		try {
			root = JSON.readTree(Files.readAllBytes(file));
		} catch (NoSuchFileException e) {
			throw new IOException(dir + " holds no saved NPE estimator (" + FILE + " is missing)");
		} catch (JsonProcessingException e) {
			throw new IOException(file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
		}
		if (root == null || !FORMAT.equals(root.path("format").asText())) {
			throw new IOException(file + " is not a saved NPE estimator (format '" + (root == null ? "" : root.path("format").asText())
					+ "', expected '" + FORMAT + "')");
		}
		if (root.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
			throw new IOException(file + " has format version " + root.path("formatVersion") + "; this SBI Workbench reads version "
					+ FORMAT_VERSION);
		}
		try {
			List<Parameter> parameters = new ArrayList<>();
			for (JsonNode p : root.withArray("parameters")) {
				parameters.add(new Parameter(p.get("name").asText(), p.path("unit").asText("")));
			}
			Prior prior = PriorSpecs.fromJson(root.get("prior"), parameters, file + ": prior");
			JsonNode a = root.get("architecture");
			List<Integer> shape = new ArrayList<>();
			for (JsonNode n : a.withArray("observationShape")) {
				shape.add(n.asInt());
			}
			Architecture architecture = new Architecture(a.get("type").asText(), a.get("dimension").asInt(),
					a.get("contextDimension").asInt(), a.get("initSeed").asLong(), a.path("embedding").asText("none"),
					a.path("embeddingFeatures").asInt(0), shape.isEmpty() ? List.of(a.get("contextDimension").asInt()) : shape);
			JsonNode s = root.get("standardization");
			Standardization theta = new Standardization(doubles(s.get("thetaMean")), doubles(s.get("thetaStd")));
			Standardization x = new Standardization(doubles(s.get("xMean")), doubles(s.get("xStd")));
			if (theta.mean().length != parameters.size() || x.mean().length != architecture.contextDimension()
					|| architecture.dimension() != parameters.size()) {
				throw new IOException(file + ": the dimensions of parameters, architecture and standardisation disagree");
			}
			ConditionalDensity density = architecture.build();
			List<Variable> vs = density.variables();
			JsonNode vars = root.withArray("variables");
			if (vars.size() != vs.size()) {
				throw new IOException(file + " lists " + vars.size() + " weight arrays; the " + architecture.type() + " has " + vs.size());
			}
			for (int i = 0; i < vs.size(); i++) {
				Variable v = vs.get(i);
				JsonNode e = vars.get(i);
				if (!v.name().equals(e.path("name").asText()) || v.rows() != e.path("rows").asInt() || v.cols() != e.path("cols").asInt()) {
					throw new IOException(file + ": weight array " + i + " is " + e.path("name").asText() + " " + e.path("rows") + "×"
							+ e.path("cols") + " but the network expects " + v);
				}
				Path w = dir.resolve(e.path("file").asText());
				byte[] bytes = Files.readAllBytes(w);
				if (!AtomicFiles.sha256(bytes).equals(e.path("sha256").asText())) {
					throw new IOException(w + " does not match its SHA-256 in " + FILE + ": it was changed or damaged");
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
			return new NpeEstimator(parameters, prior, architecture, density, theta, x, root.path("simulator").path("id").asText(),
					root.path("simulator").path("version").asText());
		} catch (RunFileException e) {
			throw new IOException(e.getMessage(), e);
		} catch (RuntimeException e) {
			throw new IOException(file + " is incomplete or damaged: " + e, e);
		}
	}

	private static double[] doubles(JsonNode a) {
		double[] v = new double[a.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = a.get(i).asDouble();
		}
		return v;
	}
}
