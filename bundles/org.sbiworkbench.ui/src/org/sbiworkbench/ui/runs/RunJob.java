package org.sbiworkbench.ui.runs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.runs.InferenceRun;
import org.sbiworkbench.ui.internal.Services;
import org.sbiworkbench.ui.preferences.ExecutorPreferences;

/**
 * A run file run in the workbench: an Eclipse user {@link Job} (Progress view, status bar) that reads the file,
 * resolves it against the services installed now and runs {@link InferenceRun}. Its progress shows each stage
 * (simulations, epochs, posterior samples, diagnostics) as a subtask; cancelling stops the run at its next batch
 * boundary, and scheduling a new job for the same file later continues the campaign where it stopped (the pipeline
 * resumes from {@code output/simulations}). While it runs, listeners get its stage and every training epoch's
 * losses, on the job's thread.
 */
public final class RunJob extends Job {

	/** The job family of all run jobs, for {@code IJobManager.join} / {@code find}. */
	public static final Object FAMILY = RunJob.class;

	/** Told on the job's thread; implementations hand work to the UI thread themselves and return at once. */
	public interface Listener {
		/**
		 * The stage or its progress changed: at every stage's start and every report of work (per chunk of
		 * simulations, per epoch...), so a listener that repaints coalesces these itself.
		 */
		default void progressed(RunJob job) {
		}

		/** A training epoch finished. */
		default void epoch(RunJob job, int epoch, double trainingLoss, double validationLoss) {
		}

		/** The job finished; {@link RunJob#outcome()} says how. */
		default void finished(RunJob job) {
		}
	}

	private static final CopyOnWriteArrayList<RunJob> RUNNING = new CopyOnWriteArrayList<>();
	private static final java.util.Map<Path, Path> RUN_FILES = new java.util.concurrent.ConcurrentHashMap<>();
	private static final CopyOnWriteArrayList<Listener> GLOBAL = new CopyOnWriteArrayList<>();
	private static final long REPORT_INTERVAL_NANOS = 200_000_000L;

	private final Path runFile;
	private final Path output;
	private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
	private final StringWriter log = new StringWriter();
	private final List<Double> trainingLoss = new ArrayList<>();
	private final List<Double> validationLoss = new ArrayList<>();
	private volatile String simulator;
	private volatile String method;
	private volatile String task = "Waiting to start";
	private volatile long done;
	private volatile long total;
	private volatile InferenceRun.Outcome outcome;

	/**
	 * @param runFile the run file
	 * @param output  its output folder (as the run file resolves it), which identifies the run in the Runs view
	 */
	public RunJob(Path runFile, Path output) {
		this(runFile, output, "", "");
	}

	private RunJob(Path runFile, Path output, String simulator, String method) {
		super("Run " + runFile.getFileName());
		this.simulator = simulator == null ? "" : simulator;
		this.method = method == null ? "" : method;
		this.runFile = Objects.requireNonNull(runFile, "runFile").toAbsolutePath().normalize();
		this.output = Objects.requireNonNull(output, "output").toAbsolutePath().normalize();
		setUser(true);
		setPriority(LONG);
	}

	/** The job for a run file, named after it; reads the file to know its output folder. */
	public static RunJob of(Path runFile) throws RunFileException {
		RunFile run = RunFile.read(runFile);
		return new RunJob(runFile, run.output(), run.simulator(), run.method());
	}

	/** The run jobs scheduled and not yet finished, oldest first. */
	public static List<RunJob> running() {
		return List.copyOf(RUNNING);
	}

	/** The unfinished job writing into {@code output}, or null. */
	public static RunJob runningFor(Path output) {
		Path o = output.toAbsolutePath().normalize();
		for (RunJob j : RUNNING) {
			if (j.output.equals(o)) {
				return j;
			}
		}
		return null;
	}

	/**
	 * The run file last run into {@code output}: in this session, else as the folder's note says
	 * ({@link InferenceRun#runFileOf}, e.g. a run of an earlier session or of {@code sbiw run}); null if unknown.
	 */
	public static Path runFileOf(Path output) {
		Path o = output.toAbsolutePath().normalize();
		Path inSession = RUN_FILES.get(o);
		return inSession != null ? inSession : InferenceRun.runFileOf(o).orElse(null);
	}

	/** Listens to every run job, present and future (e.g. the Runs view). */
	public static void addGlobalListener(Listener listener) {
		GLOBAL.addIfAbsent(listener);
	}

	public static void removeGlobalListener(Listener listener) {
		GLOBAL.remove(listener);
	}

	public void addListener(Listener listener) {
		listeners.addIfAbsent(listener);
	}

	public void removeListener(Listener listener) {
		listeners.remove(listener);
	}

	@Override
	public boolean belongsTo(Object family) {
		return family == FAMILY;
	}

	/**
	 * Schedules the job unless another job already writes into the same output folder.
	 *
	 * @return false (and nothing scheduled) when one does
	 */
	public synchronized boolean start() {
		synchronized (RUNNING) {
			if (runningFor(output) != null) {
				return false;
			}
			RUNNING.add(this);
			RUN_FILES.put(output, runFile);
		}
		notify(l -> l.progressed(this));
		schedule();
		return true;
	}

	public Path runFile() {
		return runFile;
	}

	public Path output() {
		return output;
	}

	/** The simulator id, or "" before the run file was read. */
	public String simulator() {
		return simulator;
	}

	/** The inference method id, or "" before the run file was read. */
	public String method() {
		return method;
	}

	/** The stage now, e.g. "Simulating two_moons". */
	public String task() {
		return task;
	}

