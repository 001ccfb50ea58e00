package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.CampaignManifest;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.runs.InferenceRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw run FILE}: runs a run file: its simulation campaign (in
 * {@code <output>/simulations}, resumed if it was interrupted) and, when it
 * names an installed inference method, the inference (as {@code sbiw infer}).
 */
@Command(name = "run", description = "Run a run file (JSON): its simulations and, if it names a method, the inference.")
final class RunCommand implements Callable<Integer> {

	/** Exit code when the run file asks for an inference method that is not installed. */
	static final int METHOD_UNAVAILABLE = 4;

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "FILE", description = "The run file.")
	Path file;

	@Override
	public Integer call() throws Exception {
		RunFile run = RunFile.read(file);
		Simulator simulator = Commands.find(parent.simulators.get(), run.simulator())
				.orElseThrow(() -> new RunFileException(file + ": 'simulator' names '" + run.simulator()
						+ "', which is not registered; registered: "
						+ parent.simulators.get().stream().map(s -> s.descriptor().id()).toList()));
		Prior prior = run.resolvePrior(simulator.descriptor());
		Observation observation = run.resolveObservation(simulator.descriptor());
		CampaignSettings campaignSettings = new CampaignSettings(run.simulations(), run.seed(), run.chunkSize(), run.threads(),
				run.timeoutSeconds() == null ? null : Duration.ofMillis(Math.round(run.timeoutSeconds() * 1000)));
		if (run.method() != null) {
			// Checked before simulating, so a typo does not cost a campaign.
			if (parent.methods.get().stream().noneMatch(m -> m.id().equals(run.method()))) {
				spec.commandLine().getErr().println("sbiw run: inference method '" + run.method() + "' is not installed; installed: "
						+ parent.methods.get().stream().map(m -> m.id()).toList() + ". Remove 'method' to only simulate.");
				return METHOD_UNAVAILABLE;
			}
			InferenceRun inference = InferenceRun.of(run, new InferenceRun.Services(parent.simulators.get(), parent.methods.get(),
					parent.diagnostics.get(), CampaignExecutors.executors()));
			return Commands.execute(inference, spec.commandLine().getOut(), spec.commandLine().getErr());
		}
		Files.createDirectories(run.output());
		Path campaign = run.output().resolve("simulations");
		// Report before the progress closes: on Ctrl-C the JVM exits as soon as it does.
		try (TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr())) {
			CampaignRunner.Outcome outcome;
			if (Files.exists(campaign.resolve(CampaignStore.MANIFEST))) {
				checkSameCampaign(run, prior, campaign);
				outcome = Campaigns.resume(campaign, id -> Commands.find(parent.simulators.get(), id), run.threads(),
						CampaignExecutors::findExecutor, progress);
			} else {
				outcome = Campaigns.start(simulator, prior, run.usesDefaultPrior(), campaignSettings, campaign, executor(run), progress);
			}
			try (CampaignStore store = CampaignStore.open(campaign)) {
				spec.commandLine().getOut().println(Commands.summary(store.manifest()) + "; in " + campaign);
			}
			spec.commandLine().getOut().println("observation: " + observation.name() + " " + java.util.Arrays.toString(observation.values()));
			spec.commandLine().getOut().flush();
			if (outcome == CampaignRunner.Outcome.CANCELLED) {
				spec.commandLine().getErr().println("Interrupted; run the same command again to continue.");
				spec.commandLine().getErr().flush();
				return Commands.INTERRUPTED;
			}
		}
		return 0;
	}

	/** The run file's executor, configured with its settings ("local" without an "executor" section). */
	private static org.sbiworkbench.core.campaign.CampaignExecutor executor(RunFile run) throws RunFileException {
		RunFile.Executor wanted = run.executor() == null ? RunFile.Executor.LOCAL : run.executor();
		try {
			return CampaignExecutors.findExecutor(wanted.type())
					.orElseThrow(() -> new IllegalArgumentException("the '" + wanted.type() + "' executor is not installed; installed: "
							+ CampaignExecutors.executors().stream().map(e -> e.id()).toList()))
					.configure(wanted.settings());
		} catch (IllegalArgumentException e) {
			throw new RunFileException(run.source() + ": 'executor': " + e.getMessage(), e);
		}
	}

	/** A run resumed in an existing folder must be the same campaign, or the folder would mix two. */
	private void checkSameCampaign(RunFile run, Prior prior, Path campaign) throws IOException, RunFileException {
		try (CampaignStore store = CampaignStore.open(campaign)) {
			CampaignManifest m = store.manifest();
			if (!m.simulatorId().equals(run.simulator()) || m.seed() != run.seed() || m.simulations() != run.simulations()
					|| m.chunkSize() != run.chunkSize() || m.usesDefaultPrior() != run.usesDefaultPrior()
					|| !run.usesDefaultPrior() && !m.prior().equals(org.sbiworkbench.core.run.PriorSpecs.toJson(prior))) {
				throw new RunFileException(campaign + " holds a different campaign (simulator " + m.simulatorId() + ", "
						+ m.simulations() + " simulations, seed " + m.seed() + ", chunk size " + m.chunkSize()
						+ "); change 'output' in " + file + " or delete that folder");
			}
		}
	}
}
