package org.sbiworkbench.simulators.external.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.simulators.external.ExternalSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shipped example, {@code examples/external-simulator/gaussian.json} with
 * {@code gaussian_sim.py} (x = θ + N(0, 0.5²)): its descriptor reads as
 * documented, it simulates the right distribution, the same seed gives the
 * same x, and a campaign over it is reproducible whatever the thread count.
 */
class ExampleGaussianTest {

	private static final double SIGMA = 0.5;
	private static Path examples;
	private static ExternalSimulator simulator;

	@BeforeAll
	static void load(@TempDir Path dir) throws Exception {
		String where = System.getProperty("sbiw.test.examples");
		assertNotNull(where, "-Dsbiw.test.examples (set in this bundle's pom.xml) names examples/external-simulator");
		examples = Path.of(where).toRealPath();
		// The same descriptor, but run with the fastest python3 and from the example's folder.
		ObjectMapper json = new ObjectMapper();
		ObjectNode root = (ObjectNode) json.readTree(examples.resolve("gaussian.json").toFile());
		((ArrayNode) root.get("command")).set(0, Programs.PYTHON);
		root.put("workingDirectory", examples.toString());
		Path copy = dir.resolve("gaussian.json");
		json.writeValue(copy.toFile(), root);
		simulator = ExternalSimulator.read(copy);
	}

	@Test
	void theShippedDescriptorReadsAsDocumented() throws Exception {
		ExternalSimulator shipped = ExternalSimulator.read(examples.resolve("gaussian.json"));
		SimulatorDescriptor d = shipped.descriptor();
		assertEquals("gaussian_external", d.id());
		assertEquals(Domain.OTHER, d.domain());
		assertEquals("1.0", d.version());
		assertEquals(List.of(Parameter.of("mu1"), Parameter.of("mu2")), d.parameters());
		assertEquals(List.of("x1", "x2"), d.observationNames());
		assertArrayEquals(new double[] { -3, -3 }, d.defaultPrior().lowerBounds(), 0);
		assertArrayEquals(new double[] { 3, 3 }, d.defaultPrior().upperBounds(), 0);
		assertTrue(d.description().contains("mu1: mean of x1"), "parameter descriptions are kept: " + d.description());
		assertEquals(List.of("python3", "gaussian_sim.py"), shipped.spec().command());
		assertEquals(examples, shipped.spec().workingDirectory().toRealPath());
		Observation o = d.defaultObservations().get(0);
		assertArrayEquals(new double[] { 1, -1 }, o.knownParameters().orElseThrow(), 0);
		// The default observation is what the program gives for its true θ and seed 20240601.
		assertArrayEquals(o.values(), simulator.run(new double[] { 1, -1 }, 20240601L), 0);
	}

	@Test
	void simulatesThetaPlusGaussianNoise() {
		double[] theta = { 1.25, -2.0 };
		int n = 40;
		double[] sum = new double[2];
		double[] sumSq = new double[2];
		Well19937c random = new Well19937c(11);
		for (int i = 0; i < n; i++) {
			double[] x = simulator.simulate(theta, random);
			assertEquals(2, x.length);
			for (int j = 0; j < 2; j++) {
				sum[j] += x[j] - theta[j];
				sumSq[j] += (x[j] - theta[j]) * (x[j] - theta[j]);
			}
		}
		for (int j = 0; j < 2; j++) {
			double mean = sum[j] / n;
			double sd = Math.sqrt(sumSq[j] / n);
			// mean of the noise within 4 standard errors of 0; its spread within ±40% of σ (n = 40: ±3.5 s.e.)
			assertEquals(0, mean, 4 * SIGMA / Math.sqrt(n), "mean of x" + (j + 1) + " - θ");
			assertEquals(SIGMA, sd, 0.4 * SIGMA, "spread of x" + (j + 1));
		}
	}

	@Test
	void theSameSeedGivesTheSameX() {
		double[] theta = { 0.3, 0.7 };
		double[] a = simulator.simulate(theta, new Well19937c(5));
		double[] b = simulator.simulate(theta, new Well19937c(5));
		double[] c = simulator.simulate(theta, new Well19937c(6));
		assertArrayEquals(a, b, 0, "same generator state, same seed, same x");
		assertFalse(Arrays.equals(a, c), "another seed, other noise");
		assertEquals(simulator.seedFor(new Well19937c(5)), simulator.seedFor(new Well19937c(5)));
	}

	@Test
	void aCampaignIsReproducibleWhateverTheThreadCount() {
		double[][] one = campaign(1);
		double[][] two = campaign(2);
		for (int i = 0; i < one.length; i++) {
			assertArrayEquals(one[i], two[i], 0, "row " + i);
		}
		assertEquals(one.length, Set.of(Arrays.stream(one).map(Arrays::toString).toArray()).size(), "every row differs");
	}

	private static double[][] campaign(int threads) {
		int rows = 12;
		CampaignSettings settings = CampaignSettings.of(rows, 3).withChunkSize(6).withThreads(threads);
		List<Chunk> chunks = new ArrayList<>();
		CampaignRunner.Outcome outcome = new CampaignRunner(simulator, simulator.descriptor().defaultPrior(), settings)
				.runUnchecked(Set.of(), c -> {
					synchronized (chunks) {
						chunks.add(c);
					}
				}, ProgressMonitor.NULL);
		assertEquals(CampaignRunner.Outcome.COMPLETED, outcome);
		double[][] x = new double[rows][];
		for (Chunk c : chunks) {
			assertTrue(c.failures().isEmpty(), "no failures: " + c.failures());
			for (int r = 0; r < c.rows(); r++) {
				assertEquals(FailureKind.OK, c.status()[r]);
				x[(int) c.firstRow() + r] = c.x()[r];
			}
		}
		return x;
	}

	@Test
	void theExampleFolderHoldsTheProgramItsDescriptorAndTheFormatDocumentation() {
		assertTrue(Files.isRegularFile(examples.resolve("gaussian_sim.py")));
		assertTrue(Files.isRegularFile(examples.resolve("README.md")));
	}
}
