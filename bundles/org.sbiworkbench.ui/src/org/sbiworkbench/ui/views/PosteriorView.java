package org.sbiworkbench.ui.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.math3.random.Well19937c;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.progress.IWorkbenchSiteProgressService;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.PosteriorSummary;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.ui.export.Exports;
import org.sbiworkbench.ui.internal.Estimators;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunFolders;
import org.sbiworkbench.ui.runs.RunSelection;
import org.sbiworkbench.ui.runs.RunSummary;

/**
 * The posterior of the selected run: its summary table (from {@code summary.json}) and the pairplot of its
 * samples ({@code posterior_samples.npy}), with check boxes choosing the parameters in the pairplot.
 * <p>
 * <b>Amortization made visible:</b> the observation x_o is editable; "Update posterior" loads the run's saved
 * estimator with the matching inference method service, conditions it on the edited x_o and draws
 * {@value #UPDATE_SAMPLES} samples, then redraws the table and the pairplot — no simulation, no retraining.
 * <p>
 * Reading files, sampling, computing summaries and drawing all happen in {@link Job}s; the UI thread only
 * receives finished results through {@link Display#asyncExec}. Problems (a malformed observation, no estimator, a
 * method that is not installed) are shown in the view's status line, not as stack traces.
 */
public final class PosteriorView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.posterior";
	/** Samples drawn for an edited observation. */
	public static final int UPDATE_SAMPLES = 5_000;
	/** Parameters checked for the pairplot when a run is shown (more make the cells tiny). */
	static final int DEFAULT_PAIRPLOT_PARAMETERS = 6;
	/** Width / height of the pairplot: cells a little wider than tall, not stretched across a wide view. */
	static final double PAIRPLOT_ASPECT = 1.4;

	/** One row of the summary table. */
	record Row(String parameter, double mean, double std, double median, double lower, double upper, double map, double truth) {
	}

	/** What the view shows: a run's posterior, or one conditioned on an edited observation. */
	record Shown(RunFolder run, String simulator, String method, List<Parameter> parameters, double[][] samples, List<Row> rows,
			double[] map, double[] truth, double[][] ranges, double[] observation, double[] runObservation, String origin) {
	}

	private Label title;
	private Text observation;
	private Button update;
	private Label status;
	private TableViewer table;
	private Composite chooser;
	private final List<Button> checks = new ArrayList<>();
	private PlotCanvas plot;

	private Shown shown;
	private RunFolder run;
	private int generation;
	private Job loading;
	private Job updating;
	private Estimators estimators;
	private ServiceTracker<Simulator, Simulator> simulators;
	private final RunSelection.Listener listener = this::show;

	@Override
	public void createPartControl(Composite parent) {
		var context = FrameworkUtil.getBundle(PosteriorView.class).getBundleContext();
		estimators = new Estimators(context);
		simulators = new ServiceTracker<>(context, Simulator.class, null);
		simulators.open();

		Composite body = new Composite(parent, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 4;
		body.setLayout(grid);
		title = new Label(body, SWT.WRAP);
		title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

		Composite row = new Composite(body, SWT.NONE);
		row.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		GridLayout rowGrid = new GridLayout(3, false);
		rowGrid.marginWidth = rowGrid.marginHeight = 0;
		row.setLayout(rowGrid);
		Label label = new Label(row, SWT.NONE);
		label.setText("Observation x_o:");
		observation = new Text(row, SWT.BORDER | SWT.SINGLE);
		observation.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		observation.setToolTipText("Comma-separated values of x_o; edit them and press Update posterior to condition the run's "
				+ "trained estimator on them (no retraining)");
		observation.setData("name", "observation");
		observation.addListener(SWT.DefaultSelection, e -> updatePosterior());
		update = new Button(row, SWT.PUSH);
		update.setText("Update posterior");
		update.setData("name", "update");
		update.addListener(SWT.Selection, e -> updatePosterior());

		status = new Label(body, SWT.WRAP);
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		status.setData("name", "status");

		SashForm sash = new SashForm(body, SWT.VERTICAL);
		sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		Composite left = new Composite(sash, SWT.NONE);
		GridLayout leftGrid = new GridLayout(1, false);
		leftGrid.marginWidth = leftGrid.marginHeight = 0;
		left.setLayout(leftGrid);
		Composite tableHolder = new Composite(left, SWT.NONE);
		tableHolder.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		TableColumnLayout columns = new TableColumnLayout();
		tableHolder.setLayout(columns);
		table = new TableViewer(tableHolder, SWT.FULL_SELECTION | SWT.BORDER);
		table.getTable().setHeaderVisible(true);
		table.getTable().setLinesVisible(true);
		table.getTable().setData("name", "posterior-table");
		table.setContentProvider(ArrayContentProvider.getInstance());
		column(columns, "Parameter", 14, Row::parameter);
		column(columns, "Mean", 10, r -> num(r.mean()));
		column(columns, "Std", 10, r -> num(r.std()));
		column(columns, "Median", 10, r -> num(r.median()));
		column(columns, "95% interval", 18, r -> "[" + num(r.lower()) + ", " + num(r.upper()) + "]");
		column(columns, "MAP", 10, r -> num(r.map()));
		column(columns, "True", 10, r -> num(r.truth()));
		Composite pairplotRow = new Composite(left, SWT.NONE);
		pairplotRow.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		GridLayout pairplotGrid = new GridLayout(2, false);
		pairplotGrid.marginWidth = pairplotGrid.marginHeight = 0;
		pairplotRow.setLayout(pairplotGrid);
		Label pairplotLabel = new Label(pairplotRow, SWT.NONE);
		pairplotLabel.setText("Parameters in the pairplot:");
		chooser = new Composite(pairplotRow, SWT.NONE);
		chooser.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		RowLayout rows = new RowLayout(SWT.HORIZONTAL);
		rows.wrap = true;
		rows.marginLeft = rows.marginTop = 0;
		chooser.setLayout(rows);
		plot = new PlotCanvas(sash, SWT.BORDER);
		plot.setData("name", "pairplot");
		plot.setExportName("pairplot"); // its context menu exports the pairplot as PNG or SVG too
		sash.setWeights(30, 70);

		IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
		toolbar.add(new Action("Export plot…") {
			{
				setToolTipText("Save the pairplot as PNG or SVG");
			}

			@Override
			public void run() {
				FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
				dialog.setText("Export pairplot");
				dialog.setFilterExtensions(new String[] { "*.png", "*.svg" });
				dialog.setFilterNames(new String[] { "PNG image (*.png)", "SVG drawing (*.svg)" });
				dialog.setFileName("pairplot.png");
				dialog.setOverwrite(true);
				String file = dialog.open();
				if (file != null) {
					exportPlot(withExtension(file, dialog.getFilterIndex() == 1 ? ".svg" : ".png"));
				}
			}
		});
		toolbar.add(new Action("Export samples…") {
			{
				setToolTipText("Save the posterior samples shown as CSV or NumPy .npy");
			}

			@Override
			public void run() {
				FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
				dialog.setText("Export posterior samples");
				dialog.setFilterExtensions(new String[] { "*.csv", "*.npy" });
				dialog.setFilterNames(new String[] { "CSV, a header of parameter names (*.csv)", "NumPy array (*.npy)" });
				dialog.setFileName("posterior_samples.csv");
				dialog.setOverwrite(true);
				String file = dialog.open();
				if (file != null) {
					exportSamples(withExtension(file, dialog.getFilterIndex() == 1 ? ".npy" : ".csv"));
				}
			}
		});
		getViewSite().getActionBars().updateActionBars();

		RunSelection selection = RunSelection.of(getSite().getWorkbenchWindow());
		selection.addListener(listener);
		show(selection.current());
	}

	private void column(TableColumnLayout layout, String heading, int weight, Function<Row, String> text) {
		TableViewerColumn column = new TableViewerColumn(table, SWT.NONE);
		column.getColumn().setText(heading);
		column.getColumn().setAlignment(heading.equals("Parameter") ? SWT.LEFT : SWT.RIGHT);
		column.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((Row) element);
			}
		});
		layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, 60));
	}

	static String num(double v) {
		return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
	}

	// ------------------------------------------------------------------ showing a run

	/** Shows the run's posterior (null: none); the files are read in a Job. */
	private void show(RunFolder selected) {
		if (title == null || title.isDisposed()) {
			return;
		}
		run = selected;
		int mine = ++generation;
		cancel(loading);
		cancel(updating);
		shown = null;
		table.setInput(List.of());
		setChecks(List.of());
		observation.setText("");
		setUpdateEnabled(false);
		if (selected == null) {
			title.setText("Select a run in the Runs view.");
			status("", false);
			plot.setMessage("");
			relayout();
			return;
		}
		if (!selected.isComplete()) {
			title.setText(selected.name() + ": " + selected.status());
			status("", false);
			plot.setMessage(selected.status().startsWith(RunFolder.SIMULATIONS_ONLY)
					? "This run has simulations but no posterior yet (no summary.json): run the inference, e.g. sbiw infer or sbiw run, to see it here."
					: "This run folder cannot be read: " + selected.problem());
			relayout();
			return;
		}
		title.setText("Reading " + selected.path() + " …");
		status("", false);
		plot.setMessage("Reading the posterior samples …");
		relayout();
		Display display = title.getDisplay();
		loading = Job.create("Reading the posterior of " + selected.name(), monitor -> {
			Shown result;
			try {
				result = read(selected);
			} catch (IOException | RuntimeException e) {
				String message = "Cannot show this run: " + e.getMessage();
				display.asyncExec(() -> {
					if (mine == generation && !title.isDisposed()) {
						title.setText(selected.name());
						plot.setMessage(message);
						status(message, true);
						relayout();
					}
				});
				return Status.OK_STATUS;
			}
			display.asyncExec(() -> {
				if (mine == generation && !title.isDisposed()) {
					display(result);
					status(result.origin() + ". Edit x_o and press Update posterior to condition the trained estimator on "
							+ "another observation.", false);
				}
			});
			return Status.OK_STATUS;
		});
		schedule(loading);
	}

	/** Reads summary.json and posterior_samples.npy (off the UI thread). */
	private Shown read(RunFolder folder) throws IOException {
		RunSummary s = RunSummary.read(folder.path());
		List<String> names = s.parameters();
		Simulator simulator = simulator(s.simulator());
		List<Parameter> parameters = parameters(names, simulator);
		int d = parameters.size();
		Path npy = folder.path().resolve(RunFolders.SAMPLES_NPY);
		if (!Files.isRegularFile(npy)) {
			throw new IOException("no " + RunFolders.SAMPLES_NPY + " in " + folder.path());
		}
		NpyArray array = Npy.read(npy);
		if (array.ndim() != 2 || array.columns() != d) {
			throw new IOException(npy + " holds an array of shape " + Arrays.toString(array.shape()) + ", not (samples, " + d + ")");
		}
		double[][] samples = array.toRows();
		if (samples.length < 2) {
			throw new IOException(npy + " holds " + samples.length + " samples; a posterior summary needs at least 2");
		}
		PosteriorSummary computed = PosteriorSummary.of(parameters, samples);
		double[] mean = orElse(s.mean(), d, computed::mean);
		double[] std = orElse(s.std(), d, computed::std);
		double[] median = orElse(s.median(), d, computed::median);
		double[][] ci = s.ci95() != null && s.ci95().length == d ? s.ci95() : computed.credibleInterval(0.95);
		double[] map = sized(s.map(), d);
		double[] truth = sized(s.trueParameters(), d);
		List<Row> rows = rows(parameters, mean, std, median, ci, map, truth);
		double[][] ranges = s.defaultPrior() && simulator != null ? ranges(simulator.descriptor().defaultPrior()) : null;
		double[] x = s.observation();
		String origin = String.format(Locale.ROOT, "%,d posterior samples from the run (summary.json, %s)", samples.length,
				RunFolders.SAMPLES_NPY);
		return new Shown(folder, s.simulator(), s.method(), parameters, samples, rows, map, truth, ranges, x, x, origin);
	}

	private void display(Shown s) {
		shown = s;
		title.setText(s.method().toUpperCase(Locale.ROOT) + " on " + s.simulator() + " · " + s.run().path());
		table.setInput(s.rows());
		observation.setText(s.observation() == null ? "" : join(s.observation()));
		setUpdateEnabled(s.observation() != null);
		if (checks.size() != s.parameters().size()) {
			setChecks(s.parameters());
		}
		redrawPairplot();
		relayout();
	}

	private void setChecks(List<Parameter> parameters) {
		checks.forEach(Button::dispose);
		checks.clear();
		for (int j = 0; j < parameters.size(); j++) {
			Button b = new Button(chooser, SWT.CHECK);
			b.setText(parameters.get(j).label());
			b.setSelection(j < DEFAULT_PAIRPLOT_PARAMETERS);
			b.setData("name", "pairplot-parameter");
			b.addListener(SWT.Selection, e -> redrawPairplot());
			checks.add(b);
		}
		chooser.getParent().getParent().layout(true, true);
	}

	private int[] chosen() {
		return java.util.stream.IntStream.range(0, checks.size()).filter(j -> checks.get(j).getSelection()).toArray();
	}

	private void redrawPairplot() {
		Shown s = shown;
		if (s == null) {
			return;
		}
		int[] chosen = chosen();
		if (chosen.length == 0) {
			plot.setMessage("Choose at least one parameter for the pairplot.");
			return;
		}
		plot.setFigure(pairplot(s, chosen), PAIRPLOT_ASPECT);
	}

	/** The pairplot of the chosen parameters; computed when first drawn, off the UI thread. */
	static Supplier<Figure> pairplot(Shown s, int[] chosen) {
		return () -> {
			int k = chosen.length;
			List<Parameter> parameters = new ArrayList<>();
			double[][] samples = new double[s.samples().length][k];
			double[][] ranges = s.ranges() == null ? null : new double[k][];
			double[] truth = s.truth() == null ? null : new double[k];
			double[] map = s.map() == null ? null : new double[k];
			for (int c = 0; c < k; c++) {
				int j = chosen[c];
				parameters.add(s.parameters().get(j));
				for (int i = 0; i < samples.length; i++) {
					samples[i][c] = s.samples()[i][j];
				}
				if (ranges != null) {
					ranges[c] = s.ranges()[j];
				}
				if (truth != null) {
					truth[c] = s.truth()[j];
				}
				if (map != null) {
					map[c] = s.map()[j];
				}
			}
			return DiagnosticFigures.pairplot(PosteriorSummary.of(parameters, samples), ranges, finite(truth), finite(map));
		};
	}

	// ------------------------------------------------------------------ amortization: a new observation

	/**
	 * Conditions the run's estimator on the observation in the text field and shows the new posterior. What
	 * "Update posterior" and Enter in the field do. Errors in the values are shown at once; loading, sampling and
	 * summarising run in a Job.
	 */
	public void updatePosterior() {
		Shown s = shown;
		if (s == null || s.runObservation() == null) {
			status("Select a complete run first.", true);
			return;
		}
		double[] x;
		try {
			x = parseObservation(observation.getText(), s.runObservation().length, s.simulator());
		} catch (IllegalArgumentException e) {
			status(e.getMessage(), true);
			return;
		}
		cancel(updating);
		int mine = generation;
		setUpdateEnabled(false);
		status(String.format(Locale.ROOT, "Conditioning the trained estimator on x_o = (%s) and drawing %,d samples …", join(x),
				UPDATE_SAMPLES), false);
		Display display = status.getDisplay();
		RunFolder folder = s.run();
		updating = Job.create("Posterior for a new observation (" + folder.name() + ")", monitor -> {
			SubMonitor progress = SubMonitor.convert(monitor, "Posterior for x_o = (" + join(x) + ")", 100);
			try {
				long t0 = System.nanoTime();
				progress.subTask("Loading the estimator");
				AmortizedPosterior estimator = estimators.load(folder.path());
				progress.worked(10);
				long t1 = System.nanoTime();
				progress.subTask("Sampling " + UPDATE_SAMPLES + " from q(θ | x_o)");
				Posterior posterior = estimator.condition(x.clone());
				double[][] draws = posterior.sample(UPDATE_SAMPLES, new Well19937c(Arrays.hashCode(x)));
				progress.worked(60);
				if (progress.isCanceled()) {
					return Status.CANCEL_STATUS;
				}
				progress.subTask("Summaries and MAP");
				List<Parameter> parameters = s.parameters();
				PosteriorSummary ps = PosteriorSummary.of(parameters, draws);
				double[] map = ps.map(posterior, new Well19937c(Arrays.hashCode(x) + 1L)).orElse(null);
				progress.worked(30);
				// The run's truth belongs to the run's observation; the simulator's default observations have their own.
				double[] truth = Arrays.equals(x, s.runObservation()) ? s.truth() : knownTruth(s.simulator(), x, parameters.size());
				double rate = posterior.acceptanceRate();
				String origin = String.format(Locale.ROOT, "%,d samples of q(θ | x_o) for the edited x_o, from the trained estimator "
						+ "(no retraining; loaded in %.1f s, sampled and summarised in %.1f s%s)", draws.length, (t1 - t0) / 1e9,
						(System.nanoTime() - t1) / 1e9, Double.isNaN(rate) ? "" : String.format(Locale.ROOT, ", %.0f%% inside the prior", 100 * rate));
				Shown updated = new Shown(folder, s.simulator(), s.method(), parameters, draws,
						rows(parameters, ps.mean(), ps.std(), ps.median(), ps.credibleInterval(0.95), map, truth), map, truth, s.ranges(), x,
						s.runObservation(), origin);
				display.asyncExec(() -> {
					if (mine == generation && !title.isDisposed()) {
						display(updated);
						status("Updated: " + origin + ".", false);
					}
				});
			} catch (Estimators.Unavailable e) {
				problem(display, mine, e.getMessage());
			} catch (IOException e) {
				problem(display, mine, "Could not load the estimator: " + e.getMessage());
			} catch (IllegalArgumentException | IllegalStateException e) {
				// e.g. an estimator refusing the observation, or sampling that stopped for too little acceptance
				problem(display, mine, "The estimator could not give a posterior for this x_o: " + e.getMessage());
			} catch (RuntimeException e) {
				Platform.getLog(PosteriorView.class).error("Posterior for a new observation failed", e);
				problem(display, mine, "Updating the posterior failed (" + e + "); details are in the error log.");
			}
			return Status.OK_STATUS;
		});
		schedule(updating);
	}

	private void problem(Display display, int mine, String message) {
		display.asyncExec(() -> {
			if (mine == generation && !title.isDisposed()) {
				status(message, true);
				setUpdateEnabled(true);
			}
		});
	}

	/** Comma- (or space-) separated numbers, exactly {@code dimension} of them. */
	static double[] parseObservation(String text, int dimension, String simulator) {
		String t = text == null ? "" : text.strip();
		if (t.isEmpty()) {
			throw new IllegalArgumentException("Enter x_o as " + dimension + " comma-separated values.");
		}
		String[] parts = t.split("\\s*[,;]\\s*|\\s+");
		double[] x = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				x[i] = Double.parseDouble(parts[i]);
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("'" + parts[i] + "' (value " + (i + 1) + ") is not a number.");
			}
			if (!Double.isFinite(x[i])) {
				throw new IllegalArgumentException("Value " + (i + 1) + " of x_o is not finite.");
			}
		}
		if (x.length != dimension) {
			throw new IllegalArgumentException("x_o needs " + dimension + " values for " + simulator + ", but " + x.length
					+ (x.length == 1 ? " was" : " were") + " given.");
		}
		return x;
	}

	// ------------------------------------------------------------------ export

	/** Writes the pairplot shown to {@code file} (.svg: SVG, otherwise PNG), in a Job. */
	public void exportPlot(Path file) {
		Supplier<Figure> figure = plot.figure();
		if (figure == null) {
			status("There is no pairplot to export.", true);
			return;
		}
		Display display = status.getDisplay();
		int mine = generation;
		Job job = Job.create("Exporting the pairplot to " + file, monitor -> {
			try {
				Exports.writePlot(figure.get(), file);
				done(display, mine, "Pairplot saved to " + file + ".", false);
			} catch (IOException | RuntimeException e) {
				done(display, mine, "Could not save the pairplot to " + file + ": " + e.getMessage(), true);
			}
			return Status.OK_STATUS;
		});
		schedule(job);
	}

	/** Writes the samples shown to {@code file} (.npy: NumPy float64, otherwise CSV with a header), in a Job. */
	public void exportSamples(Path file) {
		Shown s = shown;
		if (s == null) {
			status("There are no samples to export.", true);
			return;
		}
		Display display = status.getDisplay();
		int mine = generation;
		Job job = Job.create("Exporting posterior samples to " + file, monitor -> {
			try {
				Exports.writeSamples(s.parameters().stream().map(Parameter::name).toList(), s.samples(), file);
				done(display, mine, String.format(Locale.ROOT, "%,d samples saved to %s.", s.samples().length, file), false);
			} catch (IOException | RuntimeException e) {
				done(display, mine, "Could not save the samples to " + file + ": " + e.getMessage(), true);
			}
			return Status.OK_STATUS;
		});
		schedule(job);
	}

	private void done(Display display, int mine, String message, boolean error) {
		display.asyncExec(() -> {
			if (mine == generation && !status.isDisposed()) {
				status(message, error);
			}
		});
	}

	private static Path withExtension(String file, String extension) {
		String lower = file.toLowerCase(Locale.ROOT);
		return Path.of(lower.endsWith(".png") || lower.endsWith(".svg") || lower.endsWith(".csv") || lower.endsWith(".npy") ? file
				: file + extension);
	}

	// ------------------------------------------------------------------ helpers

	private Simulator simulator(String id) {
		for (Simulator s : simulators.getServices(new Simulator[0])) {
			if (s.descriptor().id().equals(id)) {
				return s;
			}
		}
		return null;
	}

	/** The true θ of the simulator's default observation equal to {@code x}, or null. */
	private double[] knownTruth(String simulatorId, double[] x, int dimension) {
		Simulator simulator = simulator(simulatorId);
		if (simulator == null) {
			return null;
		}
		for (var o : simulator.descriptor().defaultObservations()) {
			if (Arrays.equals(o.values(), x) && o.knownParameters().isPresent() && o.knownParameters().get().length == dimension) {
				return o.knownParameters().get();
			}
		}
		return null;
	}

	/** The simulator's parameters (with units) when they are the run's, otherwise the run's names. */
	private static List<Parameter> parameters(List<String> names, Simulator simulator) {
		if (simulator != null && simulator.descriptor().parameters().stream().map(Parameter::name).toList().equals(names)) {
			return simulator.descriptor().parameters();
		}
		return names.stream().map(Parameter::of).toList();
	}

	/** Plot ranges: the prior's bounds where finite, else null (the samples' own range). */
	private static double[][] ranges(Prior prior) {
		double[][] r = new double[prior.dimension()][];
		for (int j = 0; j < r.length; j++) {
			double lo = prior.lowerBounds()[j], hi = prior.upperBounds()[j];
			r[j] = Double.isFinite(lo) && Double.isFinite(hi) ? new double[] { lo, hi } : null;
		}
		return r;
	}

	private static List<Row> rows(List<Parameter> parameters, double[] mean, double[] std, double[] median, double[][] ci, double[] map,
			double[] truth) {
		List<Row> rows = new ArrayList<>();
		for (int j = 0; j < parameters.size(); j++) {
			rows.add(new Row(parameters.get(j).label(), mean[j], std[j], median[j], ci[j][0], ci[j][1], map == null ? Double.NaN : map[j],
					truth == null ? Double.NaN : truth[j]));
		}
		return rows;
	}

	private static double[] orElse(double[] v, int d, Supplier<double[]> computed) {
		return v != null && v.length == d ? v : computed.get();
	}

	private static double[] sized(double[] v, int d) {
		return v != null && v.length == d ? v : null;
	}

	private static double[] finite(double[] v) {
		return v == null || Arrays.stream(v).allMatch(Double::isFinite) ? v : null;
	}

	static String join(double[] x) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < x.length; i++) {
			s.append(i == 0 ? "" : ", ").append(x[i]);
		}
		return s.toString();
	}

	private void status(String message, boolean error) {
		status.setText(message);
		status.setForeground(status.getDisplay().getSystemColor(error ? SWT.COLOR_RED : SWT.COLOR_WIDGET_FOREGROUND));
		relayout();
	}

	private void setUpdateEnabled(boolean enabled) {
		update.setEnabled(enabled);
	}

	private void relayout() {
		Control top = title.getParent();
		if (!top.isDisposed()) {
			((Composite) top).layout(true, true);
		}
	}

	private void schedule(Job job) {
		IWorkbenchSiteProgressService progress = getSite().getService(IWorkbenchSiteProgressService.class);
		if (progress != null) {
			progress.schedule(job);
		} else {
			job.schedule();
		}
	}

	private static void cancel(Job job) {
		if (job != null) {
			job.cancel();
		}
	}

	@Override
	public void setFocus() {
		observation.setFocus();
	}

	@Override
	public void dispose() {
		RunSelection.of(getSite().getWorkbenchWindow()).removeListener(listener);
		cancel(loading);
		cancel(updating);
		if (estimators != null) {
			estimators.close();
		}
		if (simulators != null) {
			simulators.close();
		}
		super.dispose();
	}
}
