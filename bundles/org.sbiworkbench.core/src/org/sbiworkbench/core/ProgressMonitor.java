package org.sbiworkbench.core;

/**
 * Progress and cancellation for long work, in the spirit of Eclipse's
 * {@code IProgressMonitor} but without a dependency on the Eclipse runtime:
 * the workbench adapts its Jobs' monitors to this, the headless application
 * prints it to the terminal.
 */
public interface ProgressMonitor {

	/** A monitor that reports nothing and is never cancelled. */
	ProgressMonitor NULL = new ProgressMonitor() {
		@Override
		public void begin(String task, long totalWork) {
		}

		@Override
		public void worked(long work) {
		}

		@Override
		public boolean isCanceled() {
			return false;
		}

		@Override
		public void done() {
		}
	};

	/** Starts a task of {@code totalWork} units (e.g. simulations). */
	void begin(String task, long totalWork);

	/** {@code work} more units are done. */
	void worked(long work);

	/** Work checks this at its batch boundaries and stops, resumably, when true. */
	boolean isCanceled();

	void done();

	/**
	 * A network finished training epoch {@code epoch} (1-based) with these mean losses, e.g. for a live loss
	 * curve. Called by the training loop on the training thread, after {@link #worked} for the epoch; the default
	 * does nothing. Implementations must return quickly and not throw.
	 */
	default void epochFinished(int epoch, double trainingLoss, double validationLoss) {
	}
}
