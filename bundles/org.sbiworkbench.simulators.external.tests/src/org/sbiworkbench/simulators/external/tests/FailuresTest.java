package org.sbiworkbench.simulators.external.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.external.tests.Programs.PYTHON;
import static org.sbiworkbench.simulators.external.tests.Programs.quote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.simulators.external.ExternalSimulationException;
import org.sbiworkbench.simulators.external.ExternalSimulationException.Problem;
import org.sbiworkbench.simulators.external.ExternalSimulator;

/**
 * A program that crashes, prints garbage or hangs gives a clear exception
 * quickly and leaves no process behind; in a campaign each such simulation
 * becomes a failed row with that message, and the campaign goes on.
 */
class FailuresTest {

	@TempDir
	Path dir;

	private ExternalSimulator sh(String name, String script, String observations, String more) throws Exception {
		Programs.script(dir, name + ".sh", "#!/bin/sh\n" + script + "\n");
		return Programs.simulator(dir, name, observations, "[\"./" + name + ".sh\"]", more);
	}

	private static ExternalSimulationException fails(ExternalSimulator s) {
		return assertThrows(ExternalSimulationException.class, () -> s.simulate(new double[] { 0.5, 1 }, new Well19937c(1)));
	}

	@Test
	void aCrashGivesItsExitCodeAndTheEndOfStderr() throws Exception {
		ExternalSimulator s = sh("crash", """
				echo "loading the model" >&2
				echo "error: the mass must be positive" >&2
				exit 3""", "[\"x1\", \"x2\"]", "");
		ExternalSimulationException e = fails(s);
		assertEquals(Problem.CRASHED, e.problem());
		assertTrue(e.getMessage().startsWith("crash: crash.sh exited with code 3"), e.getMessage());
		assertTrue(e.getMessage().contains("last lines of stderr: loading the model | error: the mass must be positive"), e.getMessage());
		assertTrue(e.getMessage().contains("--a=0.5 --b=1.0 --seed="), "how to reproduce it: " + e.getMessage());

		ExternalSimulationException killed = fails(sh("killed", "kill -9 $$", "[\"x1\", \"x2\"]", ""));
		assertTrue(killed.getMessage().contains("exited with code 137 (killed by signal 9)"), killed.getMessage());
	}

	@Test
	void garbageSaysWhatWasExpectedAndWhatCame() throws Exception {
		ExternalSimulationException words = fails(sh("words", "echo 'hello, world'", "[\"x1\", \"x2\"]", ""));
		assertEquals(Problem.BAD_OUTPUT, words.problem());
		assertTrue(words.getMessage().contains("printed 'hello, world': value 1 ('hello') is not a number; "
				+ "expected one line of 2 comma-separated numbers on stdout (x1, x2)"), words.getMessage());

		ExternalSimulationException count = fails(sh("count", "echo 1,2,3", "[\"x1\", \"x2\"]", ""));
		assertTrue(count.getMessage().contains("returned 3 values but expected one line of 2 comma-separated numbers"),
				count.getMessage());

		ExternalSimulationException lines = fails(sh("lines", "echo starting; echo 1,2", "[\"x1\", \"x2\"]", ""));
		assertTrue(lines.getMessage().contains("printed 2 lines on stdout (starting⏎1,2)"), lines.getMessage());
		assertTrue(lines.getMessage().contains("write log messages to stderr"), lines.getMessage());

		ExternalSimulationException nothing = fails(sh("nothing", "echo 'no output today' >&2", "[\"x1\", \"x2\"]", ""));
		assertTrue(nothing.getMessage().contains("printed nothing on stdout"), nothing.getMessage());
		assertTrue(nothing.getMessage().contains("last lines of stderr: no output today"), nothing.getMessage());

		ExternalSimulationException json = fails(sh("json", "echo '{\"x\": [1, 2]}'", "[\"x1\", \"x2\"]",
				"\"output\": \"stdout-json\""));
		assertTrue(json.getMessage().contains("printed '{\"x\": [1, 2]}'; expected a JSON array of 2 numbers on stdout"),
				json.getMessage());

		ExternalSimulationException text = fails(sh("text", "echo '[1, \"two\"]'", "[\"x1\", \"x2\"]", "\"output\": \"stdout-json\""));
		assertTrue(text.getMessage().contains("value 2 (\"two\") is not a number"), text.getMessage());

		Programs.script(dir, "silent.sh", "#!/bin/sh\ntrue\n");
		ExternalSimulator npy = Programs.simulator(dir, "silent", "[\"x1\", \"x2\"]", "[\"./silent.sh\", \"{output}\"]",
				"\"output\": \"npy\"");
		ExternalSimulationException missing = fails(npy);
		assertTrue(missing.getMessage().contains("did not write its output file {output}"), missing.getMessage());

		Programs.script(dir, "corrupt.sh", "#!/bin/sh\necho garbage > \"$1\"\n");
		ExternalSimulationException corrupt = fails(Programs.simulator(dir, "corrupt", "[\"x1\", \"x2\"]",
				"[\"./corrupt.sh\", \"{output}\"]", "\"output\": \"npy\""));
		assertEquals(Problem.BAD_OUTPUT, corrupt.problem());
		assertTrue(corrupt.getMessage().contains("wrote an output file that cannot be read: "), corrupt.getMessage());
	}

	@Test
	void notANumberIsReturnedForTheCampaignToRecord() throws Exception {
		double[] x = sh("nan", "echo 'nan, -inf'", "[\"x1\", \"x2\"]", "").simulate(new double[] { 0, 0 }, new Well19937c(1));
		assertTrue(Double.isNaN(x[0]));
		assertEquals(Double.NEGATIVE_INFINITY, x[1]);
	}

