package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.FailurePolicy;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.SimulationSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw infer}: a whole inference from the command line — simulate,
 * train, sample — writing the posterior samples, a summary and the trained
 * estimator into one folder.
 */
@Command(name = "infer", description = "Simulate, train an inference method and sample the posterior for an observation.")
final class InferCommand implements Callable<Integer> {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--simulator", required = true, description = "Simulator id (see 'sbiw simulators').")
	String simulatorId;

	@Option(names = "--method", defaultValue = "npe", description = "Inference method (default: ${DEFAULT-VALUE}).")
	String methodId;

	@Option(names = { "--simulations", "-n" }, required = true, description = "Simulation budget.")
	long simulations;

	@Option(names = "--observation", defaultValue = "default", description = "x_o: 'default' (the simulator's first), comma-separated values, or a .csv/.npy file.")
	String observation;

	@Option(names = "--samples", defaultValue = "10000", description = "Posterior samples to draw (default: ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--seed", required = true, description = "Seed of the whole run.")
	long seed;

	@Option(names = "--out", required = true, description = "Output folder.")
	Path out;

	@Option(names = "--density-estimator", description = "For NPE: nsf (default), maf or mdn.")
	String densityEstimator;

	@Option(names = "--prior", description = "A JSON file with the prior (default: the simulator's default prior).")
	Path priorFile;

	@Option(names = "--threads", defaultValue = "0", description = "Simulation threads; 0 = one per core.")
	int threads;

