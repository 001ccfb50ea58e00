package org.sbiworkbench.app.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.runs.InferenceRun;
import org.sbiworkbench.runs.Report;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw demo}: a complete example — NPE on the particle-physics bump hunt's default spectrum, with
 * coverage, SBC, PPC and the misspecification check — ending in a report folder with {@code index.html}.
 */
@Command(name = "demo", description = "Run a complete example (NPE on the bump-hunt spectrum with coverage, SBC and PPC) and write its report.")
final class DemoCommand implements Callable<Integer> {

	static final String SIMULATOR = "bump_hunt";

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--out", defaultValue = "sbiw-demo", description = "Report folder (default: ${DEFAULT-VALUE}).")
	Path out;

	@Option(names = "--simulations", defaultValue = "5000", description = "Simulation budget (default: ${DEFAULT-VALUE}).")
	long simulations;

	@Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
	long seed;

	@Override
	public Integer call() throws Exception {
		Simulator simulator = parent.simulators.get().stream().filter(s -> s.descriptor().id().equals(SIMULATOR)).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "the demo needs the '" + SIMULATOR
						+ "' simulator (bundle org.sbiworkbench.simulators.particle), which is not installed"));
		InferenceMethod npe = parent.methods.get().stream().filter(m -> m.id().equals("npe")).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "the demo needs NPE (bundle org.sbiworkbench.estimators.npe)"));
		var d = simulator.descriptor();
		spec.commandLine().getOut().printf("Demo: NPE on %s (%s), %d simulations, seed %d, observation '%s'%n", d.id(), d.name(), simulations,
				seed, d.defaultObservations().get(0).name());
		spec.commandLine().getOut().flush();
		var checks = Report.resolve(java.util.List.of("coverage", "sbc", "ppc", "misspecification"), parent.diagnostics.get());
		return Commands.execute(new InferenceRun(simulator, npe, d.defaultPrior(), true, d.defaultObservations().get(0),
				new CampaignSettings(simulations, seed, CampaignSettings.DEFAULT_CHUNK_SIZE, 0, null), Map.of(), InferenceRun.DEFAULT_SAMPLES,
				out, checks, Map.of()), spec.commandLine().getOut(), spec.commandLine().getErr());
	}
}
