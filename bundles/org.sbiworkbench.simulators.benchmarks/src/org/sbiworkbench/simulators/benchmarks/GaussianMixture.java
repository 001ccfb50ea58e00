package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * sbibm's gaussian_mixture task: the 2-D version of the mixture toy model of
 * the ABC literature, whose posterior is a broad Gaussian with a narrow spike
 * at the observation.
 * <p>
 * Prior U[-10, 10]². Simulator: with probability ½ each, x ~ N(θ, I) or
 * x ~ N(θ, 0.01·I) (one component for the whole vector, as in sbibm). Under
 * the flat prior the posterior is the same mixture centred on x_o, truncated
 * to the prior box ({@link #referencePosterior(double[])}: exact rejection
 * sampling and an exact density).
 * <p>
 * sbibm ships reference files for this task but they are not bundled here, so
 * the descriptor lists no default observations.
 */
@Component(service = { org.sbiworkbench.core.Simulator.class, BenchmarkTask.class })
public final class GaussianMixture implements BenchmarkTask {

	static final String ID = "gaussian_mixture";
	static final int DIMENSION = 2;
	static final double PRIOR_BOUND = 10;
	/** Mixture weights and standard deviations of the two components. */
	static final double[] WEIGHTS = { 0.5, 0.5 };
	static final double[] SCALES = { 1.0, 0.1 };

	private static final List<Parameter> PARAMETERS = Sbibm.parameters("theta", DIMENSION);

	private static final SimulatorDescriptor DESCRIPTOR = new SimulatorDescriptor(ID, "Gaussian mixture",
			Domain.BENCHMARK, "1.0",
			"The common mean of a 2-D mixture of two Gaussians, N(θ, I) and N(θ, 0.01·I), under a uniform prior; "
					+ "the posterior is the mixture centred on x_o, truncated to the prior.",
			PARAMETERS, Sbibm.names("x", DIMENSION), BoxUniformPrior.of(PARAMETERS, -PRIOR_BOUND, PRIOR_BOUND),
			List.of(),
			List.of("Sisson, Fan, Tanaka. Sequential Monte Carlo without likelihoods. PNAS 104(6), 2007.",
					"Beaumont, Cornuet, Marin, Robert. Adaptive approximate Bayesian computation. Biometrika 96(4), 2009.",
					Sbibm.PAPER));

	@Override
	public SimulatorDescriptor descriptor() {
		return DESCRIPTOR;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		Sbibm.checkParameters(ID, PARAMETERS, theta);
		double scale = SCALES[random.nextDouble() < WEIGHTS[0] ? 0 : 1];
		double[] x = new double[DIMENSION];
		for (int i = 0; i < DIMENSION; i++) {
			x[i] = theta[i] + scale * random.nextGaussian();
		}
		return x;
	}

	@Override
	public Posterior referencePosterior(double[] observation) {
		Sbibm.checkObservation(ID, DIMENSION, observation);
		return new GaussianMixturePosterior(PARAMETERS, observation, WEIGHTS, SCALES, -PRIOR_BOUND, PRIOR_BOUND);
	}
}
