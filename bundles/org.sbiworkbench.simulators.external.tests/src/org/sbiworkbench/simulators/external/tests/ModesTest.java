package org.sbiworkbench.simulators.external.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.external.tests.Programs.PYTHON;
import static org.sbiworkbench.simulators.external.tests.Programs.quote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.simulators.external.ExternalSimulator;
import org.sbiworkbench.simulators.external.ExternalSimulatorSpec;

/**
 * Every way θ and the seed go in (arguments, stdin JSON, a JSON file, an .npy
 * file) and x comes back (a CSV line, a JSON array, an .npy file) carries the
 * exact values: each test program returns x = (a + b, a·b, seed mod 1000),
 * computed in Python from what it received. Arguments reach the program
 * verbatim, shell metacharacters and all, because no shell is involved.
 */
class ModesTest {

	@TempDir
	Path dir;

	/** θ with a value whose decimal form has an exponent, to check the number formatting. */
	private static final double[] THETA = { 1.0e-7, -1.75 };

	private static double[] expected(long seed) {
		return new double[] { THETA[0] + THETA[1], THETA[0] * THETA[1], seed % 1000 };
	}

	private static long seed(ExternalSimulator s, int generatorSeed) {
		return s.seedFor(new Well19937c(generatorSeed));
	}

	@Test
	void argumentsInCsvOut() throws Exception {
		Programs.script(dir, "args_csv.py", """
				import sys
				v = dict(arg[2:].split("=", 1) for arg in sys.argv[1:])
				a, b, seed = float(v["a"]), float(v["b"]), int(v["seed"])
				print(f"{a + b!r}, {a * b!r}, {seed % 1000}")
				""");
		ExternalSimulator s = Programs.simulator(dir, "args_csv", "[\"sum\", \"product\", \"seed\"]",
				"[" + quote(PYTHON) + ", \"args_csv.py\"]", "\"input\": \"arguments\", \"output\": \"stdout-csv\"");
		assertEquals(ExternalSimulatorSpec.Input.ARGUMENTS, s.spec().input());
		double[] x = s.simulate(THETA, new Well19937c(1));
		assertArrayEquals(expected(seed(s, 1)), x, 0);
	}

	@Test
	void stdinJsonInJsonOutWithAShape() throws Exception {
		Programs.script(dir, "stdin_json.py", """
				import json, sys
				d = json.load(sys.stdin)
				a, b = d["parameters"]["a"], d["parameters"]["b"]
				assert d["theta"] == [a, b], d
				print(json.dumps([[a + b, a * b], [d["seed"] % 1000, len(d["theta"])]]))
				""");
		ExternalSimulator s = Programs.simulator(dir, "stdin_json", "[\"sum\", \"product\", \"seed\", \"d\"]",
				"[" + quote(PYTHON) + ", \"stdin_json.py\"]",
				"\"observationShape\": [2, 2], \"input\": \"stdin-json\", \"output\": \"stdout-json\"");
		assertEquals(List.of(2, 2), s.descriptor().observationShape());
		double[] x = s.simulate(THETA, new Well19937c(2));
		double[] e = expected(seed(s, 2));
		assertArrayEquals(new double[] { e[0], e[1], e[2], 2 }, x, 0, "nested arrays are flattened in C order");
	}

	@Test
	void jsonFileInNpyFileOutAndBothAreCleanedUp() throws Exception {
		Path record = dir.resolve("input-path.txt");
		Programs.script(dir, "file_npy.py", """
				import json, struct, sys
				args = dict(arg[2:].split("=", 1) for arg in sys.argv[1:])
				with open(args["in"]) as f:
				    d = json.load(f)
				a, b = d["parameters"]["a"], d["parameters"]["b"]
				x = [a + b, a * b, d["seed"] % 1000]
				header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }" % len(x)
				header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\\n"
				with open(args["out"], "wb") as f:
				    f.write(b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
				    f.write(struct.pack("<%dd" % len(x), *x))
				with open(args["record"], "w") as f:
				    f.write(args["in"] + "\\n" + args["out"])
				""");
		ExternalSimulator s = Programs.simulator(dir, "file_npy", "[\"sum\", \"product\", \"seed\"]",
				"[" + quote(PYTHON) + ", \"file_npy.py\", \"--in={input}\", \"--out={output}\", " + quote("--record=" + record) + "]",
				"\"input\": \"file\", \"output\": \"npy\"");
		assertEquals(ExternalSimulatorSpec.Input.FILE_JSON, s.spec().input());
		double[] x = s.simulate(THETA, new Well19937c(3));
		assertArrayEquals(expected(seed(s, 3)), x, 0);
		List<String> paths = Files.readAllLines(record);
		assertTrue(paths.get(0).endsWith("theta.json"), paths.get(0));
		for (String p : paths) {
			assertFalse(Files.exists(Path.of(p)), p + " is deleted after the simulation");
		}
		assertFalse(Files.exists(Path.of(paths.get(0)).getParent()), "the simulation's temporary folder is deleted");
	}

