package org.sbiworkbench.simulators.external.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.external.tests.Programs.quote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.TruncatedPrior;
import org.sbiworkbench.simulators.external.DescriptorException;
import org.sbiworkbench.simulators.external.ExternalSimulator;
import org.sbiworkbench.simulators.external.ExternalSimulatorSpec;

/**
 * Descriptors: every optional field is read as documented, and every mistake
 * is refused with a message naming the file, the field and the fix.
 */
class DescriptorTest {

	@TempDir
	Path dir;

	private String problem(String json) throws Exception {
		Path f = Programs.descriptor(dir, "sim.json", json);
		DescriptorException e = assertThrows(DescriptorException.class, () -> ExternalSimulator.read(f));
		assertEquals(f, e.file());
		assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
		return e.getMessage();
	}

	private String problem(String observations, String command, String more) throws Exception {
		return problem(Programs.json("sim", observations, command, more));
	}

	private static void contains(String message, String... parts) {
		for (String p : parts) {
			assertTrue(message.contains(p), "'" + p + "' in: " + message);
		}
	}

	@Test
	void readsEveryField() throws Exception {
		Files.writeString(dir.resolve("x_o.csv"), "x_1,x_2,x_3,x_4\n1,2,3,4\n");
		Files.createDirectories(dir.resolve("work"));
		Path f = Programs.descriptor(dir, "full.json", """
				{
				  "id": "full_example",
				  "name": "Full example",
				  "description": "Every field.",
				  "version": "2.1",
				  "domain": "particle physics",
				  "references": ["A. Author, J. Phys. 1 (2024) 1"],
				  "parameters": [
				    {"name": "m", "unit": "GeV", "description": "the mass"},
				    {"name": "w", "unit": "GeV"}
				  ],
				  "prior": {"gaussian": {"mean": [100, 5], "covariance": [[4, 0], [0, 1]]}},
				  "observations": {"prefix": "x", "count": 4},
				  "observationShape": [2, 2],
				  "defaultObservations": [
				    {"name": "from a file", "file": "x_o.csv", "trueParameters": {"w": 5, "m": 101}},
				    {"values": [4, 3, 2, 1]}
				  ],
				  "command": ["true", "--fixed", "{seed}"],
				  "workingDirectory": "work",
				  "environment": {"OMP_NUM_THREADS": "1", "LEVEL": 3},
				  "input": "stdin-json",
				  "output": "stdout-json",
				  "timeoutSeconds": 2.5,
				  "seedBits": 31,
				  "comment": "ignored"
				}""");
		ExternalSimulatorSpec spec = ExternalSimulator.read(f).spec();
		SimulatorDescriptor d = spec.descriptor();
		assertEquals("full_example", d.id());
		assertEquals("Full example", d.name());
		assertEquals(Domain.PARTICLE_PHYSICS, d.domain());
		assertEquals("2.1", d.version());
		assertEquals("Every field. Parameters: m [GeV]: the mass; w [GeV].", d.description());
		assertEquals(List.of("A. Author, J. Phys. 1 (2024) 1"), d.references());
		assertEquals(List.of(new Parameter("m", "GeV"), new Parameter("w", "GeV")), d.parameters());
		assertTrue(d.defaultPrior() instanceof MultivariateGaussianPrior);
		assertEquals(List.of("x_1", "x_2", "x_3", "x_4"), d.observationNames());
		assertEquals(List.of(2, 2), d.observationShape());
		assertEquals("from a file", d.defaultObservations().get(0).name());
		assertArrayEquals(new double[] { 1, 2, 3, 4 }, d.defaultObservations().get(0).values(), 0);
		assertArrayEquals(new double[] { 101, 5 }, d.defaultObservations().get(0).knownParameters().orElseThrow(), 0);
		assertEquals("observation 2", d.defaultObservations().get(1).name());
		assertEquals(List.of("the mass", ""), spec.parameterDescriptions());
		assertEquals(dir.resolve("work").toRealPath(), spec.workingDirectory().toRealPath());
		assertEquals("1", spec.environment().get("OMP_NUM_THREADS"));
		assertEquals("3", spec.environment().get("LEVEL"));
		assertEquals(ExternalSimulatorSpec.Input.STDIN_JSON, spec.input());
		assertEquals(ExternalSimulatorSpec.Output.STDOUT_JSON, spec.output());
		assertEquals(Duration.ofMillis(2500), spec.timeout());
		assertEquals(31, spec.seedBits());
		assertTrue(spec.uses("seed"));
	}

