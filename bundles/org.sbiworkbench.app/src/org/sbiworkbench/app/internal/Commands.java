package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.storage.CampaignManifest;
import org.sbiworkbench.runs.InferenceRun;

import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** Small helpers shared by the commands. */
final class Commands {

	/** Exit code of work that was interrupted and can be resumed. */
	static final int INTERRUPTED = 3;

	private Commands() {
	}

	/**
	 * Runs {@code run} with progress on the terminal (Ctrl-C cancels) and turns its outcome into the exit code:
	 * 0 when completed, {@link #INTERRUPTED} with the message when cancelled; a failure is thrown again so the
	 * command line reports it as before (one line for a problem with the input, a stack trace for a bug).
	 */
	static int execute(InferenceRun run, PrintWriter out, PrintWriter err) throws Exception {
		InferenceRun.Outcome outcome;
		try (TerminalProgress progress = new TerminalProgress(err)) {
			outcome = run.execute(progress, out, err);
			if (outcome.status() == InferenceRun.Status.CANCELLED) {
				// Before the progress closes: on Ctrl-C the JVM exits as soon as it does.
				err.println(outcome.message() + ". Run the same command again to continue.");
				err.flush();
				return INTERRUPTED;
			}
		}
		if (outcome.status() == InferenceRun.Status.FAILED) {
			Throwable cause = outcome.cause();
			if (cause instanceof Exception e) {
				throw e;
			}
			if (cause instanceof Error e) {
				throw e;
			}
			throw new IllegalStateException(outcome.message(), cause);
		}
		return 0;
	}

	static Optional<Simulator> find(List<Simulator> simulators, String id) {
		return simulators.stream().filter(s -> s.descriptor().id().equals(id)).findFirst();
	}

	static Simulator require(CommandSpec spec, List<Simulator> simulators, String id) {
		return find(simulators, id).orElseThrow(() -> new ParameterException(spec.commandLine(), "No simulator '" + id
				+ "' is registered; the registered ones are " + simulators.stream().map(s -> s.descriptor().id()).toList()
				+ " (see 'sbiw simulators')"));
	}

	static String summary(CampaignManifest m) {
		long stored = Math.min(m.simulations(), (long) m.storedChunks() * m.chunkSize());
		StringBuilder s = new StringBuilder();
		s.append(m.simulatorId()).append(' ').append(m.simulatorVersion()).append(": ").append(m.status()).append(", ");
		s.append(m.storedChunks()).append(" of ").append(m.chunkCount()).append(" chunks (about ").append(stored)
				.append(" of ").append(m.simulations()).append(" simulations), seed ").append(m.seed());
		if (m.failures() == 0) {
			s.append(", no failures");
		} else {
			s.append(", failures:");
			for (FailureKind k : FailureKind.values()) {
				long n = m.failureCounts().getOrDefault(k, 0L);
				if (n > 0) {
					s.append(' ').append(k.id()).append(' ').append(n);
				}
			}
			s.append(" (kept with their reasons; excluded from training)");
		}
		return s.toString();
	}
}
