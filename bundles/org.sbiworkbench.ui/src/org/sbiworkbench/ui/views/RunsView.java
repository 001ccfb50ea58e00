package org.sbiworkbench.ui.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.progress.IWorkbenchSiteProgressService;
import org.osgi.service.prefs.BackingStoreException;
import org.sbiworkbench.ui.editors.RunEditor;
import org.sbiworkbench.ui.editors.RunFileEditorInput;
import org.sbiworkbench.ui.runs.RunFolder;
import org.sbiworkbench.ui.runs.RunFolders;
import org.sbiworkbench.ui.runs.RunJob;
import org.sbiworkbench.ui.runs.RunSelection;

/**
 * The run folders under a chosen root folder ("Open run folder…"), with simulator, method, status and warning
 * count. The selected run is published to the window's {@link RunSelection} (and as the site's selection), which
 * the Posterior, Diagnostics and Training views follow. The root is remembered in the view's memento and in the
 * bundle's instance preferences. Folders are scanned in a {@link Job}, never on the UI thread.
 * <p>
 * Runs started in the workbench ({@link RunJob}) are listed while they run, with their stage and progress in
 * the Status column (even before their folder exists); when one ends the folders are scanned again, so the
 * selected run turns complete and the views show its results. "New Run…" and "Open Run File…" open the run
 * editor.
 */
