package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.SimulatorDescriptor;

class SimulatorDescriptorTest {

	private static final List<Parameter> P = List.of(new Parameter("g_f", ""));

	private static SimulatorDescriptor descriptor(String id, List<String> obs, List<Observation> observations) {
		return new SimulatorDescriptor(id, "Weinberg", Domain.PARTICLE_PHYSICS, "1", "test", P, obs,
				BoxUniformPrior.of(P, 0.5, 1.5), observations, List.of());
	}

	@Test
	void aValidDescriptorKeepsItsFields() {
		SimulatorDescriptor d = descriptor("weinberg", List.of("a_fb"),
				List.of(new Observation("o", new double[] { 0.1 }, new double[] { 1.0 })));
		assertEquals(1, d.parameterDimension());
		assertEquals(1, d.observationDimension());
		assertEquals(1.0, d.defaultObservations().get(0).knownParameters().orElseThrow()[0]);
	}

	@Test
	void rejectsIdsThatCannotBeTypedOnACommandLine() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> descriptor("Two Moons", List.of("x"), List.of()));
		assertTrue(e.getMessage().contains("'Two Moons'"), e.getMessage());
	}

	@Test
	void rejectsAPriorOverOtherParameters() {
		List<Parameter> other = List.of(new Parameter("mass", "GeV"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new SimulatorDescriptor("weinberg", "W", Domain.PARTICLE_PHYSICS, "1", "", P, List.of("a"),
						BoxUniformPrior.of(other, 0, 1), List.of(), List.of()));
		assertTrue(e.getMessage().contains("mass"), e.getMessage());
	}

	@Test
	void rejectsObservationsOfTheWrongLength() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> descriptor("weinberg",
				List.of("a_fb"), List.of(new Observation("bad", new double[] { 1, 2 }, null))));
		assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("2 values"), e.getMessage());
	}

	@Test
	void observationShapeMustMatchTheNamedComponents() {
		List<String> six = List.of("a1", "b1", "a2", "b2", "a3", "b3");
		SimulatorDescriptor d = new SimulatorDescriptor("series", "S", Domain.CLIMATE, "1", "", P, six,
				BoxUniformPrior.of(P, 0, 1), List.of(), List.of(), List.of(3, 2));
		assertEquals(List.of(3, 2), d.observationShape());
		assertEquals(List.of(1), descriptor("w", List.of("x"), List.of()).observationShape(), "a vector by default");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimulatorDescriptor("series", "S",
				Domain.CLIMATE, "1", "", P, six, BoxUniformPrior.of(P, 0, 1), List.of(), List.of(), List.of(4, 2)));
		assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("6 observation components"), e.getMessage());
	}

	@Test
	void observationsAreImmutableAndCompareByContent() {
		double[] x = { 1, 2 };
		Observation o = new Observation("a", x, null);
		x[0] = 99;
		assertEquals(1, o.values()[0]);
		o.values()[1] = 99;
		assertEquals(2, o.values()[1]);
		assertEquals(new Observation("a", new double[] { 1, 2 }, null), o);
	}
}
