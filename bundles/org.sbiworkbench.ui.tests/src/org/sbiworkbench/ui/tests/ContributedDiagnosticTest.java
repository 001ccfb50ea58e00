package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.ui.tests.UiTestSupport.drawn;
import static org.sbiworkbench.ui.tests.UiTestSupport.named;
import static org.sbiworkbench.ui.tests.UiTestSupport.screenshot;
import static org.sbiworkbench.ui.tests.UiTestSupport.services;
import static org.sbiworkbench.ui.tests.UiTestSupport.sbiw;
import static org.sbiworkbench.ui.tests.UiTestSupport.settle;
import static org.sbiworkbench.ui.tests.UiTestSupport.waitUntil;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.apache.commons.math3.random.RandomGenerator;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.FigureJson;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Panel;
import org.sbiworkbench.plots.PlotRenderer;
import org.sbiworkbench.ui.SbiPerspective;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunFolders;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.tests.diagnostic.PriorCentreDiagnostic;
import org.sbiworkbench.ui.views.DiagnosticsView;
import org.sbiworkbench.ui.views.ImageCanvas;
import org.sbiworkbench.ui.views.PlotCanvas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A diagnostic the workbench has never heard of — {@link PriorCentreDiagnostic}, a {@code Diagnostic} service in
 * the test-only bundle {@code org.sbiworkbench.ui.tests.diagnostic} — is listed in the Diagnostics view with its
 * status and headline, and its figure is drawn from its plot model at the size of the view; an older run that kept
 * only a PNG still shows it; plots export as PNG and SVG. The run folder is written as the headless pipeline
 * writes it (summary.json's {@code diagnostics} node and {@code <stem>.figure.json}).
 */
class ContributedDiagnosticTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void theContributedDiagnosticIsAServiceFromItsOwnBundleThatTheUiDoesNotName() throws IOException {
		Diagnostic diagnostic = contributed();
		Bundle from = FrameworkUtil.getBundle(diagnostic.getClass());
		assertEquals("org.sbiworkbench.ui.tests.diagnostic", from.getSymbolicName());
		// Nothing in the UI bundle (classes, plugin.xml) names the contributed diagnostic.
		Bundle ui = FrameworkUtil.getBundle(DiagnosticsView.class);
		int read = 0;
		for (String pattern : List.of("*.class", "*.xml", "*.MF")) {
			Enumeration<URL> entries = ui.findEntries("/", pattern, true);
			while (entries != null && entries.hasMoreElements()) {
				URL entry = entries.nextElement();
				try (InputStream in = entry.openStream()) {
					String content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
					assertFalse(content.contains(PriorCentreDiagnostic.ID), entry + " names the contributed diagnostic");
				}
				read++;
			}
		}
		assertTrue(read > 20, "the UI bundle's classes were read (" + read + " files)");
	}

	@Test
	void theContributedCheckMeasuresThePosteriorMassInThePriorsCentre() {
		Simulator twoMoons = twoMoons();
		// two_moons' prior is uniform on [-1, 1]²: its central box is [-0.5, 0.5]².
		DiagnosticResult central = contributed().run(context(twoMoons, samples(2_000, 0.1, -0.2, 0.05, 1)), ProgressMonitor.NULL);
		assertEquals(1.0, (double) central.figures().get("inside_box"), 1e-12);
		assertEquals(0.25, (double) central.figures().get("prior_inside_box"), 0.03, "the prior's own mass in its central box");
		assertTrue(central.passed(), central.warnings().toString());
		Panel panel = central.plots().get(PriorCentreDiagnostic.ID).panels().get(0);
		assertEquals(PriorCentreDiagnostic.PANEL_TITLE, panel.title());
		Layer.Bars bars = (Layer.Bars) panel.layers().get(0);
		assertArrayEquals(new double[] { 1, 1 }, bars.heights(), 1e-12);

		// Far from the centre in θ1 only: all of it inside θ2's interval, none inside the box; informs, never warns.
		DiagnosticResult edge = contributed().run(context(twoMoons, samples(2_000, 0.9, 0.0, 0.03, 2)), ProgressMonitor.NULL);
		assertEquals(0.0, (double) edge.figures().get("inside_box"), 1e-12);
		@SuppressWarnings("unchecked")
		List<Double> perParameter = (List<Double>) edge.figures().get("inside_interval");
		assertEquals(0.0, perParameter.get(0), 1e-12);
		assertEquals(1.0, perParameter.get(1), 1e-12);
		assertTrue(edge.passed(), edge.warnings().toString());
		assertTrue(edge.headline().startsWith("0% of the posterior lies in the prior's central box"), edge.headline());
	}

	@Test
	void aDiagnosticFromAnotherBundleIsListedAndDrawnFromItsPlotModel(@TempDir Path tmp) throws Exception {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		assertNotNull(window, "a workbench window is open");
		Shell shell = window.getShell();
		Display display = shell.getDisplay();
		shell.setBounds(0, 0, 1280, 960);

		// The run folder, as the pipeline writes it: the contributed check's node and its figure model (no PNG, so
		// what is shown can only come from the model), and an older check that kept only its PNG.
		Path run = tmp.resolve("runs/two_moons-contributed");
		DiagnosticResult result = contributed().run(context(twoMoons(), samples(3_000, 0.2, -0.1, 0.25, 3)), ProgressMonitor.NULL);
		Figure legacy = Figure.of(new Panel("Legacy check", "x", "y", List.of(
				new Layer.Line("y = x²", Layer.Role.ESTIMATE, new double[] { 0, 1, 2, 3 }, new double[] { 0, 1, 4, 9 }, false))));
		writeRun(run, result, legacy);
		assertFalse(Files.exists(run.resolve(PriorCentreDiagnostic.ID + ".png")));

		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(SbiPerspective.ID, window);
		DiagnosticsView view = (DiagnosticsView) page.showView(DiagnosticsView.ID);
		RunFolder folder = RunFolders.read(run.getParent(), run);
		assertTrue(folder.isComplete(), folder.toString());
		RunSelection.of(window).select(folder);

		CTabFolder tabs = named(shell, CTabFolder.class, "diagnostics");
		List<String> expected = List.of(PriorCentreDiagnostic.ID, "legacy", "damaged");
		waitUntil(display, () -> ids(tabs).equals(expected), () -> "diagnostic tabs " + expected + "; found " + ids(tabs));
		tabs.setSelection(0);
		assertEquals(result.headline(), named(shell, Label.class, "headline:" + PriorCentreDiagnostic.ID).getText());
		assertEquals("Passed · " + result.label(), named(shell, Label.class, "status:" + PriorCentreDiagnostic.ID).getText());

		ImageCanvas canvas = named(shell, ImageCanvas.class, "diagnostic:" + PriorCentreDiagnostic.ID);
		PlotCanvas plot = assertInstanceOf(PlotCanvas.class, canvas, "the contributed plot is drawn from its model, not a picture");
		assertEquals(PriorCentreDiagnostic.PANEL_TITLE, plot.figure().get().panels().get(0).title());
		waitUntil(display, () -> drawnAtCanvasSize(plot), () -> "the figure is drawn at the canvas size " + plot.getClientArea()
				+ "; image " + size(plot.getImageData()) + ", message: " + plot.getMessage());
		ImageData image = plot.getImageData();
		int bars = bluish(image);
		assertTrue(bars > 2_000, "the posterior's bars are drawn in the estimate's blue: " + bars + " pixels");
		settle(display);
		screenshot(shell, "diagnostics-contributed.png");

		// Resized, it is drawn again at the new size (sharp), not the old picture scaled.
		int before = plot.getClientArea().width;
		shell.setSize(900, 800);
		waitUntil(display, () -> plot.getClientArea().width < before && drawnAtCanvasSize(plot),
				() -> "redrawn at the new size " + plot.getClientArea() + "; image " + size(plot.getImageData()));

		// The older run's check: its PNG, scaled.
		ImageCanvas old = named(shell, ImageCanvas.class, "diagnostic:legacy");
		assertFalse(old instanceof PlotCanvas, "a check without a figure model shows the PNG the run kept");
		assertEquals(800, old.getImageData().width);
		assertTrue(drawn(old.getImageData()) > 1_000);

		// A damaged model file with no PNG beside it: the tab says which file is damaged instead of drawing.
		tabs.setSelection(2);
		ImageCanvas damaged = named(shell, ImageCanvas.class, "diagnostic:damaged");
		assertTrue(damaged.getImageData() == null && damaged.getMessage().contains("damaged.figure.json")
				&& damaged.getMessage().contains("truncated"), damaged.getMessage());

		// Exports: from the model (PNG and SVG), and the PNG-only plot as the file it kept; no SVG was kept for it.
		Path png = tmp.resolve("export/prior_centre.png"), svg = tmp.resolve("export/prior_centre.svg"),
				legacyPng = tmp.resolve("export/legacy.png"), legacySvg = tmp.resolve("export/legacy.svg");
		view.exportPlot(PriorCentreDiagnostic.ID, null, png);
		view.exportPlot(PriorCentreDiagnostic.ID, null, svg);
		view.exportPlot("legacy", null, legacyPng);
		waitUntil(display, () -> Files.exists(png) && Files.exists(svg) && Files.exists(legacyPng), () -> "the exports are written");
		BufferedImage exported = ImageIO.read(png.toFile());
		assertEquals(800, exported.getWidth());
		assertEquals(600, exported.getHeight());
		assertTrue(Files.readString(svg).contains("central 50% interval"), "the SVG carries the panel title");
		assertArrayEquals(Files.readAllBytes(run.resolve("legacy.png")), Files.readAllBytes(legacyPng));
		Label status = named(shell, Label.class, "diagnostics-status");
		view.exportPlot("legacy", null, legacySvg);
		waitUntil(display, () -> status.getText().contains("Could not export"), () -> "the SVG export of a PNG-only plot is refused: "
				+ status.getText());
		assertTrue(status.getText().contains("only as legacy.png"), status.getText());
		assertFalse(Files.exists(legacySvg));
		shell.setBounds(0, 0, 1280, 960);
	}

	@Test
	void theHeadlessPipelineRunsTheContributedDiagnosticAndTheViewShowsIt(@TempDir Path tmp) throws Exception {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		Shell shell = window.getShell();
		Display display = shell.getDisplay();
		shell.setBounds(0, 0, 1280, 960);
		Path run = tmp.resolve("runs/two_moons-prior_centre");
		String log = sbiw(display, new String[] { "infer", "--simulator", "two_moons", "--simulations", "500", "--samples", "1000", "--seed",
				"5", "--out", run.toString(), "--diagnostics", PriorCentreDiagnostic.ID });
		JsonNode node = JSON.readTree(run.resolve(RunFolders.SUMMARY).toFile()).path("diagnostics").path(PriorCentreDiagnostic.ID);
		assertTrue(node.path("headline").asText().contains("of the posterior lies in the prior's central box"), node + "\n" + log);
		assertEquals(PriorCentreDiagnostic.ID + ".png", node.path("plots").path(0).asText(), node.toString());

		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(SbiPerspective.ID, window);
		page.showView(DiagnosticsView.ID);
		RunSelection.of(window).select(RunFolders.read(run.getParent(), run));
		CTabFolder tabs = named(shell, CTabFolder.class, "diagnostics");
		waitUntil(display, () -> ids(tabs).equals(List.of(PriorCentreDiagnostic.ID)), () -> "one tab, " + PriorCentreDiagnostic.ID
				+ "; found " + ids(tabs));
		assertEquals(node.path("headline").asText(), named(shell, Label.class, "headline:" + PriorCentreDiagnostic.ID).getText());
		ImageCanvas canvas = named(shell, ImageCanvas.class, "diagnostic:" + PriorCentreDiagnostic.ID);
		waitUntil(display, () -> drawn(canvas.getImageData()) > 5_000, () -> "the plot is drawn; message: " + canvas.getMessage());
		// The pipeline keeps the plot model (Report writes <stem>.figure.json): the view draws it, not the PNG.
		assertTrue(Files.exists(FigureJson.file(run, PriorCentreDiagnostic.ID)), "the pipeline wrote the figure model");
		PlotCanvas plot = assertInstanceOf(PlotCanvas.class, canvas);
		assertEquals(PriorCentreDiagnostic.PANEL_TITLE, plot.figure().get().panels().get(0).title());
		assertEquals("Posterior mass in the prior's central box", node.path("label").asText(), "summary.json names the diagnostic by its label");
		settle(display);
		screenshot(shell, "diagnostics-contributed-pipeline.png");
	}

	// ------------------------------------------------------------------ the run folder

	/** summary.json and the figure files, as the headless pipeline writes them. */
	private static void writeRun(Path run, DiagnosticResult result, Figure legacy) throws IOException {
		Files.createDirectories(run);
		ObjectNode summary = JSON.createObjectNode();
		summary.put("simulator", "two_moons");
		summary.put("method", "npe");
		summary.putArray("parameters").add("theta_1").add("theta_2");
		ArrayNode warnings = summary.putArray("warnings");
		ObjectNode diagnostics = summary.putObject("diagnostics");
		ObjectNode node = diagnostics.putObject(result.id());
		node.put("label", result.label());
		node.put("status", result.passed() ? "passed" : "warning");
		node.put("headline", result.headline());
		result.figures().forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
		result.warnings().forEach(warnings::add);
		ArrayNode files = node.putArray("plots");
		for (Map.Entry<String, Figure> p : result.plots().entrySet()) {
			FigureJson.write(p.getValue(), FigureJson.file(run, p.getKey()));
			files.add(p.getKey() + ".png");
		}
		ObjectNode old = diagnostics.putObject("legacy");
		old.put("status", "passed");
		old.put("headline", "a check from before figures were kept");
		old.putArray("plots").add("legacy.png");
		new PlotRenderer().writePng(legacy, run.resolve("legacy.png"), 800, 600);
		ObjectNode damaged = diagnostics.putObject("damaged");
		damaged.put("status", "passed");
		damaged.put("headline", "its figure file was cut short");
		damaged.putArray("plots").add("damaged.png");
		String whole = FigureJson.toJson(legacy);
		Files.writeString(FigureJson.file(run, "damaged"), whole.substring(0, whole.length() / 2));
		JSON.writerWithDefaultPrettyPrinter().writeValue(run.resolve(RunFolders.SUMMARY).toFile(), summary);
	}

	// ------------------------------------------------------------------ the check's inputs

	private static Diagnostic contributed() {
		return services(Diagnostic.class).stream().filter(d -> d.id().equals(PriorCentreDiagnostic.ID)).findFirst()
				.orElseThrow(() -> new AssertionError("no Diagnostic service " + PriorCentreDiagnostic.ID + "; registered: "
						+ services(Diagnostic.class).stream().map(Diagnostic::id).toList()));
	}

	private static Simulator twoMoons() {
		return services(Simulator.class).stream().filter(s -> s.descriptor().id().equals("two_moons")).findFirst()
				.orElseThrow(() -> new AssertionError("the benchmark simulator two_moons is not registered"));
	}

	private static DiagnosticContext context(Simulator simulator, double[][] samples) {
		List<Parameter> parameters = simulator.descriptor().parameters();
		Posterior posterior = new Posterior() {
			@Override
			public List<Parameter> parameters() {
				return parameters;
			}

			@Override
			public double[] observation() {
				return new double[] { 0, 0 };
			}

			@Override
			public double[][] sample(int n, RandomGenerator random) {
				return Arrays.copyOf(samples, Math.min(n, samples.length));
			}

			@Override
			public boolean hasDensity() {
				return false;
			}

			@Override
			public double logProb(double[] theta) {
				throw new UnsupportedOperationException("samples only");
			}
		};
		return new DiagnosticContext(simulator, simulator.descriptor().defaultPrior(), null, posterior, samples, null, Map.of(), 7);
	}

	/** Normal samples around (a, b) with standard deviation sd, clipped to the prior's [-1, 1]². */
	private static double[][] samples(int n, double a, double b, double sd, long seed) {
		Random random = new Random(seed);
		double[][] s = new double[n][];
		for (int i = 0; i < n; i++) {
			s[i] = new double[] { clip(a + sd * random.nextGaussian()), clip(b + sd * random.nextGaussian()) };
		}
		return s;
	}

	private static double clip(double v) {
		return Math.max(-1, Math.min(1, v));
	}

	// ------------------------------------------------------------------ pixels

	/** Whether the canvas shows an image of exactly its client area's size (drawn for it, not scaled). */
	private static boolean drawnAtCanvasSize(PlotCanvas plot) {
		ImageData data = plot.getImageData();
		return data != null && data.width == plot.getClientArea().width && data.height == plot.getClientArea().height
				&& drawn(data) > 5_000;
	}

	/** Pixels of the estimate's blue (translucent over white: blue well above red, above green). */
	private static int bluish(ImageData data) {
		int n = 0;
		for (int y = 0; y < data.height; y++) {
			for (int x = 0; x < data.width; x++) {
				RGB c = data.palette.getRGB(data.getPixel(x, y));
				if (c.blue - c.red > 50 && c.blue > c.green) {
					n++;
				}
			}
		}
		return n;
	}

	private static String size(ImageData data) {
		return data == null ? "none" : data.width + " x " + data.height;
	}

	private static List<String> ids(CTabFolder tabs) {
		return Arrays.stream(tabs.getItems()).map(item -> String.valueOf(item.getData("id"))).toList();
	}
}
