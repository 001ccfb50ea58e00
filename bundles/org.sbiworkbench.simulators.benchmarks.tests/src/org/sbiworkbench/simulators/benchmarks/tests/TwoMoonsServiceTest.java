package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/** two_moons is contributed the way any simulator is: as a Declarative Services component. */
class TwoMoonsServiceTest {

	@Test
	void twoMoonsIsRegisteredAsASimulatorService() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		try {
			assertNotNull(tracker.waitForService(10_000), "no Simulator service registered within 10 s");
			List<SimulatorDescriptor> found = java.util.Arrays.stream(tracker.getServices(new Simulator[0]))
					.map(Simulator::descriptor).filter(d -> d.id().equals("two_moons")).toList();
			assertEquals(1, found.size(), "exactly one two_moons simulator");
			SimulatorDescriptor d = found.get(0);
			assertEquals(List.of("theta_1", "theta_2"), d.parameters().stream().map(p -> p.name()).toList());
			assertEquals(2, d.observationDimension());
			assertEquals(10, d.defaultObservations().size(), "sbibm's ten observations");
		} finally {
			tracker.close();
		}
		assertTrue(context.getServiceReferences(BenchmarkTask.class, null).size() >= 1,
				"two_moons is also offered as a BenchmarkTask");
	}
}
