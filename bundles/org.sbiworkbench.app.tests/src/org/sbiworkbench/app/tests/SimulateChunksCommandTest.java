package org.sbiworkbench.app.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.SimulationSet;

/**
 * {@code sbiw simulate-chunks}, the command a cluster's array task runs, and
 * the executor options of {@code sbiw simulate}.
 */
class SimulateChunksCommandTest {

	private final StringWriter out = new StringWriter();
	private final StringWriter err = new StringWriter();
	private List<Simulator> simulators;

	private int sbiw(String... args) throws Exception {
		out.getBuffer().setLength(0);
		err.getBuffer().setLength(0);
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		simulators = new ArrayList<>();
		for (ServiceReference<Simulator> ref : context.getServiceReferences(Simulator.class, null)) {
			simulators.add(context.getService(ref));
		}
		return new SbiwCommandLine(() -> simulators).execute(args, new PrintWriter(out), new PrintWriter(err));
	}

	@Test
	void chunksSimulatedByWorkersEqualALocalRunAndAResumeCompletesTheRest(@TempDir Path tmp) throws Exception {
		Path reference = tmp.resolve("reference");
		assertEquals(0, sbiw("simulate", "--simulator", "two_moons", "-n", "1000", "--seed", "9", "--chunk-size", "200", "--out",
				reference.toString()), err.toString());
		Simulator twoMoons = simulators.stream().filter(s -> s.descriptor().id().equals("two_moons")).findFirst().orElseThrow();
		Path dir = tmp.resolve("shared");
		// The submitter holds the campaign (its lock) while the workers write chunks.
		try (CampaignStore owner = CampaignStore.create(dir, twoMoons, twoMoons.descriptor().defaultPrior(), true,
				new CampaignSettings(1000, 9, 200, 0, null))) {
			assertEquals(0, sbiw("simulate-chunks", dir.toString(), "--chunks", "0,2", "--threads", "2"), err.toString());
			assertTrue(out.toString().contains("chunks [0, 2] of " + dir + ": stored"), out.toString());
			assertEquals(0, sbiw("simulate-chunks", dir.toString(), "--group", "1", "--chunks-per-task", "2"), err.toString());
			assertTrue(out.toString().contains("chunks [2, 3]"), out.toString());
			assertEquals(Set.of(0, 2, 3), owner.refresh());

			assertEquals(2, sbiw("simulate-chunks", dir.toString()));
			assertTrue(err.toString().contains("exactly one of --chunks, --group or --array-task"), err.toString());
			if (System.getenv("SLURM_ARRAY_TASK_ID") == null) {
				assertEquals(2, sbiw("simulate-chunks", dir.toString(), "--array-task"));
				assertTrue(err.toString().contains("SLURM_ARRAY_TASK_ID"), err.toString());
			}
			assertEquals(1, sbiw("simulate-chunks", dir.toString(), "--chunks", "5"));
			assertTrue(err.toString().contains("there is no chunk 5"), err.toString());
			assertEquals(2, sbiw("simulate-chunks", dir.toString(), "--group", "3", "--chunks-per-task", "2"));
			assertTrue(err.toString().contains("Group 3 holds no chunk"), err.toString());
		}
		// No executor was recorded (the campaign was created directly): resume simulates chunks 1 and 4 here.
		assertEquals(0, sbiw("resume", dir.toString()), err.toString());
		assertTrue(out.toString().contains("complete, 5 of 5 chunks"), out.toString());
		try (CampaignStore a = CampaignStore.open(reference); CampaignStore b = CampaignStore.open(dir)) {
			SimulationSet expected = a.load();
			SimulationSet actual = b.load();
			assertEquals(1000, actual.size());
			for (int i = 0; i < expected.size(); i++) {
				assertArrayEquals(expected.theta()[i], actual.theta()[i], 0.0, "θ of row " + i);
				assertArrayEquals(expected.x()[i], actual.x()[i], 0.0, "x of row " + i);
			}
		}
		for (int k = 0; k < 5; k++) {
			assertTrue(Files.exists(dir.resolve(String.format("chunk_%05d.json", k))));
		}
	}

	@Test
	void executorOptionsNeedAnExecutorThatTakesThem(@TempDir Path tmp) throws Exception {
		assertEquals(2, sbiw("simulate", "--simulator", "two_moons", "-n", "10", "--seed", "1", "--out", tmp.resolve("a").toString(),
				"--partition", "short"));
		assertTrue(err.toString().contains("add --executor slurm"), err.toString());
		assertEquals(2, sbiw("simulate", "--simulator", "two_moons", "-n", "10", "--seed", "1", "--out", tmp.resolve("b").toString(),
				"--executor", "condor"));
		assertTrue(err.toString().contains("No executor 'condor'") && err.toString().contains("local"), err.toString());
		assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")), "nothing is created before the options are checked");
	}
}
