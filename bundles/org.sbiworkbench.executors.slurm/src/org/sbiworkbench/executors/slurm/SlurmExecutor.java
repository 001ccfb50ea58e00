package org.sbiworkbench.executors.slurm;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.executors.slurm.internal.JobLedger;
import org.sbiworkbench.executors.slurm.internal.SlurmClient;

/**
 * Runs a campaign as a Slurm job array. Each array task runs
 * {@code sbiw simulate-chunks} on a compute node, which writes its chunks
 * into the campaign folder (shared storage) in the usual crash-safe format.
 * This side, the submitter, holds the campaign, submits one array over the
 * missing chunks, follows it with squeue/scontrol and the commit records that
 * appear, resubmits tasks that ended without their chunks (failed, cancelled,
 * node lost) up to {@link SlurmSettings#retries()} times and then records their
 * simulations as {@link FailureKind#LOST}, so the campaign completes with them
 * counted.
 * <p>
 * The folder is the state: {@code slurm/jobs.json} lists the submitted arrays,
 * so a submitter started again (after it was killed, or by {@code sbiw resume})
 * follows the tasks still queued or running and submits only chunks neither
 * stored nor in flight. {@code slurm/simulate-chunks.sbatch} is the batch
 * script, {@code slurm/logs/} the tasks' output, {@code slurm/submitter.log}
 * what the submitter did.
 */
public final class SlurmExecutor implements CampaignExecutor {

	public static final String ID = "slurm";
	public static final String SLURM_FOLDER = "slurm";
	public static final String SCRIPT = "simulate-chunks.sbatch";

	/** How long a task that ended as COMPLETED may take for its chunks to show on shared storage (attribute caches). */
	static final double VISIBILITY_GRACE_SECONDS = 30;
	/** How long the submitter waits for a controller that does not answer before it gives up (the jobs go on). */
	static final long QUEUE_PATIENCE_SECONDS = 300;

	private final SlurmSettings settings;

	public SlurmExecutor(SlurmSettings settings) {
		this.settings = settings;
	}

	public SlurmSettings slurmSettings() {
		return settings;
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public Map<String, String> settings() {
		return settings.toMap();
	}

	@Override
	public CampaignExecutor configure(Map<String, String> map) {
		return new SlurmExecutor(SlurmSettings.fromMap(map));
	}

	/** Chunks per array task for a campaign with this chunk size. */
	public int chunksPerTask(int campaignChunkSize) {
		if (settings.chunkSize() == null) {
			return 1;
		}
		if (settings.chunkSize() % campaignChunkSize != 0) {
			throw new IllegalArgumentException("Slurm setting 'chunk-size' (" + settings.chunkSize()
					+ " simulations per array task) must be a multiple of the campaign's chunk size (" + campaignChunkSize + ")");
		}
		return settings.chunkSize() / campaignChunkSize;
	}

	/**
	 * The launcher the compute nodes run: the setting, else this installation's
	 * {@code sbiw} (found from the Equinox launcher's system properties).
	 */
	public Path launcher() throws IOException {
		Path p = settings.launcher();
		if (p == null) {
			p = ownLauncher();
			if (p == null) {
				throw new IOException("Cannot tell where this installation's 'sbiw' launcher is (no eclipse.launcher or "
						+ "eclipse.home.location system property); give it with the setting launcher "
						+ "(sbiw simulate ... --launcher /shared/sbiworkbench/sbiw)");
			}
		}
		if (!Files.isExecutable(p)) {
			throw new IOException("The launcher " + p + " does not exist or cannot be run; the compute nodes start SBI Workbench "
					+ "with it, so it must be an installation on storage they see (set it with the setting launcher)");
		}
		return p;
	}

	static Path ownLauncher() {
		String launcher = System.getProperty("eclipse.launcher");
		if (launcher != null && Path.of(launcher).getFileName().toString().equals("sbiw") && Files.isExecutable(Path.of(launcher))) {
			return Path.of(launcher).toAbsolutePath();
		}
		String home = System.getProperty("eclipse.home.location", System.getProperty("osgi.install.area"));
		if (home != null) {
			try {
				Path p = Path.of(new URI(home.replace(" ", "%20"))).resolve("sbiw");
				if (Files.isExecutable(p)) {
					return p.toAbsolutePath();
				}
			} catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
				return null;
			}
		}
		return null;
	}

