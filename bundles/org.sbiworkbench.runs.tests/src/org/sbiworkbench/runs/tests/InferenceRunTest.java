package org.sbiworkbench.runs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.runs.InferenceRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The pipeline outside any command line: a run file run to completion, the epochs it reports to the monitor,
 * cancellation during the simulations and the resumed run that simulates only what was missing, and the
 * problems a run file can have, reported before anything is simulated.
 */
class InferenceRunTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private final StringWriter out = new StringWriter();
	private final StringWriter err = new StringWriter();

	/** Records what the pipeline reports; cancels once {@code cancelAfter} simulations are done (never if < 0). */
	private static final class Recorder implements ProgressMonitor {
		final List<String> tasks = new ArrayList<>();
		final List<Long> totals = new ArrayList<>();
		final List<double[]> epochs = new ArrayList<>();
		long simulated;
		final long cancelAfter;
		private boolean simulating;
		volatile boolean canceled;

		Recorder(long cancelAfter) {
			this.cancelAfter = cancelAfter;
		}

		@Override
		public synchronized void begin(String task, long totalWork) {
			tasks.add(task);
			totals.add(totalWork);
			simulating = task.startsWith("Simulating");
		}

		@Override
		public synchronized void worked(long work) {
			if (simulating) {
				simulated += work;
				if (cancelAfter >= 0 && simulated >= cancelAfter) {
					canceled = true;
				}
			}
		}

		@Override
		public boolean isCanceled() {
			return canceled;
		}

		@Override
		public void done() {
		}

		@Override
		public synchronized void epochFinished(int epoch, double trainingLoss, double validationLoss) {
			epochs.add(new double[] { epoch, trainingLoss, validationLoss });
		}
	}

	@Test
	void aRunFileRunsToAReportAndItsEpochsReachTheMonitor(@TempDir Path tmp) throws Exception {
		Path file = runFile(tmp, "npe.sbirun.json", 600, 200, "[\"coverage\"]", "{\"max_epochs\": \"15\"}");
		InferenceRun run = InferenceRun.of(RunFile.read(file), services());
		assertEquals("NPE on two_moons", run.title());
		assertEquals(tmp.resolve("out").toAbsolutePath().normalize(), run.output());
		Recorder monitor = new Recorder(-1);
		InferenceRun.Outcome outcome = run.execute(monitor, new PrintWriter(out), new PrintWriter(err));

		assertEquals(InferenceRun.Status.COMPLETED, outcome.status(), outcome.message() + "\n" + err);
		assertNull(outcome.cause());
		JsonNode summary = JSON.readTree(run.output().resolve("summary.json").toFile());
		String coverage = summary.path("diagnostics").path("coverage").path("status").asText();
		assertTrue(coverage.equals("passed") || coverage.equals("warning"), summary.path("diagnostics").toString());
		assertTrue(Files.exists(run.output().resolve("estimator/estimator.json")));
		assertTrue(Files.exists(run.output().resolve("index.html")));
		assertEquals(600, monitor.simulated, "every simulation reported once");
		// Each epoch reached the monitor with the losses the summary records, in order.
		JsonNode training = summary.path("training").path("training_loss");
		JsonNode validation = summary.path("training").path("validation_loss");
		assertTrue(training.size() >= 1 && training.size() <= 15, training.toString());
		assertEquals(training.size(), monitor.epochs.size());
		for (int e = 0; e < training.size(); e++) {
			assertEquals(e + 1, (int) monitor.epochs.get(e)[0]);
			assertEquals(training.get(e).asDouble(), monitor.epochs.get(e)[1], 0.0);
			assertEquals(validation.get(e).asDouble(), monitor.epochs.get(e)[2], 0.0);
		}
		assertTrue(out.toString().contains("theta_1") && out.toString().contains("coverage"), out.toString());
	}

	@Test
	void aSequentialRunRecordsHowItsPosteriorWasObtained(@TempDir Path tmp) throws Exception {
		Path file = tmp.resolve("smcabc.sbirun.json");
		Files.writeString(file, "{\"simulator\": \"two_moons\", \"simulations\": 3000, \"seed\": 5,"
				+ " \"method\": {\"name\": \"smcabc\", \"settings\": {\"population_size\": \"100\"}}, \"observation\": \"default\","
				+ " \"diagnostics\": [], \"output\": \"out\"}");
		InferenceRun run = InferenceRun.of(RunFile.read(file), services());
		InferenceRun.Outcome outcome = run.execute(ProgressMonitor.NULL, new PrintWriter(out), new PrintWriter(err));

		assertEquals(InferenceRun.Status.COMPLETED, outcome.status(), outcome.message() + "\n" + err);
		JsonNode inference = JSON.readTree(run.output().resolve("summary.json").toFile()).path("inference");
		// SMC-ABC's own record: every generation with its threshold, and the simulations they spent.
		JsonNode generations = inference.path("generations");
		assertTrue(generations.size() >= 2, inference.toString());
		assertEquals(generations.size(), inference.path("epsilons").size(), inference.toString());
		for (int g = 1; g < generations.size(); g++) {
			assertTrue(inference.path("epsilons").get(g).asDouble() <= inference.path("epsilons").get(g - 1).asDouble(),
					"thresholds never grow: " + inference.path("epsilons"));
		}
		assertEquals(3000, inference.path("simulations").asLong(), inference.toString());
		assertEquals(100, inference.path("accepted").asInt(), inference.toString());
		assertTrue(inference.path("effective_sample_size").asDouble() > 1, inference.toString());
		assertTrue(Files.readString(run.output().resolve("index.html")).contains("<h3>Inference</h3>"));
	}

	@Test
	void cancelledWhileSimulatingItKeepsTheChunksAndTheNextRunSimulatesOnlyTheRest(@TempDir Path tmp) throws Exception {
		Path file = runFile(tmp, "resume.sbirun.json", 1000, 100, "[]", "{\"max_epochs\": \"5\"}");
		InferenceRun first = InferenceRun.of(RunFile.read(file), services());
		Recorder cancelling = new Recorder(300);
		InferenceRun.Outcome stopped = first.execute(cancelling, new PrintWriter(out), new PrintWriter(err));

		assertEquals(InferenceRun.Status.CANCELLED, stopped.status(), stopped.message() + "\n" + err);
		assertTrue(stopped.message().contains("simulating") && stopped.message().contains(first.campaign().toString()),
				stopped.message());
		assertTrue(cancelling.epochs.isEmpty(), "no training after a cancelled campaign");
		assertTrue(Files.notExists(first.output().resolve("summary.json")));
		int stored;
		try (CampaignStore store = CampaignStore.open(first.campaign())) {
			stored = store.manifest().storedChunks();
		}
		assertTrue(stored >= 3 && stored < 10, "the chunks finished before the cancel are stored: " + stored);
		// The folder names its run file, so it can be resumed from the folder alone (e.g. after a restart).
		assertEquals(java.util.Optional.of(file.toAbsolutePath().normalize()), InferenceRun.runFileOf(first.output()));

		// The same run file again: only the missing chunks are simulated, then it trains and reports.
		Recorder resuming = new Recorder(-1);
		InferenceRun.Outcome done = InferenceRun.of(RunFile.read(file), services()).execute(resuming, new PrintWriter(out),
				new PrintWriter(err));
		assertEquals(InferenceRun.Status.COMPLETED, done.status(), done.message() + "\n" + err);
		assertEquals(1000 - 100L * stored, resuming.totals.get(0), "the resumed campaign's work: " + resuming.tasks);
		assertEquals(1000 - 100L * stored, resuming.simulated);
		JsonNode summary = JSON.readTree(first.output().resolve("summary.json").toFile());
		assertEquals(1000, summary.path("training").path("simulations_used").asInt());
	}

	@Test
	void problemsOfARunFileAreNamedBeforeAnythingIsSimulated(@TempDir Path tmp) throws Exception {
		Path unknownSimulator = tmp.resolve("a.json");
		Files.writeString(unknownSimulator, "{\"simulator\": \"three_moons\", \"simulations\": 100, \"seed\": 1, \"method\": \"npe\","
				+ " \"observation\": \"default\", \"output\": \"a\"}");
		RunFileException e = assertThrows(RunFileException.class, () -> InferenceRun.of(RunFile.read(unknownSimulator), services()));
		assertTrue(e.getMessage().contains("three_moons") && e.getMessage().contains("two_moons"), e.getMessage());

		Path unknownMethod = tmp.resolve("b.json");
		Files.writeString(unknownMethod, "{\"simulator\": \"two_moons\", \"simulations\": 100, \"seed\": 1, \"method\": \"xyz\","
				+ " \"observation\": \"default\", \"output\": \"b\"}");
		e = assertThrows(RunFileException.class, () -> InferenceRun.of(RunFile.read(unknownMethod), services()));
		assertTrue(e.getMessage().contains("'xyz' is not installed") && e.getMessage().contains("npe"), e.getMessage());

		Path unknownDiagnostic = tmp.resolve("c.json");
		Files.writeString(unknownDiagnostic, "{\"simulator\": \"two_moons\", \"simulations\": 100, \"seed\": 1, \"method\": \"npe\","
				+ " \"observation\": \"default\", \"diagnostics\": [\"coverag\"], \"output\": \"c\"}");
		e = assertThrows(RunFileException.class, () -> InferenceRun.of(RunFile.read(unknownDiagnostic), services()));
		assertTrue(e.getMessage().contains("coverag") && e.getMessage().contains("sbc"), e.getMessage());
		assertTrue(Files.notExists(tmp.resolve("c")), "nothing was written");

		// An executor this installation lacks (no Slurm bundle in this test runtime), and a bad setting of one it has.
		Path slurm = tmp.resolve("d.json");
		Files.writeString(slurm, "{\"simulator\": \"two_moons\", \"simulations\": 100, \"seed\": 1, \"method\": \"npe\","
				+ " \"observation\": \"default\", \"output\": \"d\", \"executor\": {\"type\": \"slurm\", \"partition\": \"short\"}}");
		e = assertThrows(RunFileException.class, () -> InferenceRun.of(RunFile.read(slurm), services()));
		assertTrue(e.getMessage().contains("'executor'") && e.getMessage().contains("'slurm' executor is not installed")
				&& e.getMessage().contains("local"), e.getMessage());
		CampaignExecutor strict = new CampaignExecutor() {
			@Override
			public String id() {
				return "slurm";
			}

			@Override
			public CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, org.sbiworkbench.core.Prior prior,
					CampaignSettings settings, ProgressMonitor monitor) {
				throw new AssertionError("nothing is simulated while the run file is checked");
			}

			@Override
			public CampaignExecutor configure(Map<String, String> settings) {
				throw new IllegalArgumentException("Slurm setting 'partition': 'short' is not a partition here");
			}
		};
		InferenceRun.Services withSlurm = new InferenceRun.Services(services(Simulator.class), services(InferenceMethod.class),
				services(Diagnostic.class), List.of(strict));
		e = assertThrows(RunFileException.class, () -> InferenceRun.of(RunFile.read(slurm), withSlurm));
		assertTrue(e.getMessage().contains("d.json: 'executor': Slurm setting 'partition'"), e.getMessage());
		assertTrue(Files.notExists(tmp.resolve("d")), "nothing was written");
	}

	@Test
	void anOutputFolderHoldingAnotherCampaignFailsTheRunWithTheFix(@TempDir Path tmp) throws Exception {
		Path first = runFile(tmp, "first.json", 200, 100, "[]", "{\"max_epochs\": \"2\"}");
		Recorder stopAtOnce = new Recorder(1);
		assertEquals(InferenceRun.Status.CANCELLED,
				InferenceRun.of(RunFile.read(first), services()).execute(stopAtOnce, new PrintWriter(out), new PrintWriter(err)).status());
		// Another budget into the same output folder: refused, not mixed.
		Path second = runFile(tmp, "second.json", 300, 100, "[]", "{\"max_epochs\": \"2\"}");
		InferenceRun.Outcome outcome = InferenceRun.of(RunFile.read(second), services()).execute(new Recorder(-1),
				new PrintWriter(out), new PrintWriter(err));
		assertEquals(InferenceRun.Status.FAILED, outcome.status());
		assertTrue(outcome.message().contains("holds a different campaign") && outcome.message().contains("change 'output' in "),
				outcome.message());
		assertTrue(outcome.cause() instanceof IllegalArgumentException, String.valueOf(outcome.cause()));
		Path folder = tmp.resolve("out");
		assertEquals(java.util.Optional.of(first.toAbsolutePath().normalize()), InferenceRun.runFileOf(folder),
				"the refused run leaves the folder's note to the run that owns it");
		Files.delete(first);
		assertEquals(java.util.Optional.empty(), InferenceRun.runFileOf(folder), "a run file that is gone is not offered");
		Files.delete(folder.resolve(InferenceRun.RUN_FILE_NOTE));
		assertEquals(java.util.Optional.empty(), InferenceRun.runFileOf(folder));
	}

	private static Path runFile(Path dir, String name, int simulations, int chunk, String diagnostics, String settings)
			throws Exception {
		Path file = dir.resolve(name);
		Files.writeString(file, "{\"simulator\": \"two_moons\", \"simulations\": " + simulations + ", \"seed\": 3,"
				+ " \"method\": {\"name\": \"npe\", \"settings\": " + settings + "}, \"observation\": \"default\","
				+ " \"diagnostics\": " + diagnostics + ", \"output\": \"out\", \"campaign\": {\"chunkSize\": " + chunk + ", \"threads\": 1}}");
		return file;
	}

	private InferenceRun.Services services() throws Exception {
		return new InferenceRun.Services(services(Simulator.class), services(InferenceMethod.class), services(Diagnostic.class));
	}

	private <T> List<T> services(Class<T> type) throws Exception {
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		List<T> found = new ArrayList<>();
		for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
			found.add(context.getService(ref));
		}
		return found;
	}
}
