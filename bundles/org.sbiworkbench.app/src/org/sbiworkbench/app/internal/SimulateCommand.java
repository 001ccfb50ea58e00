package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
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
import picocli.CommandLine.ParameterException;
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

	@Option(names = "--executor", defaultValue = CampaignExecutor.LOCAL, description = "Where the simulations run: local (this machine's threads, the default) or slurm (a job array on the cluster this machine submits to).")
	String executorId;

	@Option(names = "--partition", description = "Slurm: the partition (queue) to submit to (default: the cluster's default partition).")
	String partition;

	@Option(names = "--time-limit", description = "Slurm: time limit of each array task, e.g. 00:30:00 or 1-00:00:00.")
	String timeLimit;

	@Option(names = "--memory", description = "Slurm: memory per array task, e.g. 2G (sbatch --mem).")
	String memory;

	@Option(names = "--cpus-per-task", description = "Slurm: CPUs per array task; the task simulates on that many threads (default: 1).")
	Integer cpusPerTask;

	@Option(names = "--setup", description = "Slurm: a line the batch script runs before SBI Workbench starts, e.g. 'module load java/17' (repeatable).")
	List<String> setup;

	@Option(names = "--max-concurrent", description = "Slurm: at most this many array tasks run at once (sbatch --array=...%%N; default: no limit).")
	Integer maxConcurrent;

	@Option(names = "--slurm-chunk-size", description = "Slurm: simulations per array task (a multiple of the chunk size; when --chunk-size is not given, the chunk size).")
	Integer slurmChunkSize;

	@Option(names = "--retries", description = "Slurm: how often a failed, cancelled or lost array task is resubmitted before its simulations are recorded as lost (default: 2).")
	Integer retries;

	@Option(names = "--launcher", description = "Slurm: the sbiw launcher the compute nodes run (default: this installation's; it must be on storage the nodes see).")
	String launcher;

	@Option(names = "--executor-setting", paramLabel = "KEY=VALUE", description = "Any other executor setting, e.g. slurm-bin=/opt/slurm/bin (repeatable).")
	Map<String, String> executorSettings;

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
		CampaignExecutor executor = executor();
		int chunk = chunkSize;
		if (slurmChunkSize != null && !spec.commandLine().getParseResult().hasMatchedOption("--chunk-size")) {
			chunk = slurmChunkSize;
		}
		CampaignSettings settings = new CampaignSettings(simulations, s, chunk, threads, timeout);
		// Report before the progress closes: on Ctrl-C the JVM exits as soon as it does.
		try (TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr())) {
			return report(out, Campaigns.start(simulator, prior, defaultPrior, settings, out, executor, progress));
		}
	}

	/** The executor named by --executor, configured by the executor options given. */
	CampaignExecutor executor() {
		Map<String, String> given = new LinkedHashMap<>();
		put(given, "partition", partition);
		put(given, "time-limit", timeLimit);
		put(given, "memory", memory);
		put(given, "cpus-per-task", cpusPerTask);
		put(given, "setup", setup == null ? null : String.join("\n", setup));
		put(given, "max-concurrent", maxConcurrent);
		put(given, "chunk-size", slurmChunkSize);
		put(given, "retries", retries);
		put(given, "launcher", launcher);
		if (executorSettings != null) {
			given.putAll(executorSettings);
		}
		CampaignExecutor executor = CampaignExecutors.requireExecutor(spec, executorId);
		if (executor.id().equals(CampaignExecutor.LOCAL) && !given.isEmpty()) {
			throw new ParameterException(spec.commandLine(), "Executor settings " + given.keySet()
					+ " were given but the campaign runs locally; add --executor slurm to run it on the cluster");
		}
		try {
			return executor.configure(given);
		} catch (IllegalArgumentException e) {
			throw new ParameterException(spec.commandLine(), e.getMessage());
		}
	}

	private static void put(Map<String, String> map, String key, Object value) {
		if (value != null) {
			map.put(key, value.toString());
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
