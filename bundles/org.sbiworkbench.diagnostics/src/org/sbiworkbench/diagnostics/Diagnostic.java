package org.sbiworkbench.diagnostics;

import java.util.Optional;

import org.sbiworkbench.core.ProgressMonitor;

/**
 * A check of a posterior, contributed as an OSGi service. The headless application runs the ones a run asks
 * for ({@code --diagnostics coverage,sbc,ppc}) and writes their figures into {@code summary.json} and their
 * plots beside it; the workbench shows every registered diagnostic's plots, so a bundle that registers a new
 * one needs no change elsewhere.
 */
public interface Diagnostic {

	/** Short id used on the command line and in run files, e.g. {@code coverage}. */
	String id();

	/** A name for people, e.g. "Expected coverage". */
	String label();

	/**
	 * Why this diagnostic cannot run in a context (e.g. it needs an amortized posterior and the method has
	 * none), or empty when it can.
	 */
	default Optional<String> unavailableReason(DiagnosticContext context) {
		return Optional.empty();
	}

	/**
	 * Runs the check. Long work reports progress and stops with {@link java.util.concurrent.CancellationException}
	 * when the monitor is cancelled.
	 */
	DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor);
}
