package org.sbiworkbench.ui.editors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.fieldassist.ControlDecoration;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TextCellEditor;
import org.eclipse.jface.fieldassist.FieldDecorationRegistry;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IPathEditorInput;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.EditorPart;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.runs.InferenceRun;
import org.sbiworkbench.ui.runs.RunJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The run editor: a form for a run file (simulator, per-parameter priors, budget, seed, method with its sampler
 * and its settings (a name/value table), observation, diagnostics, output folder) whose Save writes the JSON {@code sbiw run FILE} reads.
 * Every change is checked as the headless application checks the file ({@link RunFileCheck}), and the problem
 * is shown at its field. The Run button saves and starts a {@link RunJob}; Cancel stops it (a later Run continues
 * the campaign). The simulators, methods and diagnostics offered are the services installed now, updated as
 * bundles come and go. Controls carry a "name" for tests.
 */
public final class RunEditor extends EditorPart {

	public static final String ID = "org.sbiworkbench.ui.editors.run";
	static final String[] OBSERVATION_KINDS = { "Default observation", "Values", "File (CSV or .npy)" };
	static final String[] PRIOR_KINDS = { "default", "uniform", "normal" };
	static final String[] SAMPLERS = { "(method's default)", "slice", "mh", "hmc", "gibbs" };
	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
	private static final int CHECK_DELAY_MS = 250;

	private Path file;
	private boolean dirty;
	private boolean loading;
	private JsonNode loadedPrior;

	private final List<Simulator> simulators = new ArrayList<>();
	private final List<InferenceMethod> methods = new ArrayList<>();
	private final List<Diagnostic> diagnostics = new ArrayList<>();
	private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

	private ScrolledComposite scroller;
	private Composite form;
	private Label status;
	private ToolItem runItem;
	private ToolItem cancelItem;
	private Combo simulator;
	private Composite priors;
	private final List<PriorRow> priorRows = new ArrayList<>();
	private Text simulations;
	private Text seed;
	private Text chunkSize;
	private Text samples;
	private Text diagnosticTests;
	private Combo method;
	private Combo sampler;
	private TableViewer settings;
	private final List<String[]> settingRows = new ArrayList<>();
	private Combo observationKind;
	private Combo defaultObservation;
	private Text observationValues;
	private Text observationFile;
	private Composite diagnosticBoxes;
	private Text output;
	private final Map<RunFileCheck.Field, ControlDecoration> decorations = new LinkedHashMap<>();
	private RunFileCheck.Problem problem;
	private boolean checkPending;
	private RunJob job;
	private final java.util.concurrent.atomic.AtomicBoolean showPending = new java.util.concurrent.atomic.AtomicBoolean();
	private final RunJob.Listener jobListener = new RunJob.Listener() {
		@Override
		public void progressed(RunJob j) {
			showJob(j);
		}

		@Override
		public void finished(RunJob j) {
			showJob(j);
		}
	};

	/** Runs of this editor's file started elsewhere (e.g. the Runs view's Resume) are followed too. */
	private final RunJob.Listener fileJobs = new RunJob.Listener() {
		@Override
		public void progressed(RunJob j) {
			if (j != job && j.runFile().equals(file) && j.outcome() == null && form != null && !form.isDisposed()) {
				form.getDisplay().asyncExec(() -> {
					if (!form.isDisposed() && j != job && j.outcome() == null) {
						follow(j);
					}
				});
			}
		}
	};

	private record PriorRow(Parameter parameter, Combo kind, Text a, Text b) {
	}

	// ------------------------------------------------------------------ editor life cycle

	@Override
	public void init(IEditorSite site, IEditorInput input) throws PartInitException {
		setSite(site);
		setInput(input);
		file = fileOf(input);
		if (file == null) {
			throw new PartInitException("The run editor opens run files on disk; " + input.getName() + " is not one");
		}
		setPartName(String.valueOf(file.getFileName()));
		setTitleToolTip(file.toString());
	}

	private static Path fileOf(IEditorInput input) {
		if (input instanceof RunFileEditorInput r) {
			return r.file();
		}
		IPathEditorInput path = input.getAdapter(IPathEditorInput.class);
		if (path == null && input instanceof IPathEditorInput p) {
			path = p;
		}
		if (path != null) {
			return Path.of(path.getPath().toOSString()).toAbsolutePath();
		}
		return null;
	}

	/** The run file edited. */
	public Path file() {
		return file;
	}

