package org.sbiworkbench.app;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import org.sbiworkbench.app.internal.SbiwCommand;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.diagnostics.Diagnostic;

import picocli.CommandLine;

/**
 * Runs one {@code sbiw} command line, e.g. {@code simulators}, and returns its
 * exit code: 0 on success, 1 when the work failed, 2 for a bad command line.
 */
public final class SbiwCommandLine {

	private final Supplier<List<Simulator>> simulators;
	private final Supplier<List<InferenceMethod>> methods;
	private final Supplier<List<Diagnostic>> diagnostics;

	/** @param simulators the simulators registered now (looked up again on each use) */
	public SbiwCommandLine(Supplier<List<Simulator>> simulators) {
		this(simulators, List::of);
	}

	/**
	 * @param simulators the simulators registered now (looked up again on each use)
	 * @param methods    the inference methods registered now
	 */
	public SbiwCommandLine(Supplier<List<Simulator>> simulators, Supplier<List<InferenceMethod>> methods) {
		this(simulators, methods, List::of);
	}

	/**
	 * @param simulators  the simulators registered now (looked up again on each use)
	 * @param methods     the inference methods registered now
	 * @param diagnostics the posterior diagnostics registered now
	 */
	public SbiwCommandLine(Supplier<List<Simulator>> simulators, Supplier<List<InferenceMethod>> methods,
			Supplier<List<Diagnostic>> diagnostics) {
		this.simulators = simulators;
		this.methods = methods;
		this.diagnostics = diagnostics;
	}

	public int execute(String[] args, PrintWriter out, PrintWriter err) {
		CommandLine cli = new CommandLine(new SbiwCommand(this::sortedSimulators, methods, diagnostics));
		cli.setOut(out);
		cli.setErr(err);
		cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
			// Problems with the user's input or files are reported as one line that names them;
			// anything else is a bug and keeps its stack trace.
			if (e instanceof java.io.IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
					|| e.getClass().getName().equals("org.sbiworkbench.core.run.RunFileException")) {
				err.println("sbiw " + commandLine.getCommandName() + ": " + e.getMessage());
			} else {
				e.printStackTrace(err);
			}
			err.flush();
			return 1;
		});
		int code = cli.execute(args);
		out.flush();
		err.flush();
		return code;
	}

	private List<Simulator> sortedSimulators() {
		return simulators.get().stream().sorted(Comparator.comparing(s -> s.descriptor().id())).toList();
	}
}
