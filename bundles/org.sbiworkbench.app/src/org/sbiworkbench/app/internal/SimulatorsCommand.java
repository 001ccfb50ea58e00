package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sbiw simulators}: one line per registered simulator, its id first. */
@Command(name = "simulators", description = "List the registered simulators: id, parameters with their default priors, observations.")
final class SimulatorsCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter out = spec.commandLine().getOut();
		List<Simulator> simulators = parent.simulators.get();
		if (simulators.isEmpty()) {
			spec.commandLine().getErr().println("No simulators are registered. Simulators are Declarative Services: "
					+ "check that org.apache.felix.scr is installed and started, and that a simulator bundle is present.");
			return 1;
		}
		for (Simulator s : simulators) {
			out.println(line(s.descriptor()));
		}
		return 0;
	}

	/** e.g. {@code two_moons  theta_1 ~ U(-1, 1), theta_2 ~ U(-1, 1)  ->  x_1, x_2  (Two moons; Benchmark)} */
	static String line(SimulatorDescriptor d) {
		Prior prior = d.defaultPrior();
		StringBuilder s = new StringBuilder(d.id()).append("  ");
		for (int i = 0; i < d.parameterDimension(); i++) {
			s.append(i == 0 ? "" : ", ").append(d.parameters().get(i).label()).append(" ~ ").append(prior.describe(i));
		}
		s.append("  ->  ").append(String.join(", ", d.observationNames()));
		return s.append("  (").append(d.name()).append("; ").append(d.domain().displayName()).append(")").toString();
	}
}
