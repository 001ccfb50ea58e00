package org.sbiworkbench.app.internal;

import java.util.List;
import java.util.function.Supplier;

import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.diagnostics.Diagnostic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code sbiw} command; each piece of work is a subcommand. */
@Command(name = "sbiw", mixinStandardHelpOptions = true, version = "SBI Workbench 0.1.0",
		description = "Simulation-based inference: run simulators, infer posteriors, check them.",
		subcommands = { DemoCommand.class, SimulatorsCommand.class, SimulateCommand.class, ResumeCommand.class, SimulateChunksCommand.class, RunCommand.class, InferCommand.class, BenchCommand.class, BenchNpeCommand.class, BenchKernelsCommand.class, BenchSimulatorsCommand.class, BenchMcmcCommand.class })
public final class SbiwCommand implements Runnable {

	final Supplier<List<Simulator>> simulators;
	final Supplier<List<InferenceMethod>> methods;
	final Supplier<List<Diagnostic>> diagnostics;

	@Spec
	CommandSpec spec;

	public SbiwCommand(Supplier<List<Simulator>> simulators, Supplier<List<InferenceMethod>> methods,
			Supplier<List<Diagnostic>> diagnostics) {
		this.simulators = simulators;
		this.methods = methods;
		this.diagnostics = diagnostics;
	}

	@Override
	public void run() {
		// No subcommand: say what there is.
		spec.commandLine().usage(spec.commandLine().getOut());
	}
}
