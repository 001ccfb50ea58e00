package org.sbiworkbench.runs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SequentialInferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.FailurePolicy;
import org.sbiworkbench.core.campaign.LocalExecutor;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.CampaignManifest;
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
 * One whole inference, as {@code sbiw infer}, {@code sbiw run} and the workbench perform it: simulate (into
 * {@code out/simulations}, resumable), train, sample the posterior for x_o, run the diagnostics, and write the
 * samples, a summary, the plots, a report page and the estimator into the output folder.
 * <p>
 * Progress and cancellation go through a {@link ProgressMonitor}: cancelled while simulating, the finished
 * chunks stay in {@code out/simulations} and running the same run again continues the campaign without
 * simulating them again. Messages (the posterior table, diagnostics' headlines, warnings) go to the two
 * writers. Nothing here depends on a command line or a workbench.
 */
public final class InferenceRun {

	/** How a run ended. */
	public enum Status {
		/** Everything was written. */
		COMPLETED,
		/** The monitor asked to stop; what was finished is kept and the run can be continued. */
		CANCELLED,
		/** An error stopped the run; {@link Outcome#message()} says which. */
		FAILED
	}

	/**
	 * How a run ended.
	 *
	 * @param message for CANCELLED, where it stopped and what is kept; for FAILED, the error; "" when completed
	 * @param cause   the error of a FAILED run, else null
	 */
	public record Outcome(Status status, String message, Path output, Throwable cause) {

		public Outcome {
			Objects.requireNonNull(status, "status");
			message = Objects.requireNonNullElse(message, "");
		}

		static Outcome completed(Path output) {
			return new Outcome(Status.COMPLETED, "", output, null);
		}

		static Outcome cancelled(Path output, String message) {
			return new Outcome(Status.CANCELLED, message, output, null);
		}

		static Outcome failed(Path output, Throwable cause) {
			String m = cause.getMessage();
			return new Outcome(Status.FAILED, m == null || m.isBlank() ? cause.toString() : m, output, cause);
		}
	}

	/**
	 * The services installed now, as the run file's names are resolved against them.
	 *
	 * @param executors campaign executors besides the local one (e.g. slurm)
	 */
	public record Services(List<Simulator> simulators, List<InferenceMethod> methods, List<Diagnostic> diagnostics,
			List<CampaignExecutor> executors) {

		public Services {
			simulators = List.copyOf(simulators);
			methods = List.copyOf(methods);
			diagnostics = List.copyOf(diagnostics);
			executors = List.copyOf(executors);
		}

		/** Services with only the local executor. */
		public Services(List<Simulator> simulators, List<InferenceMethod> methods, List<Diagnostic> diagnostics) {
			this(simulators, methods, diagnostics, List.of());
		}

		/** The executor with this id; "local" is always there. */
		public Optional<CampaignExecutor> executor(String id) {
			if (id.equals(CampaignExecutor.LOCAL)) {
				return Optional.of(LocalExecutor.INSTANCE);
			}
			return executors.stream().filter(e -> e.id().equals(id)).findFirst();
		}

		/** The simulator with this id. */
		public Optional<Simulator> simulator(String id) {
			return simulators.stream().filter(s -> s.descriptor().id().equals(id)).findFirst();
		}

		/** The inference method with this id. */
		public Optional<InferenceMethod> method(String id) {
			return methods.stream().filter(m -> m.id().equals(id)).findFirst();
		}
	}

	/** Posterior samples a run draws unless told otherwise. */
	public static final int DEFAULT_SAMPLES = RunFile.DEFAULT_SAMPLES;

	/**
	 * The file in a run's output folder that names the run file it was started from (its absolute path, one line),
	 * so that an interrupted run can be resumed from its folder after the workbench or the shell is gone.
	 */
	public static final String RUN_FILE_NOTE = "run-file.txt";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
	private final String changeOutput;
	/** Where a new campaign's simulations run; a resumed campaign continues with the executor it recorded. */
	private CampaignExecutor executor = LocalExecutor.INSTANCE;
	private Services services;
	/** The run file this run was read from, or null (a run assembled by {@code sbiw infer}). */
	private Path source;
	private PrintWriter stdout;

	/**
	 * A run from its parts (what {@code sbiw infer} assembles from its options).
	 *
	 * @param defaultPrior       whether {@code prior} is the simulator's default (recorded in the campaign)
	 * @param settings           the method's settings by name, e.g. {@code density_estimator=maf}
	 * @param samples            posterior samples to draw
	 * @param out                the output folder
	 * @param diagnostics        the diagnostics to run, in order
	 * @param diagnosticSettings their settings, e.g. {@code tests=200}
	 */
	public InferenceRun(Simulator simulator, InferenceMethod method, Prior prior, boolean defaultPrior, Observation xo,
			CampaignSettings campaignSettings, Map<String, String> settings, int samples, Path out, List<Diagnostic> diagnostics,
			Map<String, String> diagnosticSettings) {
		this(simulator, method, prior, defaultPrior, xo, campaignSettings, settings, samples, out, diagnostics, diagnosticSettings,
				"choose another output folder or delete that one");
	}

	private InferenceRun(Simulator simulator, InferenceMethod method, Prior prior, boolean defaultPrior, Observation xo,
			CampaignSettings campaignSettings, Map<String, String> settings, int samples, Path out, List<Diagnostic> diagnostics,
			Map<String, String> diagnosticSettings, String changeOutput) {
		this.simulator = Objects.requireNonNull(simulator, "simulator");
		this.method = Objects.requireNonNull(method, "method");
		this.prior = Objects.requireNonNull(prior, "prior");
		this.defaultPrior = defaultPrior;
		this.xo = Objects.requireNonNull(xo, "observation");
		this.campaignSettings = Objects.requireNonNull(campaignSettings, "campaignSettings");
		this.settings = new LinkedHashMap<>(settings);
		if (samples <= 0) {
			throw new IllegalArgumentException("samples must be positive, got " + samples);
		}
		this.samples = samples;
		this.out = Objects.requireNonNull(out, "out");
		this.diagnostics = List.copyOf(diagnostics);
		this.diagnosticSettings = Map.copyOf(diagnosticSettings);
		this.seed = campaignSettings.seed();
		this.methodId = method.id();
		this.threads = campaignSettings.threads();
		this.changeOutput = changeOutput;
	}

	/**
	 * The run a run file describes, with its names resolved against the installed services. Every problem (an
	 * unknown simulator, method or diagnostic, a prior or observation that does not fit the simulator) is a
	 * {@link RunFileException} naming the file, the field and what is installed, raised before anything is
	 * simulated.
	 */
	public static InferenceRun of(RunFile run, Services services) throws RunFileException {
		return of(run, services, run.executor());
	}

	/**
	 * As {@link #of(RunFile, Services)}, with the simulations run by {@code executor} (e.g. the workbench's
	 * preference for run files that name none) instead of the run file's own "executor" section.
	 */
	public static InferenceRun of(RunFile run, Services services, RunFile.Executor executor) throws RunFileException {
		String file = String.valueOf(run.source());
		RunFile.Executor wanted = executor == null ? RunFile.Executor.LOCAL : executor;
		CampaignExecutor configured;
		try {
			configured = services.executor(wanted.type()).orElseThrow(() -> new IllegalArgumentException("the '" + wanted.type()
					+ "' executor is not installed; installed: " + java.util.stream.Stream.concat(java.util.stream.Stream.of(CampaignExecutor.LOCAL),
							services.executors().stream().map(CampaignExecutor::id)).distinct().toList())).configure(wanted.settings());
		} catch (IllegalArgumentException e) {
			throw new RunFileException(file + ": 'executor': " + e.getMessage(), e);
		}
		Simulator simulator = services.simulator(run.simulator()).orElseThrow(() -> new RunFileException(file + ": 'simulator' names '"
				+ run.simulator() + "', which is not registered; registered: "
				+ services.simulators().stream().map(s -> s.descriptor().id()).sorted().toList()));
		if (run.method() == null) {
			throw new RunFileException(file + ": no 'method' is given, so there is nothing to infer; add e.g. \"method\": \"npe\"");
		}
		InferenceMethod method = services.method(run.method()).orElseThrow(() -> new RunFileException(file + ": inference method '"
				+ run.method() + "' is not installed; installed: " + services.methods().stream().map(InferenceMethod::id).sorted().toList()));
		List<Diagnostic> checks;
		try {
			checks = Report.resolve(run.diagnostics(), services.diagnostics());
		} catch (IllegalArgumentException e) {
			throw new RunFileException(file + ": 'diagnostics': " + e.getMessage());
		}
		Prior prior = run.resolvePrior(simulator.descriptor());
		Observation observation = run.resolveObservation(simulator.descriptor());
		CampaignSettings campaign = new CampaignSettings(run.simulations(), run.seed(), run.chunkSize(), run.threads(),
				run.timeoutSeconds() == null ? null : Duration.ofMillis(Math.round(run.timeoutSeconds() * 1000)));
		Map<String, String> settings = new LinkedHashMap<>();
		if (run.methodSettings() != null) {
			run.methodSettings().fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
		}
		InferenceRun inference = new InferenceRun(simulator, method, prior, run.usesDefaultPrior(), observation, campaign, settings,
				run.samples(), run.output(), checks, Map.of("tests", Integer.toString(run.diagnosticTests())),
				"change 'output' in " + file + " or delete that folder");
		inference.executor = configured;
		inference.services = services;
		inference.source = run.source() == null ? null : run.source().toAbsolutePath().normalize();
		return inference;
	}

	/**
	 * The run file the run in {@code output} was last started from, as its {@link #RUN_FILE_NOTE} says; empty when
	 * there is no note (a run of {@code sbiw infer}, or from before the note existed) or the file is no longer there.
	 */
	public static Optional<Path> runFileOf(Path output) {
		Path note = output.resolve(RUN_FILE_NOTE);
		if (!Files.isRegularFile(note)) {
			return Optional.empty();
		}
		try {
			String line = Files.readString(note, StandardCharsets.UTF_8).strip();
			Path file = line.isEmpty() ? null : Path.of(line);
			return file != null && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
		} catch (IOException | java.nio.file.InvalidPathException e) {
			return Optional.empty();
		}
	}

	private void noteRunFile() throws IOException {
		if (source != null) {
			AtomicFiles.write(out.resolve(RUN_FILE_NOTE), (source + "\n").getBytes(StandardCharsets.UTF_8));
		}
	}

	/** The output folder. */
	public Path output() {
		return out;
	}

	/** The campaign folder, {@code output/simulations}. */
	public Path campaign() {
		return out.resolve("simulations");
	}

	public Simulator simulator() {
		return simulator;
	}

	public InferenceMethod method() {
		return method;
	}

	public Observation observation() {
		return xo;
	}

	/** E.g. "NPE on two_moons". */
	public String title() {
		return methodId.toUpperCase(java.util.Locale.ROOT) + " on " + simulator.descriptor().id();
	}

	/**
	 * Runs the inference until it is done, cancelled or fails. Never throws for a problem of the run itself:
	 * the outcome says what happened.
	 *
	 * @param monitor progress per stage (simulations, epochs, samples, diagnostics) and cancellation
	 * @param stdout  the report: the posterior table, timings, diagnostics' headlines, warnings
	 * @param err     notes along the way (e.g. failed simulations excluded from training)
	 */
	public Outcome execute(ProgressMonitor monitor, PrintWriter stdout, PrintWriter err) {
		try {
			return run(monitor, stdout, err);
		} catch (CancellationException e) {
			// E.g. in a diagnostic: the posterior samples are written, the report is not.
			return Outcome.cancelled(out, "Interrupted before the report was written"
					+ (Files.isDirectory(campaign()) ? "; the simulations are kept in " + campaign() : ""));
		} catch (IOException | RuntimeException e) {
			return Outcome.failed(out, e);
		} finally {
			stdout.flush();
			err.flush();
		}
	}

	private Outcome run(ProgressMonitor progress, PrintWriter stdout, PrintWriter err) throws IOException {
		this.stdout = stdout;
		Files.createDirectories(out);
		{
			long t0 = System.nanoTime();
			AmortizedPosterior trained = null;
			SimulationSet set = null;
			SimulationSet.TrainingData data = null;
			Posterior posterior;
			double simulateSeconds, trainSeconds;
			if (method instanceof SequentialInferenceMethod sequential) {
				// It simulates as it goes for x_o only: no campaign folder, no saved estimator.
				noteRunFile();
				posterior = sequential.infer(simulator, prior, xo.values(), campaignSettings.simulations(), settings, seed, progress);
				simulateSeconds = 0;
				trainSeconds = (System.nanoTime() - t0) / 1e9;
			} else {
				Path campaign = campaign();
				boolean resuming = Files.exists(campaign.resolve(CampaignStore.MANIFEST));
				if (resuming) {
					checkSameCampaign(campaign);
				}
				noteRunFile(); // only now: a folder holding another run's campaign keeps that run's note
				String id = simulator.descriptor().id();
				CampaignRunner.Outcome outcome = resuming
						? Campaigns.resume(campaign, s -> s.equals(id) ? Optional.of(simulator) : Optional.empty(), threads,
								services == null ? e -> Optional.<CampaignExecutor>empty() : services::executor, progress)
						: Campaigns.start(simulator, prior, defaultPrior, campaignSettings, campaign, executor, progress);
				if (outcome == CampaignRunner.Outcome.CANCELLED) {
					return Outcome.cancelled(out, "Interrupted while simulating; the finished simulations are kept in " + campaign);
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
					return Outcome.cancelled(out, "Interrupted while training; the simulations are kept in " + campaign);
				}
				trained.save(out.resolve("estimator"));
				posterior = trained.condition(xo.values());
			}

			long t2 = System.nanoTime();
			double[][] draws;
			try {
				draws = posterior.sample(samples, Seeds.forRow(seed, -3), progress);
			} catch (CancellationException e) {
				return Outcome.cancelled(out, "Interrupted while sampling the posterior" + (trained == null ? ""
						: "; the trained estimator is kept in " + out.resolve("estimator")));
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
		return Outcome.completed(out);
	}

	/** A run continued in an existing folder must be the same campaign, or it would train on the wrong data. */
	private void checkSameCampaign(Path campaign) throws IOException {
		try (CampaignStore store = CampaignStore.open(campaign)) {
			CampaignManifest m = store.manifest();
			if (!m.simulatorId().equals(simulator.descriptor().id()) || m.seed() != seed
					|| m.simulations() != campaignSettings.simulations() || m.chunkSize() != campaignSettings.chunkSize()
					|| m.usesDefaultPrior() != defaultPrior || !defaultPrior && !m.prior().equals(PriorSpecs.toJson(prior))) {
				throw new IllegalArgumentException(campaign + " holds a different campaign (simulator " + m.simulatorId() + ", "
						+ m.simulations() + " simulations, seed " + m.seed() + ", chunk size " + m.chunkSize() + "); " + changeOutput);
			}
		}
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
		// What the posterior itself records (e.g. SMC-ABC's generations: ε, simulations, effective sample size).
		Map<String, Object> inference = posterior.summary();
		if (!inference.isEmpty()) {
			ObjectNode i = s.putObject("inference");
			inference.forEach((k, v) -> i.set(k, JSON.valueToTree(v)));
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
