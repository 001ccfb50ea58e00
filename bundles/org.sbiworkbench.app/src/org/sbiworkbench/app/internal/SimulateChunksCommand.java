package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw simulate-chunks DIR}: the worker side of a cluster executor.
 * Simulates some chunks of an existing campaign into its folder while another
 * process (the submitter) owns the campaign; chunks already stored are skipped.
 * Hidden from the main help: the Slurm executor's batch script runs it.
 */
@Command(name = "simulate-chunks", hidden = true,
		description = "Simulate some chunks of an existing campaign into its folder (run by cluster jobs; the submitting 'sbiw simulate' owns the campaign).")
final class SimulateChunksCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "DIR", description = "The campaign folder (on storage the submitter sees too).")
	Path dir;

	@Option(names = "--chunks", split = ",", description = "Chunk indices to simulate, e.g. 12,13.")
	List<Integer> chunks;

	@Option(names = "--group", description = "Simulate chunks GROUP*K .. GROUP*K+K-1, K = --chunks-per-task.")
	Integer group;

	@Option(names = "--array-task", description = "Take the group from the environment variable SLURM_ARRAY_TASK_ID.")
	boolean arrayTask;

	@Option(names = "--chunks-per-task", defaultValue = "1", description = "Chunks per group (default: ${DEFAULT-VALUE}).")
	int chunksPerTask;

	@Option(names = "--threads", description = "Worker threads (default: SLURM_CPUS_PER_TASK, else 1).")
	Integer threads;

	@Override
	public Integer call() throws IOException {
		Set<Integer> todo = new TreeSet<>();
		int sources = (chunks != null ? 1 : 0) + (group != null ? 1 : 0) + (arrayTask ? 1 : 0);
		if (sources != 1) {
			throw new ParameterException(spec.commandLine(), "Give exactly one of --chunks, --group or --array-task");
		}
		if (chunksPerTask < 1) {
			throw new ParameterException(spec.commandLine(), "--chunks-per-task must be at least 1, got " + chunksPerTask);
		}
		if (chunks != null) {
			todo.addAll(chunks);
		} else {
			int g;
			if (arrayTask) {
				String id = System.getenv("SLURM_ARRAY_TASK_ID");
				if (id == null || !id.matches("\\d+")) {
					throw new ParameterException(spec.commandLine(), "--array-task needs SLURM_ARRAY_TASK_ID (set by Slurm in a job array task); got "
							+ (id == null ? "nothing" : "'" + id + "'"));
				}
				g = Integer.parseInt(id);
			} else {
				g = group;
			}
			int chunkCount;
			try (CampaignStore store = CampaignStore.openForChunks(dir)) {
				chunkCount = store.manifest().chunkCount();
			}
			for (int k = g * chunksPerTask; k < Math.min(chunkCount, (g + 1) * chunksPerTask); k++) {
				todo.add(k);
			}
			if (todo.isEmpty()) {
				throw new ParameterException(spec.commandLine(), "Group " + g + " holds no chunk of the campaign in " + dir + " (it has "
						+ chunkCount + " chunks, " + chunksPerTask + " per group)");
			}
		}
		int n = threads != null ? threads : envInt("SLURM_CPUS_PER_TASK", 1);
		long started = System.nanoTime();
		CampaignRunner.Outcome outcome = Campaigns.simulateChunks(dir, todo, id -> Commands.find(parent.simulators.get(), id), n, ProgressMonitor.NULL);
		spec.commandLine().getOut().printf("chunks %s of %s: %s in %.1f s with %d threads%n", todo, dir,
				outcome == CampaignRunner.Outcome.COMPLETED ? "stored" : "interrupted", (System.nanoTime() - started) / 1e9, n);
		spec.commandLine().getOut().flush();
		return outcome == CampaignRunner.Outcome.COMPLETED ? 0 : Commands.INTERRUPTED;
	}

	private static int envInt(String name, int fallback) {
		String v = System.getenv(name);
		return v != null && v.matches("\\d+") && Integer.parseInt(v) > 0 ? Integer.parseInt(v) : fallback;
	}
}
