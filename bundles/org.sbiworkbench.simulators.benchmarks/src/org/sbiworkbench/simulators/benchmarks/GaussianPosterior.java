package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;

/**
 * A posterior that is exactly a multivariate Gaussian: sampled exactly and
 * with its normalised density, both from {@link MultivariateGaussianPrior}.
 */
final class GaussianPosterior implements Posterior {

	private final MultivariateGaussianPrior gaussian;
	private final double[] observation;

	GaussianPosterior(MultivariateGaussianPrior gaussian, double[] observation) {
		this.gaussian = gaussian;
		this.observation = observation.clone();
	}

	/** The mean of the Gaussian. */
	double[] mean() {
		return gaussian.mean();
	}

	@Override
	public List<Parameter> parameters() {
		return gaussian.parameters();
	}

	@Override
	public double[] observation() {
		return observation.clone();
	}

	@Override
	public double[][] sample(int n, RandomGenerator random) {
		return gaussian.sample(n, random);
	}

	@Override
	public boolean hasDensity() {
		return true;
	}

	@Override
	public double logProb(double[] theta) {
		return gaussian.logProb(theta);
	}
}
