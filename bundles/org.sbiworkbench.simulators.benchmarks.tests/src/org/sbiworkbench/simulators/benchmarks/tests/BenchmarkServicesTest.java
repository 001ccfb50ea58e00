package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/** Every sbibm task of the bundle is found as a Simulator and as a BenchmarkTask service, with sbibm's shape. */
class BenchmarkServicesTest {

	/** id, parameter dimension, data dimension, number of bundled observations, prior bounds (NaN: unbounded). */
	private record Expected(String id, int parameters, int data, int observations, double bound) {
	}

	private static final List<Expected> TASKS = List.of(new Expected("two_moons", 2, 2, 10, 1),
			new Expected("gaussian_linear", 10, 10, 10, Double.NaN), new Expected("gaussian_mixture", 2, 2, 0, 10),
			new Expected("slcp", 5, 8, 10, 3));

	@Test
	void sbibmTasksAreRegisteredAsSimulatorAndBenchmarkTaskServices() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		try {
			assertNotNull(tracker.waitForService(10_000), "no Simulator service registered within 10 s");
			Simulator[] simulators = tracker.getServices(new Simulator[0]);
			for (Expected e : TASKS) {
				List<SimulatorDescriptor> found = Arrays.stream(simulators).map(Simulator::descriptor)
						.filter(d -> d.id().equals(e.id())).toList();
				assertEquals(1, found.size(), "exactly one " + e.id() + " simulator");
				SimulatorDescriptor d = found.get(0);
				assertEquals(Domain.BENCHMARK, d.domain());
				assertEquals(e.parameters(), d.parameterDimension(), e.id() + " parameters");
				assertEquals(e.data(), d.observationDimension(), e.id() + " data dimension");
				assertEquals(e.observations(), d.defaultObservations().size(), e.id() + " sbibm observations");
				for (int k = 0; k < d.defaultObservations().size(); k++) {
					Observation o = d.defaultObservations().get(k);
					assertEquals("sbibm " + (k + 1), o.name());
					double[] theta = o.knownParameters().orElseThrow();
					assertTrue(d.defaultPrior().inSupport(theta), e.id() + ": true θ of " + o.name() + " lies in the prior");
				}
				assertTrue(d.references().stream().anyMatch(r -> r.contains("Benchmarking simulation-based inference")),
						e.id() + " cites sbibm");
				double[] lower = d.defaultPrior().lowerBounds();
				double[] upper = d.defaultPrior().upperBounds();
				for (int i = 0; i < e.parameters(); i++) {
					double lo = Double.isNaN(e.bound()) ? Double.NEGATIVE_INFINITY : -e.bound();
					double hi = Double.isNaN(e.bound()) ? Double.POSITIVE_INFINITY : e.bound();
					assertEquals(lo, lower[i], e.id() + " prior lower bound");
					assertEquals(hi, upper[i], e.id() + " prior upper bound");
				}
			}
		} finally {
			tracker.close();
		}
		for (Expected e : TASKS) {
			long n = 0;
			for (ServiceReference<BenchmarkTask> ref : context.getServiceReferences(BenchmarkTask.class, null)) {
				BenchmarkTask task = context.getService(ref);
				if (task != null && task.descriptor().id().equals(e.id())) {
					n++;
				}
				context.ungetService(ref);
			}
			assertEquals(1, n, e.id() + " is also offered as a BenchmarkTask");
		}
	}

	@Test
	void gaussianLinearPriorIsNormalWithVariance0Point1() throws Exception {
		SimulatorDescriptor d = Benchmarks.task("gaussian_linear").descriptor();
		double[] zero = new double[10];
		assertEquals(-5 * Math.log(2 * Math.PI * 0.1), d.defaultPrior().logProb(zero), 1e-12);
		double[] unit = new double[10];
		unit[3] = 1;
		assertEquals(-5 * Math.log(2 * Math.PI * 0.1) - 1 / (2 * 0.1), d.defaultPrior().logProb(unit), 1e-12);
	}
}
