package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.ui.tests.UiTestSupport.all;
import static org.sbiworkbench.ui.tests.UiTestSupport.choose;
import static org.sbiworkbench.ui.tests.UiTestSupport.click;
import static org.sbiworkbench.ui.tests.UiTestSupport.column;
import static org.sbiworkbench.ui.tests.UiTestSupport.drawn;
import static org.sbiworkbench.ui.tests.UiTestSupport.isNumber;
import static org.sbiworkbench.ui.tests.UiTestSupport.named;
import static org.sbiworkbench.ui.tests.UiTestSupport.rows;
import static org.sbiworkbench.ui.tests.UiTestSupport.screenshot;
import static org.sbiworkbench.ui.tests.UiTestSupport.services;
import static org.sbiworkbench.ui.tests.UiTestSupport.settle;
import static org.sbiworkbench.ui.tests.UiTestSupport.table;
import static org.sbiworkbench.ui.tests.UiTestSupport.waitUntil;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.runs.InferenceRun;
import org.sbiworkbench.ui.SbiPerspective;
import org.sbiworkbench.ui.editors.RunEditor;
import org.sbiworkbench.ui.runs.RunJob;
import org.sbiworkbench.ui.views.DiagnosticsView;
import org.sbiworkbench.ui.views.ImageCanvas;
import org.sbiworkbench.ui.views.PosteriorView;
import org.sbiworkbench.ui.views.RunsView;
import org.sbiworkbench.ui.views.TrainingView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The workbench runs inference itself: a run file made in the run editor (two_moons, NPE, 1000 simulations) is
 * checked as {@code sbiw run} checks it, saved, and run from the editor's Run button as a job; the Training view
 * draws its loss curves while it trains; the Runs view lists it running and then finished; the Posterior,
 * Diagnostics and Training views show its results; a new observation moves the posterior. A second run is
 * cancelled while simulating and resumed: the campaign completes without simulating its stored chunks again.
 * Screenshots go to target/screenshots/.
 */
class RunEditorTest {

	private static final long RUN_TIMEOUT_MS = 600_000;
	private static final ObjectMapper JSON = new ObjectMapper();

	private IWorkbenchWindow window;
	private IWorkbenchPage page;
	private Shell shell;
	private Display display;
	private final List<RunJob.Listener> listeners = new ArrayList<>();

	@BeforeEach
	void open() throws Exception {
		window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		assertNotNull(window, "a workbench window is open");
		shell = window.getShell();
		display = shell.getDisplay();
		shell.setBounds(0, 0, 1280, 960);
		page = PlatformUI.getWorkbench().showPerspective(SbiPerspective.ID, window);
	}

	@AfterEach
	void close() {
		listeners.forEach(RunJob::removeGlobalListener);
		page.closeAllEditors(false);
	}