public final class RunsView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.runs";
	private static final String ROOT_KEY = "root";
	private static final String PREFERENCES = "org.sbiworkbench.ui";
	private static final String ROOT_PREFERENCE = "runs.root";

	private Path root;
	private TableViewer viewer;
	private Label header;
	private Job scan;
	private int generation;
	private List<RunFolder> shown = List.of();
	private boolean repaintPending;
	private final java.util.Set<RunJob> started = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
	private final java.util.concurrent.atomic.AtomicBoolean progressPending = new java.util.concurrent.atomic.AtomicBoolean();
	private static final int REPAINT_MS = 250;

	@Override
	public void init(IViewSite site, IMemento memento) throws PartInitException {
		super.init(site, memento);
		String saved = memento == null ? null : memento.getString(ROOT_KEY);
		if (saved == null) {
			saved = InstanceScope.INSTANCE.getNode(PREFERENCES).get(ROOT_PREFERENCE, null);
		}
		if (saved != null && !saved.isBlank()) {
			root = Path.of(saved);
		}
	}

	@Override
	public void saveState(IMemento memento) {
		super.saveState(memento);
		if (root != null) {
			memento.putString(ROOT_KEY, root.toString());
		}
	}

	@Override
	public void createPartControl(Composite parent) {
		Composite body = new Composite(parent, SWT.NONE);
		GridLayout grid = new GridLayout(1, false);
		grid.marginWidth = grid.marginHeight = 4;
		body.setLayout(grid);
		header = new Label(body, SWT.WRAP);
		header.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		Composite tableHolder = new Composite(body, SWT.NONE);
		tableHolder.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		TableColumnLayout columns = new TableColumnLayout();
		tableHolder.setLayout(columns);
		viewer = new TableViewer(tableHolder, SWT.FULL_SELECTION | SWT.SINGLE | SWT.BORDER);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		column(columns, "Run", 22, 80, RunFolder::name);
		column(columns, "Simulator", 14, 70, RunFolder::simulator);
		column(columns, "Method", 8, 45, RunFolder::method);
		column(columns, "Status", 16, 80, r -> {
			RunJob job = RunJob.runningFor(r.path());
			if (job != null) {
				return RunFolder.RUNNING + ": " + job.describe();
			}
			return r.problem().isEmpty() ? r.status() : r.status() + ": " + r.problem();
		});
		column(columns, "Warnings", 6, 30, r -> r.warnings() < 0 ? "" : Integer.toString(r.warnings()));
		column(columns, "Path", 30, 70, r -> r.path().toString());
		viewer.addSelectionChangedListener(e -> {
			Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
			RunSelection.of(getSite().getWorkbenchWindow()).select(first instanceof RunFolder r ? r : null);
		});
		viewer.addDoubleClickListener(e -> {
			try {
				getSite().getPage().showView(PosteriorView.ID);
			} catch (PartInitException ex) {
				header.setText("Could not open the Posterior view: " + ex.getMessage());
			}
		});
		getSite().setSelectionProvider(viewer);

		IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
		toolbar.add(new Action("New Run…") {
			{
				setToolTipText("Create a run file (simulator, prior, budget, method, observation, diagnostics) and edit it");
			}

			@Override
			public void run() {
				FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
				dialog.setText("New run file");
				dialog.setFilterExtensions(new String[] { "*.sbirun.json", "*.json" });
				dialog.setFileName("run.sbirun.json");
				dialog.setOverwrite(true);
				if (root != null) {
					dialog.setFilterPath(root.toString());
				}
				String chosen = dialog.open();
				if (chosen != null) {
					openRunFile(Path.of(chosen));
				}
			}
		});
		toolbar.add(new Action("Open Run File…") {
			{
				setToolTipText("Open a run file (JSON, as sbiw run reads it) in the run editor");
			}

			@Override
			public void run() {
				FileDialog dialog = new FileDialog(getSite().getShell(), SWT.OPEN);
				dialog.setText("Open run file");
				dialog.setFilterExtensions(new String[] { "*.sbirun.json;*.json", "*.*" });
				if (root != null) {
					dialog.setFilterPath(root.toString());
				}
				String chosen = dialog.open();
				if (chosen != null) {
					openRunFile(Path.of(chosen));
				}
			}
		});
		toolbar.add(new Action("Resume") {
			{
				setToolTipText("Run the selected run's file again: an interrupted campaign continues where it stopped "
						+ "(runs started in this session)");
			}

			@Override
			public void run() {
				resumeSelected();
			}
		});
		toolbar.add(new Action("Cancel") {
			{
				setToolTipText("Stop the selected running run at its next batch boundary; Resume continues it");
			}

			@Override
			public void run() {
				cancelSelected();
			}
		});
		toolbar.add(new Action("Open run folder…") {
			{
				setToolTipText("Choose the folder whose run folders (sbiw infer / run / simulate outputs) to list");
			}

			@Override
			public void run() {
				DirectoryDialog dialog = new DirectoryDialog(getSite().getShell());
				dialog.setText("Open run folder");
				dialog.setMessage("A run folder, or a folder holding run folders");
				if (root != null) {
					dialog.setFilterPath(root.toString());
				}
				String chosen = dialog.open();
				if (chosen != null) {
					setRoot(Path.of(chosen));
				}
			}
		});
		toolbar.add(new Action("Refresh") {
			{
				setToolTipText("List the run folders again");
			}

			@Override
			public void run() {
				refresh();
			}
		});
		getViewSite().getActionBars().updateActionBars();
		RunJob.addGlobalListener(jobs);
		refresh();
	}

	/**
	 * Opens {@code file} in the run editor; a file that does not exist yet opens as a new run (a template the
	 * editor fills) and is written on the first Save or Run.
	 */
	public RunEditor openRunFile(Path file) {
		try {
			return (RunEditor) getSite().getPage().openEditor(new RunFileEditorInput(file), RunEditor.ID);
		} catch (PartInitException e) {
			header.setText("Could not open " + file + " in the run editor: " + e.getMessage());
			header.getParent().layout();
			return null;
		}
	}

	/** The selected run, or null. */
	private RunFolder selectedRun() {
		return viewer == null ? null : (RunFolder) viewer.getStructuredSelection().getFirstElement();
	}

	/**
	 * "Resume": runs the selected run's file again as a job (an interrupted campaign continues without simulating
	 * its stored chunks again). The run file is the one last run into the folder, in this session or as the folder's
	 * note records; when it is unknown or gone the header says how to continue.
	 *
	 * @return the job started, or null (the header says why)
	 */
	public RunJob resumeSelected() {
		RunFolder run = selectedRun();
		String problem = null;
		RunJob job = null;
		Path runFile;
		if (run == null) {
			problem = "Select a run to resume.";
		} else if (run.isRunning()) {
			problem = run.name() + " is running.";
		} else if ((runFile = RunJob.runFileOf(run.path())) == null) {
			problem = run.name() + " does not say which run file it came from, or that file is gone: open its run file "
					+ "(Open Run File…) and press Run to continue it.";
		} else {
			try {
				job = RunJob.of(runFile);
				if (!job.output().equals(run.path().toAbsolutePath().normalize())) {
					problem = "Cannot resume " + run.name() + ": its run file " + runFile + " now writes to " + job.output()
							+ "; set its 'output' back to " + run.path() + " to continue this run.";
					job = null;
				} else if (!job.start()) {
					problem = run.name() + " is running.";
					job = null;
				}
			} catch (org.sbiworkbench.core.run.RunFileException e) {
				problem = "Cannot resume " + run.name() + ": " + e.getMessage();
			}
		}
		if (problem != null) {
			header.setText(problem);
			header.getParent().layout();
		}
		return job;
	}

	/** "Cancel": stops the selected running run at its next batch boundary. @return whether a run was cancelled */
	public boolean cancelSelected() {
		RunFolder run = selectedRun();
		RunJob job = run == null ? null : RunJob.runningFor(run.path());
		if (job != null) {
			job.cancel();
			header.setText("Cancelling " + run.name() + " at its next batch boundary…");
			header.getParent().layout();
		}
		return job != null;
	}

	/** Run jobs: progress repaints the Status column (coalesced); a job starting or ending updates the list. */
	private final RunJob.Listener jobs = new RunJob.Listener() {
		@Override
		public void progressed(RunJob job) {
			if (!started.add(job) && !progressPending.compareAndSet(false, true)) {
				return; // a repaint is already on its way
			}
			later(() -> {
				progressPending.set(false);
				if (root == null) {
					setRoot(job.output().getParent());
					return;
				}
				if (shown.stream().noneMatch(r -> r.path().equals(job.output()))) {
					showRunning(job);
				} else if (!repaintPending) {
					repaintPending = true;
					viewer.getControl().getDisplay().timerExec(REPAINT_MS, () -> {
						repaintPending = false;
						if (!viewer.getControl().isDisposed()) {
							viewer.refresh(true);
						}
					});
				}
			});
		}

		@Override
		public void finished(RunJob job) {
			later(() -> refresh());
		}
	};

	private void later(Runnable r) {
		if (viewer == null) {
			return;
		}
		Display display = viewer.getControl().getDisplay();
		if (!display.isDisposed()) {
			display.asyncExec(() -> {
				if (!viewer.getControl().isDisposed()) {
					r.run();
				}
			});
		}
	}

	/** A started job whose folder is not listed yet: listed (as running) and selected. */
	private void showRunning(RunJob job) {
		List<RunFolder> rows = new ArrayList<>(shown);
		rows.add(running(job));
		rows.sort(java.util.Comparator.comparing(RunFolder::name));
		shown = rows;
		viewer.setInput(rows);
		if (root != null) {
			header.setText(count(rows, root));
			header.getParent().layout();
		}
		viewer.setSelection(new StructuredSelection(rows.stream().filter(r -> r.path().equals(job.output())).findFirst().orElseThrow()),
				true);
	}

	private RunFolder running(RunJob job) {
		Path p = job.output();
		String name = root != null && p.startsWith(root) && !p.equals(root) ? root.relativize(p).toString() : p.toString();
		return new RunFolder(p, name, job.simulator(), job.method(), RunFolder.RUNNING, -1, "");
	}

	private void column(TableColumnLayout layout, String title, int weight, int minimumWidth, Function<RunFolder, String> text) {
		TableViewerColumn column = new TableViewerColumn(viewer, SWT.NONE);
		column.getColumn().setText(title);
		column.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((RunFolder) element);
			}
		});
		layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, minimumWidth));
	}

	/** The folder whose runs are listed, or null. */
	public Path root() {
		return root;
	}

	/** Lists the run folders under {@code root} (what "Open run folder…" does with the chosen folder) and remembers it. */
	public void setRoot(Path root) {
		this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
		var node = InstanceScope.INSTANCE.getNode(PREFERENCES);
		node.put(ROOT_PREFERENCE, this.root.toString());
		Job save = Job.create("Saving the run folder preference", monitor -> {
			try {
				node.flush();
			} catch (BackingStoreException e) {
				return Status.warning("Could not save the run folder preference: " + e.getMessage(), e);
			}
			return Status.OK_STATUS;
		});
		save.setSystem(true);
		save.schedule();
		refresh();
	}

	/** Scans the root again in a Job; the table is updated on the UI thread when it is done. */
	public void refresh() {
		if (viewer == null || viewer.getControl().isDisposed()) {
			return;
		}
		if (root == null) {
			header.setText("No folder chosen: use \"Open run folder…\" to list the runs of sbiw infer, sbiw run or sbiw simulate.");
			header.getParent().layout();
			return;
		}
		Path folder = root;
		int mine = ++generation;
		header.setText("Reading " + folder + " …");
		header.getParent().layout();
		Display display = viewer.getControl().getDisplay();
		if (scan != null) {
			scan.cancel();
		}
		scan = Job.create("Listing run folders in " + folder, monitor -> {
			List<RunFolder> runs;
			String problem = null;
			try {
				runs = RunFolders.scan(folder);
			} catch (java.io.IOException | RuntimeException e) {
				runs = List.of();
				problem = e.getMessage();
			}
			List<RunFolder> found = runs;
			String error = problem;
			display.asyncExec(() -> show(mine, folder, found, error));
			return Status.OK_STATUS;
		});
		IWorkbenchSiteProgressService progress = getSite().getService(IWorkbenchSiteProgressService.class);
		if (progress != null) {
			progress.schedule(scan);
		} else {
			scan.schedule();
		}
	}

	private void show(int mine, Path folder, List<RunFolder> runs, String problem) {
		if (viewer.getControl().isDisposed() || mine != generation) {
			return;
		}
		RunFolder selected = (RunFolder) viewer.getStructuredSelection().getFirstElement();
		List<RunFolder> rows = new ArrayList<>(runs);
		for (RunJob job : RunJob.running()) {
			if (rows.stream().noneMatch(r -> r.path().equals(job.output()))) {
				rows.add(running(job));
			}
		}
		rows.sort(java.util.Comparator.comparing(RunFolder::name));
		shown = rows;
		runs = rows;
		viewer.setInput(rows);
		if (problem != null) {
			header.setText("Cannot list " + folder + ": " + problem);
		} else if (runs.isEmpty()) {
			header.setText("No run folders in " + folder + " (a run folder holds summary.json or simulations/manifest.json).");
		} else {
			header.setText(count(runs, folder));
		}
		header.getParent().layout();
		if (selected != null) {
			runs.stream().filter(r -> r.path().equals(selected.path())).findFirst()
					.ifPresent(r -> viewer.setSelection(new StructuredSelection(r), true));
		}
	}

	private static String count(List<RunFolder> runs, Path folder) {
		long complete = runs.stream().filter(RunFolder::isComplete).count();
		long running = runs.stream().filter(RunFolder::isRunning).count();
		return runs.size() + " run folder" + (runs.size() == 1 ? "" : "s") + " in " + folder + " (" + complete + " complete"
				+ (running > 0 ? ", " + running + " running" : "") + ")";
	}

	@Override
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@Override
	public void dispose() {
		RunJob.removeGlobalListener(jobs);
		if (scan != null) {
			scan.cancel();
		}
		super.dispose();
	}
}