	/** Work done in the current stage, and its total (0 when unknown). */
	public long done() {
		return done;
	}

	public long total() {
		return total;
	}

	/** One line for the Runs view: stage and progress. */
	public String describe() {
		long t = total, d = done;
		return t > 0 ? String.format(java.util.Locale.ROOT, "%s %d/%d (%.0f%%)", task, d, t, 100.0 * d / t) : task;
	}

	/** The losses of the epochs trained so far (a copy). */
	public synchronized List<List<Double>> losses() {
		return List.of(List.copyOf(trainingLoss), List.copyOf(validationLoss));
	}

	/** How the run ended, or null while it runs. */
	public InferenceRun.Outcome outcome() {
		return outcome;
	}

	/** What the run printed (the posterior table, diagnostics, warnings, notes). */
	public String log() {
		synchronized (log) {
			return log.toString();
		}
	}

	@Override
	protected IStatus run(IProgressMonitor monitor) {
		PrintWriter writer = new PrintWriter(new SyncWriter(log), true);
		try {
			InferenceRun run;
			try {
				RunFile file = RunFile.read(runFile);
				// The run file's own "executor" section, else the workbench's preference (this machine or a cluster).
				run = InferenceRun.of(file, services(), ExecutorPreferences.forRun(file));
			} catch (RunFileException e) {
				outcome = new InferenceRun.Outcome(InferenceRun.Status.FAILED, e.getMessage(), output, e);
				return Status.error(e.getMessage(), e);
			}
			simulator = run.simulator().descriptor().id();
			method = run.method().id();
			setName(run.title() + " (" + runFile.getFileName() + ")");
			Progress progress = new Progress(monitor, run.title());
			outcome = run.execute(progress, writer, writer);
			return switch (outcome.status()) {
			case COMPLETED -> Status.OK_STATUS;
			case CANCELLED -> Status.CANCEL_STATUS;
			case FAILED -> Status.error(run.title() + " failed: " + outcome.message(), outcome.cause());
			};
		} catch (RuntimeException e) {
			outcome = new InferenceRun.Outcome(InferenceRun.Status.FAILED, String.valueOf(e.getMessage()), output, e);
			return Status.error("The run of " + runFile + " failed: " + e, e);
		} finally {
			monitor.done();
			RUNNING.remove(this);
			notify(l -> l.finished(this));
		}
	}

	private static InferenceRun.Services services() {
		return new InferenceRun.Services(Services.registered(Simulator.class), Services.registered(InferenceMethod.class),
				Services.registered(Diagnostic.class), Services.registered(CampaignExecutor.class));
	}

	private void notify(java.util.function.Consumer<Listener> event) {
		for (Listener l : listeners) {
			event.accept(l);
		}
		for (Listener l : GLOBAL) {
			event.accept(l);
		}
	}

	/**
	 * The pipeline's monitor on the job's: each stage the pipeline begins gets half of the job's remaining
	 * progress (the number of stages depends on the method and its settings), is shown as the subtask with its count, and
	 * cancelling the job cancels the run.
	 */
	private final class Progress implements ProgressMonitor {

		private static final int TICKS = 1_000_000;
		private final SubMonitor root;
		private final IProgressMonitor cancel;
		private SubMonitor stage;
		private int remaining = TICKS;
		private long stageTicks;
		private long reportedTicks;
		private long lastReport;

		Progress(IProgressMonitor monitor, String title) {
			this.cancel = monitor;
			this.root = SubMonitor.convert(monitor, title, TICKS);
		}

		@Override
		public synchronized void begin(String name, long totalWork) {
			task = name;
			total = Math.max(0, totalWork);
			done = 0;
			// newChild (not split): a cancel must reach the pipeline through isCanceled, not as an exception here.
			int share = Math.max(1, remaining / 2);
			remaining -= share;
			stage = root.newChild(share);
			stageTicks = 10_000;
			stage.setWorkRemaining((int) stageTicks);
			reportedTicks = 0;
			report(true);
		}

		@Override
		public synchronized void worked(long work) {
			done += work;
			if (stage != null && total > 0) {
				long ticks = Math.min(stageTicks, done * stageTicks / total);
				if (ticks > reportedTicks) {
					stage.worked((int) (ticks - reportedTicks));
					reportedTicks = ticks;
				}
			}
			report(false);
		}

		private void report(boolean now) {
			long t = System.nanoTime();
			if (now || t - lastReport >= REPORT_INTERVAL_NANOS) {
				lastReport = t;
				root.subTask(describe());
			}
			RunJob.this.notify(l -> l.progressed(RunJob.this));
		}

		@Override
		public boolean isCanceled() {
			return cancel.isCanceled();
		}

		@Override
		public synchronized void done() {
			if (stage != null) {
				stage.done();
			}
		}

		@Override
		public void epochFinished(int epoch, double training, double validation) {
			synchronized (RunJob.this) {
				if (epoch == 1) {
					trainingLoss.clear();
					validationLoss.clear();
				}
				trainingLoss.add(training);
				validationLoss.add(validation);
			}
			RunJob.this.notify(l -> l.epoch(RunJob.this, epoch, training, validation));
		}
	}

	/** A writer whose appends are safe from the pipeline's threads and readers of {@link #log()}. */
	private static final class SyncWriter extends java.io.Writer {
		private final StringWriter target;

		SyncWriter(StringWriter target) {
			this.target = target;
		}

		@Override
		public void write(char[] buffer, int offset, int length) {
			synchronized (target) {
				target.write(buffer, offset, length);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}
	}
}