	@Test
	void aRunMadeInTheEditorRunsAsAJobAndFeedsTheViews(@TempDir Path tmp) throws Exception {
		long start = System.currentTimeMillis();
		Path root = Files.createDirectories(tmp.resolve("runs"));
		RunsView runs = (RunsView) page.showView(RunsView.ID);
		runs.setRoot(root);
		page.showView(PosteriorView.ID);
		page.showView(DiagnosticsView.ID);
		TrainingView training = (TrainingView) page.showView(TrainingView.ID);

		// A new run file in the editor: a template, then the fields set as a user sets them.
		Path file = root.resolve("two_moons.sbirun.json");
		RunEditor editor = runs.openRunFile(file);
		assertNotNull(editor, "the run editor opens a new run file");
		choose(named(shell, Combo.class, "simulator"), "two_moons");
		Text simulations = named(shell, Text.class, "simulations");
		simulations.setText("-5");
		// Inline validation: the message sbiw run gives for the same JSON, at the field.
		waitUntil(display, () -> editor.problem().contains("'simulations' must be a positive integer"),
				() -> "the budget is refused: " + editor.problem());
		Path same = tmp.resolve("same.json");
		Files.write(same, JSON.writeValueAsBytes(editor.toJson()));
		RunFileException parser = assertThrows(RunFileException.class,
				() -> InferenceRun.of(RunFile.read(same), new InferenceRun.Services(services(Simulator.class),
						services(InferenceMethod.class), services(Diagnostic.class))));
		assertEquals(parser.getMessage().replace(same.toString(), file.toString()), editor.problem());
		assertFalse(runItem().getEnabled(), "Run is disabled while the run file has a problem");

		simulations.setText("1000");
		named(shell, Text.class, "seed").setText("7");
		named(shell, Text.class, "chunkSize").setText("250");
		choose(named(shell, Combo.class, "method"), "npe");
		editor.putSetting("max_epochs", "40");
		Table settings = named(shell, Table.class, "settings");
		assertEquals("max_epochs | 40", rows(settings).get(0), "the settings table shows the setting");
		choose(named(shell, Combo.class, "observationKind"), "Default observation");
		Combo observations = named(shell, Combo.class, "defaultObservation");
		assertTrue(observations.getItemCount() >= 2, "two_moons' default observations are offered");
		choose(observations, observations.getItem(0));
		Set<String> wanted = Set.of("coverage", "sbc");
		for (Button box : all(shell, Button.class)) {
			Object id = box.getData("id");
			if (String.valueOf(box.getData("name")).startsWith("diagnostic:") && id != null) {
				box.setSelection(wanted.contains(id));
				click(box);
			}
		}
		named(shell, Text.class, "output").setText("two_moons-npe");
		waitUntil(display, () -> editor.problem().isEmpty() && runItem().getEnabled(), () -> "a valid run file: " + editor.problem());
		assertTrue(editor.isDirty(), "edited, not saved");
		var editorPart = page.getReference(editor);
		page.setPartState(editorPart, IWorkbenchPage.STATE_MAXIMIZED);
		display.setCursorLocation(shell.getBounds().width - 2, shell.getBounds().height - 2); // no tooltip in the picture
		settle(display);
		screenshot(shell, "run-editor.png");
		page.setPartState(editorPart, IWorkbenchPage.STATE_RESTORED);

		// Run: saves the file, schedules the job; the Training view follows its epochs live.
		Path output = root.resolve("two_moons-npe");
		CountDownLatch seenLive = new CountDownLatch(1);
		AtomicInteger epochs = new AtomicInteger();
		AtomicBoolean held = new AtomicBoolean();
		listen(new RunJob.Listener() {
			@Override
			public void epoch(RunJob job, int epoch, double trainingLoss, double validationLoss) {
				if (job.output().equals(output)) {
					epochs.incrementAndGet();
					if (epoch == 3 && held.compareAndSet(false, true)) {
						try { // training waits (on the job's thread) until the test has seen the live curve
							seenLive.await(120, TimeUnit.SECONDS);
						} catch (InterruptedException e) {
							Thread.currentThread().interrupt();
						}
					}
				}
			}
		});
		click(runItem());
		RunJob job = editor.job();
		assertNotNull(job, "Run scheduled a job; status: " + named(shell, Label.class, "run-status").getText());
		assertTrue(job.isUser(), "a user job: shown in the Progress view and the status bar");
		assertFalse(editor.isDirty(), "Run saved the run file");
		RunFile saved = RunFile.read(file);
		assertEquals("two_moons", saved.simulator());
		assertEquals(1000, saved.simulations());
		assertEquals(7, saved.seed());
		assertEquals(250, saved.chunkSize());
		assertEquals("npe", saved.method());
		assertEquals("40", saved.methodSettings().get("max_epochs").asText());
		assertEquals(List.of("coverage", "sbc"), saved.diagnostics());
		assertEquals(output, saved.output());

		Table runTable = table(shell, "Run");
		waitUntil(display, () -> statusOf(runTable, "two_moons-npe").startsWith("running"),
				() -> "the Runs view lists the run as running: " + rows(runTable));
		ImageCanvas loss = named(shell, ImageCanvas.class, "loss");
		waitUntil(display, RUN_TIMEOUT_MS, () -> training.liveEpochs() >= 1 && drawn(loss) > 2_000,
				() -> "the loss curves are drawn while the network trains; live epochs " + training.liveEpochs() + ", message "
						+ loss.getMessage() + ", job " + job.describe());
		settle(display);
		screenshot(shell, "run-training-live.png");
		seenLive.countDown();

		waitUntil(display, RUN_TIMEOUT_MS, () -> job.getResult() != null, () -> "the run finishes: " + job.describe());
		assertEquals(InferenceRun.Status.COMPLETED, job.outcome().status(), job.outcome().message() + "\n" + job.log());
		JsonNode summary = JSON.readTree(output.resolve("summary.json").toFile());
		assertEquals(summary.path("training").path("training_loss").size(), epochs.get(),
				"every epoch reached the job's listeners");
		waitUntil(display, () -> statusOf(runTable, "two_moons-npe").equals("complete"),
				() -> "the Runs view lists the run as complete: " + rows(runTable));
		long finished = System.currentTimeMillis();

		// Its results in the views.
		select(runTable, "two_moons-npe");
		page.showView(PosteriorView.ID);
		Table posterior = table(shell, "Parameter");
		waitUntil(display, () -> posterior.getItemCount() == 2 && isNumber(posterior.getItem(0).getText(1)),
				() -> "the posterior table shows numbers: " + rows(posterior));
		assertEquals(summary.get("mean").get(0).asDouble(), Double.parseDouble(posterior.getItem(0).getText(1)), 1e-3);
		ImageCanvas pairplot = named(shell, ImageCanvas.class, "pairplot");
		waitUntil(display, () -> drawn(pairplot) > 5_000, () -> "the pairplot is drawn; message: " + pairplot.getMessage());
		settle(display);
		screenshot(shell, "run-posterior.png");
		screenshot(shell, "run-perspective.png");

		page.showView(DiagnosticsView.ID);
		CTabFolder tabs = named(shell, CTabFolder.class, "diagnostics");
		waitUntil(display, () -> ids(tabs).equals(List.of("coverage", "sbc")), () -> "diagnostic tabs; found " + ids(tabs));
		ImageCanvas coverage = named(shell, ImageCanvas.class, "diagnostic:coverage");
		waitUntil(display, () -> drawn(coverage) > 1_000, () -> "the coverage plot is drawn; message: " + coverage.getMessage());
		assertTrue(summary.path("diagnostics").path("coverage").path("largest_deviation").isNumber(), summary.toString());
		settle(display);
		screenshot(shell, "run-diagnostics.png");

		page.showView(TrainingView.ID);
		waitUntil(display, () -> training.liveEpochs() == 0 && drawn(loss) > 2_000,
				() -> "the finished run's loss curves are drawn from its summary; message: " + loss.getMessage());
		settle(display);
		screenshot(shell, "run-training.png");

		// Amortization: another observation gives another posterior from the saved estimator.
		page.showView(PosteriorView.ID);
		Text observation = named(shell, Text.class, "observation");
		Button update = named(shell, Button.class, "update");
		Label status = named(shell, Label.class, "status");
		double[] before = column(posterior, 1);
		Observation other = farthestObservation(summary);
		observation.setText(other.values()[0] + ", " + other.values()[1]);
		click(update);
		waitUntil(display, () -> status.getText().startsWith("Updated"), () -> "the posterior is updated; status: " + status.getText());
		double[] after = column(posterior, 1);
		double moved = Math.max(Math.abs(after[0] - before[0]), Math.abs(after[1] - before[1]));
		assertTrue(moved > 0.2, "the posterior mean moved for the new x_o: before " + Arrays.toString(before) + ", after "
				+ Arrays.toString(after));
		System.out.printf("RunEditorTest: run in %.1f s, views checked in %.1f s%n", (finished - start) / 1e3,
				(System.currentTimeMillis() - finished) / 1e3);
	}

