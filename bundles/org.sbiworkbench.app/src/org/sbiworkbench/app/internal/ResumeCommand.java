package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sbiw resume DIR}: completes an interrupted campaign exactly as if it had never stopped. */
@Command(name = "resume", description = "Complete an interrupted campaign: only its missing chunks are simulated, with the same seed, by the executor it was started with (a Slurm campaign follows its jobs still queued or running).")
final class ResumeCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "DIR", description = "The campaign folder.")
	Path dir;

	@Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0 = one per core (default).")
	int threads;

	@Override
	public Integer call() throws IOException {
		// Report before the progress closes: on Ctrl-C the JVM exits as soon as it does.
		try (TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr())) {
			CampaignRunner.Outcome outcome = Campaigns.resume(dir, id -> Commands.find(parent.simulators.get(), id), threads,
					CampaignExecutors::findExecutor, progress);
			try (CampaignStore store = CampaignStore.open(dir)) {
				spec.commandLine().getOut().println(Commands.summary(store.manifest()) + "; in " + dir);
				spec.commandLine().getOut().flush();
			}
			if (outcome == CampaignRunner.Outcome.CANCELLED) {
				spec.commandLine().getErr().println("Interrupted again; continue with: sbiw resume " + dir);
				spec.commandLine().getErr().flush();
				return Commands.INTERRUPTED;
			}
			return 0;
		}
	}
}
