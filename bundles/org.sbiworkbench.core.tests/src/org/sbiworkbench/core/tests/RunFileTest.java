package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.TruncatedPrior;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.Npy;

class RunFileTest {

	static final String VALID = """
			{
			  "simulator": "good",
			  "prior": { "a": { "distribution": "normal", "mean": 0, "std": 1, "truncate": [-1, 1] },
			             "b": { "distribution": "uniform", "lower": -1, "upper": 1 } },
			  "simulations": 5000,
			  "seed": 42,
			  "method": { "name": "npe", "settings": { "flow": "nsf" } },
			  "observation": { "values": [0.1, 0.2, 0.3] },
			  "diagnostics": ["coverage", "sbc"],
			  "output": "out/run1",
			  "campaign": { "chunkSize": 500, "threads": 2, "timeoutSeconds": 30 }
			}
			""";

	private static final SimulatorDescriptor D = TestSimulators.descriptor("good");

	private static RunFileException fails(Path dir, String json) throws Exception {
		Path f = dir.resolve("run.json");
		Files.writeString(f, json);
		return assertThrows(RunFileException.class, () -> {
			RunFile r = RunFile.read(f);
			r.resolvePrior(D);
			r.resolveObservation(D);
		});
	}

	@Test
	void aValidRunFileIsReadCompletely(@TempDir Path dir) throws Exception {
		Path f = dir.resolve("run.json");
		Files.writeString(f, VALID);
		RunFile r = RunFile.read(f);
		assertEquals("good", r.simulator());
		assertEquals(5000, r.simulations());
		assertEquals(42, r.seed());
		assertEquals("npe", r.method());
		assertEquals("nsf", r.methodSettings().get("flow").asText());
		assertEquals(List.of("coverage", "sbc"), r.diagnostics());
		assertEquals(dir.resolve("out/run1").toAbsolutePath().normalize(), r.output());
		assertEquals(500, r.chunkSize());
		assertEquals(2, r.threads());
		assertEquals(30.0, r.timeoutSeconds());
		Prior p = r.resolvePrior(D);
		assertTrue(p instanceof TruncatedPrior);
		assertEquals(-1, p.lowerBounds()[0]);
		assertArrayEquals(new double[] { 0.1, 0.2, 0.3 }, r.resolveObservation(D).values());

		// Writing and reading back gives the same run.
		Path copy = dir.resolve("copy.json");
		r.write(copy);
		RunFile back = RunFile.read(copy);
		assertEquals(r.simulations(), back.simulations());
		assertEquals(r.output(), back.output());
		assertEquals(r.prior(), back.prior());
		assertEquals(r.observation(), back.observation());
	}

