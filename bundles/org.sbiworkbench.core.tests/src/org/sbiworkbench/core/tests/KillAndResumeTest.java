package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.SimulationSet;

/**
 * A campaign process killed with SIGKILL in the middle, then resumed, gives
 * arrays identical to an uninterrupted run with the same seed.
 */
class KillAndResumeTest {

	@Test
	void killedCampaignResumesToTheSameArrays(@TempDir Path tmp) throws Exception {
		Path killed = tmp.resolve("killed");
		String classPath = classPath();
		Process child = new ProcessBuilder(javaExecutable(), "-cp", classPath, KillableCampaign.class.getName(), killed.toString())
				.redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
		int storedAtKill = 0;
		try {
			long deadline = System.currentTimeMillis() + 60_000;
			while (System.currentTimeMillis() < deadline && child.isAlive()) {
				storedAtKill = storedChunks(killed);
				if (storedAtKill >= 4) {
					break;
				}
				Thread.sleep(20);
			}
		} finally {
			child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
			child.waitFor();
		}
		assertTrue(storedAtKill >= 4, "the child stored chunks before the kill; class path " + classPath + "; its log:\n" + Files.readString(tmp.resolve("child.log")));
		int total = KillableCampaign.SETTINGS.chunkCount();
		int afterKill = storedChunks(killed);
		assertTrue(afterKill < total, "killed in the middle: " + afterKill + " of " + total + " chunks");

		TestSimulators.Slow slow = new TestSimulators.Slow();
		CampaignRunner.Outcome outcome = Campaigns.resume(killed, id -> id.equals("slow") ? java.util.Optional.of(slow) : java.util.Optional.empty(),
				2, ProgressMonitor.NULL);
		assertEquals(CampaignRunner.Outcome.COMPLETED, outcome);

		Path whole = tmp.resolve("whole");
		Campaigns.start(slow, slow.descriptor().defaultPrior(), true, KillableCampaign.SETTINGS.withThreads(1), whole, ProgressMonitor.NULL);

		SimulationSet a;
		SimulationSet b;
		try (CampaignStore sa = CampaignStore.open(killed); CampaignStore sb = CampaignStore.open(whole)) {
			assertEquals("complete", sa.manifest().status());
			a = sa.load();
			b = sb.load();
		}
		assertEquals(1_500, a.size());
		assertEquals(b.size(), a.size());
		for (int i = 0; i < a.size(); i++) {
			assertEquals(b.rowIndex()[i], a.rowIndex()[i]);
			assertArrayEquals(b.theta()[i], a.theta()[i], "θ row " + i);
			assertArrayEquals(b.x()[i], a.x()[i], "x row " + i);
		}
		// The .npy files themselves are byte-identical too.
		for (String name : List.of("theta_00000.npy", "x_00029.npy", "status_00011.npy")) {
			assertArrayEquals(Files.readAllBytes(whole.resolve(name)), Files.readAllBytes(killed.resolve(name)), name);
		}
		assertFalse(Files.list(killed).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files are left");
	}

	/** Chunks whose commit record exists (written last, atomically). */
	private static int storedChunks(Path dir) {
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		try (var files = Files.list(dir)) {
			return (int) files.filter(p -> p.getFileName().toString().matches("chunk_\\d{5}\\.json")).count();
		} catch (java.io.IOException e) {
			return 0;
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** The class path of the bundles the child needs, from their OSGi locations. */
	private static String classPath() {
		Set<String> entries = new LinkedHashSet<>();
		for (Class<?> c : List.of(KillAndResumeTest.class, CampaignStore.class, org.apache.commons.math3.random.RandomGenerator.class,
				com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonParser.class,
				com.fasterxml.jackson.annotation.JsonProperty.class)) {
			Bundle bundle = FrameworkUtil.getBundle(c);
			entries.addAll(locations(bundle));
		}
		return String.join(File.pathSeparator, entries);
	}

	private static List<String> locations(Bundle bundle) {
		String loc = bundle.getLocation();
		for (String prefix : List.of("initial@", "reference:", "file:")) {
			if (loc.startsWith(prefix)) {
				loc = loc.substring(prefix.length());
			}
		}
		File f = new File(loc);
		if (!f.isAbsolute()) {
			// Equinox resolves relative locations against its install area.
			String area = System.getProperty("osgi.install.area", "");
			f = new File(java.net.URI.create(area.startsWith("file:") ? area : "file:" + area).getPath(), loc);
		}
		try {
			f = f.getCanonicalFile();
		} catch (java.io.IOException e) {
			f = f.getAbsoluteFile();
		}
		List<String> out = new ArrayList<>();
		if (f.isDirectory()) {
			// A reactor project in Tycho's test runtime: its classes are in target/classes.
			File classes = new File(f, "target/classes");
			out.add((classes.isDirectory() ? classes : f).getAbsolutePath());
		} else {
			out.add(f.getAbsolutePath());
		}
		return out;
	}
}