	@Test
	void aCancelledRunResumesItsCampaignWithoutSimulatingAgain(@TempDir Path tmp) throws Exception {
		Path root = Files.createDirectories(tmp.resolve("runs"));
		RunsView runs = (RunsView) page.showView(RunsView.ID);
		runs.setRoot(root);
		RunEditor editor = runs.openRunFile(root.resolve("resume.sbirun.json"));
		choose(named(shell, Combo.class, "simulator"), "two_moons");
		named(shell, Text.class, "simulations").setText("100000");
		named(shell, Text.class, "seed").setText("3");
		named(shell, Text.class, "chunkSize").setText("1000");
		choose(named(shell, Combo.class, "method"), "npe");
		editor.putSetting("max_epochs", "2");
		for (Button box : all(shell, Button.class)) {
			if (String.valueOf(box.getData("name")).startsWith("diagnostic:")) {
				box.setSelection(false);
				click(box);
			}
		}
		named(shell, Text.class, "output").setText("resume-out");
		waitUntil(display, () -> editor.problem().isEmpty() && runItem().getEnabled(), () -> "a valid run file: " + editor.problem());
		Path output = root.resolve("resume-out");

		// Cancelled (from the job's own thread, so at a known point) once two chunks are done.
		AtomicBoolean cancelled = new AtomicBoolean();
		AtomicLong resumedWork = new AtomicLong(-1);
		listen(new RunJob.Listener() {
			@Override
			public void progressed(RunJob job) {
				if (!job.output().equals(output) || !job.task().startsWith("Simulating")) {
					return;
				}
				if (!cancelled.get() && job.done() >= 2_000) {
					cancelled.set(true);
					job.cancel();
				} else if (cancelled.get() && job.done() == 0) {
					resumedWork.compareAndSet(-1, job.total());
				}
			}
		});
		click(runItem());
		RunJob first = editor.job();
		assertNotNull(first);
		waitUntil(display, RUN_TIMEOUT_MS, () -> first.getResult() != null, () -> "the first run stops: " + first.describe());
		assertEquals(InferenceRun.Status.CANCELLED, first.outcome().status(), first.outcome().message() + "\n" + first.log());
		assertTrue(first.outcome().message().contains("while simulating"), first.outcome().message());
		int stored;
		try (CampaignStore store = CampaignStore.open(output.resolve("simulations"))) {
			stored = store.manifest().storedChunks();
		}
		assertTrue(stored >= 2 && stored < 100, "the chunks done before the cancel are stored, not all: " + stored);
		assertTrue(Files.notExists(output.resolve("summary.json")));
		waitUntil(display, () -> runItem().getEnabled() && runItem().getText().contains("Resume"),
				() -> "the editor offers Resume: " + runItem().getText());
		Table runTable = table(shell, "Run");
		waitUntil(display, () -> statusOf(runTable, "resume-out").startsWith("simulations only"),
				() -> "the interrupted run is listed: " + rows(runTable));

		// Resume from the Runs view: only the missing chunks are simulated, then it trains and reports; the editor
		// follows the run of its file.
		select(runTable, "resume-out");
		RunJob second = runs.resumeSelected();
		assertTrue(second != null && second != first, "Resume scheduled a new job");
		assertEquals(root.resolve("resume.sbirun.json"), second.runFile());
		waitUntil(display, () -> editor.job() == second, () -> "the editor follows the resumed run");
		waitUntil(display, RUN_TIMEOUT_MS, () -> second.getResult() != null, () -> "the resumed run finishes: " + second.describe());
		assertEquals(InferenceRun.Status.COMPLETED, second.outcome().status(), second.outcome().message() + "\n" + second.log());
		assertEquals(100_000L - 1_000L * stored, resumedWork.get(), "the resumed campaign simulates only its missing chunks");
		JsonNode summary = JSON.readTree(output.resolve("summary.json").toFile());
		assertEquals(100_000, summary.path("training").path("simulations_used").asInt(), "the whole campaign trained the network");
		waitUntil(display, () -> statusOf(runTable, "resume-out").equals("complete"), () -> "listed as complete: " + rows(runTable));
	}

