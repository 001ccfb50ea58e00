package org.sbiworkbench.core.tests;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/** Simulators for campaign tests: a well-behaved one, a deliberately faulty one, a slow one. */
public final class TestSimulators {

	static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));

	static SimulatorDescriptor descriptor(String id) {
		return new SimulatorDescriptor(id, id, Domain.OTHER, "1", "test", P, List.of("x1", "x2", "x3"),
				BoxUniformPrior.of(P, -1, 1), List.of(), List.of());
	}

	/** x = (a + n1, b + n2, a·b + n3) with Gaussian noise: cheap and exact to reproduce. */
	public static class Good implements Simulator {
		private final SimulatorDescriptor d;

		public Good() {
			this("good");
		}

		Good(String id) {
			d = TestSimulators.descriptor(id);
		}

		@Override
		public SimulatorDescriptor descriptor() {
			return d;
		}

		@Override
		public double[] simulate(double[] t, RandomGenerator r) {
			return new double[] { t[0] + r.nextGaussian(), t[1] + r.nextGaussian(), t[0] * t[1] + r.nextGaussian() };
		}
	}

	/**
	 * Fails by region of a: throws above 0.8, NaN below -0.8, wrong length in
	 * (-0.05, 0.05), hangs (ignoring interrupts) in (0.5, 0.52); otherwise {@link Good}.
	 */
	public static final class Faulty extends Good {
		public Faulty() {
			super("faulty");
		}

		/** The failure a row with this θ must get, or null if it must succeed. */
		static String expected(double[] t) {
			if (t[0] > 0.8) {
				return "exception";
			}
			if (t[0] < -0.8) {
				return "non_finite";
			}
			if (t[0] > -0.05 && t[0] < 0.05) {
				return "wrong_shape";
			}
			if (t[0] > 0.5 && t[0] < 0.52) {
				return "timeout";
			}
			return null;
		}

		@Override
		public double[] simulate(double[] t, RandomGenerator r) {
			double[] x = super.simulate(t, r);
			String e = expected(t);
			if (e == null) {
				return x;
			}
			switch (e) {
			case "exception":
				throw new IllegalStateException("solver diverged at a=" + t[0]);
			case "non_finite":
				x[1] = Double.NaN;
				return x;
			case "wrong_shape":
				return new double[] { x[0] };
			default:
				long end = System.nanoTime() + 30_000_000_000L; // "hung": 30 s, deaf to interrupts
				while (System.nanoTime() < end) {
					LockSupport.parkNanos(1_000_000);
				}
				return x;
			}
		}
	}

	/** {@link Good} taking about 2 ms per simulation, for the kill-and-resume test. */
	public static final class Slow extends Good {
		public Slow() {
			super("slow");
		}

		@Override
		public double[] simulate(double[] t, RandomGenerator r) {
			LockSupport.parkNanos(2_000_000);
			return super.simulate(t, r);
		}
	}
}