	/**
	 * The batch script of the campaign in {@code dir}: #SBATCH lines, the lab's
	 * set-up lines, then {@code exec launcher simulate-chunks dir --array-task}.
	 */
	public String batchScript(Path dir, Path launcher, int chunksPerTask) {
		Path abs = dir.toAbsolutePath().normalize();
		if (abs.toString().matches(".*\\s.*")) {
			throw new IllegalArgumentException("The campaign folder " + abs + " has white space in its path, which #SBATCH lines cannot hold; choose a folder without");
		}
		StringBuilder s = new StringBuilder();
		s.append("#!/bin/bash\n");
		s.append("# Written by SBI Workbench for the campaign in ").append(abs).append(".\n");
		s.append("# Array task g simulates chunks g*").append(chunksPerTask).append(" .. g*").append(chunksPerTask).append("+")
				.append(chunksPerTask - 1).append(" into that folder.\n");
		s.append("#SBATCH --job-name=sbiw-").append(abs.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_")).append('\n');
		s.append("#SBATCH --output=").append(abs.resolve(SLURM_FOLDER).resolve("logs")).append("/%A_%a.out\n");
		s.append("#SBATCH --ntasks=1\n");
		s.append("#SBATCH --cpus-per-task=").append(settings.cpusPerTask()).append('\n');
		if (settings.partition() != null) {
			s.append("#SBATCH --partition=").append(settings.partition()).append('\n');
		}
		if (settings.timeLimit() != null) {
			s.append("#SBATCH --time=").append(settings.timeLimit()).append('\n');
		}
		if (settings.memory() != null) {
			s.append("#SBATCH --mem=").append(settings.memory()).append('\n');
		}
		if (settings.account() != null) {
			s.append("#SBATCH --account=").append(settings.account()).append('\n');
		}
		for (String o : settings.extraOptions()) {
			s.append("#SBATCH ").append(o).append('\n');
		}
		s.append('\n');
		for (String line : settings.setupLines()) {
			s.append(line).append('\n');
		}
		long mb = settings.memoryMegabytes();
		if (mb > 0) {
			// The JVM's heap inside the task's memory, leaving room for the JVM itself.
			s.append("export SBIW_JAVA_OPTS=\"${SBIW_JAVA_OPTS:-} -Xmx").append(Math.max(64, mb * 3 / 4)).append("m\"\n");
		}
		s.append("exec ").append(quote(launcher.toString())).append(" simulate-chunks ").append(quote(abs.toString()))
				.append(" --array-task --chunks-per-task ").append(chunksPerTask).append(" --threads \"${SLURM_CPUS_PER_TASK:-1}\"\n");
		return s.toString();
	}

	static String quote(String s) {
		return "'" + s.replace("'", "'\\''") + "'";
	}

	/** Slurm's commands, the launcher and the grouping of chunks, checked before the campaign folder is made. */
	@Override
	public void checkReady(CampaignSettings campaign) throws IOException {
		new SlurmClient(settings.slurmBin()).check();
		launcher();
		chunksPerTask(campaign.chunkSize());
	}

	@Override
	public CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, Prior prior, CampaignSettings campaign,
			ProgressMonitor monitor) throws IOException {
		Path dir = store.folder().toAbsolutePath().normalize();
		SlurmClient slurm = new SlurmClient(settings.slurmBin());
		slurm.check();
		Path slurmDir = dir.resolve(SLURM_FOLDER);
		Files.createDirectories(slurmDir.resolve("logs"));
		JobLedger ledger = JobLedger.load(slurmDir, chunksPerTask(campaign.chunkSize()));
		int perTask = ledger.chunksPerTask(); // a resumed campaign keeps its grouping
		Path script = slurmDir.resolve(SCRIPT);
		org.sbiworkbench.core.storage.AtomicFiles.write(script, batchScript(dir, launcher(), perTask).getBytes(StandardCharsets.UTF_8));
		return new Follow(store, prior, campaign, monitor, slurm, ledger, perTask, script, slurmDir.resolve("submitter.log")).run();
	}

	/** One run of the submitter: submit, follow, resubmit, record, until every chunk is stored or cancelled. */
	private final class Follow {
		final CampaignStore store;
		final Prior prior;
		final CampaignSettings campaign;
		final ProgressMonitor monitor;
		final SlurmClient slurm;
		final JobLedger ledger;
		final int perTask;
		final int groups;
		final Path script;
		final Path log;
		/** When a group was first seen ended without its chunks, for the visibility grace. */
		final Map<Integer, Long> endedSince = new HashMap<>();
		/** Held tasks this submitter has cancelled already (scancel takes a moment to show in squeue). */
		final Set<String> heldCancelled = new HashSet<>();
		long manifestWritten = System.nanoTime();
		long queueFailingSince = -1;