	@Test
	void aProgramThatVanishedFailsToStart() throws Exception {
		ExternalSimulator s = sh("vanished", "echo 1,2", "[\"x1\", \"x2\"]", "");
		Files.delete(dir.resolve("vanished.sh"));
		ExternalSimulationException e = fails(s);
		assertEquals(Problem.START_FAILED, e.problem());
		assertTrue(e.getMessage().contains("cannot start " + dir.resolve("vanished.sh")), e.getMessage());
	}

	/** Starts a child, a grandchild and a great-grandchild that would all sleep 5 minutes; records their pids. */
	private static final String HANG = """
			sleep 300 &
			echo $! >> "$PIDS"
			sh -c 'sleep 300 & echo $! >> "$PIDS"; wait' &
			echo $! >> "$PIDS"
			echo $$ >> "$PIDS"
			echo "integrating step 1 of 10^9" >&2
			wait""";

	@Test
	void aHangIsKilledWithItsWholeProcessTreeAfterTheTimeout() throws Exception {
		Path pids = dir.resolve("pids.txt");
		ExternalSimulator s = sh("hang", HANG, "[\"x1\", \"x2\"]",
				"\"timeoutSeconds\": 1, \"environment\": {\"PIDS\": " + quote(pids.toString()) + "}");
		long start = System.nanoTime();
		ExternalSimulationException e = fails(s);
		double seconds = (System.nanoTime() - start) / 1e9;
		assertEquals(Problem.TIMED_OUT, e.problem());
		assertTrue(seconds >= 1 && seconds < 4, "gave up after " + seconds + " s");
		assertTrue(e.getMessage().startsWith("hang: hang.sh did not finish within 1 s ('timeoutSeconds' in "), e.getMessage());
		assertTrue(e.getMessage().contains("killed it and its 3 child processes"), e.getMessage());
		assertTrue(e.getMessage().contains("last lines of stderr: integrating step 1 of 10^9"), e.getMessage());
		List<Long> started = Programs.pids(pids);
		assertEquals(4, started.size(), "the script, two sleeps and a shell: " + started);
		assertEquals(List.of(), Programs.stillRunning(started, 3000), "no process is left");
	}

	@Test
	void inACampaignCrashesAreFailedRowsWithTheirReason() throws Exception {
		Programs.script(dir, "picky.py", """
				import sys
				v = dict(arg[2:].split("=", 1) for arg in sys.argv[1:])
				a, b = float(v["a"]), float(v["b"])
				if a > 0:
				    sys.exit("a must be negative, got %r" % a)
				print(f"{a!r},{b!r}")
				""");
		ExternalSimulator s = Programs.simulator(dir, "picky", "[\"x1\", \"x2\"]", "[" + quote(PYTHON) + ", \"picky.py\"]", "");
		List<Chunk> chunks = campaign(s, CampaignSettings.of(10, 5).withChunkSize(5).withThreads(2));
		int failed = 0;
		for (Chunk c : chunks) {
			for (int r = 0; r < c.rows(); r++) {
				double[] theta = c.theta()[r];
				if (theta[0] > 0) {
					failed++;
					assertEquals(FailureKind.EXCEPTION.code(), c.status()[r]);
					long row = c.firstRow() + r;
					Failure f = c.failures().stream().filter(x -> x.row() == row).findFirst().orElseThrow();
					assertTrue(f.reason().contains("picky: python3 picky.py exited with code 1"), f.reason());
					assertTrue(f.reason().contains("a must be negative, got " + theta[0]), f.reason());
				} else {
					assertEquals(FailureKind.OK, c.status()[r]);
					assertArrayEquals(theta, c.x()[r], 0);
				}
			}
		}
		assertTrue(failed > 0 && failed < 10, failed + " of 10 rows had a > 0");
	}

	@Test
	void aCampaignTimeoutKillsTheProcessTreeToo() throws Exception {
		Path pids = dir.resolve("campaign-pids.txt");
		// The descriptor would wait a minute; the campaign's own timeout of 1 s comes first and interrupts the thread.
		ExternalSimulator s = sh("slow", HANG, "[\"x1\", \"x2\"]",
				"\"timeoutSeconds\": 60, \"environment\": {\"PIDS\": " + quote(pids.toString()) + "}");
		long start = System.nanoTime();
		List<Chunk> chunks = campaign(s, CampaignSettings.of(2, 1).withThreads(2).withTimeout(Duration.ofSeconds(1)));
		assertTrue((System.nanoTime() - start) / 1e9 < 10, "the campaign did not wait for the programs");
		for (Chunk c : chunks) {
			for (int r = 0; r < c.rows(); r++) {
				assertEquals(FailureKind.TIMEOUT.code(), c.status()[r]);
			}
		}
		// Both programs started their trees before the timeout; the interrupt killed them all.
		long deadline = System.currentTimeMillis() + 3000;
		while (Programs.pids(pids).size() < 8 && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
		List<Long> started = Programs.pids(pids);
		assertEquals(8, started.size(), "two trees of four processes: " + started);
		assertEquals(List.of(), Programs.stillRunning(started, 5000), "no process is left");
	}

	private static List<Chunk> campaign(ExternalSimulator s, CampaignSettings settings) {
		List<Chunk> chunks = new ArrayList<>();
		CampaignRunner.Outcome outcome = new CampaignRunner(s, s.descriptor().defaultPrior(), settings).runUnchecked(Set.of(),
				c -> {
					synchronized (chunks) {
						chunks.add(c);
					}
				}, ProgressMonitor.NULL);
		assertEquals(CampaignRunner.Outcome.COMPLETED, outcome);
		return chunks;
	}
}
