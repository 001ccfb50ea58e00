package org.sbiworkbench.ui.runs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One run folder as the Runs view lists it.
 *
 * @param path      the folder
 * @param name      its path relative to the chosen root folder (the folder's own name if it is the root)
 * @param simulator the simulator id, or "" when unknown
 * @param method    the inference method id, or "" (e.g. simulations only)
 * @param status    {@link #COMPLETE}, {@link #SIMULATIONS_ONLY} (possibly with the campaign's state),
 *                  {@link #UNREADABLE}, or {@link #RUNNING} for a run started in the workbench that has not written
 *                  its folder yet
 * @param warnings  the number of warnings in {@code summary.json}, or -1 when there is no summary
 * @param problem   why the folder could not be read, or "" when it could
 */
public record RunFolder(Path path, String name, String simulator, String method, String status, int warnings, String problem) {

	/** summary.json exists: the inference finished and wrote its report. */
	public static final String COMPLETE = "complete";
	/** Only a simulation campaign (simulations/manifest.json), no summary.json. */
	public static final String SIMULATIONS_ONLY = "simulations only";
	/** summary.json or manifest.json exists but cannot be read. */
	public static final String UNREADABLE = "unreadable";
	/** A {@link RunJob} is writing into the folder now (the folder may not exist yet). */
	public static final String RUNNING = "running";

	public RunFolder {
		Objects.requireNonNull(path, "path");
		name = Objects.requireNonNullElse(name, path.getFileName() == null ? path.toString() : path.getFileName().toString());
		simulator = Objects.requireNonNullElse(simulator, "");
		method = Objects.requireNonNullElse(method, "");
		status = Objects.requireNonNullElse(status, "");
		problem = Objects.requireNonNullElse(problem, "");
	}

	/** Whether summary.json exists and was read, so the posterior, diagnostics and training can be shown. */
	public boolean isComplete() {
		return COMPLETE.equals(status);
	}

	/** Whether a run job of this workbench is writing into the folder now. */
	public boolean isRunning() {
		return RunJob.runningFor(path) != null;
	}

	public Path summaryFile() {
		return path.resolve(RunFolders.SUMMARY);
	}
}
