package org.sbiworkbench.ui.views;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jface.action.Action;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.ui.internal.LatestWork;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunJob;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.runs.RunSummary;

/**
 * How the selected run's estimator trained: the training and validation loss per epoch
 * ({@code summary.json}'s {@code training.training_loss} and {@code validation_loss}) drawn with
 * {@link DiagnosticFigures#loss}, and the training facts (epochs, best validation loss, simulations used...).
 * Reading and drawing happen in Jobs, as in the Posterior view.
 * <p>
 * While the selected run is running in the workbench ({@link RunJob}), the curves are drawn live from the epochs
 * the training loop reports, redrawn at most every {@value #REDRAW_MS} ms on the UI thread.
 */
public final class TrainingView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.training";

	private Label title;
	private Label facts;
	private PlotCanvas plot;
	private LatestWork reading;
	private static final int REDRAW_MS = 300;
	private volatile RunJob live;
	private int epochsShown;
	private final java.util.concurrent.atomic.AtomicBoolean redrawPending = new java.util.concurrent.atomic.AtomicBoolean();
	private final java.util.concurrent.atomic.AtomicBoolean waitingPending = new java.util.concurrent.atomic.AtomicBoolean();
	private final RunSelection.Listener listener = this::show;

	@Override
	public void createPartControl(Composite parent) {
		Composite body = new Composite(parent, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 4;
		body.setLayout(grid);
		title = new Label(body, SWT.WRAP);
		title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		facts = new Label(body, SWT.WRAP);
		facts.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		plot = new PlotCanvas(body, SWT.BORDER);
		plot.setData("name", "loss");
		plot.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		reading = new LatestWork(getSite(), title);
		addExportAction();

		RunSelection selection = RunSelection.of(getSite().getWorkbenchWindow());
		selection.addListener(listener);
		show(selection.current());
	}

	private void show(RunFolder run) {
		if (title == null || title.isDisposed()) {
			return;
		}
		RunJob job = run == null ? null : RunJob.runningFor(run.path());
		if (job != null && job == live) {
			return; // the same running run, selected again as its row updates
		}
		follow(job);
		facts.setText("");
		plot.setMessage("");
		if (job != null) {
			reading.reset();
			title.setText((job.method().isEmpty() ? "Run" : job.method().toUpperCase(Locale.ROOT)) + " on " + job.simulator() + " · running · "
					+ run.path());
			drawLive();
			relayout();
			return;
		}
		if (run == null || !run.isComplete()) {
			reading.reset();
			title.setText(run == null ? "Select a run in the Runs view." : run.name() + ": " + run.status() + " — not trained yet.");
			relayout();
			return;
		}
		title.setText("Reading " + run.path() + " …");
		relayout();
		reading.start("Reading the training of " + run.name(), monitor -> RunSummary.read(run.path()), s -> {
			title.setText(s.method().toUpperCase(Locale.ROOT) + " on " + s.simulator() + " · " + run.path());
			StringBuilder line = new StringBuilder();
			s.trainingFacts().forEach((k, v) -> line.append(line.length() == 0 ? "" : " · ").append(k.replace('_', ' ')).append(' ').append(v));
			facts.setText(line.toString());
			List<Double> training = s.trainingSeries("training_loss");
			List<Double> validation = s.trainingSeries("validation_loss");
			if (training.isEmpty()) {
				plot.setMessage("This run recorded no loss per epoch (its method does not train a network, or it was trained "
						+ "before losses were recorded).");
			} else {
				plot.setFigure(() -> DiagnosticFigures.loss(training, validation));
			}
			relayout();
		}, e -> {
			title.setText("Cannot read " + run.summaryFile() + ": " + e.getMessage());
			relayout();
		});
	}

	/** The toolbar's "Export plot…": the loss curves as PNG or SVG, drawn again from the plot model. */
	private void addExportAction() {
		plot.setExportName("loss");
		getViewSite().getActionBars().getToolBarManager().add(new Action("Export plot…") {
			{
				setToolTipText("Save the loss curves as PNG or SVG");
			}

			@Override
			public void run() {
				plot.exportPlot(null);
			}
		});
		getViewSite().getActionBars().updateActionBars();
	}

	/** Subscribes to {@code job}'s epochs (null: none), dropping the previous subscription. */
	private void follow(RunJob job) {
		if (live != null) {
			live.removeListener(epochs);
		}
		live = job;
		if (job != null) {
			job.addListener(epochs);
		}
	}

	/** Job thread: an epoch finished; redraws at most every {@value #REDRAW_MS} ms on the UI thread. */
	private final RunJob.Listener epochs = new RunJob.Listener() {
		@Override
		public void epoch(RunJob job, int epoch, double trainingLoss, double validationLoss) {
			if (redrawPending.compareAndSet(false, true)) {
				Display display = title.isDisposed() ? null : title.getDisplay();
				if (display == null || display.isDisposed()) {
					return;
				}
				display.asyncExec(() -> display.timerExec(REDRAW_MS, () -> {
					redrawPending.set(false);
					if (!title.isDisposed() && job == live) {
						drawLive();
					}
				}));
			}
		}

		@Override
		public void progressed(RunJob job) {
			if (job.outcome() == null && job.losses().get(0).isEmpty()) {
				Display display = title.isDisposed() ? null : title.getDisplay();
				if (display != null && !display.isDisposed() && waitingPending.compareAndSet(false, true)) {
					display.asyncExec(() -> display.timerExec(REDRAW_MS, () -> {
						waitingPending.set(false);
						if (!title.isDisposed() && job == live && job.losses().get(0).isEmpty()) {
							plot.setMessage("Waiting for the first training epoch · " + job.describe());
						}
					}));
				}
			}
		}

		@Override
		public void finished(RunJob job) {
			Display display = title.isDisposed() ? null : title.getDisplay();
			if (display != null && !display.isDisposed()) {
				display.asyncExec(() -> {
					if (!title.isDisposed() && job == live) {
						drawLive();
						// The Runs view lists the folder again; selecting the finished run shows its summary.
					}
				});
			}
		}
	};

	/** The running job's losses so far, drawn (UI thread). */
	private void drawLive() {
		RunJob job = live;
		if (job == null) {
			return;
		}
		List<List<Double>> losses = job.losses();
		List<Double> training = losses.get(0), validation = losses.get(1);
		epochsShown = training.size();
		if (training.isEmpty()) {
			plot.setMessage("Waiting for the first training epoch · " + job.describe());
			facts.setText("");
		} else {
			facts.setText(String.format(Locale.ROOT, "live · epoch %d · training loss %.4g · validation loss %.4g", training.size(),
					training.get(training.size() - 1), validation.get(validation.size() - 1)));
			plot.setFigure(() -> DiagnosticFigures.loss(training, validation));
		}
		relayout();
	}

	/** The epochs the live curve shows now (0 when not following a running run); for tests. */
	public int liveEpochs() {
		return live == null ? 0 : epochsShown;
	}

	private void relayout() {
		title.getParent().layout(true, true);
	}

	@Override
	public void setFocus() {
		plot.setFocus();
	}

	@Override
	public void dispose() {
		RunSelection.of(getSite().getWorkbenchWindow()).removeListener(listener);
		follow(null);
		if (reading != null) {
			reading.reset();
		}
		super.dispose();
	}
}
