package org.sbiworkbench.simulators.moleculardynamics.tests;

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
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * Both molecular-dynamics simulators are found as Declarative Services
 * components, the way the workbench finds them, and describe themselves:
 * parameters with units, a bounded default prior, the observation shape, a
 * default observation whose true parameters lie in the prior, literature;
 * whatever the prior proposes simulates to finite values of the declared size.
 */
class MolecularDynamicsServicesTest {

	private static Simulator[] services() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(MolecularDynamicsServicesTest.class).getBundleContext();
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		try {
			assertNotNull(tracker.waitForService(10_000), "no Simulator service registered within 10 s");
			return tracker.getServices(new Simulator[0]);
		} finally {
			tracker.close();
		}
	}

	@Test
	void bothSimulatorsAreRegisteredAndDescribeThemselves() throws Exception {
		Simulator[] simulators = services();
		record Expected(String id, List<Integer> shape, int draws) {
		}
		for (Expected e : List.of(new Expected("ornstein_uhlenbeck", List.of(100), 200),
				new Expected("lennard_jones_2d", List.of(17), 4))) {
			List<Simulator> found = Arrays.stream(simulators).filter(s -> s.descriptor().id().equals(e.id())).toList();
			assertEquals(1, found.size(), "exactly one " + e.id() + " simulator service");
			Simulator simulator = found.get(0);
			SimulatorDescriptor d = simulator.descriptor();
			assertEquals(Domain.MOLECULAR_DYNAMICS, d.domain(), e.id());
			assertEquals(3, d.parameterDimension());
			d.parameters().forEach(p -> assertFalse(p.unit().isEmpty(), e.id() + ": " + p.name() + " has a unit"));
			for (int i = 0; i < 3; i++) {
				assertTrue(Double.isFinite(d.defaultPrior().lowerBounds()[i]) && Double.isFinite(d.defaultPrior().upperBounds()[i]),
						e.id() + ": bounded prior");
			}
			assertEquals(e.shape(), d.observationShape(), e.id() + " observation shape");
			assertEquals(d.observationDimension(), d.observationNames().stream().distinct().count(), "distinct names");
			assertFalse(d.description().isBlank());
			assertTrue(d.references().size() >= 2, e.id() + " cites its literature");
			assertEquals(1, d.defaultObservations().size(), e.id() + " ships one observation");
			Observation o = d.defaultObservations().get(0);
			assertTrue(d.defaultPrior().inSupport(o.knownParameters().orElseThrow()), e.id() + ": true θ lies in the prior");

			Well19937c random = new Well19937c(4);
			for (int i = 0; i < e.draws(); i++) {
				double[] theta = d.defaultPrior().sample(random);
				double[] x = simulator.simulate(theta, random);
				assertEquals(d.observationDimension(), x.length);
				for (double v : x) {
					assertTrue(Double.isFinite(v), e.id() + ": finite at θ = " + Arrays.toString(theta));
				}
			}
		}
	}
}
