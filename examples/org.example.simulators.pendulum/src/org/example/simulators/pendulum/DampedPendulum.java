package org.example.simulators.pendulum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code damped_pendulum}: a simple pendulum with viscous damping, released
 * from rest at {@value #INITIAL_ANGLE} rad, whose angle is measured every
 * {@value #INTERVAL} s for {@value #SAMPLES} samples with Gaussian noise of
 * {@value #NOISE} rad.
 * <p>
 * θ = (L, γ): the length L [m] and the damping rate γ [1/s] in
 * <pre>
 *   φ'' = −(g/L) sin φ − γ φ',   φ(0) = φ₀,  φ'(0) = 0,   g = 9.81 m/s²,
 * </pre>
 * integrated with the classical fourth-order Runge–Kutta method in steps of at
 * most {@value #MAX_STEP} s (the integration error is far below the noise).
 * For small angles the period is 2π√(L/g); damping makes the amplitude decay as
 * e^{−γt/2}.
 * <p>
 * This is the whole of a simulator contributed by a bundle of its own: one
 * class, registered by {@code @Component(service = Simulator.class)}, that
 * describes itself and simulates x for θ drawing its noise from the generator
 * it is given.
 */
@Component(service = Simulator.class)
public final class DampedPendulum implements Simulator {

	public static final String ID = "damped_pendulum";
	/** Gravitational acceleration [m/s²]. */
	public static final double G = 9.81;
	/** The angle the pendulum is released from, at rest [rad]. */
	public static final double INITIAL_ANGLE = 0.3;
	/** Time between measurements [s]. */
	public static final double INTERVAL = 0.1;
	/** Number of measurements, at t = INTERVAL, 2·INTERVAL, ... */
	public static final int SAMPLES = 100;
	/** Standard deviation of the measurement noise [rad]. */
	public static final double NOISE = 0.05;
	/** The largest Runge–Kutta step [s]. */
	public static final double MAX_STEP = 0.002;

	private static final List<Parameter> PARAMETERS = List.of(new Parameter("length", "m"), new Parameter("damping", "1/s"));
	private static final double[] TRUE_PARAMETERS = { 1.0, 0.2 };

	private final SimulatorDescriptor descriptor;

	public DampedPendulum() {
		BoxUniformPrior prior = new BoxUniformPrior(PARAMETERS, new double[] { 0.2, 0.0 }, new double[] { 2.0, 1.0 });
		// A synthetic measurement at L = 1 m, γ = 0.2 /s (seed 1), to try inference on.
		double[] example = measure(TRUE_PARAMETERS, new Well19937c(1));
		descriptor = new SimulatorDescriptor(ID, "Damped pendulum", Domain.OTHER, "1.0.0",
				"A pendulum of length L with viscous damping γ, released from rest at " + INITIAL_ANGLE
						+ " rad; its angle is measured every " + INTERVAL + " s for " + SAMPLES * INTERVAL
						+ " s with Gaussian noise of " + NOISE + " rad. An example of a third-party simulator bundle.",
				PARAMETERS, names(), prior, List.of(new Observation("example 1", example, TRUE_PARAMETERS)),
				List.of("Landau, L. D., Lifshitz, E. M. Mechanics, 3rd ed., Pergamon (1976), sections 21 and 25."),
				List.of(SAMPLES));
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		return measure(theta, random);
	}

	private static double[] measure(double[] theta, RandomGenerator random) {
		if (theta.length != 2) {
			throw new IllegalArgumentException("damped_pendulum takes (length, damping), got " + theta.length + " values");
		}
		double[] x = angles(theta[0], theta[1], INITIAL_ANGLE, INTERVAL, SAMPLES);
		for (int k = 0; k < x.length; k++) {
			x[k] += NOISE * random.nextGaussian();
		}
		return x;
	}

	/**
	 * The noiseless angle φ(t_k) at t_k = k·interval, k = 1..samples, of a
	 * pendulum released from rest at {@code initialAngle}.
	 *
	 * @param length  L [m], positive
	 * @param damping γ [1/s], non-negative
	 */
	public static double[] angles(double length, double damping, double initialAngle, double interval, int samples) {
		if (!(length > 0) || !Double.isFinite(length)) {
			throw new IllegalArgumentException("The length must be positive, got " + length + " m");
		}
		if (!(damping >= 0) || !Double.isFinite(damping)) {
			throw new IllegalArgumentException("The damping must be non-negative, got " + damping + " 1/s");
		}
		double w2 = G / length;
		int substeps = (int) Math.ceil(interval / MAX_STEP);
		double h = interval / substeps;
		double phi = initialAngle;
		double omega = 0;
		double[] out = new double[samples];
		for (int k = 0; k < samples; k++) {
			for (int s = 0; s < substeps; s++) {
				double k1p = omega;
				double k1w = -w2 * Math.sin(phi) - damping * omega;
				double k2p = omega + 0.5 * h * k1w;
				double k2w = -w2 * Math.sin(phi + 0.5 * h * k1p) - damping * k2p;
				double k3p = omega + 0.5 * h * k2w;
				double k3w = -w2 * Math.sin(phi + 0.5 * h * k2p) - damping * k3p;
				double k4p = omega + h * k3w;
				double k4w = -w2 * Math.sin(phi + h * k3p) - damping * k4p;
				phi += h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p);
				omega += h / 6 * (k1w + 2 * k2w + 2 * k3w + k4w);
			}
			out[k] = phi;
		}
		return out;
	}

	/** phi_001 ... phi_100: the angle at 0.1 s, 0.2 s, ... */
	private static List<String> names() {
		List<String> names = new ArrayList<>();
		for (int k = 1; k <= SAMPLES; k++) {
			names.add(String.format(Locale.ROOT, "phi_%03d", k));
		}
		return names;
	}
}
