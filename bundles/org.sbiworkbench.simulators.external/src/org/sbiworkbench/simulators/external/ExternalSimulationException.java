package org.sbiworkbench.simulators.external;

/**
 * One simulation by an external program that gave no x: the program could
 * not be started, exited with a non-zero code, printed something that is not
 * the expected numbers, or ran past its time limit (and was killed with all
 * its child processes). A simulation campaign records it as a failed row with
 * this message; the message says what went wrong, what was expected and, for
 * a crash, the exit code and the last lines the program wrote to stderr.
 */
public class ExternalSimulationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** What went wrong. */
	public enum Problem {
		/** The program could not be started (not found, not executable, bad working directory). */
		START_FAILED,
		/** The program exited with a non-zero code (or was killed by a signal). */
		CRASHED,
		/** The program exited with code 0 but its output is not the expected numbers. */
		BAD_OUTPUT,
		/** The program ran past the descriptor's timeout; it and its child processes were killed. */
		TIMED_OUT,
		/** The calling thread was interrupted (a campaign's own timeout or a cancel); the process tree was killed. */
		INTERRUPTED
	}

	private final Problem problem;

	public ExternalSimulationException(Problem problem, String message) {
		super(message);
		this.problem = problem;
	}

	public ExternalSimulationException(Problem problem, String message, Throwable cause) {
		super(message, cause);
		this.problem = problem;
	}

	public Problem problem() {
		return problem;
	}
}