	@Test
	void npyFileInWithTheSeedAsAnArgument() throws Exception {
		Programs.script(dir, "npy_in.py", """
				import ast, struct, sys
				path, seed = sys.argv[1], int(sys.argv[2].split("=")[1])
				with open(path, "rb") as f:
				    data = f.read()
				assert data[:6] == b"\\x93NUMPY", data[:6]
				n = struct.unpack("<H", data[8:10])[0]
				header = ast.literal_eval(data[10:10 + n].decode("latin1"))
				assert header["descr"] == "<f8" and header["shape"] == (2,), header
				a, b = struct.unpack("<2d", data[10 + n:10 + n + 16])
				print(f"{a + b!r},{a * b!r},{seed % 1000}")
				""");
		ExternalSimulator s = Programs.simulator(dir, "npy_in", "[\"sum\", \"product\", \"seed\"]",
				"[" + quote(PYTHON) + ", \"npy_in.py\", \"{input}\", \"--random-seed={seed}\"]",
				"\"input\": {\"mode\": \"file\", \"format\": \"npy\"}, \"output\": \"stdout-csv\"");
		assertEquals(ExternalSimulatorSpec.Input.FILE_NPY, s.spec().input());
		double[] x = s.simulate(THETA, new Well19937c(4));
		assertArrayEquals(expected(seed(s, 4)), x, 0);
	}

	@Test
	void seedBitsBoundTheSeed() throws Exception {
		ExternalSimulator s = Programs.simulator(dir, "bits", "[\"x\"]", "[\"true\"]", "\"seedBits\": 32");
		Well19937c random = new Well19937c(9);
		for (int i = 0; i < 1000; i++) {
			long seed = s.seedFor(random);
			assertTrue(seed >= 0 && seed < (1L << 32), "seed " + seed);
		}
		ExternalSimulator wide = Programs.simulator(dir, "wide", "[\"x\"]", "[\"true\"]", "");
		long max = 0;
		for (int i = 0; i < 1000; i++) {
			long seed = wide.seedFor(random);
			assertTrue(seed >= 0, "seed " + seed);
			max = Math.max(max, seed);
		}
		assertTrue(max > (1L << 61), "63-bit seeds by default, largest of 1000: " + max);
	}

	@Test
	void argumentsArePassedVerbatimWithoutAShell() throws Exception {
		Path recorded = dir.resolve("args.txt");
		Programs.script(dir, "record_args.sh", """
				#!/bin/sh
				for arg in "$@"; do printf '%s\\n' "$arg"; done > "$ARGS_OUT"
				echo "1,2"
				""");
		List<String> fixed = List.of("two words", "a;b", "; rm -rf /", "$(touch pwned1)", "`touch pwned2`", "*", "|",
				"&& touch pwned3", "> redirected", "'single'", "\"double\"", "--home=$HOME", "back\\slash", "");
		StringBuilder command = new StringBuilder("[\"./record_args.sh\"");
		for (String a : fixed) {
			command.append(", ").append(quote(a));
		}
		command.append("]");
		ExternalSimulator s = Programs.simulator(dir, "verbatim", "[\"x1\", \"x2\"]", command.toString(),
				"\"environment\": {\"ARGS_OUT\": " + quote(recorded.toString()) + "}");
		assertArrayEquals(new double[] { 1, 2 }, s.simulate(new double[] { 1.5, -0.25 }, new Well19937c(8)), 0);
		List<String> expected = new ArrayList<>(fixed);
		expected.addAll(List.of("--a=1.5", "--b=-0.25", "--seed=" + seed(s, 8)));
		assertEquals(expected, Files.readAllLines(recorded), "every argument arrives as it was written");
		for (String f : List.of("pwned1", "pwned2", "pwned3", "redirected")) {
			assertFalse(Files.exists(dir.resolve(f)), f + ": no shell ran the arguments");
		}
	}
}
