package org.sbiworkbench.simulators.particle.tests;

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
 * Both particle simulators are found as Declarative Services components, the
 * way the workbench finds them, and describe themselves sanely: parameters
 * with units, a bounded default prior, the observation shape, a default
 * observation whose true parameters lie in the prior, literature.
 */
class ParticleServicesTest {

	private record Expected(String id, List<Parameter> parameters, double[] lower, double[] upper, List<Integer> shape) {
	}

	private static final List<Expected> SIMULATORS = List.of(
			new Expected("bump_hunt",
					List.of(new Parameter("mass", "GeV"), new Parameter("width", "GeV"), Parameter.of("signal_strength"),
							new Parameter("slope", "1/GeV")),
					new double[] { 110, 0.5, 0, 0.01 }, new double[] { 170, 8, 3, 0.05 }, List.of(40)),
			new Expected("weinberg", List.of(Parameter.of("G_f")), new double[] { 0.25 }, new double[] { 2 }, List.of(10, 4)));

	private static Simulator[] services() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(ParticleServicesTest.class).getBundleContext();
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
		for (Expected e : SIMULATORS) {
			List<Simulator> found = Arrays.stream(simulators).filter(s -> s.descriptor().id().equals(e.id())).toList();
			assertEquals(1, found.size(), "exactly one " + e.id() + " simulator service");
			Simulator simulator = found.get(0);
			SimulatorDescriptor d = simulator.descriptor();
			assertEquals(Domain.PARTICLE_PHYSICS, d.domain(), e.id());
			assertEquals(e.parameters(), d.parameters(), e.id() + " parameters with units");
			assertArrayEquals(e.lower(), d.defaultPrior().lowerBounds(), 0, e.id() + " prior lower bounds");
			assertArrayEquals(e.upper(), d.defaultPrior().upperBounds(), 0, e.id() + " prior upper bounds");
			assertEquals(e.shape(), d.observationShape(), e.id() + " observation shape");
			assertEquals(40, d.observationDimension());
			assertEquals(40, d.observationNames().stream().distinct().count(), e.id() + ": distinct observation names");
			assertFalse(d.description().isBlank());
			assertTrue(d.references().size() >= 2, e.id() + " cites its literature");
			assertEquals(1, d.defaultObservations().size(), e.id() + " ships one observation");
			Observation o = d.defaultObservations().get(0);
			assertEquals("toy 1", o.name());
			assertTrue(d.defaultPrior().inSupport(o.knownParameters().orElseThrow()), e.id() + ": true θ of toy 1 lies in the prior");

			// Anything the default prior proposes simulates to counts of the declared size.
			Well19937c random = new Well19937c(4);
			for (int i = 0; i < 200; i++) {
				double[] theta = d.defaultPrior().sample(random);
				double[] x = simulator.simulate(theta, random);
				assertEquals(40, x.length);
				for (double v : x) {
					assertTrue(v >= 0 && v == Math.rint(v), e.id() + ": counts at θ = " + Arrays.toString(theta));
				}
			}
		}
		// The names say what was counted where.
		SimulatorDescriptor bump = Arrays.stream(simulators).map(Simulator::descriptor).filter(d -> d.id().equals("bump_hunt"))
				.findFirst().orElseThrow();
		assertEquals("n_100_102", bump.observationNames().get(0));
		assertEquals("n_178_180", bump.observationNames().get(39));
		SimulatorDescriptor weinberg = Arrays.stream(simulators).map(Simulator::descriptor)
				.filter(d -> d.id().equals("weinberg")).findFirst().orElseThrow();
		assertEquals(List.of("cos_bin01_E43", "cos_bin01_E44", "cos_bin01_E46", "cos_bin01_E47", "cos_bin02_E43"),
				weinberg.observationNames().subList(0, 5));
		assertEquals("cos_bin10_E47", weinberg.observationNames().get(39));
	}
}