	@Test
	void defaultsAreArgumentsCsvAMinuteAndTheDescriptorsFolder() throws Exception {
		Path f = Programs.descriptor(dir, "min.json", """
				{"id": "minimal", "parameters": [{"name": "k", "prior": {"distribution": "lognormal", "mu": 0, "sigma": 1, "truncate": [0.1, 10]}}],
				 "observations": ["y"], "command": ["true"]}""");
		ExternalSimulatorSpec spec = ExternalSimulator.read(f).spec();
		assertEquals("minimal", spec.descriptor().name());
		assertEquals(Domain.OTHER, spec.descriptor().domain());
		assertTrue(spec.descriptor().version().matches("descriptor-[0-9a-f]{12}"), "a version from the file's hash: "
				+ spec.descriptor().version());
		assertTrue(spec.descriptor().defaultPrior() instanceof TruncatedPrior);
		assertEquals(ExternalSimulatorSpec.Input.ARGUMENTS, spec.input());
		assertEquals(ExternalSimulatorSpec.Output.STDOUT_CSV, spec.output());
		assertEquals(Duration.ofSeconds(60), spec.timeout());
		assertEquals(63, spec.seedBits());
		assertEquals(dir.toRealPath(), spec.workingDirectory().toRealPath());
	}

	@Test
	void mistakesNameTheFieldAndTheFix() throws Exception {
		String obs = "[\"x\"]";
		String ok = "[\"true\"]";
		contains(problem("{\"id\": \"s\", "), "is not valid JSON", "line 1");
		contains(problem("[1, 2]"), "must hold a JSON object");
		contains(problem("{\"parameters\": []}"), "'id' is missing");
		contains(problem(Programs.json("My Sim", obs, ok, "")), "'id' is 'My Sim'", "e.g. \"my_sim\"");
		contains(problem(obs, ok, "\"timeoutSecond\": 5"), "unknown field 'timeoutSecond'; did you mean 'timeoutSeconds'?");
		contains(problem(obs, ok, "\"timeoutSeconds\": -1"), "'timeoutSeconds' must be a positive number of seconds, got -1");
		contains(problem(obs, ok, "\"seedBits\": 64"), "'seedBits' must be an integer from 1 to 63");
		contains(problem(obs, ok, "\"domain\": \"chemistry\""), "'domain' is \"chemistry\"; use one of [particle_physics");
		contains(problem(obs, ok, "\"input\": \"stdin\""), "'input' is 'stdin' (did you mean 'stdin-json'?)");
		contains(problem(obs, ok, "\"output\": \"csv\""), "'output' is 'csv'", "\"stdout-csv\"");
		contains(problem(obs, ok, "\"workingDirectory\": \"nowhere\""), "'workingDirectory'", "nowhere is not an existing folder");

		// parameters and priors
		contains(problem("{\"id\": \"s\", \"parameters\": [], \"observations\": [\"x\"], \"command\": [\"true\"]}"),
				"'parameters' must be a non-empty list");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"a\"}], \"observations\": [\"x\"], \"command\": [\"true\"]}"),
				"'parameters[0].prior' is missing", "give parameter 'a' a prior");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"a\", \"prior\": {\"distribution\": \"uniform\", \"lower\": 2, \"upper\": 1}}],"
				+ " \"observations\": [\"x\"], \"command\": [\"true\"]}"), ".a: uniform needs lower < upper, got lower 2.0, upper 1.0");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"a\", \"prior\": {\"distribution\": \"cauchy\"}}],"
				+ " \"observations\": [\"x\"], \"command\": [\"true\"]}"), "distribution 'cauchy' is unknown");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"a\", \"unit\": \"m\", \"prior\": {}, \"units\": \"m\"}],"
				+ " \"observations\": [\"x\"], \"command\": [\"true\"]}"), "unknown field 'parameters[0].units'; did you mean 'parameters[0].unit'?");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"a b\", \"prior\": {\"distribution\": \"normal\", \"mean\": 0, \"std\": 1}}],"
				+ " \"observations\": [\"x\"], \"command\": [\"true\"]}"), "parameter 'a b' is passed as --a b=value");

		// observations
		contains(problem("[]", ok, ""), "'observations' must list the names");
		contains(problem("[\"x\", \"x\"]", ok, ""), "lists a name twice");
		contains(problem("[\"x\", \"y\"]", ok, "\"observationShape\": [3]"), "'observationShape' [3] holds 3 values but 'observations' names 2");
		contains(problem("[\"x\", \"y\"]", ok, "\"defaultObservations\": [{\"name\": \"o\", \"values\": [1]}]"),
				"'defaultObservations[0].values' must be a list of 2 numbers, got 1");
		contains(problem("[\"x\", \"y\"]", ok, "\"defaultObservations\": [{\"name\": \"o\", \"values\": [1, 2], \"trueParameters\": [1]}]"),
				"'defaultObservations[0].trueParameters' must be a list of 2 numbers");
		contains(problem("[\"x\", \"y\"]", ok, "\"defaultObservations\": [{\"name\": \"o\", \"file\": \"missing.csv\"}]"),
				"'defaultObservations[0].file'", "does not exist");

		// the command
		contains(problem(Programs.json("s", obs, "\"python3 sim.py --fast\"", "")), "got the single string",
				"split it into the program and its arguments (no shell parses it)");
		contains(problem(obs, "[]", ""), "'command' must be a list");
		contains(problem(obs, "[\"no-such-program-sbiw\"]", ""), "the program 'no-such-program-sbiw' is not on the PATH");
		contains(problem(obs, "[\"./missing.sh\"]", ""), "'command[0]': the program " + dir.resolve("missing.sh"), "does not exist");
		Files.writeString(dir.resolve("plain.sh"), "echo 1\n");
		contains(problem(obs, "[\"./plain.sh\"]", ""), "plain.sh is not executable; make it so (chmod +x plain.sh)");
		contains(problem(obs, "[\"true\", \"{inptu}\"]", "\"input\": \"file\""),
				"'command[1]' contains the unknown placeholder {inptu} (did you mean 'input'?)");
		contains(problem(obs, ok, "\"input\": \"file\""), "no argument of 'command' contains {input}", "\"--theta={input}\"");
		contains(problem(obs, "[\"true\", \"{input}\"]", ""), "'command' contains {input} but 'input' is \"arguments\"");
		contains(problem(obs, ok, "\"output\": \"npy\""), "no argument of 'command' contains {output}");
		contains(problem(obs, "[\"true\", \"{input}\"]", "\"input\": {\"mode\": \"file\", \"format\": \"npy\"}"),
				"the seed must be an argument: add one with {seed}");
		contains(problem(obs, "[\"true\", \"{input}\"]", "\"input\": {\"mode\": \"file\", \"format\": \"csv\"}"),
				"'input.format' is 'csv'; use \"json\" or \"npy\"");
		contains(problem("{\"id\": \"s\", \"parameters\": [{\"name\": \"seed\", \"prior\": {\"distribution\": \"normal\", \"mean\": 0, \"std\": 1}}],"
				+ " \"observations\": [\"x\"], \"command\": [\"true\"]}"), "a parameter named 'seed' would clash");
		contains(problem(obs, "[" + quote("true") + "]", "\"environment\": {\"A\": [1]}"), "'environment.A' must be a string");
	}
}
