package org.sbiworkbench.estimators.npe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.storage.SavedFolder;
import org.sbiworkbench.nn.ConditionalDensity;

import com.fasterxml.jackson.databind.JsonNode;
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

	public static final String FILE = EstimatorFiles.FILE;
	public static final String FORMAT = "sbiworkbench-npe";
	public static final int FORMAT_VERSION = 1;

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
		r.putSummary(m);
		trainingSummary = java.util.Collections.unmodifiableMap(m);
	}

	@Override
	public void save(Path dir) throws IOException {
		Files.createDirectories(dir);
		ObjectNode root = SavedFolder.header(FORMAT, FORMAT_VERSION);
		SavedFolder.putModel(root, simulatorId, simulatorVersion, parameters, prior);
		ObjectNode arch = root.putObject("architecture");
		arch.put("type", architecture.type());
		arch.put("dimension", architecture.dimension());
		arch.put("contextDimension", architecture.contextDimension());
		arch.put("initSeed", architecture.initSeed());
		arch.put("embedding", architecture.embedding());
		arch.put("embeddingFeatures", architecture.embeddingFeatures());
		ArrayNode shape = arch.putArray("observationShape");
		architecture.observationShape().forEach(shape::add);
		EstimatorFiles.putStandardization(root, theta, x);
		root.set("variables", EstimatorFiles.write(dir, density.variables()));
		// Written last: a folder without it, or with an older one, is not a (new) estimator yet.
		SavedFolder.writeDescription(dir, FILE, root);
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static NpeEstimator load(Path dir) throws IOException {
		JsonNode root = SavedFolder.readHeader(dir, FILE, FORMAT, FORMAT_VERSION, "NPE");
		Path file = dir.resolve(FILE);
		return SavedFolder.read(file, () -> {
			List<Parameter> parameters = SavedFolder.parameters(root);
			Prior prior = SavedFolder.prior(root, parameters, file);
			JsonNode a = root.get("architecture");
			List<Integer> shape = new ArrayList<>();
			for (JsonNode n : a.withArray("observationShape")) {
				shape.add(n.asInt());
			}
			Architecture architecture = new Architecture(a.get("type").asText(), a.get("dimension").asInt(),
					a.get("contextDimension").asInt(), a.get("initSeed").asLong(), a.path("embedding").asText("none"),
					a.path("embeddingFeatures").asInt(0), shape.isEmpty() ? List.of(a.get("contextDimension").asInt()) : shape);
			Standardization theta = EstimatorFiles.standardization(root, "theta");
			Standardization x = EstimatorFiles.standardization(root, "x");
			if (theta.mean().length != parameters.size() || x.mean().length != architecture.contextDimension()
					|| architecture.dimension() != parameters.size()) {
				throw new IOException(file + ": the dimensions of parameters, architecture and standardisation disagree");
			}
			ConditionalDensity density = architecture.build();
			EstimatorFiles.read(dir, file, root.get("variables"), density.variables(), architecture.type());
			return new NpeEstimator(parameters, prior, architecture, density, theta, x, SavedFolder.simulatorId(root),
					SavedFolder.simulatorVersion(root));
		});
	}
}