		Follow(CampaignStore store, Prior prior, CampaignSettings campaign, ProgressMonitor monitor, SlurmClient slurm,
				JobLedger ledger, int perTask, Path script, Path log) {
			this.store = store;
			this.prior = prior;
			this.campaign = campaign;
			this.monitor = monitor;
			this.slurm = slurm;
			this.ledger = ledger;
			this.perTask = perTask;
			this.groups = (campaign.chunkCount() + perTask - 1) / perTask;
			this.script = script;
			this.log = log;
		}

		CampaignRunner.Outcome run() throws IOException {
			store.refresh();
			long todo = 0;
			for (int k = 0; k < campaign.chunkCount(); k++) {
				if (!store.completedChunks().contains(k)) {
					todo += campaign.rowsInChunk(k);
				}
			}
			monitor.begin("Simulating on Slurm", todo);
			if (!ledger.isEmpty()) {
				log("started again with " + store.completedChunks().size() + " of " + campaign.chunkCount()
						+ " chunks stored; following the tasks of job arrays " + jobsOf(missingGroups()) + " still queued or running");
			}
			try {
				while (true) {
					if (monitor.isCanceled() || Thread.currentThread().isInterrupted()) {
						cancelAll();
						return CampaignRunner.Outcome.CANCELLED;
					}
					// squeue first, then the folder: a task that left the queue wrote its chunks before it did.
					List<Integer> missingGroups = missingGroups();
					Map<String, String> live;
					try {
						live = slurm.liveTasks(jobsOf(missingGroups));
						queueFailingSince = -1;
					} catch (IOException e) {
						// A busy or restarting controller: wait for it a while rather than lose the campaign's jobs.
						long now = System.nanoTime();
						if (queueFailingSince < 0) {
							queueFailingSince = now;
							log("squeue failed, waiting for the Slurm controller: " + e.getMessage());
						}
						if ((now - queueFailingSince) / 1e9 > QUEUE_PATIENCE_SECONDS) {
							throw new IOException("Slurm's queue could not be read for " + QUEUE_PATIENCE_SECONDS + " s (" + e.getMessage()
									+ "); the jobs keep running: continue with 'sbiw resume " + store.folder() + "' when the cluster answers", e);
						}
						sleep();
						continue;
					}
					Set<Integer> found = store.refresh();
					for (int k : found) {
						monitor.worked(campaign.rowsInChunk(k));
					}
					if (!found.isEmpty() && System.nanoTime() - manifestWritten > 5_000_000_000L) {
						store.writeProgress(); // so that readers of the manifest (the workbench) see the progress
						manifestWritten = System.nanoTime();
					}
					missingGroups = missingGroups();
					if (missingGroups.isEmpty()) {
						store.writeProgress();
						return CampaignRunner.Outcome.COMPLETED;
					}
					List<Integer> submit = new ArrayList<>();
					for (int g : missingGroups) {
						JobLedger.Submission s = ledger.latest(g);
						if (s == null) {
							submit.add(g); // never submitted, or cancelled by an earlier submitter
							continue;
						}
						String queued = live.get(s.jobId() + "_" + g);
						if (queued != null) {
							endedSince.remove(g);
							if (SlurmClient.held(queued) && heldCancelled.add(s.jobId() + "_" + g)) {
								// It would wait forever: cancel it, so that it counts as lost and is submitted again.
								log("array task " + s.jobId() + "_" + g + " is held by Slurm (" + queued + "); cancelling it to submit it again");
								slurm.cancel(List.of(s.jobId() + "_" + g));
							}
							continue;
						}
						String problem = ended(s.jobId(), g);
						if (problem == null) {
							continue; // ended COMPLETED: its chunks may still be on their way to this machine
						}
						if (ledger.attempts(g) <= settings.retries()) {
							log("array task " + s.jobId() + "_" + g + " ended without chunks " + missingChunks(g) + " (" + problem
									+ "); submitting it again (attempt " + (ledger.attempts(g) + 1) + " of " + (settings.retries() + 1) + ")");
							submit.add(g);
						} else {
							recordLost(g, s.jobId(), problem);
						}
					}
					if (!submit.isEmpty()) {
						String job = slurm.submitArray(script, submit, settings.maxConcurrent());
						ledger.add(job, submit);
						ledger.save();
						log("submitted job array " + job + " over tasks " + SlurmClient.ranges(submit) + " (" + perTask
								+ " chunk(s) of " + campaign.chunkSize() + " simulations each)");
						continue; // look at the queue again before sleeping: the new tasks are in it
					}
					sleep();
				}
			} finally {
				monitor.done();
			}
		}

