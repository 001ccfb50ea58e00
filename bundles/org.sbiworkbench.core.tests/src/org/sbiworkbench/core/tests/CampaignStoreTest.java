package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.FailurePolicy;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.CampaignStoreException;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.core.storage.SimulationSet;

class CampaignStoreTest {

	private static final CampaignSettings SETTINGS = new CampaignSettings(530, 3, 100, 2, Duration.ofMillis(500));

	private static Path faultyCampaign(Path dir) throws IOException {
		TestSimulators.Faulty s = new TestSimulators.Faulty();
		assertEquals(CampaignRunner.Outcome.COMPLETED, Campaigns.start(s, s.descriptor().defaultPrior(), true, SETTINGS, dir, ProgressMonitor.NULL));
		return dir;
	}

	@Test
	void storedCampaignHoldsEveryRowWithProvenanceAndFailureCounts(@TempDir Path tmp) throws Exception {
		Path dir = faultyCampaign(tmp.resolve("c"));
		try (CampaignStore store = CampaignStore.open(dir)) {
			var m = store.manifest();
			assertEquals("faulty", m.simulatorId());
			assertEquals("1", m.simulatorVersion());
			assertEquals(3, m.seed());
			assertEquals("complete", m.status());
			assertEquals(6, m.storedChunks());
			SimulationSet set = store.load();
			assertEquals(530, set.size());
			assertEquals(set.failureCounts(), m.failureCounts(), "manifest counts = the failures stored");
			for (FailureKind k : FailureKind.values()) {
				if (k == FailureKind.LOST) {
					assertEquals(0, m.failureCounts().getOrDefault(k, 0L), "only a cluster executor loses simulations");
					continue;
				}
				assertTrue(m.failureCounts().getOrDefault(k, 0L) > 0, "some " + k);
			}
			SimulationSet.TrainingData t = set.training(FailurePolicy.EXCLUDE);
			assertEquals(530 - m.failures(), t.theta().length);
			assertEquals(m.failures(), t.excluded());
			for (double[] x : t.x()) {
				for (double v : x) {
					assertTrue(Double.isFinite(v), "training data holds only valid rows");
				}
			}
			IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.training(FailurePolicy.REQUIRE_ALL));
			assertTrue(e.getMessage().contains("failed"), e.getMessage());
			// numpy's view: theta and x chunks are plain 2-D float64 arrays.
			NpyArray x = Npy.read(dir.resolve("x_00005.npy"));
			assertEquals(30, x.rows());
			assertEquals(3, x.columns());
		}
		assertTrue(Files.readString(dir.resolve("failures_00000.json")).contains("\"kind\""));
	}

	@Test
	void aDamagedChunkIsNamed(@TempDir Path tmp) throws Exception {
		Path dir = faultyCampaign(tmp.resolve("c"));
		byte[] bytes = Files.readAllBytes(dir.resolve("x_00002.npy"));
		bytes[bytes.length - 3] ^= 0x40;
		Files.write(dir.resolve("x_00002.npy"), bytes);
		try (CampaignStore store = CampaignStore.open(dir)) {
			CampaignStoreException e = assertThrows(CampaignStoreException.class, store::load);
			assertTrue(e.getMessage().contains("x_00002.npy") && e.getMessage().contains("SHA-256"), e.getMessage());
		}
	}

	@Test
	void aTruncatedOrForeignManifestIsNamed(@TempDir Path tmp) throws Exception {
		Path dir = faultyCampaign(tmp.resolve("c"));
		Path record = dir.resolve("chunk_00003.json");
		Files.writeString(record, "{\"index\": 3, \"rows\": 9000}");
		CampaignStoreException bad = assertThrows(CampaignStoreException.class, () -> CampaignStore.open(dir));
		assertTrue(bad.getMessage().contains("chunk_00003.json") && bad.getMessage().contains("9000") && bad.getMessage().contains("Delete it"),
				bad.getMessage());
		Files.delete(record);
		Path manifest = dir.resolve(CampaignStore.MANIFEST);
		byte[] whole = Files.readAllBytes(manifest);
		Files.write(manifest, java.util.Arrays.copyOf(whole, whole.length / 2));
		CampaignStoreException e = assertThrows(CampaignStoreException.class, () -> CampaignStore.open(dir));
		assertTrue(e.getMessage().contains("manifest.json") && e.getMessage().contains("not valid JSON"), e.getMessage());

		Files.writeString(manifest, "{\"format\": \"something-else\"}");
		e = assertThrows(CampaignStoreException.class, () -> CampaignStore.open(dir));
		assertTrue(e.getMessage().contains("not an SBI Workbench campaign manifest"), e.getMessage());

		e = assertThrows(CampaignStoreException.class, () -> CampaignStore.open(tmp.resolve("nothing")));
		assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
	}

	@Test
	void aFolderWithACampaignIsNotOverwrittenAndResumeChecksTheSimulator(@TempDir Path tmp) throws Exception {
		Path dir = faultyCampaign(tmp.resolve("c"));
		TestSimulators.Good good = new TestSimulators.Good();
		CampaignStoreException e = assertThrows(CampaignStoreException.class,
				() -> Campaigns.start(good, good.descriptor().defaultPrior(), true, SETTINGS, dir, ProgressMonitor.NULL));
		assertTrue(e.getMessage().contains("already holds a campaign") && e.getMessage().contains("resume"), e.getMessage());
		e = assertThrows(CampaignStoreException.class, () -> Campaigns.resume(dir, id -> Optional.empty(), 1, ProgressMonitor.NULL));
		assertTrue(e.getMessage().contains("'faulty'") && e.getMessage().contains("not installed"), e.getMessage());
	}

	@Test
	void aDeletedChunkIsRedoneIdenticallyOnResume(@TempDir Path tmp) throws Exception {
		TestSimulators.Good good = new TestSimulators.Good();
		Path dir = tmp.resolve("c");
		Campaigns.start(good, good.descriptor().defaultPrior(), true, new CampaignSettings(300, 8, 100, 2, null), dir, ProgressMonitor.NULL);
		byte[] before = Files.readAllBytes(dir.resolve("theta_00001.npy"));
		// Simulate a crash after chunk 1's data files were renamed but before its commit record was.
		Files.delete(dir.resolve("chunk_00001.json"));
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals(java.util.List.of("failures_00001.json", "status_00001.npy", "theta_00001.npy", "x_00001.npy"), store.strayFiles());
		}
		Campaigns.resume(dir, id -> Optional.of(good), 1, ProgressMonitor.NULL);
		assertArrayEquals(before, Files.readAllBytes(dir.resolve("theta_00001.npy")));
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals("complete", store.manifest().status());
			assertEquals(300, store.load().size());
		}
	}
}