	@Override
	public void createPartControl(Composite parent) {
		scroller = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
		scroller.setExpandHorizontal(true);
		scroller.setExpandVertical(true);
		form = new Composite(scroller, SWT.NONE);
		scroller.setContent(form);
		form.setLayout(new GridLayout(3, false));

		ToolBar toolbar = new ToolBar(form, SWT.FLAT | SWT.RIGHT);
		toolbar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
		runItem = new ToolItem(toolbar, SWT.PUSH);
		runItem.setText("▶ Run");
		runItem.setToolTipText("Save the run file and run it (simulate, train, sample, diagnose) as a background job; "
				+ "an interrupted run continues where it stopped");
		runItem.setData("name", "run");
		runItem.addListener(SWT.Selection, e -> run());
		cancelItem = new ToolItem(toolbar, SWT.PUSH);
		cancelItem.setText("■ Cancel");
		cancelItem.setToolTipText("Stop the running job at its next batch boundary; Run continues it later");
		cancelItem.setData("name", "cancel");
		cancelItem.setEnabled(false);
		cancelItem.addListener(SWT.Selection, e -> cancel());
		status = new Label(form, SWT.WRAP);
		status.setData("name", "run-status");
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));

		label("Run file");
		Label path = new Label(form, SWT.NONE);
		path.setText(file.toString());
		path.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

		label("Simulator");
		simulator = new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN);
		simulator.setData("name", "simulator");
		simulator.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		simulator.addListener(SWT.Selection, e -> {
			rebuildSimulatorParts(null, null);
			changed();
		});
		decorate(RunFileCheck.Field.SIMULATOR, simulator);

		label("Prior");
		priors = new Composite(form, SWT.NONE);
		priors.setData("name", "priors");
		priors.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		priors.setLayout(new GridLayout(5, false));
		decorate(RunFileCheck.Field.PRIOR, priors);

		simulations = text("Simulations", "simulations", "The simulation budget");
		decorate(RunFileCheck.Field.SIMULATIONS, simulations);
		seed = text("Seed", "seed", "The seed of the whole run: the same seed gives the same numbers");
		decorate(RunFileCheck.Field.SEED, seed);
		chunkSize = text("Chunk size", "chunkSize", "Simulations per stored chunk (empty: " + 1000
				+ "); an interrupted campaign keeps its finished chunks");
		decorate(RunFileCheck.Field.CAMPAIGN, chunkSize);
		samples = text("Posterior samples", "samples", "Samples drawn from the posterior for x_o (empty: "
				+ RunFile.DEFAULT_SAMPLES + ")");
		decorate(RunFileCheck.Field.SAMPLES, samples);
		diagnosticTests = text("Diagnostic tests", "diagnosticTests", "Prior-predictive tests of coverage and SBC (empty: "
				+ RunFile.DEFAULT_DIAGNOSTIC_TESTS + "); fewer are faster and weaker");
		decorate(RunFileCheck.Field.DIAGNOSTIC_TESTS, diagnosticTests);

		label("Method");
		method = new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN);
		method.setData("name", "method");
		method.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		method.addListener(SWT.Selection, e -> changed());
		decorate(RunFileCheck.Field.METHOD, method);
		label("Sampler");
		sampler = new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN);
		sampler.setData("name", "sampler");
		sampler.setItems(SAMPLERS);
		sampler.select(0);
		sampler.setToolTipText("The MCMC sampler of methods that sample with MCMC (NLE, NRE); stored as the setting 'sampler'");
		sampler.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		sampler.addListener(SWT.Selection, e -> changed());
		label("Method settings");
		Composite settingsRow = new Composite(form, SWT.NONE);
		settingsRow.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		GridLayout settingsGrid = new GridLayout(2, false);
		settingsGrid.marginWidth = settingsGrid.marginHeight = 0;
		settingsRow.setLayout(settingsGrid);
		settings = new TableViewer(settingsRow, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		settings.getTable().setData("name", "settings");
		settings.getTable().setHeaderVisible(true);
		settings.getTable().setLinesVisible(true);
		settings.getTable().setToolTipText("The method's settings by name, e.g. max_epochs = 50 or density_estimator = maf; "
				+ "click a cell to edit it");
		GridData sd = new GridData(SWT.FILL, SWT.CENTER, true, false);
		sd.heightHint = 80;
		settings.getTable().setLayoutData(sd);
		settings.setContentProvider(ArrayContentProvider.getInstance());
		settingColumn("Setting", 0, 200);
		settingColumn("Value", 1, 300);
		settings.setInput(settingRows);
		Composite settingButtons = new Composite(settingsRow, SWT.NONE);
		settingButtons.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
		settingButtons.setLayout(new org.eclipse.swt.layout.FillLayout(SWT.VERTICAL));
		Button add = new Button(settingButtons, SWT.PUSH);
		add.setText("Add");
		add.addListener(SWT.Selection, e -> {
			String[] row = { "", "" };
			settingRows.add(row);
			settings.refresh();
			settings.editElement(row, 0);
		});
		Button remove = new Button(settingButtons, SWT.PUSH);
		remove.setText("Remove");
		remove.addListener(SWT.Selection, e -> {
			Object row = settings.getStructuredSelection().getFirstElement();
			if (row != null) {
				settingRows.remove(row);
				settings.refresh();
				changed();
			}
		});

		label("Observation");
		observationKind = new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN);
		observationKind.setData("name", "observationKind");
		observationKind.setItems(OBSERVATION_KINDS);
		observationKind.select(0);
		observationKind.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		observationKind.addListener(SWT.Selection, e -> {
			enableObservation();
			changed();
		});
		decorate(RunFileCheck.Field.OBSERVATION, observationKind);
		label("  default");
		defaultObservation = new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN);
		defaultObservation.setData("name", "defaultObservation");
		defaultObservation.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		defaultObservation.addListener(SWT.Selection, e -> changed());
		observationValues = text("  values", "observationValues", "x_o as comma-separated numbers, one per simulator output");
		label("  file");
		observationFile = new Text(form, SWT.BORDER);
		observationFile.setData("name", "observationFile");
		observationFile.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		observationFile.addListener(SWT.Modify, e -> changed());
		Button importFile = new Button(form, SWT.PUSH);
		importFile.setText("Import…");
		importFile.addListener(SWT.Selection, e -> {
			FileDialog dialog = new FileDialog(getSite().getShell(), SWT.OPEN);
			dialog.setFilterExtensions(new String[] { "*.csv;*.npy", "*.*" });
			String chosen = dialog.open();
			if (chosen != null) {
				observationKind.select(2);
				observationFile.setText(relative(Path.of(chosen)));
				enableObservation();
				changed();
			}
		});

		label("Diagnostics");
		diagnosticBoxes = new Composite(form, SWT.NONE);
		diagnosticBoxes.setData("name", "diagnostics");
		diagnosticBoxes.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		diagnosticBoxes.setLayout(new org.eclipse.swt.layout.RowLayout());
		decorate(RunFileCheck.Field.DIAGNOSTICS, diagnosticBoxes);

		label("Output folder");
		output = new Text(form, SWT.BORDER);
		output.setData("name", "output");
		output.setToolTipText("Where the run writes its results; relative to the run file's folder");
		output.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		output.addListener(SWT.Modify, e -> changed());
		decorate(RunFileCheck.Field.OUTPUT, output);
		Button browse = new Button(form, SWT.PUSH);
		browse.setText("Browse…");
		browse.addListener(SWT.Selection, e -> {
			DirectoryDialog dialog = new DirectoryDialog(getSite().getShell());
			String chosen = dialog.open();
			if (chosen != null) {
				output.setText(relative(Path.of(chosen)));
			}
		});

		track(Simulator.class, simulators, () -> refreshSimulators());
		track(InferenceMethod.class, methods, () -> refreshMethods());
		track(Diagnostic.class, diagnostics, () -> refreshDiagnostics());
		load();
		RunJob.addGlobalListener(fileJobs);
		RunJob running = RunJob.running().stream().filter(j -> j.runFile().equals(file)).findFirst().orElse(null);
		if (running != null) {
			follow(running);
		}
		relayout();
	}

	// ------------------------------------------------------------------ the form's widgets

	private void settingColumn(String title, int index, int width) {
		TableViewerColumn column = new TableViewerColumn(settings, SWT.NONE);
		column.getColumn().setText(title);
		column.getColumn().setWidth(width);
		column.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return ((String[]) element)[index];
			}
		});
		column.setEditingSupport(new EditingSupport(settings) {
			private final TextCellEditor editor = new TextCellEditor(settings.getTable());

			@Override
			protected CellEditor getCellEditor(Object element) {
				return editor;
			}

			@Override
			protected boolean canEdit(Object element) {
				return true;
			}

			@Override
			protected Object getValue(Object element) {
				return ((String[]) element)[index];
			}

			@Override
			protected void setValue(Object element, Object value) {
				String v = String.valueOf(value);
				if (!v.equals(((String[]) element)[index])) {
					((String[]) element)[index] = v;
					settings.update(element, null);
					changed();
				}
			}
		});
	}

	/**
	 * Sets one of the method's settings (as editing its row in the settings table does); an empty value removes
	 * the setting.
	 */
	public void putSetting(String name, String value) {
		String[] row = settingRows.stream().filter(r -> r[0].equals(name)).findFirst().orElse(null);
		if (value == null || value.isEmpty()) {
			settingRows.remove(row);
		} else if (row == null) {
			settingRows.add(new String[] { name, value });
		} else {
			row[1] = value;
		}
		settings.refresh();
		changed();
	}

	private void label(String text) {
		Label l = new Label(form, SWT.NONE);
		l.setText(text);
		l.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false));
	}

	private Text text(String label, String name, String tip) {
		label(label);
		Text t = new Text(form, SWT.BORDER);
		t.setData("name", name);
		t.setToolTipText(tip);
		t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		t.addListener(SWT.Modify, e -> changed());
		return t;
	}

	private void decorate(RunFileCheck.Field field, Control control) {
		ControlDecoration d = new ControlDecoration(control, SWT.LEFT | SWT.TOP);
		d.setImage(FieldDecorationRegistry.getDefault().getFieldDecoration(FieldDecorationRegistry.DEC_ERROR).getImage());
		d.hide();
		decorations.put(field, d);
	}

	private <T> void track(Class<T> type, List<T> into, Runnable refresh) {
		BundleContext context = FrameworkUtil.getBundle(RunEditor.class).getBundleContext();
		Display display = form.getDisplay();
		List<ServiceTracker<T, T>> holder = new ArrayList<>(1);
		ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, new ServiceTrackerCustomizer<T, T>() {
			@Override
			public T addingService(ServiceReference<T> reference) {
				T service = context.getService(reference);
				update();
				return service;
			}

			@Override
			public void modifiedService(ServiceReference<T> reference, T service) {
			}

			@Override
			public void removedService(ServiceReference<T> reference, T service) {
				context.ungetService(reference);
				update();
			}

			private void update() {
				if (!display.isDisposed()) {
					display.asyncExec(() -> {
						if (!form.isDisposed() && !holder.isEmpty()) {
							copy(holder.get(0), type, into);
							refresh.run();
							check();
						}
					});
				}
			}
		});
		holder.add(tracker);
		trackers.add(tracker);
		tracker.open();
		copy(tracker, type, into);
		refresh.run();
	}

	private static <T> void copy(ServiceTracker<T, T> tracker, Class<T> type, List<T> into) {
		into.clear();
		Object[] services = tracker.getServices();
		if (services != null) {
			for (Object s : services) {
				into.add(type.cast(s));
			}
		}
	}

	private void refreshSimulators() {
		String selected = simulator.getText();
		simulators.sort(Comparator.comparing(s -> s.descriptor().id()));
		simulator.setItems(simulators.stream().map(s -> s.descriptor().id()).toArray(String[]::new));
		reselect(simulator, selected);
	}

	private void refreshMethods() {
		String selected = method.getText();
		methods.sort(Comparator.comparing(InferenceMethod::id));
		method.setItems(methods.stream().map(InferenceMethod::id).toArray(String[]::new));
		reselect(method, selected);
	}

	private void refreshDiagnostics() {
		List<String> checked = checkedDiagnostics();
		List<String> ids = new ArrayList<>(diagnostics.stream().map(Diagnostic::id).sorted().toList());
		for (String id : checked) {
			if (!ids.contains(id)) {
				ids.add(id); // asked for by the file but not installed: kept, and reported by the check
			}
		}
		for (Control c : diagnosticBoxes.getChildren()) {
			c.dispose();
		}
		for (String id : ids) {
			Button box = new Button(diagnosticBoxes, SWT.CHECK);
			box.setText(id);
			box.setData("id", id);
			box.setData("name", "diagnostic:" + id);
			box.setSelection(checked.contains(id));
			box.addListener(SWT.Selection, e -> changed());
		}
		relayout();
	}

	private static void reselect(Combo combo, String value) {
		int i = value == null ? -1 : combo.indexOf(value);
		if (i >= 0) {
			combo.select(i);
		} else if (value != null && !value.isEmpty()) {
			// Named by the file but not installed (now): kept so the check can say so.
			combo.add(value);
			combo.select(combo.getItemCount() - 1);
		}
	}

	private SimulatorDescriptor descriptor() {
		String id = simulator.getText();
		return simulators.stream().filter(s -> s.descriptor().id().equals(id)).map(Simulator::descriptor).findFirst().orElse(null);
	}

	/** Rebuilds the prior rows and default observations for the selected simulator, filled from {@code prior}. */
	private void rebuildSimulatorParts(JsonNode prior, String observationName) {
		for (Control c : priors.getChildren()) {
			c.dispose();
		}
		priorRows.clear();
		SimulatorDescriptor d = descriptor();
		String previousObservation = observationName != null ? observationName : defaultObservation.getText();
		defaultObservation.removeAll();
		if (d == null) {
			Label none = new Label(priors, SWT.NONE);
			none.setText(simulator.getText().isEmpty() ? "Choose a simulator." : simulator.getText() + " is not installed.");
			relayout();
			return;
		}
		JsonNode defaults = defaultPriorJson(d);
		for (Parameter p : d.parameters()) {
			Label name = new Label(priors, SWT.NONE);
			name.setText(p.label());
			Combo kind = new Combo(priors, SWT.READ_ONLY | SWT.DROP_DOWN);
			kind.setItems(PRIOR_KINDS);
			kind.setData("name", "prior-kind:" + p.name());
			Text a = new Text(priors, SWT.BORDER);
			a.setData("name", "prior-a:" + p.name());
			Text b = new Text(priors, SWT.BORDER);
			b.setData("name", "prior-b:" + p.name());
			GridData ga = new GridData(SWT.FILL, SWT.CENTER, true, false);
			ga.widthHint = 80;
			a.setLayoutData(ga);
			GridData gb = new GridData(SWT.FILL, SWT.CENTER, true, false);
			gb.widthHint = 80;
			b.setLayoutData(gb);
			Label fallback = new Label(priors, SWT.NONE);
			fallback.setText("default: " + d.defaultPrior().describe(d.parameters().indexOf(p)));
			PriorRow row = new PriorRow(p, kind, a, b);
			priorRows.add(row);
			JsonNode spec = prior != null && prior.isObject() ? prior.get(p.name()) : null;
			String dist = spec == null ? "" : spec.path("distribution").asText("");
			if (dist.equals("uniform")) {
				kind.select(1);
				a.setText(spec.path("lower").asText(""));
				b.setText(spec.path("upper").asText(""));
			} else if (dist.equals("normal")) {
				kind.select(2);
				a.setText(spec.path("mean").asText(""));
				b.setText(spec.path("std").asText(""));
			} else {
				kind.select(0);
				JsonNode def = defaults == null ? null : defaults.get(p.name());
				a.setMessage(def == null ? "" : def.path("distribution").asText(""));
			}
			enablePrior(row);
			kind.addListener(SWT.Selection, e -> {
				enablePrior(row);
				changed();
			});
			a.addListener(SWT.Modify, e -> changed());
			b.addListener(SWT.Modify, e -> changed());
		}
		for (Observation o : d.defaultObservations()) {
			defaultObservation.add(o.name());
		}
		int i = defaultObservation.indexOf(previousObservation);
		if (defaultObservation.getItemCount() > 0) {
			defaultObservation.select(Math.max(0, i));
		}
		relayout();
	}

	private static void enablePrior(PriorRow row) {
		int k = row.kind().getSelectionIndex();
		row.a().setEnabled(k > 0);
		row.b().setEnabled(k > 0);
		row.a().setMessage(k == 1 ? "lower" : k == 2 ? "mean" : "");
		row.b().setMessage(k == 1 ? "upper" : k == 2 ? "std" : "");
	}

	private static JsonNode defaultPriorJson(SimulatorDescriptor d) {
		try {
			JsonNode j = PriorSpecs.toJson(d.defaultPrior());
			return j != null && j.isObject() && !j.has("gaussian") ? j : null;
		} catch (IllegalArgumentException e) {
			return null;
		}
	}

	private void enableObservation() {
		int k = observationKind.getSelectionIndex();
		defaultObservation.setEnabled(k == 0);
		observationValues.setEnabled(k == 1);
		observationFile.setEnabled(k == 2);
	}

	private List<String> checkedDiagnostics() {
		List<String> ids = new ArrayList<>();
		if (diagnosticBoxes == null) {
			return ids;
		}
		for (Control c : diagnosticBoxes.getChildren()) {
			if (c instanceof Button b && b.getSelection()) {
				ids.add((String) b.getData("id"));
			}
		}
		return ids;
	}

	private String relative(Path chosen) {
		Path base = file.toAbsolutePath().getParent();
		Path p = chosen.toAbsolutePath().normalize();
		return p.startsWith(base) ? base.relativize(p).toString() : p.toString();
	}

	private void relayout() {
		if (form == null || form.isDisposed()) {
			return;
		}
		form.layout(true, true);
		Point size = form.computeSize(SWT.DEFAULT, SWT.DEFAULT);
		scroller.setMinSize(size);
	}

	// ------------------------------------------------------------------ model: JSON in and out

	private void load() {
		loading = true;
		try {
			JsonNode json = null;
			String problem = null;
			if (Files.isRegularFile(file)) {
				try {
					json = RunFileCheck.JSON.readTree(file.toFile());
				} catch (IOException e) {
					problem = "Cannot read " + file + ": " + e.getMessage();
				}
			}
			if (json == null || !json.isObject()) {
				json = template();
			}
			fill(json);
			if (problem != null) {
				status.setText(problem);
			}
		} finally {
			loading = false;
		}
		setDirty(false);
		check();
	}

	/** A new run: the first simulator with a default observation, NPE if installed, a small budget. */
	private ObjectNode template() {
		ObjectNode t = NODES.objectNode();
		simulators.stream().filter(s -> s.descriptor().id().equals("two_moons")).findFirst()
				.or(() -> simulators.stream().findFirst()).ifPresent(s -> t.put("simulator", s.descriptor().id()));
		t.put("prior", "default");
		t.put("simulations", 1000);
		t.put("seed", 1);
		t.putObject("method").put("name", methods.stream().anyMatch(m -> m.id().equals("npe")) ? "npe"
				: methods.isEmpty() ? "npe" : methods.get(0).id());
		t.put("observation", "default");
		ArrayNode d = t.putArray("diagnostics");
		RunFile.DEFAULT_DIAGNOSTICS.forEach(d::add);
		String stem = String.valueOf(file.getFileName()).replaceAll("(\\.sbirun)?\\.json$", "");
		t.put("output", stem + "-output");
		return t;
	}

	/** Fills the widgets from a run file's JSON (best effort: the check reports what does not fit). */
	private void fill(JsonNode json) {
		simulator.removeAll();
		refreshSimulators();
		reselect(simulator, json.path("simulator").asText(""));
		loadedPrior = json.get("prior");
		JsonNode obs = json.path("observation");
		String observationName = obs.isObject() && obs.has("default") ? obs.get("default").asText() : null;
		if (obs.isObject() && obs.path("default").isInt()) {
			SimulatorDescriptor d = descriptor();
			int i = obs.path("default").asInt() - 1;
			if (d != null && i >= 0 && i < d.defaultObservations().size()) {
				observationName = d.defaultObservations().get(i).name();
			}
		}
		rebuildSimulatorParts(loadedPrior, observationName);
		simulations.setText(json.path("simulations").asText(""));
		seed.setText(json.path("seed").asText(""));
		chunkSize.setText(json.path("campaign").path("chunkSize").asText(""));
		samples.setText(json.path("samples").asText(""));
		diagnosticTests.setText(json.path("diagnosticTests").asText(""));
		JsonNode m = json.path("method");
		String methodName = m.isTextual() ? m.asText() : m.path("name").asText("");
		method.removeAll();
		refreshMethods();
		reselect(method, methodName);
		sampler.select(0);
		settingRows.clear();
		m.path("settings").fields().forEachRemaining(e -> {
			if (e.getKey().equals("sampler") && sampler.indexOf(e.getValue().asText()) > 0) {
				sampler.select(sampler.indexOf(e.getValue().asText()));
			} else {
				settingRows.add(new String[] { e.getKey(), e.getValue().asText() });
			}
		});
		settings.refresh();
		if (obs.isObject() && obs.has("values")) {
			observationKind.select(1);
			List<String> v = new ArrayList<>();
			obs.get("values").forEach(n -> v.add(n.asText()));
			observationValues.setText(String.join(", ", v));
		} else if (obs.isObject() && obs.has("file")) {
			observationKind.select(2);
			observationFile.setText(obs.get("file").asText());
		} else {
			observationKind.select(0);
		}
		enableObservation();
		List<String> wanted = new ArrayList<>();
		if (json.has("diagnostics")) {
			json.get("diagnostics").forEach(n -> wanted.add(n.asText()));
		} else {
			wanted.addAll(RunFile.DEFAULT_DIAGNOSTICS);
		}
		for (Control c : diagnosticBoxes.getChildren()) {
			c.dispose();
		}
		for (String id : wanted) {
			Button box = new Button(diagnosticBoxes, SWT.CHECK);
			box.setData("id", id);
			box.setSelection(true);
		}
		refreshDiagnostics();
		output.setText(json.path("output").asText(""));
	}

	/** The run file's JSON as the form describes it now (what Save writes). */
	public ObjectNode toJson() {
		ObjectNode root = NODES.objectNode();
		root.put("simulator", simulator.getText());
		root.set("prior", priorJson());
		putNumber(root, "simulations", simulations.getText());
		putNumber(root, "seed", seed.getText());
		ObjectNode m = root.putObject("method");
		m.put("name", method.getText());
		ObjectNode s = NODES.objectNode();
		for (String[] row : settingRows) {
			if (!row[0].isBlank()) {
				s.put(row[0].strip(), row[1].strip()); // an empty value: the method names the setting that lacks one
			}
		}
		if (sampler.getSelectionIndex() > 0) {
			s.put("sampler", sampler.getText());
		}
		if (s.size() > 0) {
			m.set("settings", s);
		}
		switch (observationKind.getSelectionIndex()) {
		case 1 -> {
			ArrayNode values = root.putObject("observation").putArray("values");
			for (String v : observationValues.getText().split("[,\\s]+")) {
				if (!v.isBlank()) {
					try {
						values.add(Double.parseDouble(v.strip()));
					} catch (NumberFormatException e) {
						values.add(v.strip()); // the parser names it
					}
				}
			}
		}
		case 2 -> root.putObject("observation").put("file", observationFile.getText().strip());
		default -> {
			SimulatorDescriptor d = descriptor();
			String name = defaultObservation.getText();
			if (d != null && !d.defaultObservations().isEmpty() && d.defaultObservations().get(0).name().equals(name) || name.isEmpty()) {
				root.put("observation", "default");
			} else {
				root.putObject("observation").put("default", name);
			}
		}
		}
		ArrayNode d = root.putArray("diagnostics");
		checkedDiagnostics().forEach(d::add);
		if (!diagnosticTests.getText().isBlank()) {
			putNumber(root, "diagnosticTests", diagnosticTests.getText());
		}
		if (!samples.getText().isBlank()) {
			putNumber(root, "samples", samples.getText());
		}
		root.put("output", output.getText().strip());
		if (!chunkSize.getText().isBlank()) {
			putNumber(root.putObject("campaign"), "chunkSize", chunkSize.getText());
		}
		return root;
	}

	private JsonNode priorJson() {
		boolean allDefault = priorRows.stream().allMatch(r -> r.kind().getSelectionIndex() <= 0);
		if (allDefault) {
			return NODES.textNode("default");
		}
		SimulatorDescriptor d = descriptor();
		JsonNode defaults = d == null ? null : defaultPriorJson(d);
		ObjectNode p = NODES.objectNode();
		for (PriorRow r : priorRows) {
			String name = r.parameter().name();
			switch (r.kind().getSelectionIndex()) {
			case 1 -> {
				ObjectNode u = p.putObject(name);
				u.put("distribution", "uniform");
				putNumber(u, "lower", r.a().getText());
				putNumber(u, "upper", r.b().getText());
			}
			case 2 -> {
				ObjectNode n = p.putObject(name);
				n.put("distribution", "normal");
				putNumber(n, "mean", r.a().getText());
				putNumber(n, "std", r.b().getText());
			}
			default -> {
				if (defaults != null && defaults.has(name)) {
					p.set(name, defaults.get(name).deepCopy());
				}
				// else left out: the parser says this parameter needs a prior
			}
			}
		}
		return p;
	}

	/** A number when the text is one, else the text itself, so the parser's message names what was typed. */
	private static void putNumber(ObjectNode node, String field, String text) {
		String t = text.strip();
		if (t.matches("[-+]?\\d+")) {
			try {
				long v = Long.parseLong(t);
				if (v == (int) v) {
					node.put(field, (int) v);
				} else {
					node.put(field, v);
				}
				return;
			} catch (NumberFormatException e) {
				// too long: kept as text
			}
		}
		try {
			node.put(field, Double.parseDouble(t));
		} catch (NumberFormatException e) {
			node.put(field, t);
		}
	}

	// ------------------------------------------------------------------ checking, dirty state, save

	private void changed() {
		if (loading) {
			return;
		}
		setDirty(true);
		if (!checkPending) {
			checkPending = true;
			form.getDisplay().timerExec(CHECK_DELAY_MS, () -> {
				checkPending = false;
				if (!form.isDisposed()) {
					check();
				}
			});
		}
	}

	/**
	 * Checks the form now as {@code sbiw run} would check the saved file, marks the field of the first problem and
	 * shows its message; returns it (null when the run file is valid).
	 */
	public RunFileCheck.Problem check() {
		problem = RunFileCheck.check(toJson(), file, services());
		decorations.values().forEach(ControlDecoration::hide);
		if (problem != null) {
			ControlDecoration d = decorations.get(problem.field());
			if (d != null) {
				d.setDescriptionText(problem.message());
				d.show();
			}
			if (job == null || job.outcome() != null) {
				status.setText(problem.message());
			}
		} else if (job == null || job.outcome() != null) {
			status.setText(job != null ? status.getText() : "Ready to run: " + output.getText().strip());
		}
		runItem.setEnabled(problem == null && (job == null || job.outcome() != null));
		relayout();
		return problem;
	}

	/** The message of the current problem, or "" when the form is a valid run file. */
	public String problem() {
		return problem == null ? "" : problem.message();
	}

	private InferenceRun.Services services() {
		return new InferenceRun.Services(simulators, methods, diagnostics,
				org.sbiworkbench.ui.internal.Services.registered(org.sbiworkbench.core.campaign.CampaignExecutor.class));
	}

	private void setDirty(boolean d) {
		if (dirty != d) {
			dirty = d;
			firePropertyChange(PROP_DIRTY);
		}
	}

	@Override
	public boolean isDirty() {
		return dirty;
	}

	@Override
	public void doSave(IProgressMonitor monitor) {
		try {
			save();
		} catch (IOException e) {
			status.setText("Cannot save " + file + ": " + e.getMessage());
			if (monitor != null) {
				monitor.setCanceled(true);
			}
		}
	}

	/** Writes the form's JSON to the run file. */
	public void save() throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		AtomicFiles.write(file, RunFileCheck.JSON.writeValueAsBytes(toJson()));
		setDirty(false);
	}

	@Override
	public void doSaveAs() {
	}

	@Override
	public boolean isSaveAsAllowed() {
		return false;
	}

	// ------------------------------------------------------------------ running

	/**
	 * The Run action: saves, checks, and schedules the run as a job (which continues an interrupted campaign).
	 *
	 * @return the job, or null when the form has a problem or the run is already running (the status says which)
	 */
	public RunJob run() {
		if (check() != null) {
			status.setText("Not run: " + problem.message());
			return null;
		}
		try {
			save();
		} catch (IOException e) {
			status.setText("Not run: cannot save " + file + ": " + e.getMessage());
			return null;
		}
		RunJob j;
		try {
			j = RunJob.of(file);
		} catch (org.sbiworkbench.core.run.RunFileException e) {
			status.setText("Not run: " + e.getMessage());
			return null;
		}
		if (!j.start()) {
			status.setText("Already running into " + j.output() + "; cancel it first or change the output folder.");
			return null;
		}
		follow(j);
		return j;
	}

	/** Cancels this editor's running job, if any. */
	public void cancel() {
		if (job != null && job.outcome() == null) {
			job.cancel();
			status.setText("Cancelling at the next batch boundary…");
		}
	}

	/** The job this editor started last (running or finished), or null. */
	public RunJob job() {
		return job;
	}

	private void follow(RunJob j) {
		if (job != null) {
			job.removeListener(jobListener);
		}
		job = j;
		j.addListener(jobListener);
		showJob(j);
	}

	/** Any thread: shows the job's state, throttled by the job's own reporting interval. */
	private void showJob(RunJob j) {
		if (form == null || form.isDisposed() || j.outcome() == null && !showPending.compareAndSet(false, true)) {
			return;
		}
		form.getDisplay().asyncExec(() -> {
			showPending.set(false);
			if (form.isDisposed() || j != job) {
				return;
			}
			InferenceRun.Outcome o = j.outcome();
			if (o == null) {
				status.setText("Running: " + j.describe());
			} else {
				status.setText(switch (o.status()) {
				case COMPLETED -> "Finished: results in " + o.output();
				case CANCELLED -> o.message() + ". Run again to continue.";
				case FAILED -> "Failed: " + o.message();
				});
			}
			runItem.setEnabled(o != null && problem == null);
			runItem.setText(o != null && o.status() == InferenceRun.Status.CANCELLED ? "▶ Resume" : "▶ Run");
			cancelItem.setEnabled(o == null);
			relayout();
		});
	}

	@Override
	public void setFocus() {
		simulator.setFocus();
	}

	@Override
	public void dispose() {
		RunJob.removeGlobalListener(fileJobs);
		if (job != null) {
			job.removeListener(jobListener);
		}
		trackers.forEach(ServiceTracker::close);
		super.dispose();
	}
}
