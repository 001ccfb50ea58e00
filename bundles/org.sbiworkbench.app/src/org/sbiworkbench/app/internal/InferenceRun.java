package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.SimulationSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One whole inference, as {@code sbiw infer} and {@code sbiw run} perform it:
 * simulate (into {@code out/simulations}, resumable), train, sample the
 * posterior for x_o, and write the samples, a summary and the estimator.
 */
final class InferenceRun {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private final SbiwCommand parent;
	private final Simulator simulator;
	private final InferenceMethod method;
	private final Prior prior;
	private final boolean defaultPrior;
	private final Observation xo;
	private final CampaignSettings campaignSettings;
	private final Map<String, String> settings;
	private final int samples;
	private final Path out;
	private final long seed;
	private final String methodId;
	private final int threads;
	private PrintWriter stdout;

	InferenceRun(SbiwCommand parent, Simulator simulator, InferenceMethod method, Prior prior, boolean defaultPrior, Observation xo,
			CampaignSettings campaignSettings, Map<String, String> settings, int samples, Path out) {
		this.parent = parent;
		this.simulator = simulator;
		this.method = method;
		this.prior = prior;
		this.defaultPrior = defaultPrior;
		this.xo = xo;
		this.campaignSettings = campaignSettings;
		this.settings = settings;
		this.samples = samples;
		this.out = out;
		this.seed = campaignSettings.seed();
		this.methodId = method.id();
		this.threads = campaignSettings.threads();
	}

	int execute(PrintWriter stdout, PrintWriter err) throws IOException {
		this.stdout = stdout;
		Files.createDirectories(out);

		try (TerminalProgress progress = new TerminalProgress(err)) {
			long t0 = System.nanoTime();
			Path campaign = out.resolve("simulations");
			if (Files.exists(campaign.resolve(CampaignStore.MANIFEST))) {
				// Continue only the same campaign: a different one would train on the wrong data.
				try (CampaignStore store = CampaignStore.open(campaign)) {
					var m = store.manifest();
					if (!m.simulatorId().equals(simulator.descriptor().id()) || m.seed() != seed
							|| m.simulations() != campaignSettings.simulations()) {
						throw new IllegalArgumentException(campaign + " holds a different campaign (" + m.simulatorId() + ", "
								+ m.simulations() + " simulations, seed " + m.seed() + "); choose another --out or delete that folder");
					}
				}
			}
			CampaignRunner.Outcome outcome = Files.exists(campaign.resolve(CampaignStore.MANIFEST))
					? Campaigns.resume(campaign, id -> Commands.find(parent.simulators.get(), id), threads, progress)
					: Campaigns.start(simulator, prior, defaultPrior, campaignSettings, campaign, progress);
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

	/** The MAP where the posterior can find one (NPE optimises its density), else null. */
	private static double[] mapOf(Posterior posterior, long seed) {
		return posterior.map(Seeds.forRow(seed, -4)).orElse(null);
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
		double rate = posterior.acceptanceRate();
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
		PrintWriter o = stdout;
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
