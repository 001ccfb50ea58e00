package org.sbiworkbench.simulators.external.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.simulators.external.ExternalSimulator;
import org.sbiworkbench.simulators.external.ExternalSimulators;
import org.sbiworkbench.simulators.external.SimulatorFolder;

/**
 * A folder of descriptors: each usable one becomes a simulator (in OSGi, a
 * {@link Simulator} service found like any other); a broken one is skipped
 * with its problem recorded, and does not stop the others.
 */
class DiscoveryTest {

	@TempDir
	Path dir;

	private void folderWithGoodAndBadDescriptors() throws Exception {
		Programs.script(dir, "echo_sum.sh", "#!/bin/sh\n"
				+ "a=${1#--a=}; b=${2#--b=}\n"
				+ "echo \"$a,$b\"\n");
		Programs.descriptor(dir, "a_echo.json", Programs.json("echo_theta", "[\"x1\", \"x2\"]", "[\"./echo_sum.sh\"]", ""));
		Programs.descriptor(dir, "b_broken.json", Programs.json("broken_one", "[\"x1\"]", "[\"./echo_sum.sh\"]",
				"\"timeoutSecnds\": 3"));
		Programs.descriptor(dir, "c_not_json.json", "this is not JSON");
		Programs.descriptor(dir, "d_same_id.json", Programs.json("echo_theta", "[\"x1\", \"x2\"]", "[\"./echo_sum.sh\"]", ""));
		Programs.descriptor(dir, "readme.txt", "not a descriptor: ignored");
		Files.createDirectories(dir.resolve("sub.json"));
	}

	@Test
	void scanningKeepsTheGoodAndRecordsTheBad() throws Exception {
		folderWithGoodAndBadDescriptors();
		SimulatorFolder.Scan scan = SimulatorFolder.scan(dir);
		assertEquals(List.of("echo_theta"), scan.simulators().stream().map(s -> s.descriptor().id()).toList());
		assertEquals(List.of("b_broken.json", "c_not_json.json", "d_same_id.json"),
				scan.problems().stream().map(p -> p.file().getFileName().toString()).toList());
		assertTrue(scan.problems().get(0).message().contains("unknown field 'timeoutSecnds'; did you mean 'timeoutSeconds'?"),
				scan.problems().get(0).message());
		assertTrue(scan.problems().get(1).message().contains("is not valid JSON"), scan.problems().get(1).message());
		assertTrue(scan.problems().get(2).message().contains("'id' 'echo_theta' is already used by a_echo.json"),
				scan.problems().get(2).message());
		ExternalSimulator s = scan.simulators().get(0);
		assertArrayEquals(new double[] { 0.25, -1.5 }, s.simulate(new double[] { 0.25, -1.5 }, new Well19937c(1)), 0);
	}

	@Test
	void aMissingFolderIsAProblemNotACrash() {
		SimulatorFolder.Scan scan = SimulatorFolder.scan(dir.resolve("absent"));
		assertEquals(List.of(), scan.simulators());
		assertEquals(1, scan.problems().size());
		assertTrue(scan.problems().get(0).message().contains("is not an existing folder"), scan.problems().get(0).message());
	}

	@Test
	void theFolderComesFromThePropertyOrTheEnvironment() {
		String before = System.getProperty(SimulatorFolder.PROPERTY);
		try {
			System.setProperty(SimulatorFolder.PROPERTY, dir.toString());
			assertEquals(Optional.of(dir.toAbsolutePath().normalize()), SimulatorFolder.configured());
		} finally {
			restore(before);
		}
	}

	@Test
	void theBundleRegistersEachDescriptorAsASimulatorService() throws Exception {
		folderWithGoodAndBadDescriptors();
		Bundle bundle = FrameworkUtil.getBundle(ExternalSimulators.class);
		BundleContext context = FrameworkUtil.getBundle(DiscoveryTest.class).getBundleContext();
		String before = System.getProperty(SimulatorFolder.PROPERTY);
		try {
			// The component reads the folder when it activates: restart the bundle with the property set.
			bundle.stop();
			System.setProperty(SimulatorFolder.PROPERTY, dir.toString());
			bundle.start();

			ExternalSimulators external = waitFor(context, ExternalSimulators.class, s -> true);
			assertEquals(Optional.of(dir.toAbsolutePath().normalize()), external.folder());
			assertEquals(List.of("echo_theta"), external.simulators().stream().map(s -> s.descriptor().id()).toList());
			assertEquals(3, external.problems().size(), "problems: " + external.problems());
			assertTrue(external.problems().stream().anyMatch(p -> p.file().getFileName().toString().equals("b_broken.json")
					&& p.message().contains("timeoutSecnds")));

			Simulator simulator = waitFor(context, Simulator.class, s -> s.descriptor().id().equals("echo_theta"));
			assertArrayEquals(new double[] { 1, 2 }, simulator.simulate(new double[] { 1, 2 }, new Well19937c(2)), 0);
		} finally {
			bundle.stop();
			restore(before);
			bundle.start();
		}
		ExternalSimulators after = waitFor(context, ExternalSimulators.class, s -> true);
		if (before == null && System.getenv(SimulatorFolder.ENVIRONMENT_VARIABLE) == null) {
			assertEquals(Optional.empty(), after.folder(), "no folder configured any more");
		}
		assertTrue(Arrays.stream(simulators(context)).noneMatch(s -> s.descriptor().id().equals("echo_theta")),
				"unregistered with the folder gone");
	}

	private static Simulator[] simulators(BundleContext context) {
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		try {
			return tracker.getServices(new Simulator[0]) == null ? new Simulator[0] : tracker.getServices(new Simulator[0]);
		} finally {
			tracker.close();
		}
	}

	private static <T> T waitFor(BundleContext context, Class<T> type, java.util.function.Predicate<T> which)
			throws InterruptedException {
		ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
		tracker.open();
		try {
			long deadline = System.currentTimeMillis() + 10_000;
			while (System.currentTimeMillis() < deadline) {
				Object[] services = tracker.getServices();
				if (services != null) {
					for (Object o : services) {
						T t = type.cast(o);
						if (which.test(t)) {
							return t;
						}
					}
				}
				Thread.sleep(20);
			}
			assertNotNull(null, "no matching " + type.getSimpleName() + " service within 10 s");
			return null;
		} finally {
			tracker.close();
		}
	}

	private static void restore(String before) {
		if (before == null) {
			System.clearProperty(SimulatorFolder.PROPERTY);
		} else {
			System.setProperty(SimulatorFolder.PROPERTY, before);
		}
	}
}