	@Test
	void observationsFromCsvAndNpyFilesAndDefaults(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("x.csv"), "x1,x2,x3\n1.5,2.5,-3\n");
		Npy.write(dir.resolve("x.npy"), new double[][] { { 4, 5, 6 } }, 3);
		for (String obs : List.of("{\"file\": \"x.csv\"}", "{\"file\": \"x.npy\"}")) {
			Path f = dir.resolve("run.json");
			Files.writeString(f, VALID.replace("{ \"values\": [0.1, 0.2, 0.3] }", obs));
			Observation o = RunFile.read(f).resolveObservation(D);
			assertEquals(3, o.values().length, obs);
		}
		RunFileException e = fails(dir, VALID.replace("{ \"values\": [0.1, 0.2, 0.3] }", "\"default\""));
		assertTrue(e.getMessage().contains("has none"), e.getMessage());
	}

	@Test
	void everyMistakeNamesTheFieldAndTheFix(@TempDir Path dir) throws Exception {
		RunFileException e = fails(dir, VALID.replace("\"simulations\"", "\"simualtions\""));
		assertTrue(e.getMessage().contains("unknown field 'simualtions'") && e.getMessage().contains("did you mean 'simulations'"), e.getMessage());
		e = fails(dir, VALID.replace("5000", "-5"));
		assertTrue(e.getMessage().contains("'simulations' must be a positive integer"), e.getMessage());
		e = fails(dir, VALID.replace("\"seed\": 42,", ""));
		assertTrue(e.getMessage().contains("'seed' is missing"), e.getMessage());
		e = fails(dir, VALID.replace("\"sbc\"", "42"));
		assertTrue(e.getMessage().contains("42 is not a diagnostic name"), e.getMessage());
		e = fails(dir, VALID.replace("[0.1, 0.2, 0.3]", "[0.1, 0.2]"));
		assertTrue(e.getMessage().contains("2 values") && e.getMessage().contains("produces 3"), e.getMessage());
		e = fails(dir, VALID.replace("\"std\": 1", "\"std\": -1"));
		assertTrue(e.getMessage().contains("prior.a.std must be positive"), e.getMessage());
		e = fails(dir, VALID.replace("\"distribution\": \"uniform\"", "\"distribution\": \"cauchy\""));
		assertTrue(e.getMessage().contains("'cauchy' is unknown"), e.getMessage());
		e = fails(dir, VALID.replace("\"b\": {", "\"c\": {"));
		assertTrue(e.getMessage().contains("'c', which is not a parameter"), e.getMessage());
		e = fails(dir, VALID.substring(0, VALID.length() / 2));
		assertTrue(e.getMessage().contains("not valid JSON") && e.getMessage().contains("line"), e.getMessage());
		e = fails(dir, "[1, 2]");
		assertTrue(e.getMessage().contains("must hold a JSON object"), e.getMessage());
		e = fails(dir, VALID.replace("{ \"values\": [0.1, 0.2, 0.3] }", "{\"file\": \"missing.csv\"}"));
		assertTrue(e.getMessage().contains("missing.csv") && e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void samplesAndDiagnosticTestsHaveDefaultsAreCheckedAndWrittenBack(@TempDir Path dir) throws Exception {
		Path f = dir.resolve("run.json");
		Files.writeString(f, VALID);
		RunFile defaults = RunFile.read(f);
		assertEquals(RunFile.DEFAULT_SAMPLES, defaults.samples());
		assertEquals(RunFile.DEFAULT_DIAGNOSTIC_TESTS, defaults.diagnosticTests());

		Files.writeString(f, VALID.replace("\"seed\": 42,", "\"seed\": 42, \"samples\": 2500, \"diagnosticTests\": 50,"));
		RunFile r = RunFile.read(f);
		assertEquals(2500, r.samples());
		assertEquals(50, r.diagnosticTests());
		Path copy = dir.resolve("copy.json");
		r.write(copy);
		RunFile back = RunFile.read(copy);
		assertEquals(2500, back.samples());
		assertEquals(50, back.diagnosticTests());
		defaults.write(copy);
		assertTrue(!Files.readString(copy).contains("samples") && !Files.readString(copy).contains("diagnosticTests"),
				"defaults are not written out");

		RunFileException e = fails(dir, VALID.replace("\"seed\": 42,", "\"seed\": 42, \"samples\": 0,"));
		assertTrue(e.getMessage().contains("'samples'") && e.getMessage().contains("10000"), e.getMessage());
		e = fails(dir, VALID.replace("\"seed\": 42,", "\"seed\": 42, \"diagnosticTests\": 3,"));
		assertTrue(e.getMessage().contains("'diagnosticTests'") && e.getMessage().contains("at least 10"), e.getMessage());
		e = fails(dir, VALID.replace("\"seed\": 42,", "\"seed\": 42, \"samples\": 1.5,"));
		assertTrue(e.getMessage().contains("'samples' must be an integer"), e.getMessage());
	}

	@Test
	void theExecutorSectionIsReadCheckedAndWrittenBack(@TempDir Path dir) throws Exception {
		Path f = dir.resolve("run.json");
		Files.writeString(f, VALID);
		assertEquals(RunFile.Executor.LOCAL, RunFile.read(f).executor(), "no section: local threads");
		String slurm = VALID.replace("\"campaign\":", """
				"executor": { "type": "slurm", "partition": "short", "time-limit": "00:30:00", "cpus-per-task": 4,
				              "setup": ["module load java/17", "source /opt/env.sh"] },
				  "campaign":""");
		Files.writeString(f, slurm);
		RunFile r = RunFile.read(f);
		assertEquals("slurm", r.executor().type());
		assertEquals(java.util.Map.of("partition", "short", "time-limit", "00:30:00", "cpus-per-task", "4", "setup",
				"module load java/17\nsource /opt/env.sh"), r.executor().settings());
		Path copy = dir.resolve("copy.json");
		r.write(copy);
		assertEquals(r.executor(), RunFile.read(copy).executor(), "written and read back");
		assertTrue(Files.readString(copy).contains("\"module load java/17\""), "lines stay a list");

		String e = fails(dir, slurm.replace("\"partition\"", "\"partiton\"")).getMessage();
		assertTrue(e.contains("unknown setting 'executor.partiton'") && e.contains("did you mean 'executor.partition'"), e);
		e = fails(dir, slurm.replace("\"type\": \"slurm\"", "\"type\": \"slurn\"")).getMessage();
		assertTrue(e.contains("unknown executor type 'slurn'; did you mean 'slurm'?"), e);
		e = fails(dir, slurm.replace("\"cpus-per-task\": 4", "\"cpus-per-task\": {\"n\": 4}")).getMessage();
		assertTrue(e.contains("'executor.cpus-per-task' must be a string, a number or a list of strings"), e);
		e = fails(dir, slurm.replace("\"type\": \"slurm\",", "")).getMessage();
		assertTrue(e.contains("'type' is missing"), e);
	}
}
