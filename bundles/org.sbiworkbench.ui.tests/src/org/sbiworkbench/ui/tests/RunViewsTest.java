package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.ui.tests.UiTestSupport.all;
import static org.sbiworkbench.ui.tests.UiTestSupport.click;
import static org.sbiworkbench.ui.tests.UiTestSupport.column;
import static org.sbiworkbench.ui.tests.UiTestSupport.drawn;
import static org.sbiworkbench.ui.tests.UiTestSupport.isNumber;
import static org.sbiworkbench.ui.tests.UiTestSupport.named;
import static org.sbiworkbench.ui.tests.UiTestSupport.rows;
import static org.sbiworkbench.ui.tests.UiTestSupport.screenshot;
import static org.sbiworkbench.ui.tests.UiTestSupport.services;
import static org.sbiworkbench.ui.tests.UiTestSupport.sbiw;
import static org.sbiworkbench.ui.tests.UiTestSupport.settle;
import static org.sbiworkbench.ui.tests.UiTestSupport.table;
import static org.sbiworkbench.ui.tests.UiTestSupport.waitUntil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.ui.SbiPerspective;
import org.sbiworkbench.ui.views.DiagnosticsView;
import org.sbiworkbench.ui.views.ImageCanvas;
import org.sbiworkbench.ui.views.PosteriorView;
import org.sbiworkbench.ui.views.RunsView;
import org.sbiworkbench.ui.views.TrainingView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A run made as a user makes it ({@code sbiw infer}, in process, on two_moons), opened in the Runs view; the
 * Posterior, Diagnostics and Training views show it; a new observation gives a new posterior from the saved
 * estimator without retraining. Screenshots of each view go to target/screenshots/.
 */
class RunViewsTest {


