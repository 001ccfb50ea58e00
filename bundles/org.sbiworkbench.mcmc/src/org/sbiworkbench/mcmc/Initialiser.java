package org.sbiworkbench.mcmc;

import java.util.Objects;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Prior;

/**
 * Where chains may start: a source of candidate points, usually prior draws.
 * <p>
 * The {@link McmcSettings#init() init strategy} decides how candidates become
 * starting points; for {@link InitStrategy#RESAMPLE} the candidates are
 * reweighted by π(θ)/q(θ), so an initialiser that knows the density q of its
 * draws should say so through {@link #logProb(double[])}.
 */
@FunctionalInterface
public interface Initialiser {

	/** n candidate starting points, one row each, drawn with {@code random} only. */
	double[][] draw(int n, RandomGenerator random);

	/**
	 * log q(θ) of the distribution {@link #draw} samples from, up to a constant.
	 * The default, 0, declares q flat, so resampling then weights by π(θ) alone.
	 */
	default double logProb(double[] theta) {
		return 0;
	}

	/** Draws from the prior, which also supplies q = p(θ) for resampling. */
	static Initialiser fromPrior(Prior prior) {
		Objects.requireNonNull(prior, "prior");
		return new Initialiser() {
			@Override
			public double[][] draw(int n, RandomGenerator random) {
				return prior.sample(n, random);
			}

			@Override
			public double logProb(double[] theta) {
				return prior.logProb(theta);
			}
		};
	}

	/**
	 * Fixed points, used in turn (row i is {@code points[i % points.length]}):
	 * to restart chains where earlier ones stopped, or to start them on purpose
	 * in chosen places.
	 */
	static Initialiser at(double[]... points) {
		if (points.length == 0) {
			throw new IllegalArgumentException("Initialiser.at needs at least one point");
		}
		double[][] copy = new double[points.length][];
		for (int i = 0; i < points.length; i++) {
			copy[i] = points[i].clone();
		}
		return (n, random) -> {
			double[][] rows = new double[n][];
			for (int i = 0; i < n; i++) {
				rows[i] = copy[i % copy.length].clone();
			}
			return rows;
		};
	}
}
