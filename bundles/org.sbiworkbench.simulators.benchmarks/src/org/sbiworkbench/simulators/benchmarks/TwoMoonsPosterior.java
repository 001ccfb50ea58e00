package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;

/**
 * The exact two_moons posterior, sampled by inverting the simulator: draw the
 * noise p, solve x_o = p + f(θ) for θ (two solutions, by the sign of θ₁+θ₂,
 * taken with probability ½ each), and keep solutions inside the prior. The map
 * θ → f(θ) is a rotation on each branch, so with a uniform prior the accepted
 * draws are exact posterior samples.
 */
final class TwoMoonsPosterior implements Posterior {

	/** Beyond this many rejected draws per requested sample the observation is deemed impossible. */
	private static final int MAX_TRIES_PER_SAMPLE = 10_000;

	private final List<Parameter> parameters;
	private final double[] observation;
	private final Prior prior;

	TwoMoonsPosterior(List<Parameter> parameters, double[] observation, Prior prior) {
		this.parameters = parameters;
		this.observation = observation.clone();
		this.prior = prior;
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
		double[][] samples = new double[n][];
		long tries = 0;
		int accepted = 0;
		while (accepted < n) {
			if (++tries > (long) MAX_TRIES_PER_SAMPLE * n) {
				throw new IllegalStateException("x_o = " + java.util.Arrays.toString(observation)
						+ " lies (almost) outside what two_moons produces under its prior: " + accepted + " of "
						+ n + " samples after " + (tries - 1) + " draws");
			}
			double[] p = TwoMoons.sampleNoise(random);
			double u = p[0] - observation[0]; // |θ₁+θ₂|/√2
			double v = observation[1] - p[1]; // (θ₂−θ₁)/√2
			boolean flip = random.nextBoolean();
			if (u < 0) {
				continue; // this noise draw cannot have produced x_o: |θ₁+θ₂| is never negative
			}
			if (flip) {
				u = -u;
			}
			double[] theta = { (u - v) * TwoMoons.SQRT_HALF, (u + v) * TwoMoons.SQRT_HALF };
			if (prior.inSupport(theta)) {
				samples[accepted++] = theta;
			}
		}
		return samples;
	}

	@Override
	public boolean hasDensity() {
		return false;
	}

	@Override
	public double logProb(double[] theta) {
		throw new UnsupportedOperationException("The two_moons reference posterior is sampled exactly but has no normalised density here");
	}
}
