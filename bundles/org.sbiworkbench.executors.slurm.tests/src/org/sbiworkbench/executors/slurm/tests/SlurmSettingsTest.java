package org.sbiworkbench.executors.slurm.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sbiworkbench.executors.slurm.SlurmSettings;

class SlurmSettingsTest {

	@Test
	void readsEveryKeyAndWritesBackOnlyWhatDiffersFromTheDefaults() {
		Map<String, String> in = Map.ofEntries(Map.entry("partition", "short"), Map.entry("time-limit", "1-02:00:00"),
				Map.entry("memory", "2G"), Map.entry("cpus-per-task", "4"), Map.entry("setup", "module load java/17\n\nsource /opt/env.sh"),
				Map.entry("max-concurrent", "8"), Map.entry("chunk-size", "500"), Map.entry("retries", "5"),
				Map.entry("launcher", "/shared/sbiw/sbiw"), Map.entry("slurm-bin", "/opt/slurm/bin"), Map.entry("account", "lab42"),
				Map.entry("sbatch-options", "--qos=short"), Map.entry("poll-seconds", "0.5"));
		SlurmSettings s = SlurmSettings.fromMap(in);
		assertEquals("short", s.partition());
		assertEquals("1-02:00:00", s.timeLimit());
		assertEquals(2048, s.memoryMegabytes());
		assertEquals(4, s.cpusPerTask());
		assertEquals(List.of("module load java/17", "source /opt/env.sh"), s.setupLines());
		assertEquals(8, s.maxConcurrent());
		assertEquals(500, s.chunkSize());
		assertEquals(5, s.retries());
		assertEquals(Path.of("/shared/sbiw/sbiw"), s.launcher());
		assertEquals(Path.of("/opt/slurm/bin"), s.slurmBin());
		assertEquals(0.5, s.pollSeconds());
		assertEquals(s, SlurmSettings.fromMap(s.toMap()));
		assertEquals(Map.of(), SlurmSettings.defaults().toMap());
		SlurmSettings d = SlurmSettings.fromMap(Map.of("partition", "  "));
		assertNull(d.partition());
		assertEquals(2, d.retries());
	}

	@Test
	void badValuesAreNamedWithTheFix() {
		assertTrue(message(Map.of("paritition", "short")).contains("did you mean 'partition'"));
		assertTrue(message(Map.of("time-limit", "10 minutes")).contains("hours:minutes:seconds"));
		assertTrue(message(Map.of("memory", "2 GB")).contains("2G"));
		assertTrue(message(Map.of("cpus-per-task", "0")).contains("at least 1"));
		assertTrue(message(Map.of("cpus-per-task", "two")).contains("whole number"));
		assertTrue(message(Map.of("retries", "-1")).contains("0 or more"));
		assertTrue(message(Map.of("launcher", "sbiw")).contains("absolute"));
		assertTrue(message(Map.of("sbatch-options", "qos=short")).contains("--qos=short"));
		assertTrue(message(Map.of("partition", "a b")).contains("sinfo"));
		for (String ok : List.of("30", "30:00", "02:00:00", "1-12", "1-12:30", "1-12:30:00", "UNLIMITED")) {
			assertEquals(ok, SlurmSettings.fromMap(Map.of("time-limit", ok)).timeLimit());
		}
		assertEquals(500, SlurmSettings.fromMap(Map.of("memory", "500")).memoryMegabytes());
		assertEquals(1024 * 1024, SlurmSettings.fromMap(Map.of("memory", "1T")).memoryMegabytes());
	}

	private static String message(Map<String, String> map) {
		return assertThrows(IllegalArgumentException.class, () -> SlurmSettings.fromMap(map)).getMessage();
	}

	@Test
	void runFilesCheckTheSameKeys() {
		assertEquals(SlurmSettings.KEYS, org.sbiworkbench.core.run.RunFile.Executor.KNOWN.get("slurm"),
				"core.run.RunFile checks a run file's Slurm settings against its own copy of the keys");
	}
}
