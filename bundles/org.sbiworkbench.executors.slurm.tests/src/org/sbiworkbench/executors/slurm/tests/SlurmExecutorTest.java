package org.sbiworkbench.executors.slurm.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.executors.slurm.SlurmExecutor;
import org.sbiworkbench.executors.slurm.SlurmSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The submitter against fake sbatch/squeue/scontrol/scancel scripts and a
 * thread playing the cluster: resubmission of lost tasks, failures recorded
 * after the retries, a restarted submitter following the jobs in flight,
 * cancellation.
 */
class SlurmExecutorTest {

	static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));
	static final CampaignSettings SETTINGS = new CampaignSettings(1_050, 5, 100, 1, null); // 11 chunks, the last short

	/** x = (a + n, b + n, a·b + n). */
	static final Simulator SIM = new Simulator() {
		final SimulatorDescriptor d = new SimulatorDescriptor("toy", "toy", Domain.OTHER, "1", "test", P, List.of("x1", "x2", "x3"),
				BoxUniformPrior.of(P, -1, 1), List.of(), List.of());

		@Override
		public SimulatorDescriptor descriptor() {
			return d;
		}

		@Override
		public double[] simulate(double[] t, org.apache.commons.math3.random.RandomGenerator r) {
			return new double[] { t[0] + r.nextGaussian(), t[1] + r.nextGaussian(), t[0] * t[1] + r.nextGaussian() };
		}
	};

	static SlurmExecutor executor(FakeSlurm fake, Path launcher, Map<String, String> more) {
		Map<String, String> m = new java.util.HashMap<>(Map.of("slurm-bin", fake.bin.toString(), "launcher", launcher.toString(),
				"poll-seconds", "0.02", "max-concurrent", "3"));
		m.putAll(more);
		return new SlurmExecutor(SlurmSettings.fromMap(m));
	}

	static Path launcher(Path tmp) throws IOException {
		Path p = tmp.resolve("sbiw");
		Files.writeString(p, "#!/bin/sh\nexit 0\n");
		Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
		return p;
	}

	static SimulationSet local(Path tmp) throws IOException {
		Path ref = tmp.resolve("local");
		Campaigns.start(SIM, SIM.descriptor().defaultPrior(), true, SETTINGS, ref, ProgressMonitor.NULL);
		try (CampaignStore s = CampaignStore.open(ref)) {
			return s.load();
		}
	}

	static JsonNode ledger(Path dir) throws IOException {
		return new ObjectMapper().readTree(dir.resolve("slurm/jobs.json").toFile());
	}

	@Test
	void aTaskThatFailsIsSubmittedAgainAndTheCampaignEqualsALocalRun(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		// Task 3 of the first array fails, task 7 is cancelled (scancel by someone); their second runs succeed.
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 1, (job, task, n) -> n == 1 && task == 3 ? FakeSlurm.Fate.FAIL
				: n == 1 && task == 7 ? FakeSlurm.Fate.CANCEL : FakeSlurm.Fate.RUN).start()) {
			CampaignRunner.Outcome outcome;
			try (CampaignStore store = CampaignStore.open(dir)) {
				outcome = executor(fake, launcher(tmp), Map.of()).execute(store, SIM, SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL);
				store.finish(outcome == CampaignRunner.Outcome.COMPLETED);
			}
			assertEquals(CampaignRunner.Outcome.COMPLETED, outcome);
			List<String> arrays = fake.arrays();
			assertEquals("0-10%3", arrays.get(0), "one array over every chunk");
			List<Integer> again = new java.util.ArrayList<>();
			arrays.subList(1, arrays.size()).forEach(a -> again.addAll(FakeSlurm.expand(a)));
			again.sort(null);
			assertEquals(List.of(3, 7), again, "then the lost tasks again, once each: " + arrays);
			JsonNode l = ledger(dir);
			assertEquals(2, l.at("/attempts/3").asInt());
			assertEquals(2, l.at("/attempts/7").asInt());
			assertEquals(1, l.at("/attempts/4").asInt());
			String log = Files.readString(dir.resolve("slurm/submitter.log"));
			assertTrue(log.contains("_3 ended without chunks [3] (FAILED, exit code 1:0"), log);
			assertTrue(log.contains("_7 ended without chunks [7] (CANCELLED"), log);
		}
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals("complete", store.manifest().status());
			assertEquals(0, store.manifest().failures());
			assertSameRows(local(tmp), store.load(), -1);
		}
	}

	@Test
	void aTaskSlurmHoldsAfterAFailedLaunchIsCancelledAndSubmittedAgain(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		// Task 5's first launch fails and Slurm holds it ("launch failed requeued held"): it would never start.
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 1, (job, task, n) -> n == 1 && task == 5 ? FakeSlurm.Fate.HOLD
				: FakeSlurm.Fate.RUN).start()) {
			CampaignRunner.Outcome outcome;
			try (CampaignStore store = CampaignStore.open(dir)) {
				outcome = executor(fake, launcher(tmp), Map.of()).execute(store, SIM, SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL);
				store.finish(outcome == CampaignRunner.Outcome.COMPLETED);
			}
			assertEquals(CampaignRunner.Outcome.COMPLETED, outcome);
			assertTrue(fake.cancelled().stream().anyMatch(l -> l.contains("_5")), "the held task was cancelled: " + fake.cancelled());
			assertEquals(2, ledger(dir).at("/attempts/5").asInt(), "and submitted once more");
			String log = Files.readString(dir.resolve("slurm/submitter.log"));
			assertTrue(log.contains("_5 is held by Slurm (PENDING launch failed requeued held)"), log);
		}
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals(0, store.manifest().failures());
			assertSameRows(local(tmp), store.load(), -1);
		}
	}

	@Test
	void aTaskLostMoreOftenThanTheRetriesBecomesRecordedFailures(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		// Two chunks per task: task 2 holds chunks 4 and 5 and always fails; retries = 1.
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 2, (job, task, n) -> task == 2 ? FakeSlurm.Fate.FAIL : FakeSlurm.Fate.RUN).start()) {
			try (CampaignStore store = CampaignStore.open(dir)) {
				SlurmExecutor ex = executor(fake, launcher(tmp), Map.of("retries", "1", "chunk-size", "200"));
				assertEquals(CampaignRunner.Outcome.COMPLETED, ex.execute(store, SIM, SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL));
				store.finish(true);
			}
			assertEquals(List.of("0-5%3", "2%3"), fake.arrays(), "6 tasks of two chunks; task 2 once more, then given up");
		}
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals("complete", store.manifest().status());
			assertEquals(Map.of(FailureKind.LOST, 200L), store.manifest().failureCounts());
			SimulationSet set = store.load();
			assertEquals(1_050, set.size());
			List<Failure> lost = set.failures();
			assertEquals(200, lost.size());
			assertEquals(400, lost.get(0).row());
			assertEquals(599, lost.get(199).row());
			String reason = lost.get(0).reason();
			assertTrue(reason.matches("array task \\d+_2 was submitted 2 times and never stored this simulation; last: FAILED, exit code 1:0.*"), reason);
			assertTrue(reason.contains(dir.toAbsolutePath().resolve("slurm/logs") + "/"), reason);
			// θ of a lost row is still its own draw; only x is missing.
			assertSameRows(local(tmp), set, 400);
		}
	}

	@Test
	void aRestartedSubmitterFollowsTheJobsInFlightAndSubmitsOnlyWhatIsNeither(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		// A submitter that was killed left this: job 90 over tasks 0-5 still running, chunk 6 stored, 7-10 never submitted.
		Files.createDirectories(dir.resolve("slurm"));
		Files.writeString(dir.resolve("slurm/jobs.json"), """
				{"chunksPerTask": 1, "submissions": [{"jobId": "90", "groups": [0,1,2,3,4,5,6], "submitted": "x", "cancelled": false}],
				 "attempts": {"0":1,"1":1,"2":1,"3":1,"4":1,"5":1,"6":1}}
				""");
		Campaigns.simulateChunks(dir, java.util.Set.of(6), id -> Optional.of(SIM), 1, ProgressMonitor.NULL);
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 1, (job, task, n) -> FakeSlurm.Fate.RUN)) {
			fake.preexisting("90", List.of(0, 1, 2, 3, 4, 5));
			fake.start();
			try (CampaignStore store = CampaignStore.open(dir)) {
				assertEquals(CampaignRunner.Outcome.COMPLETED, executor(fake, launcher(tmp), Map.of()).execute(store, SIM,
						SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL));
				store.finish(true);
			}
			assertEquals(List.of("7-10%3"), fake.arrays(), "the running tasks were followed, not submitted again");
			assertEquals(1, ledger(dir).at("/attempts/0").asInt());
		}
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertSameRows(local(tmp), store.load(), -1);
		}
	}

	@Test
	void cancellingScancelsTheJobsAndAResumeSubmitsTheirChunksAgainWithoutCountingThem(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
		ProgressMonitor monitor = new ProgressMonitor() {
			@Override
			public void begin(String task, long totalWork) {
			}

			@Override
			public void worked(long work) {
			}

			@Override
			public boolean isCanceled() {
				return cancel.get();
			}

			@Override
			public void done() {
			}
		};
		// The cluster never starts the tasks: they stay queued until cancelled.
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 1, (job, task, n) -> FakeSlurm.Fate.PEND)) {
			fake.preexisting("90", List.of(0, 1, 2));
			fake.start();
			Files.createDirectories(dir.resolve("slurm"));
			Files.writeString(dir.resolve("slurm/jobs.json"), """
					{"chunksPerTask": 1, "submissions": [{"jobId": "90", "groups": [0,1,2,3,4,5,6,7,8,9,10], "submitted": "x", "cancelled": false}],
					 "attempts": {"0":1,"1":1,"2":1,"3":1,"4":1,"5":1,"6":1,"7":1,"8":1,"9":1,"10":1}}
					""");
			// Tasks 3-10 of job 90 ended without chunks: the submitter resubmits them, then it is cancelled.
			for (int t = 3; t <= 10; t++) {
				Files.writeString(fake.state.resolve("show.90_" + t), "JobState=NODE_FAIL Reason=None ExitCode=0:0\n");
			}
			Thread canceller = new Thread(() -> {
				// Once the resubmitted array is in the queue.
				while (fake.live.keySet().stream().noneMatch(k -> k.startsWith("101_"))) {
					Thread.onSpinWait();
				}
				cancel.set(true);
			});
			canceller.start();
			try (CampaignStore store = CampaignStore.open(dir)) {
				assertEquals(CampaignRunner.Outcome.CANCELLED, executor(fake, launcher(tmp), Map.of()).execute(store, SIM,
						SIM.descriptor().defaultPrior(), SETTINGS, monitor));
			}
			canceller.join();
			assertEquals(List.of("90 101"), fake.cancelled());
			JsonNode l = ledger(dir);
			assertTrue(l.at("/submissions/0/cancelled").asBoolean() && l.at("/submissions/1/cancelled").asBoolean(), l.toString());
			assertEquals(0, l.at("/attempts/0").asInt(), "a task we cancelled does not count as an attempt: " + l);
			assertEquals(1, l.at("/attempts/3").asInt(), "tasks 3-10 ended on their own once: " + l);
		}
	}

	@Test
	void aControllerThatDoesNotAnswerForAWhileIsWaitedFor(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS).close();
		try (FakeSlurm fake = new FakeSlurm(tmp, dir, SIM, 1, (job, task, n) -> FakeSlurm.Fate.RUN)) {
			// squeue fails its first five calls, as a restarting slurmctld does.
			Path squeue = fake.bin.resolve("squeue");
			Files.writeString(squeue, """
					#!/bin/bash
					c="$(dirname "$0")/../state/squeue-calls"; n=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 )); echo $n > "$c"
					if [ $n -le 5 ]; then echo "squeue: error: Unable to contact slurm controller (connect failure)" >&2; exit 1; fi
					cat "$(dirname "$0")/../state/live" 2>/dev/null; true
					""");
			fake.start();
			try (CampaignStore store = CampaignStore.open(dir)) {
				assertEquals(CampaignRunner.Outcome.COMPLETED, executor(fake, launcher(tmp), Map.of()).execute(store, SIM,
						SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL));
			}
			assertEquals(List.of("0-10%3"), fake.arrays(), "nothing submitted twice while the queue could not be read");
			String log = Files.readString(dir.resolve("slurm/submitter.log"));
			assertTrue(log.contains("squeue failed, waiting for the Slurm controller: squeue failed (exit 1): squeue: error: Unable to contact"), log);
		}
	}

	@Test
	void theBatchScriptHasTheLabsSettingsAndRunsTheWorkerCommand(@TempDir Path tmp) {
		SlurmExecutor ex = new SlurmExecutor(SlurmSettings.fromMap(Map.of("partition", "short", "time-limit", "00:10:00", "memory", "2G",
				"cpus-per-task", "4", "setup", "module load java/17\nsource /opt/lab/env.sh", "account", "lab42",
				"sbatch-options", "--qos=short")));
		Path dir = tmp.resolve("runs/it's");
		String s = ex.batchScript(dir, Path.of("/shared/sbiw/sbiw"), 5);
		String d = dir.toAbsolutePath().toString();
		assertTrue(s.startsWith("#!/bin/bash\n"), s);
		for (String line : List.of("#SBATCH --partition=short", "#SBATCH --time=00:10:00", "#SBATCH --mem=2G", "#SBATCH --cpus-per-task=4",
				"#SBATCH --account=lab42", "#SBATCH --qos=short", "#SBATCH --output=" + d + "/slurm/logs/%A_%a.out",
				"module load java/17\nsource /opt/lab/env.sh\n", "-Xmx1536m",
				"exec '/shared/sbiw/sbiw' simulate-chunks '" + d.replace("'", "'\\''") + "' --array-task --chunks-per-task 5 --threads \"${SLURM_CPUS_PER_TASK:-1}\"\n")) {
			assertTrue(s.contains(line), line + " in\n" + s);
		}
		// Set-up lines come after every #SBATCH line (sbatch stops reading them at the first command).
		assertTrue(s.lastIndexOf("#SBATCH") < s.indexOf("module load"), s);
		String plain = new SlurmExecutor(SlurmSettings.defaults()).batchScript(dir, Path.of("/x/sbiw"), 1);
		assertTrue(!plain.contains("--partition") && !plain.contains("--mem") && !plain.contains("Xmx"), plain);
		assertThrows(IllegalArgumentException.class, () -> ex.batchScript(tmp.resolve("a b"), Path.of("/x/sbiw"), 1));
	}

	@Test
	void withoutSbatchTheErrorSaysWhatIsNeededAndHowToPointAtIt(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("campaign");
		try (CampaignStore store = CampaignStore.create(dir, SIM, SIM.descriptor().defaultPrior(), true, SETTINGS)) {
			SlurmExecutor ex = new SlurmExecutor(SlurmSettings.fromMap(Map.of("slurm-bin", tmp.resolve("nowhere").toString())));
			IOException e = assertThrows(IOException.class, () -> ex.execute(store, SIM, SIM.descriptor().defaultPrior(), SETTINGS, ProgressMonitor.NULL));
			assertTrue(e.getMessage().contains("'sbatch' is not in") && e.getMessage().contains("slurm-bin"), e.getMessage());
			assertThrows(IOException.class, () -> ex.checkReady(SETTINGS));
			// Checked before anything is created: no half-made campaign folder is left behind.
			Path other = tmp.resolve("never");
			e = assertThrows(IOException.class, () -> Campaigns.start(SIM, SIM.descriptor().defaultPrior(), true, SETTINGS, other, ex, ProgressMonitor.NULL));
			assertTrue(e.getMessage().contains("slurm-bin") && !Files.exists(other), e.getMessage());
			IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class,
					() -> new SlurmExecutor(SlurmSettings.fromMap(Map.of("chunk-size", "150"))).chunksPerTask(100));
			assertTrue(chunk.getMessage().contains("multiple of the campaign's chunk size (100)"), chunk.getMessage());
		}
	}

	/** Every row equal to the local run's; rows from {@code lostFrom} on (200 of them) have only θ. */
	static void assertSameRows(SimulationSet expected, SimulationSet actual, long lostFrom) {
		assertEquals(expected.size(), actual.size());
		for (int i = 0; i < expected.size(); i++) {
			assertArrayEquals(expected.theta()[i], actual.theta()[i], 0.0, "θ of row " + i);
			if (lostFrom >= 0 && i >= lostFrom && i < lostFrom + 200) {
				assertTrue(Double.isNaN(actual.x()[i][0]), "x of lost row " + i);
				assertEquals(FailureKind.LOST.code(), actual.status()[i]);
			} else {
				assertArrayEquals(expected.x()[i], actual.x()[i], 0.0, "x of row " + i);
			}
		}
	}
}
