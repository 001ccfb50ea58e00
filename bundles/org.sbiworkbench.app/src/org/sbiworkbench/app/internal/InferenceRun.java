package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.SequentialInferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.FailurePolicy;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.PosteriorSummary;

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
	private final List<Diagnostic> diagnostics;
	private final Map<String, String> diagnosticSettings;
	private PrintWriter stdout;

	InferenceRun(SbiwCommand parent, Simulator simulator, InferenceMethod method, Prior prior, boolean defaultPrior, Observation xo,
			CampaignSettings campaignSettings, Map<String, String> settings, int samples, Path out, List<Diagnostic> diagnostics,
			Map<String, String> diagnosticSettings) {
		this.diagnostics = List.copyOf(diagnostics);
		this.diagnosticSettings = Map.copyOf(diagnosticSettings);
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
			AmortizedPosterior trained = null;
			SimulationSet set = null;
			SimulationSet.TrainingData data = null;
			Posterior posterior;
			double simulateSeconds, trainSeconds;
			if (method instanceof SequentialInferenceMethod sequential) {
				// It simulates as it goes for x_o only: no campaign folder, no saved estimator.
				posterior = sequential.infer(simulator, prior, xo.values(), campaignSettings.simulations(), settings, seed, progress);
				simulateSeconds = 0;
				trainSeconds = (System.nanoTime() - t0) / 1e9;
			} else {
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
				try (CampaignStore store = CampaignStore.open(campaign)) {
					set = store.load();
				}
				data = set.training(FailurePolicy.EXCLUDE);
				if (data.excluded() > 0) {
					err.println(data.excluded() + " failed simulations are excluded from training: " + set.failureCounts());
				}
				simulateSeconds = (System.nanoTime() - t0) / 1e9;

				long t1 = System.nanoTime();
				trained = method.train(data, prior, simulator.descriptor(), settings, seed, progress);
				trainSeconds = (System.nanoTime() - t1) / 1e9;
				if (progress.isCanceled()) {
					err.println("Interrupted while training; the simulations are kept in " + campaign);
					err.flush();
					return Commands.INTERRUPTED;
				}
				trained.save(out.resolve("estimator"));
				posterior = trained.condition(xo.values());
			}

			long t2 = System.nanoTime();
			double[][] draws;
			try {
				draws = posterior.sample(samples, Seeds.forRow(seed, -3), progress);
			} catch (java.util.concurrent.CancellationException e) {
				err.println("Interrupted while sampling the posterior" + (trained == null ? "." : "; the trained estimator is kept in "
						+ out.resolve("estimator")));
				err.flush();
				return Commands.INTERRUPTED;
			}
			double sampleSeconds = (System.nanoTime() - t2) / 1e9;
			List<Parameter> parameters = simulator.descriptor().parameters();
			PosteriorSummary ps = PosteriorSummary.of(parameters, draws);
			double[] map = ps.map(posterior, Seeds.forRow(seed, -4)).orElse(null);

			writeSamples(out.resolve("posterior_samples.csv"), parameters, draws);
			Npy.write(out.resolve("posterior_samples.npy"), draws, parameters.size());
			ObjectNode summary = summary(simulator, methodId, xo, ps, map, posterior, trained, simulateSeconds, trainSeconds,
					sampleSeconds, data);
			ArrayNode warnings = summary.putArray("warnings");
			if (data != null && data.excluded() > 0) {
				warnings.add(data.excluded() + " failed simulations were excluded from training: " + set.failureCounts());
			}
			posterior.warnings().forEach(warnings::add);
			double rate = posterior.acceptanceRate();
			if (rate < 0.5) {
				warnings.add(String.format(java.util.Locale.ROOT, "Leakage: only %.1f%% of the estimator's samples fell inside the prior's "
						+ "support; they were rejected and the density renormalised", 100 * rate));
			}
			report(summary);

			Report report = new Report(out, stdout);
			report.plot("pairplot", DiagnosticFigures.pairplot(ps, ranges(prior), xo.knownParameters().orElse(null), map));
			(trained == null ? java.util.Optional.<org.sbiworkbench.plots.Figure>empty() : lossCurves(trained)).ifPresent(f -> {
				try {
					report.plot("loss", f);
				} catch (IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			});
			long t3 = System.nanoTime();
			if (!diagnostics.isEmpty()) {
				stdout.println("Diagnostics:");
				DiagnosticContext context = new DiagnosticContext(simulator, prior, trained, posterior, draws, data == null ? null : data.x(),
						diagnosticSettings, seed);
				report.runDiagnostics(diagnostics, context, summary, warnings, progress);
			}
			((ObjectNode) summary.get("timings")).put("diagnostics", (System.nanoTime() - t3) / 1e9);
			report.plots().forEach(summary.putArray("plots")::add);
			AtomicFiles.write(out.resolve("summary.json"), JSON.writeValueAsBytes(summary));
			report.writeIndex(summary);
			for (var w : warnings) {
				stdout.println("WARNING: " + w.asText());
			}
			stdout.printf("Report: %s (summary.json, posterior_samples.csv/.npy, %s)%n", out.resolve("index.html"),
					String.join(", ", report.plots()));
			stdout.flush();
		}
		return 0;
	}

	/** Plot ranges: the prior's bounds where finite, else (null) the samples' own range. */
	private static double[][] ranges(Prior prior) {
		double[][] r = new double[prior.dimension()][];
		for (int j = 0; j < r.length; j++) {
			double lo = prior.lowerBounds()[j], hi = prior.upperBounds()[j];
			r[j] = Double.isFinite(lo) && Double.isFinite(hi) ? new double[] { lo, hi } : null;
		}
		return r;
	}

	/** Training and validation loss per epoch, when the method recorded them. */
	private static java.util.Optional<org.sbiworkbench.plots.Figure> lossCurves(AmortizedPosterior trained) {
		Object t = trained.trainingSummary().get("training_loss");
		Object v = trained.trainingSummary().get("validation_loss");
		if (t instanceof List<?> tl && !tl.isEmpty() && tl.get(0) instanceof Number) {
			@SuppressWarnings("unchecked")
			List<Number> train = (List<Number>) tl;
			@SuppressWarnings("unchecked")
			List<Number> val = v instanceof List<?> vl ? (List<Number>) vl : List.of();
			return java.util.Optional.of(DiagnosticFigures.loss(train, val));
		}
		return java.util.Optional.empty();
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

	private ObjectNode summary(Simulator simulator, String method, Observation xo, PosteriorSummary ps, double[] map, Posterior posterior,
			AmortizedPosterior trained, double simulateSeconds, double trainSeconds, double sampleSeconds, SimulationSet.TrainingData data) {
		ObjectNode s = JSON.createObjectNode();
		s.put("simulator", simulator.descriptor().id());
		s.put("method", method);
		ArrayNode names = s.putArray("parameters");
		simulator.descriptor().parameters().forEach(p -> names.add(p.name()));
		ArrayNode obs = s.putArray("observation");
		for (double v : xo.values()) {
			obs.add(v);
		}
		putAll(s.putArray("mean"), ps.mean());
		putAll(s.putArray("median"), ps.median());
		putAll(s.putArray("std"), ps.std());
		ArrayNode ci = s.putArray("ci95");
		for (double[] interval : ps.credibleInterval(0.95)) {
			putAll(ci.addArray(), interval);
		}
		ArrayNode ci68 = s.putArray("ci68");
		for (double[] interval : ps.credibleInterval(0.68)) {
			putAll(ci68.addArray(), interval);
		}
		ArrayNode corr = s.putArray("correlation");
		for (double[] row : ps.correlation()) {
			putAll(corr.addArray(), row);
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
		Map<String, Object> training = trained == null ? Map.of() : trained.trainingSummary();
		Object epochs = training.get("epochs");
		if (epochs instanceof Integer e) {
			s.put("epochs", e);
		} else {
			s.putNull("epochs");
		}
		ObjectNode t = s.putObject("training");
		training.forEach((k, v) -> t.putPOJO(k, v));
		if (data != null) {
			t.put("simulations_used", data.theta().length);
			t.put("simulations_excluded", data.excluded());
		}
		s.put("seed", seed);
		s.put("samples", ps.samples().length);
		ObjectNode run = s.putObject("settings");
		run.put("simulations", campaignSettings.simulations());
		run.put("prior", defaultPrior ? "default" : "custom");
		ArrayNode priors = run.putArray("priors");
		ArrayNode bounds = run.putArray("prior_bounds");
		for (int j = 0; j < prior.dimension(); j++) {
			priors.add(prior.describe(j));
			// Unbounded sides (e.g. Gaussian priors) are written as null: JSON has no infinity.
			ArrayNode b = bounds.addArray();
			double lo = prior.lowerBounds()[j], hi = prior.upperBounds()[j];
			if (Double.isFinite(lo)) {
				b.add(lo);
			} else {
				b.addNull();
			}
			if (Double.isFinite(hi)) {
				b.add(hi);
			} else {
				b.addNull();
			}
		}
		run.put("observation", xo.name());
		ObjectNode methodSettings = run.putObject("method_settings");
		settings.forEach(methodSettings::put);
		ArrayNode checks = run.putArray("diagnostics");
		diagnostics.forEach(d -> checks.add(d.id()));
		diagnosticSettings.forEach((k, v) -> run.put("diagnostic_" + k, v));
		ObjectNode versions = s.putObject("versions");
		versions.put("sbiworkbench", "0.1.0");
		versions.put("simulator", simulator.descriptor().version());
		versions.put("java", System.getProperty("java.version"));
		versions.put("threads", Runtime.getRuntime().availableProcessors());
		return s;
	}

	private static void putAll(ArrayNode a, double[] values) {
		for (double v : values) {
			a.add(v);
		}
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
