package org.sbiworkbench.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;

/** simulate, resume and run as a user types them, against the registered two_moons. */
class CampaignCommandsTest {

	private final StringWriter out = new StringWriter();
	private final StringWriter err = new StringWriter();

	private int sbiw(String... args) throws Exception {
		out.getBuffer().setLength(0);
		err.getBuffer().setLength(0);
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		List<Simulator> simulators = new ArrayList<>();
		for (ServiceReference<Simulator> ref : context.getServiceReferences(Simulator.class, null)) {
			simulators.add(context.getService(ref));
		}
		List<InferenceMethod> methods = new ArrayList<>();
		for (ServiceReference<InferenceMethod> ref : context.getServiceReferences(InferenceMethod.class, null)) {
			methods.add(context.getService(ref));
		}
		List<org.sbiworkbench.diagnostics.Diagnostic> diagnostics = new ArrayList<>();
		for (var ref : context.getServiceReferences(org.sbiworkbench.diagnostics.Diagnostic.class, null)) {
			diagnostics.add(context.getService(ref));
		}
		return new SbiwCommandLine(() -> simulators, () -> methods, () -> diagnostics).execute(args, new PrintWriter(out),
				new PrintWriter(err));
	}

	@Test
	void simulateWritesACompleteCampaignAndResumeHasNothingLeft(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("tm");
		assertEquals(0, sbiw("simulate", "--simulator", "two_moons", "--simulations", "2500", "--seed", "7", "--out", dir.toString(),
				"--chunk-size", "1000"), err.toString());
		assertTrue(out.toString().contains("two_moons 1.0: complete, 3 of 3 chunks") && out.toString().contains("no failures"), out.toString());
		assertTrue(Files.exists(dir.resolve("theta_00002.npy")) && Files.exists(dir.resolve("x_00002.npy")));
		assertEquals(0, sbiw("resume", dir.toString()), err.toString());
		assertTrue(out.toString().contains("complete"), out.toString());
		// Simulating into the same folder again is refused, pointing at resume.
		assertEquals(1, sbiw("simulate", "--simulator", "two_moons", "-n", "10", "--seed", "1", "--out", dir.toString()));
		assertTrue(err.toString().contains("already holds a campaign") && err.toString().contains("sbiw resume"), err.toString());
	}

	@Test
	void anUnknownSimulatorListsTheRegisteredOnes(@TempDir Path tmp) throws Exception {
		assertEquals(2, sbiw("simulate", "--simulator", "two_moon", "-n", "10", "--out", tmp.toString()));
		assertTrue(err.toString().contains("No simulator 'two_moon'") && err.toString().contains("two_moons"), err.toString());
	}

	@Test
	void runFileSimulatesAndRefusesAMethodThatIsNotInstalled(@TempDir Path tmp) throws Exception {
		String run = """
				{ "simulator": "two_moons", "prior": "default", "simulations": 300, "seed": 3,
				  "observation": { "default": "sbibm 2" }, "output": "out", "campaign": { "chunkSize": 100 } }
				""";
		Path file = tmp.resolve("run.json");
		Files.writeString(file, run);
		assertEquals(0, sbiw("run", file.toString()), err.toString());
		assertTrue(out.toString().contains("complete, 3 of 3 chunks"), out.toString());
		assertTrue(out.toString().contains("observation: sbibm 2"), out.toString());
		assertTrue(Files.exists(tmp.resolve("out/simulations/manifest.json")));
		// Running it again continues (nothing left) instead of starting over.
		assertEquals(0, sbiw("run", file.toString()), err.toString());

		Files.writeString(file, run.replace("\"seed\": 3", "\"seed\": 4"));
		assertEquals(1, sbiw("run", file.toString()));
		assertTrue(err.toString().contains("holds a different campaign"), err.toString());

		Files.writeString(file, run.replace("\"prior\": \"default\",", "\"prior\": \"default\", \"method\": \"nle\","));
		assertEquals(4, sbiw("run", file.toString()));
		assertTrue(err.toString().contains("'nle' is not installed"), err.toString());

		Files.writeString(file, run.replace("\"simulations\"", "\"simulation\""));
		assertEquals(1, sbiw("run", file.toString()));
		assertTrue(err.toString().contains("did you mean 'simulations'"), err.toString());
	}

