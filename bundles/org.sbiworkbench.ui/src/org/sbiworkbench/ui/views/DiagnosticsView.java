package org.sbiworkbench.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.ui.part.ViewPart;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.FigureJson;
import org.sbiworkbench.ui.export.ExportDialogs;
import org.sbiworkbench.ui.export.Exports;
import org.sbiworkbench.ui.internal.LatestWork;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.runs.RunSummary;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The diagnostics of the selected run: its warnings in a list at the top, then one tab per diagnostic recorded
 * in {@code summary.json} — status, headline, its numbers, and its plots drawn from their plot models.
 * <p>
 * A diagnostic's node lists its plots ({@code "plots": ["coverage.png"]}); each is drawn live from
 * {@code <stem>.figure.json} (the {@link Figure} the diagnostic made, kept by the run with {@link FigureJson}) at
 * the size of the view, again on every resize. A run written before figures were kept shows its
 * {@code <stem>.png} scaled instead. Nothing here names a diagnostic: one contributed by another bundle appears
 * the same way as the built-in ones. summary.json and the figures are read in an Eclipse Job.
 * <p>
 * Any plot exports as PNG or SVG (its context menu, or the toolbar for the selected tab's first plot), drawn again
 * from the model; a PNG-only plot exports the files the run kept.
 */
public final class DiagnosticsView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.diagnostics";
	/** Fields of a diagnostic's node shown elsewhere (or too long for one line). */
	private static final List<String> NOT_FIGURES = List.of("label", "status", "headline", "reason", "error");

	/**
	 * One plot of a diagnostic, as read from the run folder: its model, or (older runs, or a damaged model file)
	 * the picture the run wrote, or neither and the reason.
	 *
	 * @param stem    the plot's file stem, e.g. {@code coverage}
	 * @param figure  the plot model, or null
	 * @param image   the PNG, when there is no model to draw
	 * @param problem what went wrong reading the model or the PNG, or ""
	 */
	record Plot(String stem, Figure figure, ImageData image, String problem) {
	}

	/** One diagnostic as read from the run folder; {@code label} is its name for people, or "" when not recorded. */
	record Entry(String id, String label, String status, String headline, String figures, List<Plot> plots, String noPlots) {
	}

	private Label title;
	private Label status;
	private Label warningsLabel;
	private org.eclipse.swt.widgets.List warnings;
	private CTabFolder tabs;
	private Font bold;
	private LatestWork reading;
	private RunFolder shown;
	private final RunSelection.Listener listener = this::show;

	@Override
	public void createPartControl(Composite parent) {
		Composite body = new Composite(parent, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 4;
		body.setLayout(grid);
		title = new Label(body, SWT.WRAP);
		title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		status = new Label(body, SWT.WRAP);
		status.setData("name", "diagnostics-status");
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		warningsLabel = new Label(body, SWT.NONE);
		warningsLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		warnings = new org.eclipse.swt.widgets.List(body, SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
		warnings.setData("name", "warnings");
		GridData listData = new GridData(SWT.FILL, SWT.TOP, true, false);
		listData.heightHint = 4 * warnings.getItemHeight() + 4;
		warnings.setLayoutData(listData);
		tabs = new CTabFolder(body, SWT.BORDER | SWT.TOP);
		tabs.setData("name", "diagnostics");
		reading = new LatestWork(getSite(), title);
		tabs.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		FontData[] data = title.getFont().getFontData();
		for (FontData d : data) {
			d.setStyle(SWT.BOLD);
		}
		bold = new Font(title.getDisplay(), data);
		showStatus("", false);

		IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
		toolbar.add(new Action("Export plot…") {
			{
				setToolTipText("Save the selected diagnostic's plot as PNG or SVG (right-click a plot for the others)");
			}

			@Override
			public void run() {
				exportSelected();
			}
		});
		getViewSite().getActionBars().updateActionBars();

		RunSelection selection = RunSelection.of(getSite().getWorkbenchWindow());
		selection.addListener(listener);
		show(selection.current());
	}

	private void show(RunFolder run) {
		if (title == null || title.isDisposed()) {
			return;
		}
		shown = run;
		clearTabs();
		warnings.removeAll();
		warningsLabel.setText("");
		showWarningsList(false);
		showStatus("", false);
		if (run == null || !run.isComplete()) {
			reading.reset();
			title.setText(run == null ? "Select a run in the Runs view." : run.name() + ": " + run.status() + " — no diagnostics yet.");
			relayout();
			return;
		}
		title.setText("Reading " + run.path() + " …");
		relayout();
		reading.start("Reading the diagnostics of " + run.name(), monitor -> {
			RunSummary summary = RunSummary.read(run.path());
			List<Entry> entries = new ArrayList<>();
			for (Map.Entry<String, JsonNode> e : summary.diagnostics().entrySet()) {
				if (monitor.isCanceled()) {
					break;
				}
				entries.add(entry(run.path(), e.getKey(), e.getValue()));
			}
			return new Loaded(summary, entries);
		}, loaded -> display(run, loaded.summary(), loaded.entries(), null), e -> display(run, null, new ArrayList<>(), e.getMessage()));
	}

	private record Loaded(RunSummary summary, List<Entry> entries) {
	}

	/** One diagnostic's node and its plots, read off the UI thread. */
	static Entry entry(Path folder, String id, JsonNode node) {
		String status = node.path("status").asText("");
		String headline = node.has("headline") ? node.path("headline").asText()
				: node.has("reason") ? node.path("reason").asText() : node.path("error").asText("");
		Map<String, String> figures = new LinkedHashMap<>();
		node.fields().forEachRemaining(f -> {
			if (!NOT_FIGURES.contains(f.getKey()) && f.getValue().isValueNode() && !f.getValue().isNull()) {
				figures.put(f.getKey(), f.getValue().isFloatingPointNumber()
						? String.format(Locale.ROOT, "%.3g", f.getValue().asDouble()) : f.getValue().asText());
			}
		});
		StringBuilder line = new StringBuilder();
		figures.forEach((k, v) -> line.append(line.length() == 0 ? "" : " · ").append(k.replace('_', ' ')).append(' ').append(v));
		List<Plot> plots = new ArrayList<>();
		for (String stem : stems(id, node)) {
			plots.add(plot(folder, stem));
		}
		String noPlots = status.equals("skipped") || status.equals("failed") ? "No plot: the check did not run."
				: "This check draws no plot.";
		return new Entry(id, node.path("label").asText(""), status, headline, line.toString(), plots, noPlots);
	}

	/**
	 * The stems of a diagnostic's plots: its {@code plots} list without extensions, or (a node without that list)
	 * the id itself when the run has a figure or a PNG of that name.
	 */
	static List<String> stems(String id, JsonNode node) {
		List<String> stems = new ArrayList<>();
		if (node.has("plots")) {
			node.path("plots").forEach(p -> {
				String stem = p.asText("").replaceFirst("(?i)(\\.figure\\.json|\\.png|\\.svg)$", "");
				if (!stem.isBlank() && !stems.contains(stem)) {
					stems.add(stem);
				}
			});
		} else if (!node.path("status").asText("").equals("skipped") && !node.path("status").asText("").equals("failed")) {
			stems.add(id);
		}
		return stems;
	}

	/** A plot's model from {@code stem.figure.json}, or else its {@code stem.png}, or the reason there is neither. */
	static Plot plot(Path folder, String stem) {
		Path model = FigureJson.file(folder, stem);
		String problem = "";
		if (Files.isRegularFile(model)) {
			try {
				return new Plot(stem, FigureJson.read(model), null, "");
			} catch (IOException e) {
				problem = "Cannot draw this plot from its model: " + e.getMessage();
			}
		}
		Path png = folder.resolve(stem + ".png");
		if (Files.isRegularFile(png)) {
			try {
				return new Plot(stem, null, new ImageData(png.toString()), problem);
			} catch (SWTException e) {
				problem = (problem.isEmpty() ? "" : problem + "\n") + "Cannot read " + png.getFileName() + ": " + e.getMessage();
			}
		} else if (problem.isEmpty()) {
			problem = "The run kept no plot " + stem + " (neither " + model.getFileName() + " nor " + png.getFileName() + ").";
		}
		return new Plot(stem, null, null, problem);
	}

	private void display(RunFolder run, RunSummary summary, List<Entry> entries, String problem) {
		if (summary == null) {
			title.setText("Cannot read " + run.summaryFile() + ": " + problem);
			relayout();
			return;
		}
		title.setText(summary.method().toUpperCase(Locale.ROOT) + " on " + summary.simulator() + " · " + entries.size() + " diagnostic"
				+ (entries.size() == 1 ? "" : "s") + " · " + run.path());
		List<String> w = summary.warnings();
		warningsLabel.setText(w.isEmpty() ? "No warnings." : "Warnings (" + w.size() + "):");
		w.forEach(warnings::add);
		showWarningsList(!w.isEmpty());
		for (Entry e : entries) {
			CTabItem item = new CTabItem(tabs, SWT.NONE);
			item.setText(e.id() + (e.status().equals("passed") || e.status().isEmpty() ? "" : " (" + e.status() + ")"));
			item.setData("id", e.id());
			item.setToolTipText(e.label().isEmpty() ? e.headline() : e.label() + ": " + e.headline());
			item.setControl(page(run, e));
		}
		if (entries.isEmpty()) {
			title.setText(title.getText() + " — this run recorded no diagnostics (sbiw infer --diagnostics none?).");
		} else {
			tabs.setSelection(0);
		}
		relayout();
	}

	/** A diagnostic's tab: status, headline, numbers, then its plots one above the other. */
	private Composite page(RunFolder run, Entry e) {
		Composite page = new Composite(tabs, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 6;
		page.setLayout(grid);
		Label statusLabel = new Label(page, SWT.NONE);
		statusLabel.setFont(bold);
		statusLabel.setText(statusText(e.status()) + (e.label().isEmpty() ? "" : " · " + e.label()));
		statusLabel.setData("name", "status:" + e.id());
		statusLabel.setForeground(page.getDisplay().getSystemColor(switch (e.status()) {
		case "passed" -> SWT.COLOR_DARK_GREEN;
		case "warning", "failed" -> SWT.COLOR_RED;
		default -> SWT.COLOR_DARK_GRAY;
		}));
		Label headline = new Label(page, SWT.WRAP);
		headline.setText(e.headline());
		headline.setData("name", "headline:" + e.id());
		headline.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		if (!e.figures().isEmpty()) {
			Label figures = new Label(page, SWT.WRAP);
			figures.setText(e.figures());
			figures.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		}
		if (e.plots().isEmpty()) {
			ImageCanvas canvas = new ImageCanvas(page, SWT.NONE);
			canvas.setData("name", "diagnostic:" + e.id());
			canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
			canvas.setMessage(e.noPlots());
			return page;
		}
		for (int i = 0; i < e.plots().size(); i++) {
			Plot p = e.plots().get(i);
			if (p.figure() != null || p.image() != null) {
				if (!p.problem().isEmpty()) {
					Label note = new Label(page, SWT.WRAP);
					note.setText(p.problem() + "\nShowing the picture the run kept instead.");
					note.setForeground(page.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
					note.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
				}
			}
			ImageCanvas canvas;
			if (p.figure() != null) {
				PlotCanvas plotCanvas = new PlotCanvas(page, SWT.NONE);
				plotCanvas.setExportName(p.stem());
				Figure figure = p.figure();
				plotCanvas.setFigure(() -> figure);
				canvas = plotCanvas;
			} else {
				canvas = new ImageCanvas(page, SWT.NONE);
				if (p.image() != null) {
					canvas.setImageData(p.image());
					keptPlotMenu(canvas, run.path(), p.stem());
				} else {
					canvas.setMessage(p.problem());
				}
			}
			canvas.setData("name", i == 0 ? "diagnostic:" + e.id() : "diagnostic:" + e.id() + "/" + p.stem());
			canvas.setData("stem", p.stem());
			canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		}
		return page;
	}

	/** The context menu of a plot the run kept only as a picture: export the files it kept. */
	private void keptPlotMenu(ImageCanvas canvas, Path folder, String stem) {
		Menu menu = new Menu(canvas);
		MenuItem export = new MenuItem(menu, SWT.PUSH);
		export.setText("Export Plot as PNG or SVG…");
		export.addListener(SWT.Selection, ev -> ExportDialogs.keptPlot(canvas.getShell(), folder, stem, this::showStatus));
		canvas.setMenu(menu);
	}

	/** The toolbar's export: the first plot of the selected tab. */
	private void exportSelected() {
		ImageCanvas canvas = selectedCanvas(null);
		if (canvas instanceof PlotCanvas plotCanvas && plotCanvas.figure() != null) {
			plotCanvas.exportPlot(this::showStatus);
		} else if (canvas != null && canvas.getImageData() != null && shown != null) {
			ExportDialogs.keptPlot(getSite().getShell(), shown.path(), (String) canvas.getData("stem"), this::showStatus);
		} else {
			showStatus("The selected diagnostic has no plot to export.", true);
		}
	}

	/**
	 * Writes the plot {@code stem} of the diagnostic {@code id} (null: its first) to {@code file} as PNG or SVG, by
	 * the file's extension, in a Job — what the export dialog does after choosing the file. Drawn from the model,
	 * or copied from the run's files when there is none.
	 */
	public void exportPlot(String id, String stem, Path file) {
		CTabItem item = tab(id);
		ImageCanvas canvas = item == null ? null : canvasOf(item, stem);
		if (canvas == null) {
			showStatus("No plot " + (stem == null ? "" : stem + " ") + "of diagnostic " + id + " is shown.", true);
			return;
		}
		Supplier<Figure> figure = canvas instanceof PlotCanvas pc ? pc.figure() : null;
		Path folder = shown == null ? null : shown.path();
		String plotStem = (String) canvas.getData("stem");
		Display display = title.getDisplay();
		Job job = Job.create("Exporting " + plotStem + " to " + file, monitor -> {
			String message;
			boolean error = false;
			try {
				if (figure != null) {
					Exports.writePlot(figure.get(), file);
				} else {
					Exports.copyPlot(folder, plotStem, file);
				}
				message = "Plot saved to " + file + ".";
			} catch (IOException | RuntimeException e) {
				message = "Could not export " + plotStem + ": " + e.getMessage();
				error = true;
			}
			String m = message;
			boolean failed = error;
			display.asyncExec(() -> {
				if (!status.isDisposed()) {
					showStatus(m, failed);
				}
			});
			return Status.OK_STATUS;
		});
		job.schedule();
	}

	private CTabItem tab(String id) {
		for (CTabItem item : tabs.getItems()) {
			if (id.equals(item.getData("id"))) {
				return item;
			}
		}
		return null;
	}

	private ImageCanvas selectedCanvas(String stem) {
		CTabItem item = tabs.getSelection();
		return item == null ? null : canvasOf(item, stem);
	}

	private static ImageCanvas canvasOf(CTabItem item, String stem) {
		Control page = item.getControl();
		if (page instanceof Composite composite) {
			for (Control c : composite.getChildren()) {
				if (c instanceof ImageCanvas canvas && c.getData("stem") != null && (stem == null || stem.equals(c.getData("stem")))) {
					return canvas;
				}
			}
		}
		return null;
	}

	private void showStatus(String message, boolean error) {
		if (status == null || status.isDisposed()) {
			return;
		}
		status.setText(message);
		status.setForeground(status.getDisplay().getSystemColor(error ? SWT.COLOR_RED : SWT.COLOR_WIDGET_FOREGROUND));
		((GridData) status.getLayoutData()).exclude = message.isEmpty();
		status.setVisible(!message.isEmpty());
		relayout();
	}

	/** The list takes room only when there are warnings. */
	private void showWarningsList(boolean visible) {
		((GridData) warnings.getLayoutData()).exclude = !visible;
		warnings.setVisible(visible);
	}

	private static String statusText(String status) {
		return switch (status) {
		case "passed" -> "Passed";
		case "warning" -> "Warning";
		case "skipped" -> "Skipped";
		case "failed" -> "Failed";
		default -> status;
		};
	}

	private void clearTabs() {
		for (CTabItem item : tabs.getItems()) {
			if (item.getControl() != null) {
				item.getControl().dispose();
			}
			item.dispose();
		}
	}

	private void relayout() {
		title.getParent().layout(true, true);
	}

	@Override
	public void setFocus() {
		tabs.setFocus();
	}

	@Override
	public void dispose() {
		RunSelection.of(getSite().getWorkbenchWindow()).removeListener(listener);
		if (reading != null) {
			reading.reset();
		}
		if (bold != null) {
			bold.dispose();
		}
		super.dispose();
	}
}