	@Override
	public Integer call() throws IOException, RunFileException {
		Simulator simulator = Commands.require(spec, parent.simulators.get(), simulatorId);
		InferenceMethod method = parent.methods.get().stream().filter(m -> m.id().equals(methodId)).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "No inference method '" + methodId
						+ "' is installed; installed: " + parent.methods.get().stream().map(InferenceMethod::id).toList()));
		Prior prior = simulator.descriptor().defaultPrior();
		if (priorFile != null) {
			prior = PriorSpecs.fromJson(JSON.readTree(Files.readAllBytes(priorFile)), simulator.descriptor().parameters(), priorFile.toString());
		}
		Observation xo = observation(simulator);
		Files.createDirectories(out);
		PrintWriter err = spec.commandLine().getErr();

		try (TerminalProgress progress = new TerminalProgress(err)) {
			long t0 = System.nanoTime();
			Path campaign = out.resolve("simulations");
			CampaignRunner.Outcome outcome = Files.exists(campaign.resolve(CampaignStore.MANIFEST))
					? Campaigns.resume(campaign, id -> Commands.find(parent.simulators.get(), id), threads, progress)
					: Campaigns.start(simulator, prior, priorFile == null, new CampaignSettings(simulations, seed,
							CampaignSettings.DEFAULT_CHUNK_SIZE, threads, null), campaign, progress);
			if (outcome == CampaignRunner.Outcome.CANCELLED) {
				err.println("Interrupted while simulating; run the same command again to continue.");
				err.flush();
				return Commands.INTERRUPTED;
			}
			SimulationSet set;
			try (CampaignStore store = CampaignStore.open(campaign)) {
				set = store.load();
			}
			SimulationSet.TrainingData data = set.training(FailurePolicy.EXCLUDE);
			if (data.excluded() > 0) {
				err.println(data.excluded() + " failed simulations are excluded from training: " + set.failureCounts());
			}
			double simulateSeconds = (System.nanoTime() - t0) / 1e9;

			long t1 = System.nanoTime();
			Map<String, String> settings = new LinkedHashMap<>();
			if (densityEstimator != null) {
				settings.put("density_estimator", densityEstimator);
			}
			AmortizedPosterior trained = method.train(data, prior, simulator.descriptor(), settings, seed, progress);
			double trainSeconds = (System.nanoTime() - t1) / 1e9;
			if (progress.isCanceled()) {
				err.println("Interrupted while training; the simulations are kept in " + campaign);
				err.flush();
				return Commands.INTERRUPTED;
			}
			trained.save(out.resolve("estimator"));

			long t2 = System.nanoTime();
			Posterior posterior = trained.condition(xo.values());
			double[][] draws = posterior.sample(samples, Seeds.forRow(seed, -3));
			double sampleSeconds = (System.nanoTime() - t2) / 1e9;
			double[] map = mapOf(posterior, seed);

			writeSamples(out.resolve("posterior_samples.csv"), simulator.descriptor().parameters(), draws);
			ObjectNode summary = summary(simulator, methodId, xo, draws, map, posterior, trained, simulateSeconds, trainSeconds,
					sampleSeconds, data);
			AtomicFiles.write(out.resolve("summary.json"), JSON.writeValueAsBytes(summary));
			report(summary);
		}
		return 0;
	}

	private Observation observation(Simulator simulator) throws RunFileException {
		var d = simulator.descriptor();
		if (observation.equals("default")) {
			if (d.defaultObservations().isEmpty()) {
				throw new ParameterException(spec.commandLine(), simulatorId + " has no default observation; give --observation v1,v2,... or a file");
			}
			return d.defaultObservations().get(0);
		}
		double[] values;
		if (observation.matches("[-+0-9.eE, ]+")) {
			try {
				values = Arrays.stream(observation.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
			} catch (NumberFormatException e) {
				throw new ParameterException(spec.commandLine(), "--observation '" + observation + "' is not a list of numbers");
			}
		} else {
			values = RunFile.readObservationFile(Path.of(observation));
		}
		if (values.length != d.observationDimension()) {
			throw new ParameterException(spec.commandLine(), "--observation has " + values.length + " values but " + simulatorId
					+ " produces " + d.observationDimension() + " " + d.observationNames());
		}
		return new Observation(observation, values, null);
	}

	/** The MAP where the posterior offers one (NPE), else the sample with the highest density. */
	private static double[] mapOf(Posterior posterior, long seed) {
		try {
			var m = posterior.getClass().getMethod("map", org.apache.commons.math3.random.RandomGenerator.class);
			return (double[]) m.invoke(posterior, Seeds.forRow(seed, -4));
		} catch (ReflectiveOperationException e) {
			return null;
		}
	}

	private static void writeSamples(Path file, List<Parameter> parameters, double[][] draws) throws IOException {
		StringBuilder s = new StringBuilder(String.join(",", parameters.stream().map(Parameter::name).toList())).append('\n');
		for (double[] row : draws) {
			for (int j = 0; j < row.length; j++) {
				s.append(j == 0 ? "" : ",").append(row[j]);
			}
			s.append('\n');
		}
		AtomicFiles.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
	}

	private ObjectNode summary(Simulator simulator, String method, Observation xo, double[][] draws, double[] map, Posterior posterior,
			AmortizedPosterior trained, double simulateSeconds, double trainSeconds, double sampleSeconds, SimulationSet.TrainingData data) {
		int d = draws[0].length;
		ObjectNode s = JSON.createObjectNode();
		s.put("simulator", simulator.descriptor().id());
		s.put("method", method);
		ArrayNode names = s.putArray("parameters");
		simulator.descriptor().parameters().forEach(p -> names.add(p.name()));
		ArrayNode obs = s.putArray("observation");
		for (double v : xo.values()) {
			obs.add(v);
		}
		ArrayNode mean = s.putArray("mean");
		ArrayNode std = s.putArray("std");
		ArrayNode ci = s.putArray("ci95");
		for (int j = 0; j < d; j++) {
			double[] col = new double[draws.length];
			double sum = 0;
			for (int i = 0; i < draws.length; i++) {
				col[i] = draws[i][j];
				sum += col[i];
			}
			double mu = sum / col.length;
			double ss = 0;
			for (double v : col) {
				ss += (v - mu) * (v - mu);
			}
			Arrays.sort(col);
			mean.add(mu);
			std.add(Math.sqrt(ss / Math.max(1, col.length - 1)));
			ci.addArray().add(quantile(col, 0.025)).add(quantile(col, 0.975));
		}
		if (map != null) {
			ArrayNode m = s.putArray("map");
			for (double v : map) {
				m.add(v);
			}
		} else {
			s.putNull("map");
		}
		if (xo.knownParameters().isPresent()) {
			ArrayNode t = s.putArray("true_parameters");
			for (double v : xo.knownParameters().get()) {
				t.add(v);
			}
		} else {
			s.putNull("true_parameters");
		}
		double rate = Double.NaN;
		try {
			rate = (double) posterior.getClass().getMethod("acceptanceRate").invoke(posterior);
		} catch (ReflectiveOperationException e) {
			// Not every posterior rejects samples.
		}
		if (Double.isNaN(rate)) {
			s.putNull("acceptance_rate");
		} else {
			s.put("acceptance_rate", rate);
		}
		ObjectNode timings = s.putObject("timings");
		timings.put("simulate", simulateSeconds);
		timings.put("train", trainSeconds);
		timings.put("sample", sampleSeconds);
		Map<String, Object> training = trained.trainingSummary();
		Object epochs = training.get("epochs");
		if (epochs instanceof Integer e) {
			s.put("epochs", e);
		} else {
			s.putNull("epochs");
		}
		ObjectNode t = s.putObject("training");
		training.forEach((k, v) -> t.putPOJO(k, v));
		t.put("simulations_used", data.theta().length);
		t.put("simulations_excluded", data.excluded());
		s.put("seed", seed);
		s.put("samples", draws.length);
		ObjectNode versions = s.putObject("versions");
		versions.put("sbiworkbench", "0.1.0");
		versions.put("simulator", simulator.descriptor().version());
		versions.put("java", System.getProperty("java.version"));
		versions.put("threads", Runtime.getRuntime().availableProcessors());
		return s;
	}

	private static double quantile(double[] sorted, double q) {
		double pos = q * (sorted.length - 1);
		int lo = (int) Math.floor(pos);
		int hi = Math.min(sorted.length - 1, lo + 1);
		return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
	}

	private void report(ObjectNode s) {
		PrintWriter o = spec.commandLine().getOut();
		o.printf("%s on %s: %d posterior samples in %s%n", s.get("method").asText(), s.get("simulator").asText(), s.get("samples").asInt(), out);
		for (int j = 0; j < s.get("parameters").size(); j++) {
			o.printf("  %-12s mean %+.4f  std %.4f  95%% [%+.4f, %+.4f]%s%n", s.get("parameters").get(j).asText(), s.get("mean").get(j).asDouble(),
					s.get("std").get(j).asDouble(), s.get("ci95").get(j).get(0).asDouble(), s.get("ci95").get(j).get(1).asDouble(),
					s.get("true_parameters").isNull() ? "" : String.format("  true %+.4f", s.get("true_parameters").get(j).asDouble()));
		}
		o.printf("  timings: simulate %.1f s, train %.1f s (%s epochs), sample %.1f s; acceptance %s%n", s.get("timings").get("simulate").asDouble(),
				s.get("timings").get("train").asDouble(), s.get("epochs").asText(), s.get("timings").get("sample").asDouble(),
				s.get("acceptance_rate").asText());
		o.flush();
	}
}
