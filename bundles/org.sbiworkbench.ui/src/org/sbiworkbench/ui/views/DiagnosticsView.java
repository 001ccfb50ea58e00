package org.sbiworkbench.ui.views;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.sbiworkbench.ui.internal.LatestWork;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.runs.RunSummary;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The diagnostics of the selected run: its warnings in a list at the top, then one tab per diagnostic recorded
 * in {@code summary.json} — status, headline, its numbers, and the plot the run wrote ({@code <id>.png}) scaled to
 * fit. Nothing here names a diagnostic: a diagnostic contributed by another bundle that recorded itself in
 * summary.json and wrote {@code <id>.png} appears the same way. summary.json and the images are read in an
 * Eclipse Job.
 */
public final class DiagnosticsView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.diagnostics";
	/** Fields of a diagnostic's node shown elsewhere (or too long for one line). */
	private static final List<String> NOT_FIGURES = List.of("status", "headline", "reason", "error");

	/** One diagnostic as read from the run folder. */
	record Entry(String id, String status, String headline, String figures, Path plot, ImageData image, String imageProblem) {
	}

	private Label title;
	private Label warningsLabel;
	private org.eclipse.swt.widgets.List warnings;
	private CTabFolder tabs;
	private Font bold;
	private LatestWork reading;
	private final RunSelection.Listener listener = this::show;

	@Override
	public void createPartControl(Composite parent) {
		Composite body = new Composite(parent, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 4;
		body.setLayout(grid);
		title = new Label(body, SWT.WRAP);
		title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
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

		RunSelection selection = RunSelection.of(getSite().getWorkbenchWindow());
		selection.addListener(listener);
		show(selection.current());
	}

	private void show(RunFolder run) {
		if (title == null || title.isDisposed()) {
			return;
		}
		clearTabs();
		warnings.removeAll();
		warningsLabel.setText("");
		showWarningsList(false);
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

	/** One diagnostic's node and its {@code <id>.png}, read off the UI thread. */
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
		Path plot = folder.resolve(id + ".png");
		ImageData image = null;
		String imageProblem = "";
		if (Files.isRegularFile(plot)) {
			try {
				image = new ImageData(plot.toString());
			} catch (SWTException e) {
				imageProblem = "Cannot read " + plot.getFileName() + ": " + e.getMessage();
			}
		} else {
			imageProblem = status.equals("skipped") || status.equals("failed") ? "No plot: the check did not run." : "This check wrote no plot (" + id + ".png).";
		}
		return new Entry(id, status, headline, line.toString(), plot, image, imageProblem);
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
			item.setToolTipText(e.headline());
			Composite page = new Composite(tabs, SWT.NONE);
			GridLayout grid = new GridLayout(1, false);
			grid.marginWidth = grid.marginHeight = 6;
			page.setLayout(grid);
			Label status = new Label(page, SWT.NONE);
			status.setFont(bold);
			status.setText(statusText(e.status()));
			status.setForeground(page.getDisplay().getSystemColor(switch (e.status()) {
			case "passed" -> SWT.COLOR_DARK_GREEN;
			case "warning", "failed" -> SWT.COLOR_RED;
			default -> SWT.COLOR_DARK_GRAY;
			}));
			Label headline = new Label(page, SWT.WRAP);
			headline.setText(e.headline());
			headline.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
			if (!e.figures().isEmpty()) {
				Label figures = new Label(page, SWT.WRAP);
				figures.setText(e.figures());
				figures.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
			}
			ImageCanvas canvas = new ImageCanvas(page, SWT.NONE);
			canvas.setData("name", "diagnostic:" + e.id());
			canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
			if (e.image() != null) {
				canvas.setImageData(e.image());
			} else {
				canvas.setMessage(e.imageProblem());
			}
			item.setControl(page);
		}
		if (entries.isEmpty()) {
			title.setText(title.getText() + " — this run recorded no diagnostics (sbiw infer --diagnostics none?).");
		} else {
			tabs.setSelection(0);
		}
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
