package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * sbibm's gaussian_linear task: inferring the mean of a 10-D Gaussian with
 * known covariance under a conjugate Gaussian prior.
 * <p>
 * Prior θ ~ N(0, 0.1·I), simulator x ~ N(θ, 0.1·I) (0.1 is the variance in
 * both: sbibm's {@code prior_scale} and {@code simulator_scale} enter as
 * covariances). The posterior is Gaussian in closed form,
 * N(0.5·x_o, 0.05·I) ({@link #referencePosterior(double[])}, with a density).
 */
@Component(service = { org.sbiworkbench.core.Simulator.class, BenchmarkTask.class })
public final class GaussianLinear implements BenchmarkTask {

	static final String ID = "gaussian_linear";
	static final int DIMENSION = 10;
	/** Prior covariance τ²·I. */
	static final double PRIOR_VARIANCE = 0.1;
	/** Simulator noise covariance σ²·I. */
	static final double NOISE_VARIANCE = 0.1;
	private static final double NOISE_STD = Math.sqrt(NOISE_VARIANCE);

	private static final List<Parameter> PARAMETERS = Sbibm.parameters("theta", DIMENSION);

	/** sbibm's observations 1-10 of gaussian_linear: x_o and the θ that generated it. */
	private static final double[][][] SBIBM_OBSERVATIONS = {
			{ { 1.0471346, 0.5566712, -0.23618454, 0.027879834, -1.0051446, -0.007930746, 0.06117077, -0.29286885, -0.38539964, 0.2449614 },
					{ 0.27184236, 0.6762953, 0.17189318, -0.04218617, -0.82151634, 0.024290232, -0.24255924, -0.16438946, -0.13595216, 0.26958188 } },
			{ { -0.106687605, -0.8015651, -0.07332335, 0.4009537, 0.62297356, -0.18687348, 0.7087778, 0.1921165, 0.6718195, 0.097826496 },
					{ 0.3231766, -0.48194557, -0.158818, 0.24477085, -0.05232675, -0.17622235, 0.11508731, -0.59824085, 0.4403286, 0.054832038 } },
			{ { 0.46684834, -1.0391812, -0.4221986, -0.043471217, 0.06795333, 0.44685173, 0.034785576, -0.48691356, -0.14388148, -0.60066223 },
					{ 0.7524056, -0.40969732, -0.4214273, 0.5400569, 0.106762305, 0.44723606, 0.15044528, -0.44408217, 0.03280716, -0.7424394 } },
			{ { 0.26986307, -0.8764679, -0.80710757, -0.62243676, -0.29644397, 0.18969943, -1.2106322, 0.080149904, -0.05710575, -0.6485255 },
					{ 0.21707824, -0.8317063, -0.07557733, -0.4370258, -0.14421989, 0.32103, -0.50172037, 0.28485256, -0.35796782, -0.70275885 } },
			{ { 0.086261556, 0.23511642, -0.12244874, -0.23736775, -0.14382003, -0.59807384, 0.5410164, 0.35587752, 0.45564276, 0.33464402 },
					{ -0.15898985, -0.08629426, -0.021514494, 0.28765088, -0.15135133, -0.1654573, 0.6602954, 0.07169207, -0.011314105, 0.1380289 } },
			{ { 0.303608, 0.09702572, 0.4143386, -0.6286805, -0.10541348, 0.2423679, -0.27078122, 0.6748003, -0.29908583, -0.23966554 },
					{ -0.13793041, 0.045632858, 0.53129846, -0.12456216, 0.17174427, -0.084691405, 0.20289446, 0.19580129, -0.44808364, 0.0024759779 } },
			{ { -0.54149276, 0.15401167, -0.53614, 0.15069558, -0.15211618, -0.21718031, -0.39777136, -0.0935701, -0.76762325, 0.66795474 },
					{ -0.32851782, -0.04893442, -0.19452389, -0.14762016, 0.18822408, 0.4414935, 0.07872076, 0.14572169, -0.29071635, 0.6546646 } },
			{ { -0.16127616, -1.227219, -0.094550796, 0.16520452, 0.62588596, 0.31528804, -1.0753651, 0.1274876, -0.31232044, -0.6503956 },
					{ 0.29568693, -0.87399215, -0.08688919, 0.15754443, 0.24703713, 0.3069163, -0.5726556, -0.011553854, -0.0880848, -0.3792606 } },
			{ { -0.2497777, -0.27713263, -0.34482944, 0.5036805, 0.75670123, 0.8884809, 0.047073513, -0.2576767, -0.45802453, -0.16742781 },
					{ -0.11919082, -0.46535635, -0.80274117, 0.47296685, 0.44567764, 0.16000625, 0.25931683, -0.14714251, -0.20642096, 0.28618297 } },
			{ { 0.43484968, 0.5951628, 0.24885634, 0.6911342, -0.80032897, 0.5683282, -0.23501486, 0.4710286, 0.3702978, -0.88694054 },
					{ 0.21370807, -0.14310072, 0.3802537, 0.23015006, -0.4929388, -0.011544324, -0.05810091, 0.19308132, 0.10048655, -0.52734745 } } };

	private static final SimulatorDescriptor DESCRIPTOR = new SimulatorDescriptor(ID, "Gaussian linear",
			Domain.BENCHMARK, "1.0",
			"The mean of a 10-D Gaussian with known covariance 0.1·I under a Gaussian prior N(0, 0.1·I); "
					+ "the posterior N(0.5·x_o, 0.05·I) is known in closed form.",
			PARAMETERS, Sbibm.names("x", DIMENSION),
			MultivariateGaussianPrior.isotropic(PARAMETERS, new double[DIMENSION], PRIOR_VARIANCE),
			Sbibm.observations(SBIBM_OBSERVATIONS),
			List.of(Sbibm.PAPER + " (task 'Gaussian linear')"));

	@Override
	public SimulatorDescriptor descriptor() {
		return DESCRIPTOR;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		Sbibm.checkParameters(ID, PARAMETERS, theta);
		double[] x = new double[DIMENSION];
		for (int i = 0; i < DIMENSION; i++) {
			x[i] = theta[i] + NOISE_STD * random.nextGaussian();
		}
		return x;
	}

	/**
	 * The conjugate posterior N(μ, Σ) with Σ = (Σ_prior⁻¹ + Σ_noise⁻¹)⁻¹ = 0.05·I and
	 * μ = Σ·Σ_noise⁻¹·x_o = 0.5·x_o (the prior mean is 0).
	 */
	@Override
	public Posterior referencePosterior(double[] observation) {
		Sbibm.checkObservation(ID, DIMENSION, observation);
		double variance = 1 / (1 / PRIOR_VARIANCE + 1 / NOISE_VARIANCE);
		double[] mean = new double[DIMENSION];
		for (int i = 0; i < DIMENSION; i++) {
			mean[i] = variance / NOISE_VARIANCE * observation[i];
		}
		return new GaussianPosterior(MultivariateGaussianPrior.isotropic(PARAMETERS, mean, variance), observation);
	}
}
