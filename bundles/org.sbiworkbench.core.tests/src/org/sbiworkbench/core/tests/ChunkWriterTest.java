package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.LocalExecutor;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.CampaignStoreException;
import org.sbiworkbench.core.storage.Campaigns;
import org.sbiworkbench.core.storage.SimulationSet;

/**
 * Chunk writers: processes that write some chunks of a campaign another
 * process owns (the tasks of a cluster job array), and the executor seam.
 */
class ChunkWriterTest {

	static final CampaignSettings SETTINGS = new CampaignSettings(1_000, 77, 100, 2, null);
	final TestSimulators.Good good = new TestSimulators.Good();

	Optional<Simulator> find(String id) {
		return id.equals("good") ? Optional.of(good) : Optional.empty();
	}

	@Test
	void chunksWrittenByOtherWritersEqualALocalRunAndTheOwnerPicksThemUp(@TempDir Path tmp) throws Exception {
		Path reference = tmp.resolve("reference");
		Campaigns.start(good, good.descriptor().defaultPrior(), true, SETTINGS, reference, ProgressMonitor.NULL);
		Path dir = tmp.resolve("shared");
		try (CampaignStore owner = CampaignStore.create(dir, good, good.descriptor().defaultPrior(), true, SETTINGS)) {
			// The submitter's lock stays exclusive, while chunk writers need none.
			assertThrows(CampaignStoreException.class, () -> CampaignStore.open(dir));
			// Two writers of the same chunks at once (a lost task resubmitted while the first still runs).
			ExecutorService pool = Executors.newFixedThreadPool(4);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<CampaignRunner.Outcome>> writers = new ArrayList<>();
			for (Set<Integer> chunks : List.of(Set.of(1, 2, 3), Set.of(3, 2, 1), Set.of(0, 4), Set.of(4, 5, 6, 7, 8, 9))) {
				writers.add(pool.submit(() -> {
					go.await();
					return Campaigns.simulateChunks(dir, chunks, this::find, 1, ProgressMonitor.NULL);
				}));
			}
			go.countDown();
			for (Future<CampaignRunner.Outcome> w : writers) {
				assertEquals(CampaignRunner.Outcome.COMPLETED, w.get());
			}
			pool.shutdown();
			assertEquals(Set.of(), owner.completedChunks(), "the owner sees new chunks only when it looks");
			assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), owner.refresh());
			assertEquals(Set.of(), owner.refresh(), "each chunk is found once");
			assertEquals(List.of(), owner.strayFiles());
			try (var files = Files.list(dir)) {
				assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
						"no temporary file left by the writers that lost a race");
			}
			owner.finish(true);
			assertEquals("complete", owner.manifest().status());
			assertSame(reference, owner.load());
		}
	}

	@Test
	void aChunkWriterSkipsStoredChunksAndNeverTouchesTheManifest(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("c");
		try (CampaignStore owner = CampaignStore.create(dir, good, good.descriptor().defaultPrior(), true, SETTINGS)) {
			byte[] manifest = Files.readAllBytes(dir.resolve(CampaignStore.MANIFEST));
			Campaigns.simulateChunks(dir, Set.of(2), this::find, 1, ProgressMonitor.NULL);
			Path record = dir.resolve("chunk_00002.json");
			byte[] first = Files.readAllBytes(record);
			Campaigns.simulateChunks(dir, Set.of(2, 3), this::find, 1, ProgressMonitor.NULL);
			assertArrayEquals(first, Files.readAllBytes(record), "a stored chunk is not written again");
			assertArrayEquals(manifest, Files.readAllBytes(dir.resolve(CampaignStore.MANIFEST)));
			try (CampaignStore writer = CampaignStore.openForChunks(dir)) {
				assertTrue(writer.isChunkWriter());
				assertEquals(Set.of(2, 3), writer.completedChunks());
				assertThrows(IllegalStateException.class, () -> writer.finish(true));
				assertThrows(IllegalStateException.class, () -> writer.recordExecutor("x", Map.of()));
			}
			CampaignStoreException e = assertThrows(CampaignStoreException.class,
					() -> Campaigns.simulateChunks(dir, Set.of(10), this::find, 1, ProgressMonitor.NULL));
			assertTrue(e.getMessage().contains("no chunk 10"), e.getMessage());
			// The owner, running locally, skips the chunks others wrote and completes the rest.
			assertEquals(CampaignRunner.Outcome.COMPLETED, LocalExecutor.INSTANCE.execute(owner, good, good.descriptor().defaultPrior(),
					SETTINGS, ProgressMonitor.NULL));
			assertEquals(10, owner.completedChunks().size());
		}
	}

	/** An executor that counts its runs and records a setting, to check what start and resume do with it. */
	static final class Recording implements CampaignExecutor {
		final Map<String, String> settings;
		static final List<Map<String, String>> RUNS = new ArrayList<>();

		Recording(Map<String, String> settings) {
			this.settings = settings;
		}

		@Override
		public String id() {
			return "recording";
		}

		@Override
		public CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, Prior prior, CampaignSettings s,
				ProgressMonitor monitor) throws IOException {
			RUNS.add(settings);
			// Half the chunks, then "cancelled", so that a resume has work left.
			Set<Integer> done = new java.util.HashSet<>(store.completedChunks());
			if (RUNS.size() == 1) {
				for (int k = 5; k < s.chunkCount(); k++) {
					done.add(k);
				}
				new CampaignRunner(simulator, prior, s).run(done, store, monitor);
				return CampaignRunner.Outcome.CANCELLED;
			}
			return new CampaignRunner(simulator, prior, s).run(done, store, monitor);
		}

		@Override
		public Map<String, String> settings() {
			return settings;
		}

		@Override
		public CampaignExecutor configure(Map<String, String> s) {
			return new Recording(s);
		}
	}

	@Test
	void aResumeContinuesWithTheExecutorAndSettingsTheCampaignStartedWith(@TempDir Path tmp) throws Exception {
		Recording.RUNS.clear();
		Path dir = tmp.resolve("c");
		assertEquals(CampaignRunner.Outcome.CANCELLED, Campaigns.start(good, good.descriptor().defaultPrior(), true, SETTINGS, dir,
				new Recording(Map.of("partition", "short")), ProgressMonitor.NULL));
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals(new CampaignStore.ExecutorRecord("recording", Map.of("partition", "short")), store.executor());
			assertEquals("cancelled", store.manifest().status());
		}
		CampaignStoreException e = assertThrows(CampaignStoreException.class,
				() -> Campaigns.resume(dir, this::find, 1, id -> Optional.empty(), ProgressMonitor.NULL));
		assertTrue(e.getMessage().contains("'recording' executor"), e.getMessage());
		assertEquals(CampaignRunner.Outcome.COMPLETED, Campaigns.resume(dir, this::find, 1,
				id -> id.equals("recording") ? Optional.of(new Recording(Map.of())) : Optional.empty(), ProgressMonitor.NULL));
		assertEquals(List.of(Map.of("partition", "short"), Map.of("partition", "short")), Recording.RUNS);
		Path reference = tmp.resolve("reference");
		Campaigns.start(good, good.descriptor().defaultPrior(), true, SETTINGS, reference, ProgressMonitor.NULL);
		try (CampaignStore store = CampaignStore.open(dir)) {
			assertEquals("complete", store.manifest().status());
			assertSame(reference, store.load());
		}
		try (CampaignStore store = CampaignStore.open(reference)) {
			assertEquals(new CampaignStore.ExecutorRecord("local", Map.of()), store.executor());
		}
	}

	private static void assertSame(Path reference, SimulationSet actual) throws IOException {
		try (CampaignStore r = CampaignStore.open(reference)) {
			SimulationSet expected = r.load();
			assertEquals(expected.theta().length, actual.theta().length);
			for (int i = 0; i < expected.theta().length; i++) {
				assertArrayEquals(expected.theta()[i], actual.theta()[i], 0.0, "θ of row " + i);
				assertArrayEquals(expected.x()[i], actual.x()[i], 0.0, "x of row " + i);
			}
		}
	}
}
