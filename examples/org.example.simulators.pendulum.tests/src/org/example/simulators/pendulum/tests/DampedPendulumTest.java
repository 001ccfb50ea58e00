package org.example.simulators.pendulum.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.example.simulators.pendulum.DampedPendulum;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * The pendulum's physics, from its noiseless series: the small-angle period
 * 2π√(L/g), the longer period of large swings (exact: T₀ / AGM(1, cos(φ₀/2))),
 * and the damped oscillator's period 2π/√(g/L − γ²/4) with amplitude decay
 * e^{−γT/2} per period; and the bundle's simulator service as the workbench
 * finds it.
 */
class DampedPendulumTest {

	private static final double DT = 0.001;

	/** Times of the upward zero crossings, linearly interpolated. */
	private static List<Double> upwardCrossings(double[] phi) {
		List<Double> t = new ArrayList<>();
		for (int k = 0; k + 1 < phi.length; k++) {
			if (phi[k] < 0 && phi[k + 1] >= 0) {
				t.add((k + 1 + phi[k] / (phi[k] - phi[k + 1])) * DT);
			}
		}
		return t;
	}

	private static double meanPeriod(double[] phi) {
		List<Double> t = upwardCrossings(phi);
		assertTrue(t.size() >= 3, "at least two full swings: " + t);
		return (t.get(t.size() - 1) - t.get(0)) / (t.size() - 1);
	}

	@Test
	void smallSwingsHaveThePeriodTwoPiRootLOverG() {
		for (double length : new double[] { 0.25, 1.0, 2.0 }) {
			double[] phi = DampedPendulum.angles(length, 0, 0.001, DT, 12_000);
			double expected = 2 * Math.PI * Math.sqrt(length / DampedPendulum.G);
			assertEquals(expected, meanPeriod(phi), 1e-5 * expected, "period at L = " + length + " m");
		}
	}

	@Test
	void largeSwingsTakeLonger() {
		double length = 1.0;
		double phi0 = 1.0;
		double t0 = 2 * Math.PI * Math.sqrt(length / DampedPendulum.G);
		double a = 1;
		double b = Math.cos(phi0 / 2);
		for (int i = 0; i < 10; i++) { // arithmetic-geometric mean
			double m = (a + b) / 2;
			b = Math.sqrt(a * b);
			a = m;
		}
		double exact = t0 / a;
		double measured = meanPeriod(DampedPendulum.angles(length, 0, phi0, DT, 12_000));
		assertEquals(exact, measured, 1e-5 * exact, "the period of a 1 rad swing");
		assertTrue(measured > 1.06 * t0, "about 6.6% longer than the small-angle period");
	}

	@Test
	void dampingShortensNothingButTheAmplitude() {
		double length = 1.0;
		double gamma = 0.3;
		double[] phi = DampedPendulum.angles(length, gamma, 0.01, DT, 12_000);
		double omegaD = Math.sqrt(DampedPendulum.G / length - gamma * gamma / 4);
		double period = 2 * Math.PI / omegaD;
		assertEquals(period, meanPeriod(phi), 1e-5 * period, "the damped period");
		// Successive maxima shrink by e^{-γT/2}.
		List<Double> maxima = new ArrayList<>();
		for (int k = 1; k + 1 < phi.length; k++) {
			if (phi[k] > phi[k - 1] && phi[k] >= phi[k + 1]) {
				maxima.add(phi[k]);
			}
		}
		assertTrue(maxima.size() >= 4, "maxima: " + maxima);
		double ratio = Math.exp(-gamma * period / 2);
		for (int i = 0; i + 1 < maxima.size(); i++) {
			assertEquals(ratio, maxima.get(i + 1) / maxima.get(i), 1e-4, "decay from maximum " + (i + 1) + " to " + (i + 2));
		}
	}

	@Test
	void theBundleOffersTheSimulatorAsAService() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(DampedPendulumTest.class).getBundleContext();
		ServiceTracker<Simulator, Simulator> tracker = new ServiceTracker<>(context, Simulator.class, null);
		tracker.open();
		Simulator pendulum = null;
		try {
			long deadline = System.currentTimeMillis() + 10_000;
			while (pendulum == null && System.currentTimeMillis() < deadline) {
				Object[] services = tracker.getServices();
				for (Object o : services == null ? new Object[0] : services) {
					if (((Simulator) o).descriptor().id().equals(DampedPendulum.ID)) {
						pendulum = (Simulator) o;
					}
				}
				Thread.sleep(20);
			}
		} finally {
			tracker.close();
		}
		assertNotNull(pendulum, "the damped_pendulum service within 10 s");
		SimulatorDescriptor d = pendulum.descriptor();
		assertEquals(List.of(100), d.observationShape());
		Observation example = d.defaultObservations().get(0);
		assertTrue(d.defaultPrior().inSupport(example.knownParameters().orElseThrow()));

		double[] theta = { 0.8, 0.1 };
		double[] x = pendulum.simulate(theta, new Well19937c(3));
		assertArrayEquals(x, pendulum.simulate(theta, new Well19937c(3)), 0, "same seed, same x");
		double[] clean = DampedPendulum.angles(0.8, 0.1, DampedPendulum.INITIAL_ANGLE, DampedPendulum.INTERVAL, DampedPendulum.SAMPLES);
		double ss = 0;
		for (int k = 0; k < x.length; k++) {
			ss += (x[k] - clean[k]) * (x[k] - clean[k]);
		}
		double noise = Math.sqrt(ss / x.length);
		assertEquals(DampedPendulum.NOISE, noise, 0.25 * DampedPendulum.NOISE, "measurement noise (100 values: ±3.5 s.e.)");
	}
}