	/**
	 * A run interrupted outside this workbench session (here by {@code InferenceRun} directly, as {@code sbiw run}
	 * or an earlier session would leave it) is resumed from the Runs view: its folder names its run file.
	 */
	@Test
	void aRunInterruptedInAnotherSessionResumesFromTheRunsView(@TempDir Path tmp) throws Exception {
		Path root = Files.createDirectories(tmp.resolve("runs"));
		RunsView runs = (RunsView) page.showView(RunsView.ID);
		runs.setRoot(root);
		Path file = root.resolve("earlier.sbirun.json");
		String json = "{\"simulator\": \"two_moons\", \"simulations\": 4000, \"seed\": 4,"
				+ " \"method\": {\"name\": \"npe\", \"settings\": {\"max_epochs\": \"2\"}},"
				+ " \"observation\": \"default\", \"diagnostics\": [], \"output\": \"%s\","
				+ " \"campaign\": {\"chunkSize\": 500, \"threads\": 1}}";
		Files.writeString(file, String.format(json, "earlier-out"));
		InferenceRun earlier = InferenceRun.of(RunFile.read(file), new InferenceRun.Services(services(Simulator.class),
				services(InferenceMethod.class), services(Diagnostic.class)));
		AtomicLong simulated = new AtomicLong();
		org.sbiworkbench.core.ProgressMonitor stopAfter1000 = new org.sbiworkbench.core.ProgressMonitor() {
			@Override
			public void begin(String task, long totalWork) {
			}

			@Override
			public void worked(long work) {
				simulated.addAndGet(work);
			}

			@Override
			public boolean isCanceled() {
				return simulated.get() >= 1_000;
			}

			@Override
			public void done() {
			}
		};
		InferenceRun.Outcome stopped = earlier.execute(stopAfter1000, new PrintWriter(new StringWriter()),
				new PrintWriter(new StringWriter()));
		assertEquals(InferenceRun.Status.CANCELLED, stopped.status(), stopped.message());
		Path output = earlier.output();
		assertEquals(file.toAbsolutePath().normalize(), RunJob.runFileOf(output), "the folder names its run file");
		runs.refresh();
		Table runTable = table(shell, "Run");
		waitUntil(display, () -> statusOf(runTable, "earlier-out").startsWith("simulations only"),
				() -> "the interrupted run is listed: " + rows(runTable));
		select(runTable, "earlier-out");

		// A run file that now writes elsewhere is not run into another folder: the header names both.
		Files.writeString(file, String.format(json, "elsewhere"));
		assertEquals(null, runs.resumeSelected());
		assertTrue(all(shell, Label.class).stream().anyMatch(l -> l.getText().contains("now writes to " + root.resolve("elsewhere"))),
				"the Runs view says why it did not resume");
		assertTrue(Files.notExists(root.resolve("elsewhere")));

		Files.writeString(file, String.format(json, "earlier-out"));
		RunJob resumed = runs.resumeSelected();
		assertNotNull(resumed, "Resume scheduled a job");
		assertEquals(file.toAbsolutePath().normalize(), resumed.runFile());
		waitUntil(display, RUN_TIMEOUT_MS, () -> resumed.getResult() != null, () -> "the resumed run finishes: " + resumed.describe());
		assertEquals(InferenceRun.Status.COMPLETED, resumed.outcome().status(), resumed.outcome().message() + "\n" + resumed.log());
		JsonNode summary = JSON.readTree(output.resolve("summary.json").toFile());
		assertEquals(4_000, summary.path("training").path("simulations_used").asInt(), summary.path("training").toString());
		waitUntil(display, () -> statusOf(runTable, "earlier-out").equals("complete"), () -> "listed as complete: " + rows(runTable));
	}

