package org.sbiworkbench.simulators.climate.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * Both climate simulators are found as Declarative Services components, the
 * way the workbench finds them, and describe themselves sanely: parameters
 * with units, a bounded default prior, the observation shape, a default
 * observation whose true parameters lie in the prior, literature; anything
 * the prior proposes simulates to finite values of the declared size.
 */
class ClimateServicesTest {

	private record Expected(String id, List<Parameter> parameters, double[] lower, double[] upper, List<Integer> shape) {
	}

	private static final List<Expected> SIMULATORS = List.of(
			new Expected("lorenz96", List.of(Parameter.of("theta1"), Parameter.of("theta2")), new double[] { 0.5, 0 },
					new double[] { 3.5, 0.3 }, List.of(6)),
			new Expected("two_layer_ebm",
					List.of(new Parameter("lambda", "W/m^2/K"), new Parameter("C", "W yr/m^2/K"),
							new Parameter("C_d", "W yr/m^2/K"), new Parameter("gamma", "W/m^2/K"), Parameter.of("epsilon")),
					new double[] { 0.5, 4, 40, 0.3, 0.7 }, new double[] { 2, 10, 250, 1.2, 2 }, List.of(150)));

	private static Simulator[] services() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(ClimateServicesTest.class).getBundleContext();
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		try {
			assertNotNull(tracker.waitForService(10_000), "no Simulator service registered within 10 s");
			long deadline = System.currentTimeMillis() + 10_000;
			while (tracker.size() < SIMULATORS.size() && System.currentTimeMillis() < deadline) {
				Thread.sleep(50);
			}
			return tracker.getServices(new Simulator[0]);
		} finally {
			tracker.close();
		}
	}

	@Test
	void bothSimulatorsAreRegisteredAndDescribeThemselves() throws Exception {
		Simulator[] simulators = services();
		for (Expected e : SIMULATORS) {
			List<Simulator> found = Arrays.stream(simulators).filter(s -> s.descriptor().id().equals(e.id())).toList();
			assertEquals(1, found.size(), "exactly one " + e.id() + " simulator service");
			Simulator simulator = found.get(0);
			SimulatorDescriptor d = simulator.descriptor();
			assertEquals(Domain.CLIMATE, d.domain(), e.id());
			assertEquals(e.parameters(), d.parameters(), e.id() + " parameters with units");
			assertArrayEquals(e.lower(), d.defaultPrior().lowerBounds(), 0, e.id() + " prior lower bounds");
			assertArrayEquals(e.upper(), d.defaultPrior().upperBounds(), 0, e.id() + " prior upper bounds");
			assertEquals(e.shape(), d.observationShape(), e.id() + " observation shape");
			int size = e.shape().get(0);
			assertEquals(size, d.observationNames().stream().distinct().count(), e.id() + ": distinct observation names");
			assertFalse(d.description().isBlank());
			assertTrue(d.references().size() >= 3, e.id() + " cites its literature");
			assertEquals(1, d.defaultObservations().size(), e.id() + " ships one observation");
			Observation o = d.defaultObservations().get(0);
			assertEquals("toy 1", o.name());
			assertTrue(d.defaultPrior().inSupport(o.knownParameters().orElseThrow()), e.id() + ": true θ of toy 1 lies in the prior");

			Well19937c random = new Well19937c(4);
			for (int i = 0; i < 100; i++) {
				double[] theta = d.defaultPrior().sample(random);
				double[] x = simulator.simulate(theta, random);
				assertEquals(size, x.length);
				for (double v : x) {
					assertTrue(Double.isFinite(v), e.id() + ": finite x at θ = " + Arrays.toString(theta));
				}
			}
		}
	}
}