		List<Integer> missingGroups() {
			Set<Integer> done = store.completedChunks();
			List<Integer> missing = new ArrayList<>();
			for (int g = 0; g < groups; g++) {
				if (!done.containsAll(chunksOf(g))) {
					missing.add(g);
				}
			}
			return missing;
		}

		List<Integer> chunksOf(int g) {
			List<Integer> c = new ArrayList<>();
			for (int k = g * perTask; k < Math.min(campaign.chunkCount(), (g + 1) * perTask); k++) {
				c.add(k);
			}
			return c;
		}

		List<Integer> missingChunks(int g) {
			Set<Integer> done = store.completedChunks();
			List<Integer> c = chunksOf(g);
			c.removeIf(done::contains);
			return c;
		}

		List<String> jobsOf(List<Integer> missingGroups) {
			Set<String> ids = new TreeSet<>();
			for (int g : missingGroups) {
				JobLedger.Submission s = ledger.latest(g);
				if (s != null) {
					ids.add(s.jobId());
				}
			}
			return new ArrayList<>(ids);
		}

		/**
		 * Why the task ended without its chunks, or null to wait a little more:
		 * a task that ended as COMPLETED (or that the controller forgot) gets
		 * {@link #VISIBILITY_GRACE_SECONDS} for its files to show on shared storage.
		 */
		String ended(String jobId, int g) throws IOException {
			SlurmClient.TaskState state = slurm.show(jobId, g);
			if (state != null && !state.ended()) {
				return null; // between squeue and scontrol it is still there (e.g. requeued)
			}
			String logFile = store.folder().toAbsolutePath().resolve(SLURM_FOLDER).resolve("logs").resolve(jobId + "_" + g + ".out").toString();
			if (state == null || state.state().equals("COMPLETED")) {
				long now = System.nanoTime();
				long since = endedSince.computeIfAbsent(g, k -> now);
				if ((now - since) / 1e9 < VISIBILITY_GRACE_SECONDS) {
					return null;
				}
				return (state == null ? "gone from the queue, no longer known to scontrol" : "COMPLETED") + "; see " + logFile;
			}
			endedSince.remove(g);
			return state.state() + ", exit code " + state.exitCode() + (state.reason().equals("None") ? "" : ", reason " + state.reason())
					+ "; see " + logFile;
		}

		/** The rows of the group's missing chunks become LOST failures; θ is the row's own draw. */
		void recordLost(int g, String jobId, String problem) throws IOException {
			int obs = store.manifest().observations().size();
			for (int k : missingChunks(g)) {
				int rows = campaign.rowsInChunk(k);
				long first = (long) k * campaign.chunkSize();
				double[][] theta = new double[rows][];
				double[][] x = new double[rows][];
				byte[] status = new byte[rows];
				List<Failure> failures = new ArrayList<>();
				String reason = "array task " + jobId + "_" + g + " was submitted " + ledger.attempts(g)
						+ " times and never stored this simulation; last: " + problem;
				for (int i = 0; i < rows; i++) {
					RandomGenerator random = Seeds.forRow(campaign.seed(), first + i);
					theta[i] = prior.sample(random);
					x[i] = new double[obs];
					Arrays.fill(x[i], Double.NaN);
					status[i] = FailureKind.LOST.code();
					failures.add(new Failure(first + i, FailureKind.LOST, reason));
				}
				store.accept(new Chunk(k, first, theta, x, status, failures));
				monitor.worked(rows);
				log("chunk " + k + " recorded as " + rows + " lost simulations: " + reason);
			}
		}

		void cancelAll() throws IOException {
			Map<String, List<Integer>> interrupted = new java.util.TreeMap<>((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
			List<Integer> missing = missingGroups();
			Map<String, String> live = slurm.liveTasks(jobsOf(missing));
			for (String task : live.keySet()) {
				String job = task.substring(0, task.indexOf('_'));
				interrupted.computeIfAbsent(job, j -> new ArrayList<>()).add(Integer.parseInt(task.substring(task.indexOf('_') + 1)));
			}
			slurm.cancel(new ArrayList<>(interrupted.keySet()));
			ledger.cancelled(interrupted);
			ledger.save();
			log("cancelled: scancel " + String.join(" ", interrupted.keySet()));
		}

		void sleep() {
			try {
				Thread.sleep((long) (settings.pollSeconds() * 1000));
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}

		void log(String line) {
			try {
				Files.writeString(log, Instant.now() + " " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
			} catch (IOException e) {
				// the log is a convenience; the ledger is the state
			}
		}
	}
}