	@Test
	void theSavedRunFileIsWhatSbiwRunReads(@TempDir Path tmp) throws Exception {
		Path root = Files.createDirectories(tmp.resolve("runs"));
		RunsView runs = (RunsView) page.showView(RunsView.ID);
		runs.setRoot(root);
		Path file = root.resolve("custom.sbirun.json");
		RunEditor editor = runs.openRunFile(file);
		choose(named(shell, Combo.class, "simulator"), "two_moons");
		// Per-parameter priors: uniform bounds for one, normal for the other.
		choose(named(shell, Combo.class, "prior-kind:theta_1"), "uniform");
		named(shell, Text.class, "prior-a:theta_1").setText("-0.5");
		named(shell, Text.class, "prior-b:theta_1").setText("0.5");
		choose(named(shell, Combo.class, "prior-kind:theta_2"), "normal");
		named(shell, Text.class, "prior-a:theta_2").setText("0");
		named(shell, Text.class, "prior-b:theta_2").setText("-1");
		waitUntil(display, () -> !editor.problem().isEmpty() && editor.problem().contains("theta_2"),
				() -> "a negative standard deviation is refused at the prior: " + editor.problem());
		named(shell, Text.class, "prior-b:theta_2").setText("0.3");
		named(shell, Text.class, "simulations").setText("300");
		named(shell, Text.class, "seed").setText("11");
		choose(named(shell, Combo.class, "method"), "npe");
		editor.putSetting("max_epochs", "3");
		choose(named(shell, Combo.class, "observationKind"), "Values");
		named(shell, Text.class, "observationValues").setText("0.1");
		waitUntil(display, () -> editor.problem().contains("1 values but two_moons produces 2"),
				() -> "an observation of the wrong size is refused: " + editor.problem());
		named(shell, Text.class, "observationValues").setText("0.1, -0.2");
		for (Button box : all(shell, Button.class)) {
			if (String.valueOf(box.getData("name")).startsWith("diagnostic:")) {
				box.setSelection(false);
				click(box);
			}
		}
		named(shell, Text.class, "samples").setText("0");
		waitUntil(display, () -> editor.problem().contains("'samples'"),
				() -> "zero posterior samples are refused at the field: " + editor.problem());
		named(shell, Text.class, "samples").setText("2000");
		named(shell, Text.class, "output").setText("custom-out");
		waitUntil(display, () -> editor.problem().isEmpty(), () -> "a valid run file: " + editor.problem());
		editor.save();
		assertFalse(editor.isDirty());

		// sbiw run reads the saved file as it is and runs it.
		StringWriter out = new StringWriter(), err = new StringWriter();
		AtomicInteger code = new AtomicInteger(-1);
		Thread sbiw = new Thread(() -> code.set(new SbiwCommandLine(() -> services(Simulator.class), () -> services(InferenceMethod.class),
				() -> services(Diagnostic.class)).execute(new String[] { "run", file.toString() }, new PrintWriter(out),
						new PrintWriter(err))), "sbiw run");
		sbiw.start();
		waitUntil(display, RUN_TIMEOUT_MS, () -> !sbiw.isAlive(), () -> "sbiw run finishes");
		assertEquals(0, code.get(), out + "\n" + err);
		JsonNode summary = JSON.readTree(root.resolve("custom-out/summary.json").toFile());
		assertEquals("custom", summary.path("settings").path("prior").asText());
		assertEquals("[-0.5,0.5]", summary.path("settings").path("prior_bounds").get(0).toString());
		assertEquals(0.1, summary.path("observation").get(0).asDouble(), 0.0);
		assertEquals(-0.2, summary.path("observation").get(1).asDouble(), 0.0);
		assertEquals("3", summary.path("settings").path("method_settings").path("max_epochs").asText());
		assertEquals(2001, Files.readAllLines(root.resolve("custom-out/posterior_samples.csv")).size(),
				"the run file's 2000 posterior samples and a header");

		// Reopened, the editor shows what was saved.
		page.closeAllEditors(false);
		RunEditor again = runs.openRunFile(file);
		assertEquals("uniform", named(shell, Combo.class, "prior-kind:theta_1").getText());
		assertEquals("0.3", named(shell, Text.class, "prior-b:theta_2").getText());
		assertEquals("0.1, -0.2", named(shell, Text.class, "observationValues").getText());
		assertEquals("2000", named(shell, Text.class, "samples").getText());
		assertEquals(List.of("max_epochs | 3"), rows(named(shell, Table.class, "settings")));
		assertFalse(again.isDirty());
		assertEquals(JSON.writeValueAsString(JSON.readTree(file.toFile())), JSON.writeValueAsString(again.toJson()),
				"reading and writing the file loses nothing");
	}

