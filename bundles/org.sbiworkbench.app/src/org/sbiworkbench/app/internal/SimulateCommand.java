package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sbiw simulate}: a simulation campaign into a folder. */
@Command(name = "simulate", description = "Run N simulations θ ~ prior, x ~ simulator(θ) in parallel into a campaign folder (.npy chunks + manifest.json).")
final class SimulateCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--simulator", required = true, description = "Simulator id (see 'sbiw simulators').")
	String simulatorId;

	@Option(names = { "--simulations", "-n" }, required = true, description = "Number of simulations.")
	long simulations;

	@Option(names = "--seed", description = "Campaign seed (default: drawn at random and recorded in the manifest).")
	Long seed;

	@Option(names = "--out", required = true, description = "Campaign folder (created; must not hold a campaign).")
	Path out;

	@Option(names = "--prior", description = "A JSON file with the prior (default: the simulator's default prior).")
	Path priorFile;

	@Option(names = "--chunk-size", defaultValue = "" + CampaignSettings.DEFAULT_CHUNK_SIZE, description = "Simulations per stored chunk (default: ${DEFAULT-VALUE}).")
	int chunkSize;

	@Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0 = one per core (default). Results do not depend on it.")
	int threads;

	@Option(names = "--timeout", description = "Seconds after which a hung simulation is abandoned and recorded as a timeout.")
	Double timeoutSeconds;

	@Override
	public Integer call() throws IOException, RunFileException {
		Simulator simulator = Commands.require(spec, parent.simulators.get(), simulatorId);
		Prior prior = simulator.descriptor().defaultPrior();
		boolean defaultPrior = true;
		if (priorFile != null) {
			prior = PriorSpecs.fromJson(new ObjectMapper().readTree(Files.readAllBytes(priorFile)),
					simulator.descriptor().parameters(), priorFile.toString());
			defaultPrior = false;
		}
		long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
		Duration timeout = timeoutSeconds == null ? null : Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000)));
		CampaignSettings settings = new CampaignSettings(simulations, s, chunkSize, threads, timeout);
		// Report before the progress closes: on Ctrl-C the JVM exits as soon as it does.
		try (TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr())) {
			return report(out, Campaigns.start(simulator, prior, defaultPrior, settings, out, progress));
		}
	}

	int report(Path dir, CampaignRunner.Outcome outcome) throws IOException {
		try (CampaignStore store = CampaignStore.open(dir)) {
			spec.commandLine().getOut().println(Commands.summary(store.manifest()) + "; in " + dir);
			spec.commandLine().getOut().flush();
		}
		if (outcome == CampaignRunner.Outcome.CANCELLED) {
			spec.commandLine().getErr().println("Interrupted; finished chunks are saved. Continue with: sbiw resume " + dir);
			spec.commandLine().getErr().flush();
			return Commands.INTERRUPTED;
		}
		return 0;
	}
}