	@Test
	void inferWritesSamplesSummaryAndAReloadableEstimator(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("npe");
		assertEquals(0, sbiw("infer", "--simulator", "two_moons", "--simulations", "400", "--samples", "500", "--seed", "5", "--out",
				dir.toString(), "--density-estimator", "maf", "--diagnostic-tests", "40"), err.toString());
		List<String> csv = Files.readAllLines(dir.resolve("posterior_samples.csv"));
		assertEquals("theta_1,theta_2", csv.get(0));
		assertEquals(501, csv.size(), "a header and 500 samples");
		var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("summary.json").toFile());
		for (String field : List.of("parameters", "mean", "std", "ci95", "map", "true_parameters", "acceptance_rate", "timings", "epochs",
				"seed", "versions")) {
			assertTrue(summary.has(field) && !summary.get(field).isNull(), "summary.json has " + field + ": " + summary);
		}
		assertEquals(2, summary.get("ci95").get(0).size());
		assertTrue(summary.get("ci95").get(0).get(0).asDouble() < summary.get("ci95").get(0).get(1).asDouble());
		assertEquals(-0.8176656, summary.get("true_parameters").get(0).asDouble(), 1e-7, "sbibm observation 1's θ");
		assertTrue(summary.get("timings").has("train") && summary.get("epochs").asInt() > 0);
		assertTrue(Files.exists(dir.resolve("estimator/estimator.json")));
		assertTrue(out.toString().contains("theta_1") && out.toString().contains("true -0.8177"), out.toString());
		// Diagnostics are on by default: their figures in summary.json, their plots beside it.
		var diagnostics = summary.get("diagnostics");
		assertEquals(40, diagnostics.get("coverage").get("tests").asInt(), summary.toString());
		assertTrue(diagnostics.get("coverage").get("largest_deviation").isNumber());
		assertTrue(diagnostics.get("sbc").get("p_values").get("theta_1").get("ks_p_value").isNumber());
		assertTrue(diagnostics.get("ppc").get("p_values").get("x_1").isNumber());
		assertTrue(diagnostics.get("misspecification").get("p_value").isNumber());
		for (String plot : List.of("pairplot", "loss", "coverage", "sbc", "ppc", "misspecification")) {
			assertTrue(Files.size(dir.resolve(plot + ".png")) > 1000, plot + ".png");
			assertTrue(Files.readString(dir.resolve(plot + ".svg")).contains("<svg"), plot + ".svg");
		}
		assertTrue(Files.size(dir.resolve("posterior_samples.npy")) > 500 * 2 * 8);
		String index = Files.readString(dir.resolve("index.html"));
		assertTrue(index.contains("<img src=\"coverage.png\"") && index.contains("theta_1") && index.contains("Diagnostics"), index);
		assertTrue(out.toString().contains("coverage") && out.toString().contains("sbc"), out.toString());
		// An unknown diagnostic is named, with the installed ones, before any simulation.
		assertEquals(1, sbiw("infer", "--simulator", "two_moons", "-n", "10", "--seed", "1", "--out", tmp.resolve("y").toString(),
				"--diagnostics", "coverage,sbk"));
		assertTrue(err.toString().contains("unknown diagnostic [sbk]") && err.toString().contains("misspecification"), err.toString());
		assertFalse(Files.exists(tmp.resolve("y/simulations")));
		// A method that is not installed is named.
		assertEquals(2, sbiw("infer", "--simulator", "two_moons", "-n", "10", "--seed", "1", "--out", tmp.resolve("x").toString(), "--method",
				"no_such_method"));
		assertTrue(err.toString().contains("No inference method 'no_such_method'") && err.toString().contains("npe"), err.toString());
	}

	@Test
	void demoLeavesACompleteReport(@TempDir Path tmp) throws Exception {
		Path dir = tmp.resolve("demo");
		// A small budget: this checks the report, not the posterior (docs and README use the default 5,000).
		assertEquals(0, sbiw("demo", "--out", dir.toString(), "--simulations", "600"), err.toString());
		assertTrue(out.toString().contains("bump_hunt") && out.toString().contains(dir.resolve("index.html").toString()), out.toString());
		var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("summary.json").toFile());
		assertEquals("bump_hunt", summary.get("simulator").asText());
		for (String check : List.of("coverage", "sbc", "ppc", "misspecification")) {
			assertTrue(List.of("passed", "warning").contains(summary.get("diagnostics").get(check).get("status").asText()), check + ": " + summary);
		}
		assertEquals(10_001, Files.readAllLines(dir.resolve("posterior_samples.csv")).size());
		String index = Files.readString(dir.resolve("index.html"));
		int images = index.split("<img ", -1).length - 1;
		assertTrue(images >= 3, images + " plots in index.html");
		for (String plot : List.of("pairplot", "coverage", "sbc", "ppc")) {
			assertTrue(index.contains(plot + ".png") && Files.exists(dir.resolve(plot + ".png")), plot);
		}
	}

	@Test
	void abcFromACampaignAndSmcAbcSimulatingAsItGoes(@TempDir Path tmp) throws Exception {
		Path abc = tmp.resolve("abc");
		assertEquals(0, sbiw("infer", "--simulator", "two_moons", "--method", "abc", "-n", "3000", "--samples", "500", "--seed", "2",
				"--out", abc.toString(), "--diagnostic-tests", "20"), err.toString());
		var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(abc.resolve("summary.json").toFile());
		assertEquals("abc", summary.get("method").asText());
		// Rejection ABC has no density: coverage falls back to central marginal intervals.
		assertEquals("marginal", summary.get("diagnostics").get("coverage").get("kind").asText(), summary.toString());
		assertTrue(Files.exists(abc.resolve("simulations/manifest.json")), "rejection ABC learns from a campaign");

		Path smc = tmp.resolve("smc");
		assertEquals(0, sbiw("infer", "--simulator", "two_moons", "--method", "smcabc", "-n", "3000", "--samples", "500", "--seed", "2",
				"--out", smc.toString()), err.toString());
		summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(smc.resolve("summary.json").toFile());
		assertEquals("smcabc", summary.get("method").asText());
		assertFalse(Files.exists(smc.resolve("simulations")), "SMC-ABC simulates as it goes, without a campaign folder");
		assertEquals("skipped", summary.get("diagnostics").get("coverage").get("status").asText(), "not amortized: no coverage");
		assertEquals(501, Files.readAllLines(smc.resolve("posterior_samples.csv")).size());
	}
}