	// ------------------------------------------------------------------ helpers

	private void listen(RunJob.Listener listener) {
		listeners.add(listener);
		RunJob.addGlobalListener(listener);
	}

	private ToolItem runItem() {
		for (ToolBar bar : all(shell, ToolBar.class)) {
			for (ToolItem item : bar.getItems()) {
				if ("run".equals(item.getData("name"))) {
					return item;
				}
			}
		}
		throw new AssertionError("the run editor has no Run button");
	}

	/** Selects the Runs view's row of this run folder as a click does. */
	private static void select(Table runs, String name) {
		for (TableItem item : runs.getItems()) {
			if (item.getText(0).equals(name)) {
				runs.setSelection(item);
				runs.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
			}
		}
	}

	private static String statusOf(Table runs, String name) {
		for (TableItem item : runs.getItems()) {
			if (item.getText(0).equals(name)) {
				return item.getText(3);
			}
		}
		return "";
	}

	private static List<String> ids(CTabFolder tabs) {
		return Arrays.stream(tabs.getItems()).map(item -> String.valueOf(item.getData("id"))).toList();
	}

	/** The default observation of two_moons whose true θ2 − θ1 (what moves the posterior mean) differs most from the run's. */
	private static Observation farthestObservation(JsonNode summary) {
		Simulator twoMoons = services(Simulator.class).stream().filter(s -> s.descriptor().id().equals("two_moons")).findFirst()
				.orElseThrow();
		JsonNode t = summary.get("true_parameters");
		double[] truth = { t.get(0).asDouble(), t.get(1).asDouble() };
		Observation best = null;
		double distance = -1;
		for (Observation o : twoMoons.descriptor().defaultObservations()) {
			double[] p = o.knownParameters().orElseThrow();
			double d = Math.abs((p[1] - p[0]) - (truth[1] - truth[0]));
			if (d > distance) {
				distance = d;
				best = o;
			}
		}
		assertTrue(distance > 0.2, "two_moons has observations with different θ2 − θ1");
		return best;
	}
}
