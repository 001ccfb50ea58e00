package org.sbiworkbench.ui.views;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.progress.IWorkbenchSiteProgressService;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.runs.RunSummary;

/**
 * How the selected run's estimator trained: the training and validation loss per epoch
 * ({@code summary.json}'s {@code training.training_loss} and {@code validation_loss}) drawn with
 * {@link DiagnosticFigures#loss}, and the training facts (epochs, best validation loss, simulations used...).
 * Reading and drawing happen in Jobs, as in the Posterior view.
 */
public final class TrainingView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.training";

	private Label title;
	private Label facts;
	private PlotCanvas plot;
	private int generation;
	private Job loading;
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

		RunSelection selection = RunSelection.of(getSite().getWorkbenchWindow());
		selection.addListener(listener);
		show(selection.current());
	}

	private void show(RunFolder run) {
		if (title == null || title.isDisposed()) {
			return;
		}
		int mine = ++generation;
		if (loading != null) {
			loading.cancel();
		}
		facts.setText("");
		if (run == null || !run.isComplete()) {
			title.setText(run == null ? "Select a run in the Runs view." : run.name() + ": " + run.status() + " — not trained yet.");
			plot.setMessage("");
			relayout();
			return;
		}
		title.setText("Reading " + run.path() + " …");
		plot.setMessage("");
		relayout();
		Display display = title.getDisplay();
		loading = Job.create("Reading the training of " + run.name(), monitor -> {
			try {
				RunSummary s = RunSummary.read(run.path());
				List<Double> training = s.trainingSeries("training_loss");
				List<Double> validation = s.trainingSeries("validation_loss");
				Map<String, String> f = s.trainingFacts();
				display.asyncExec(() -> {
					if (mine != generation || title.isDisposed()) {
						return;
					}
					title.setText(s.method().toUpperCase(Locale.ROOT) + " on " + s.simulator() + " · " + run.path());
					StringBuilder line = new StringBuilder();
					f.forEach((k, v) -> line.append(line.length() == 0 ? "" : " · ").append(k.replace('_', ' ')).append(' ').append(v));
					facts.setText(line.toString());
					if (training.isEmpty()) {
						plot.setMessage("This run recorded no loss per epoch (its method does not train a network, or it was trained "
								+ "before losses were recorded).");
					} else {
						plot.setFigure(() -> DiagnosticFigures.loss(training, validation));
					}
					relayout();
				});
			} catch (java.io.IOException | RuntimeException e) {
				display.asyncExec(() -> {
					if (mine == generation && !title.isDisposed()) {
						title.setText("Cannot read " + run.summaryFile() + ": " + e.getMessage());
						relayout();
					}
				});
			}
			return Status.OK_STATUS;
		});
		IWorkbenchSiteProgressService progress = getSite().getService(IWorkbenchSiteProgressService.class);
		if (progress != null) {
			progress.schedule(loading);
		} else {
			loading.schedule();
		}
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
		if (loading != null) {
			loading.cancel();
		}
		super.dispose();
	}
}
