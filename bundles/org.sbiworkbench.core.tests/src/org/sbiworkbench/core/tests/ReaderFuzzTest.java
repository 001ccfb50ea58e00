package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.core.storage.CampaignStoreException;
import org.sbiworkbench.core.storage.Campaigns;

/**
 * Property-based checks of the run-file and manifest readers with seeded random
 * corruption (truncation, byte flips, token swaps, junk, huge numbers, deep
 * nesting): every case ends in the reader's own named error or in a valid
 * result, never in another exception or a hang.
 */
class ReaderFuzzTest {

	private static final long SEED = 20261125L;
	private static final String[] TOKENS = { "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309", "99999999999999999999999",
			"NaN", "\"\"", "0.0", "\"default\"", "\u0000", "\uFFFF", "[[[[[[[[", "{\"a\":{\"b\":" };

	static String corrupt(String text, SplittableRandom r) {
		StringBuilder s = new StringBuilder(text);
		int edits = 1 + r.nextInt(4);
		for (int e = 0; e < edits && s.length() > 0; e++) {
			int at = r.nextInt(s.length());
			switch (r.nextInt(6)) {
			case 0 -> s.setLength(at); // truncate
			case 1 -> s.deleteCharAt(at);
			case 2 -> s.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
			case 3 -> s.setCharAt(at, (char) (32 + r.nextInt(95)));
			case 4 -> s.replace(at, Math.min(s.length(), at + r.nextInt(20)), TOKENS[r.nextInt(TOKENS.length)]);
			default -> s.insert(at, "[".repeat(r.nextInt(5000)));
			}
		}
		return s.toString();
	}

	@Test
	void runFileReaderOnlyEverFailsWithItsNamedError(@TempDir Path dir) throws Exception {
		SplittableRandom r = new SplittableRandom(SEED);
		Path f = dir.resolve("fuzz.json");
		int named = 0;
		for (int i = 0; i < 3_000; i++) {
			String text = corrupt(RunFileTest.VALID, r);
			Files.writeString(f, text, StandardCharsets.UTF_8);
			try {
				RunFile run = RunFile.read(f);
				run.resolvePrior(TestSimulators.descriptor("good"));
				run.resolveObservation(TestSimulators.descriptor("good"));
			} catch (RunFileException e) {
				assertTrue(e.getMessage().contains("fuzz.json") || e.getMessage().contains("Observation file"),
						"case " + i + ": the error names the file: " + e.getMessage());
				named++;
			} catch (RuntimeException | Error e) {
				fail("case " + i + " (seed " + SEED + ") threw " + e + " for:\n" + text, e);
			}
		}
		assertTrue(named > 2_000, "most corruptions are caught: " + named);
	}

	@Test
	void manifestReaderOnlyEverFailsWithItsNamedError(@TempDir Path dir) throws Exception {
		TestSimulators.Good good = new TestSimulators.Good();
		Path original = dir.resolve("original");
		Campaigns.start(good, good.descriptor().defaultPrior(), true, new CampaignSettings(120, 1, 50, 1, null), original, ProgressMonitor.NULL);
		String manifest = Files.readString(original.resolve(CampaignStore.MANIFEST));
		SplittableRandom r = new SplittableRandom(SEED + 1);
		int named = 0;
		for (int i = 0; i < 1_500; i++) {
			String text = corrupt(manifest, r);
			Files.writeString(original.resolve(CampaignStore.MANIFEST), text, StandardCharsets.UTF_8);
			try (CampaignStore store = CampaignStore.open(original)) {
				store.load();
			} catch (CampaignStoreException e) {
				assertTrue(e.getMessage().contains(original.toString()), "case " + i + ": names the folder: " + e.getMessage());
				named++;
			} catch (IOException e) {
				assertTrue(e.getMessage() != null && e.getMessage().contains(original.toString()), "case " + i + ": " + e);
				named++;
			} catch (RuntimeException | Error e) {
				fail("case " + i + " (seed " + (SEED + 1) + ") threw " + e + " for:\n" + text, e);
			}
		}
		assertTrue(named > 1_000, "most corruptions are caught: " + named);
		Files.writeString(original.resolve(CampaignStore.MANIFEST), manifest, StandardCharsets.UTF_8);

		// The per-chunk commit records get the same treatment.
		String record = Files.readString(original.resolve("chunk_00001.json"));
		named = 0;
		for (int i = 0; i < 1_500; i++) {
			String text = corrupt(record, r);
			Files.writeString(original.resolve("chunk_00001.json"), text, StandardCharsets.UTF_8);
			try (CampaignStore store = CampaignStore.open(original)) {
				store.load();
			} catch (IOException e) {
				assertTrue(e.getMessage() != null && e.getMessage().contains(original.toString()), "record case " + i + ": " + e);
				named++;
			} catch (RuntimeException | Error e) {
				fail("record case " + i + " (seed " + (SEED + 1) + ") threw " + e + " for:\n" + text, e);
			}
		}
		assertTrue(named > 1_000, "most corruptions of a commit record are caught: " + named);
	}
}