	@Test
	void runViewsShowARunAndConditionItsEstimatorOnANewObservation(@TempDir Path tmp) throws Exception {
		long start = System.currentTimeMillis();
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		assertNotNull(window, "a workbench window is open");
		Shell shell = window.getShell();
		Display display = shell.getDisplay();
		shell.setBounds(0, 0, 1280, 960);

		// The run: sbiw infer on two_moons (NPE, 500 simulations), and a folder with simulations only.
		Path root = tmp.resolve("runs");
		Path run = root.resolve("two_moons-npe");
		String[] infer = { "infer", "--simulator", "two_moons", "--simulations", "500", "--samples", "1000", "--seed", "1", "--out",
				run.toString(), "--diagnostic-tests", "30" };
		String[] simulate = { "simulate", "--simulator", "two_moons", "--simulations", "200", "--seed", "2", "--out",
				root.resolve("campaign-only").resolve("simulations").toString() };
		String log = sbiw(display, infer, simulate);
		long made = System.currentTimeMillis();
		JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
		assertTrue(Files.exists(run.resolve("estimator/estimator.json")), log);

		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(SbiPerspective.ID, window);
		RunsView runs = (RunsView) page.showView(RunsView.ID);
		runs.setRoot(root);
		Table runTable = table(shell, "Run");
		waitUntil(display, () -> runTable.getItemCount() == 2, () -> "two run folders listed; rows: " + rows(runTable));
		TableItem complete = runTable.getItem(1);
		TableItem simulationsOnly = runTable.getItem(0);
		assertEquals("two_moons-npe", complete.getText(0));
		assertEquals("two_moons", complete.getText(1));
		assertEquals("npe", complete.getText(2));
		assertEquals("complete", complete.getText(3));
		assertEquals(Integer.toString(summary.get("warnings").size()), complete.getText(4));
		assertEquals("campaign-only", simulationsOnly.getText(0));
		assertEquals("simulations only", simulationsOnly.getText(3));
		assertEquals("two_moons", simulationsOnly.getText(1));

		// Selecting the run: the Posterior view shows its table and draws the pairplot.
		runTable.setSelection(complete);
		runTable.notifyListeners(SWT.Selection, new Event());
		page.showView(PosteriorView.ID);
		Table posterior = table(shell, "Parameter");
		waitUntil(display, () -> posterior.getItemCount() == 2 && isNumber(posterior.getItem(0).getText(1)),
				() -> "the posterior table shows numbers: " + rows(posterior));
		assertEquals("theta_1", posterior.getItem(0).getText(0));
		assertEquals(summary.get("mean").get(0).asDouble(), Double.parseDouble(posterior.getItem(0).getText(1)), 1e-3);
		assertEquals(summary.get("true_parameters").get(0).asDouble(), Double.parseDouble(posterior.getItem(0).getText(6)), 1e-3);
		ImageCanvas pairplot = named(shell, ImageCanvas.class, "pairplot");
		waitUntil(display, () -> drawn(pairplot) > 5_000, () -> "the pairplot is drawn; message: " + pairplot.getMessage());
		Text observation = named(shell, Text.class, "observation");
		double[] runObservation = doubles(summary.get("observation"));
		assertEquals(runObservation[0], Double.parseDouble(observation.getText().split(",")[0].strip()), 1e-12);
		settle(display);
		screenshot(shell, "posterior-view.png");

		// Diagnostics: one tab per diagnostic the run recorded, each with its plot.
		page.showView(DiagnosticsView.ID);
		CTabFolder tabs = named(shell, CTabFolder.class, "diagnostics");
		List<String> expected = List.of("coverage", "sbc", "ppc", "misspecification");
		waitUntil(display, () -> ids(tabs).equals(expected), () -> "diagnostic tabs " + expected + "; found " + ids(tabs));
		for (int i = 0; i < expected.size(); i++) {
			// A plot drawn from its model is drawn at the size of its tab, so once the tab is shown.
			tabs.setSelection(i);
			ImageCanvas canvas = named(shell, ImageCanvas.class, "diagnostic:" + expected.get(i));
			waitUntil(display, () -> drawn(canvas) > 1_000, () -> canvas.getData("name") + " shows its plot; message: " + canvas.getMessage());
		}
		tabs.setSelection(0);
		org.eclipse.swt.widgets.List warnings = named(shell, org.eclipse.swt.widgets.List.class, "warnings");
		assertEquals(summary.get("warnings").size(), warnings.getItemCount());
		settle(display);
		screenshot(shell, "diagnostics-view.png");
		tabs.setSelection(1);
		settle(display);
		screenshot(shell, "diagnostics-view-sbc.png");

		// Training: the loss curves.
		page.showView(TrainingView.ID);
		ImageCanvas loss = named(shell, ImageCanvas.class, "loss");
		waitUntil(display, () -> drawn(loss) > 2_000, () -> "the loss curves are drawn; message: " + loss.getMessage());
		settle(display);
		screenshot(shell, "training-view.png");

		// Amortization: a wrong observation is refused inline; another sbibm observation gives a new posterior.
		page.showView(PosteriorView.ID);
		Button update = named(shell, Button.class, "update");
		Label status = named(shell, Label.class, "status");
		observation.setText("0.1, 0.2, 0.3");
		click(update);
		assertTrue(status.getText().contains("needs 2 values") && !status.getText().contains("Exception"), status.getText());
		double[] before = column(posterior, 1);
		Observation other = farthestObservation(summary);
		observation.setText(other.values()[0] + ", " + other.values()[1]);
		click(update);
		waitUntil(display, () -> status.getText().startsWith("Updated"), () -> "the posterior is updated; status: " + status.getText());
		double[] after = column(posterior, 1);
		double moved = Math.max(Math.abs(after[0] - before[0]), Math.abs(after[1] - before[1]));
		assertTrue(moved > 0.2, "the posterior mean moved for the new x_o: before " + Arrays.toString(before) + ", after "
				+ Arrays.toString(after));
		// The new x_o is one of the simulator's own observations, so the True column shows its θ, not the run's.
		double[] otherTruth = other.knownParameters().orElseThrow();
		assertEquals(otherTruth[0], Double.parseDouble(posterior.getItem(0).getText(6)), 1e-3 * Math.max(1, Math.abs(otherTruth[0])));
		assertEquals(otherTruth[1], Double.parseDouble(posterior.getItem(1).getText(6)), 1e-3 * Math.max(1, Math.abs(otherTruth[1])));
		assertTrue(status.getText().contains("no retraining"), status.getText());
		waitUntil(display, () -> drawn(pairplot) > 5_000, () -> "the new pairplot is drawn");
		settle(display);
		screenshot(shell, "posterior-updated.png");

		// Exports write the samples and the plot shown.
		PosteriorView view = (PosteriorView) page.findView(PosteriorView.ID);
		Path csv = tmp.resolve("export/samples.csv"), npy = tmp.resolve("export/samples.npy"), png = tmp.resolve("export/pairplot.png"),
				svg = tmp.resolve("export/pairplot.svg");
		Files.createDirectories(csv.getParent());
		view.exportSamples(csv);
		view.exportSamples(npy);
		view.exportPlot(png);
		view.exportPlot(svg);
		waitUntil(display, () -> Files.exists(csv) && Files.exists(npy) && Files.exists(png) && Files.exists(svg), () -> "exports written");
		assertEquals(PosteriorView.UPDATE_SAMPLES + 1, Files.readAllLines(csv).size(), "a header and the updated samples");
		assertTrue(Files.readString(svg).contains("<svg"));

		System.out.printf("RunViewsTest: run made in %.1f s, views checked in %.1f s%n", (made - start) / 1e3,
				(System.currentTimeMillis() - made) / 1e3);
	}

	/** The default observation of two_moons whose true θ2 − θ1 (what moves the posterior mean) differs most from the run's. */
	private Observation farthestObservation(JsonNode summary) throws Exception {
		Simulator twoMoons = services(Simulator.class).stream().filter(s -> s.descriptor().id().equals("two_moons")).findFirst()
				.orElseThrow();
		double[] truth = doubles(summary.get("true_parameters"));
		Observation best = null;
		double distance = -1;
		for (Observation o : twoMoons.descriptor().defaultObservations()) {
			double[] t = o.knownParameters().orElseThrow();
			double d = Math.abs((t[1] - t[0]) - (truth[1] - truth[0]));
			if (d > distance) {
				distance = d;
				best = o;
			}
		}
		assertTrue(distance > 0.2, "two_moons has observations with different θ2 − θ1");
		return best;
	}

	// ------------------------------------------------------------------ widgets

	private static List<String> ids(CTabFolder tabs) {
		return Arrays.stream(tabs.getItems()).map(item -> String.valueOf(item.getData("id"))).toList();
	}

	private static double[] doubles(JsonNode array) {
		double[] v = new double[array.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = array.get(i).asDouble();
		}
		return v;
	}

}
