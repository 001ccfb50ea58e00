package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.Seeds;

class CampaignRunnerTest {

	/** All rows of a run, by row index: θ, x, status. */
	record Rows(Map<Long, double[]> theta, Map<Long, double[]> x, Map<Long, Byte> status, List<Failure> failures) {
		static Rows of(List<Chunk> chunks) {
			Rows r = new Rows(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
			for (Chunk c : chunks) {
				for (int i = 0; i < c.rows(); i++) {
					r.theta.put(c.firstRow() + i, c.theta()[i]);
					r.x.put(c.firstRow() + i, c.x()[i]);
					r.status.put(c.firstRow() + i, c.status()[i]);
				}
				r.failures.addAll(c.failures());
			}
			return r;
		}

		void assertSame(Rows other) {
			assertEquals(theta.keySet(), other.theta.keySet());
			for (Long row : theta.keySet()) {
				assertArrayEquals(theta.get(row), other.theta.get(row), "θ of row " + row);
				assertArrayEquals(x.get(row), other.x.get(row), "x of row " + row);
				assertEquals(status.get(row), other.status.get(row), "status of row " + row);
			}
		}
	}

	private static List<Chunk> run(Simulator s, CampaignSettings settings, Set<Integer> done, ProgressMonitor m) throws Exception {
		List<Chunk> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
		new CampaignRunner(s, s.descriptor().defaultPrior(), settings).run(done, chunks::add, m);
		return chunks;
	}

	@Test
	void sameSeedSameNumbersWhateverTheThreadCount() throws Exception {
		CampaignSettings base = new CampaignSettings(2_345, 77, 100, 1, null);
		Rows one = Rows.of(run(new TestSimulators.Good(), base, Set.of(), ProgressMonitor.NULL));
		Rows two = Rows.of(run(new TestSimulators.Good(), base.withThreads(2), Set.of(), ProgressMonitor.NULL));
		Rows five = Rows.of(run(new TestSimulators.Good(), base.withThreads(5).withChunkSize(7), Set.of(), ProgressMonitor.NULL));
		assertEquals(2_345, one.theta().size());
		one.assertSame(two);
		one.assertSame(five);
		// And the numbers are those of the row's own stream: θ from the prior, then x.
		RandomGenerator r = Seeds.forRow(77, 1_000);
		double[] theta = new TestSimulators.Good().descriptor().defaultPrior().sample(r);
		assertArrayEquals(theta, one.theta().get(1_000L));
		assertArrayEquals(new TestSimulators.Good().simulate(theta, r), one.x().get(1_000L));
	}

	@Test
	void differentSeedsGiveDifferentNumbers() throws Exception {
		Rows a = Rows.of(run(new TestSimulators.Good(), new CampaignSettings(10, 1, 10, 1, null), Set.of(), ProgressMonitor.NULL));
		Rows b = Rows.of(run(new TestSimulators.Good(), new CampaignSettings(10, 2, 10, 1, null), Set.of(), ProgressMonitor.NULL));
		assertTrue(a.theta().get(0L)[0] != b.theta().get(0L)[0]);
	}

	@Test
	void everyFailureKindIsRecordedWithItsReasonAndNothingValidIsLost() throws Exception {
		TestSimulators.Faulty faulty = new TestSimulators.Faulty();
		CampaignSettings settings = new CampaignSettings(600, 5, 64, 2, Duration.ofMillis(500));
		long start = System.nanoTime();
		Rows rows = Rows.of(run(faulty, settings, Set.of(), ProgressMonitor.NULL));
		double seconds = (System.nanoTime() - start) / 1e9;
		assertEquals(600, rows.theta().size(), "every row is kept, failed or not");

		Map<String, Integer> expected = new HashMap<>();
		Map<Long, Failure> byRow = new HashMap<>();
		rows.failures().forEach(f -> byRow.put(f.row(), f));
		TestSimulators.Good good = new TestSimulators.Good();
		for (long row = 0; row < 600; row++) {
			double[] theta = rows.theta().get(row);
			String kind = TestSimulators.Faulty.expected(theta);
			if (kind == null) {
				assertEquals(FailureKind.OK, rows.status().get(row), "row " + row + " should have succeeded");
				assertNull(byRow.get(row));
				// Valid rows hold exactly what the simulator gives on the row's stream.
				RandomGenerator r = Seeds.forRow(5, row);
				good.descriptor().defaultPrior().sample(r);
				assertArrayEquals(good.simulate(theta, r), rows.x().get(row), "x of row " + row);
			} else {
				expected.merge(kind, 1, Integer::sum);
				Failure f = byRow.get(row);
				assertEquals(kind, f.kind().id(), "row " + row + " θ=" + java.util.Arrays.toString(theta));
				assertEquals(f.kind().code(), rows.status().get(row));
				assertTrue(Double.isNaN(rows.x().get(row)[0]), "failed rows carry NaN x");
				assertTrue(f.reason() != null && !f.reason().isBlank());
			}
		}
		for (String kind : List.of("exception", "non_finite", "wrong_shape", "timeout")) {
			assertTrue(expected.getOrDefault(kind, 0) > 0, "the seed must exercise " + kind + ": " + expected);
		}
		assertTrue(byRow.values().stream().anyMatch(f -> f.reason().contains("solver diverged")), "the exception's message is the reason");
		assertTrue(byRow.values().stream().anyMatch(f -> f.reason().contains("x2 = NaN")), "the NaN component is named");
		assertTrue(byRow.values().stream().anyMatch(f -> f.reason().contains("returned 1 values")), "the wrong length is named");
		assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), rows.failures().size());
		// Each hung simulation costs about one timeout on one of two threads, not 30 s.
		assertTrue(seconds < 30, "hung simulations were abandoned, not waited for (" + seconds + " s)");
	}

	@Test
	void cancelledCampaignKeepsFinishedChunksAndResumesToTheSameNumbers() throws Exception {
		// ~2 ms per simulation, so cancelling after 200 rows stops well before the 600th.
		TestSimulators.Slow slow = new TestSimulators.Slow();
		CampaignSettings settings = new CampaignSettings(600, 9, 50, 2, null);
		Rows full = Rows.of(run(slow, settings, Set.of(), ProgressMonitor.NULL));

		AtomicLong done = new AtomicLong();
		ProgressMonitor cancelSoon = new ProgressMonitor() {
			@Override
			public void begin(String task, long total) {
			}

			@Override
			public void worked(long work) {
				done.addAndGet(work);
			}

			@Override
			public boolean isCanceled() {
				return done.get() >= 200;
			}

			@Override
			public void done() {
			}
		};
		List<Chunk> first = new ArrayList<>();
		CampaignRunner.Outcome outcome = new CampaignRunner(slow, slow.descriptor().defaultPrior(), settings).run(Set.of(),
				first::add, cancelSoon);
		assertEquals(CampaignRunner.Outcome.CANCELLED, outcome);
		assertTrue(first.size() < 12, "cancelled before the end: " + first.size() + " chunks");
		for (Chunk c : first) {
			assertEquals(50, c.rows(), "only whole chunks are handed out");
		}
		Set<Integer> stored = new java.util.HashSet<>();
		first.forEach(c -> stored.add(c.index()));
		List<Chunk> rest = run(slow, settings.withThreads(1), stored, ProgressMonitor.NULL);
		List<Chunk> all = new ArrayList<>(first);
		all.addAll(rest);
		assertEquals(12, all.size());
		full.assertSame(Rows.of(all));
	}
}
