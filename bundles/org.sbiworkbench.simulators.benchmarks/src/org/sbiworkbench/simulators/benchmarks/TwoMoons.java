package org.sbiworkbench.simulators.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * sbibm's two_moons task: a crescent-shaped, bimodal posterior in 2-D.
 * <p>
 * Prior U[-1, 1]². Simulator: a ~ U(-π/2, π/2), r ~ N(0.1, 0.01²),
 * p = (r cos a + 0.25, r sin a), x = p + (-|θ₁+θ₂|/√2, (-θ₁+θ₂)/√2).
 * The exact posterior is sampled by inverting the simulator
 * ({@link #referencePosterior(double[])}).
 */
@Component(service = { org.sbiworkbench.core.Simulator.class, BenchmarkTask.class })
public final class TwoMoons implements BenchmarkTask {

	static final double SQRT_HALF = Math.sqrt(0.5);
	private static final double R_MEAN = 0.1;
	private static final double R_STD = 0.01;
	private static final double X_OFFSET = 0.25;

	private static final List<Parameter> PARAMETERS = List.of(Parameter.of("theta_1"), Parameter.of("theta_2"));

	/** sbibm's observations 1-10 of two_moons: x_o and the θ that generated it. */
	private static final double[][][] SBIBM_OBSERVATIONS = {
			{ { -0.6396706, 0.16234657 }, { -0.8176656, -0.5756806 } },
			{ { -0.5676688, -0.33194834 }, { -0.28899693, -0.8759459 } },
			{ { 0.0030109584, -0.6457662 }, { 0.73016036, -0.3217839 } },
			{ { -0.25049388, 0.633055 }, { -0.8023417, 0.011640668 } },
			{ { -0.66463584, -0.42604533 }, { -0.43228424, -0.9955981 } },
			{ { -0.12940255, 0.3873573 }, { -0.6377127, 0.0018655062 } },
			{ { 0.19458583, 1.0400153 }, { -0.61911654, 0.829502 } },
			{ { 0.13603824, 0.9160449 }, { -0.7995198, 0.49675143 } },
			{ { -0.17962828, -0.5452459 }, { 0.6775234, 0.013154268 } },
			{ { 0.14563406, -1.170141 }, { 0.72652316, -0.9946897 } } };

	private static final SimulatorDescriptor DESCRIPTOR = new SimulatorDescriptor("two_moons", "Two moons",
			Domain.BENCHMARK, "1.0",
			"A 2-D toy task whose posterior is a bimodal crescent; the exact posterior is known.",
			PARAMETERS, List.of("x_1", "x_2"), BoxUniformPrior.of(PARAMETERS, -1, 1), sbibmObservations(),
			List.of("Greenberg, Nonnenmacher, Macke. Automatic posterior transformation for likelihood-free inference. ICML 2019.",
					"Lueckmann, Boelts, Greenberg, Gonçalves, Macke. Benchmarking simulation-based inference. AISTATS 2021."));

	private static List<Observation> sbibmObservations() {
		List<Observation> observations = new ArrayList<>();
		for (int k = 0; k < SBIBM_OBSERVATIONS.length; k++) {
			observations.add(new Observation("sbibm " + (k + 1), SBIBM_OBSERVATIONS[k][0], SBIBM_OBSERVATIONS[k][1]));
		}
		return observations;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return DESCRIPTOR;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		if (theta.length != 2) {
			throw new IllegalArgumentException("two_moons takes 2 parameters (theta_1, theta_2), got " + theta.length);
		}
		double[] p = sampleNoise(random);
		return new double[] { p[0] - Math.abs(theta[0] + theta[1]) * SQRT_HALF, p[1] + (theta[1] - theta[0]) * SQRT_HALF };
	}

	/** p = (r cos a + 0.25, r sin a), the part of x that does not depend on θ. */
	static double[] sampleNoise(RandomGenerator random) {
		double a = Math.PI * (random.nextDouble() - 0.5);
		double r = R_MEAN + R_STD * random.nextGaussian();
		return new double[] { r * Math.cos(a) + X_OFFSET, r * Math.sin(a) };
	}

	@Override
	public Posterior referencePosterior(double[] observation) {
		if (observation.length != 2) {
			throw new IllegalArgumentException("two_moons observations have 2 components, got " + observation.length);
		}
		return new TwoMoonsPosterior(PARAMETERS, observation, DESCRIPTOR.defaultPrior());
	}
}
