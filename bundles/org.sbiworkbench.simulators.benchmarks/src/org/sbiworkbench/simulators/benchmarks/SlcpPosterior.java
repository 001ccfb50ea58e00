package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;

/**
 * The slcp posterior p(θ | x_o) ∝ p(x_o | θ) p(θ), sampled by MCMC on the
 * exact likelihood ({@link SliceSampler}): 50 chains, each started at the best
 * of 1,000 prior draws, 1,000 warm-up sweeps of coordinate-wise slice
 * sampling, then one sample every {@value #THIN} sweeps (about 1.3 s for
 * 10,000 samples). Every sweep also
 * flips the signs of θ₃ and θ₄ with probability ½ each, an exact move because
 * the likelihood depends on them only through θ₃², θ₄² and the prior is
 * symmetric; so all four modes are visited in the right proportions.
 * <p>
 * The thinning makes the samples close to independent: on all ten sbibm
 * observations the correlation between successive draws of one chain
 * (50 sweeps apart) measured below 0.05 for every coordinate and for |θ₃|,
 * |θ₄| (below 0.02 on observation 1), and the per-sweep autocorrelation
 * decays with an integrated time of about 10-20 sweeps; the effective sample
 * size is therefore close to the number of samples. The chains are
 * independent of each other; sample i comes from chain i mod 50.
 * <p>
 * The density is known only up to its normaliser, so {@link #hasDensity()} is false.
 */
final class SlcpPosterior implements Posterior {

	static final int CHAINS = 50;
	static final int INITIAL_DRAWS = 1_000;
	static final int WARMUP = 1_000;
	static final int THIN = 50;

	private final List<Parameter> parameters;
	private final double[] observation;
	private final SliceSampler sampler;

	SlcpPosterior(List<Parameter> parameters, double[] observation, Prior prior) {
		this.parameters = parameters;
		this.observation = observation.clone();
		double[] x = this.observation;
		this.sampler = new SliceSampler(theta -> {
			double lp = prior.logProb(theta);
			return lp == Double.NEGATIVE_INFINITY ? lp : lp + Slcp.logLikelihood(theta, x);
		}, prior, new int[] { 2, 3 }, CHAINS, INITIAL_DRAWS, WARMUP, THIN);
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] observation() {
		return observation.clone();
	}

	@Override
	public double[][] sample(int n, RandomGenerator random) {
		return sampler.sample(n, random);
	}

	@Override
	public boolean hasDensity() {
		return false;
	}

	@Override
	public double logProb(double[] theta) {
		throw new UnsupportedOperationException("The slcp reference posterior is sampled by MCMC; its normaliser is unknown");
	}
}
