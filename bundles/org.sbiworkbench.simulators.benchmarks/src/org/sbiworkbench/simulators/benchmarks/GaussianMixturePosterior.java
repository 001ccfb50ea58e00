package org.sbiworkbench.simulators.benchmarks;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.special.Erf;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;

/**
 * A mixture of isotropic Gaussians Σ_k w_k N(x_o, σ_k² I) truncated to the box
 * [lower, upper]^d: the gaussian_mixture posterior under its flat prior.
 * <p>
 * Sampling is exact rejection, as sbibm does it: pick a component with
 * probability w_k, draw from it, keep the draw if it lies in the box. The
 * density is exact: the truncation mass Z = Σ_k w_k Π_i [Φ((upper−x_i)/σ_k) −
 * Φ((lower−x_i)/σ_k)] is computed with the error function.
 */
final class GaussianMixturePosterior implements Posterior {

	/** Beyond this many rejected draws per requested sample the observation is deemed impossible. */
	private static final int MAX_TRIES_PER_SAMPLE = 100_000;
	private static final double LOG_2PI = Math.log(2 * Math.PI);

	private final List<Parameter> parameters;
	private final double[] observation;
	private final double[] weights;
	private final double[] scales;
	private final double lower;
	private final double upper;
	/** log(w_k) − d·log(√(2π) σ_k): the log-density of component k at its mean, times its weight. */
	private final double[] logPeak;
	/** log Z, the mixture's mass inside the box. */
	private final double logMass;

	GaussianMixturePosterior(List<Parameter> parameters, double[] observation, double[] weights, double[] scales,
			double lower, double upper) {
		this.parameters = parameters;
		this.observation = observation.clone();
		this.weights = weights.clone();
		this.scales = scales.clone();
		this.lower = lower;
		this.upper = upper;
		int d = observation.length;
		logPeak = new double[weights.length];
		double[] logComponentMass = new double[weights.length];
		for (int k = 0; k < weights.length; k++) {
			logPeak[k] = Math.log(weights[k]) - d * (0.5 * LOG_2PI + Math.log(scales[k]));
			double lm = Math.log(weights[k]);
			for (int i = 0; i < d; i++) {
				lm += Math.log(normalMass((lower - observation[i]) / scales[k], (upper - observation[i]) / scales[k]));
			}
			logComponentMass[k] = lm;
		}
		logMass = logSumExp(logComponentMass);
		if (logMass == Double.NEGATIVE_INFINITY) {
			throw new IllegalArgumentException("x_o = " + Arrays.toString(observation)
					+ " lies so far outside the prior box [" + lower + ", " + upper + "]^" + d
					+ " that the posterior has no representable mass inside it");
		}
	}

	/** Φ(b) − Φ(a) for a ≤ b, accurate in the tails ({@link Erf#erf(double, double)} switches to erfc). */
	static double normalMass(double a, double b) {
		return 0.5 * Erf.erf(a / Math.sqrt(2), b / Math.sqrt(2));
	}

	private static double logSumExp(double[] v) {
		double max = Double.NEGATIVE_INFINITY;
		for (double x : v) {
			max = Math.max(max, x);
		}
		if (max == Double.NEGATIVE_INFINITY) {
			return max;
		}
		double sum = 0;
		for (double x : v) {
			sum += Math.exp(x - max);
		}
		return max + Math.log(sum);
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] observation() {
		return observation.clone();
	}

	/** The probability of the box under the untruncated mixture, Z. */
	double mass() {
		return Math.exp(logMass);
	}

	@Override
	public double[][] sample(int n, RandomGenerator random) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot draw a negative number of samples: " + n);
		}
		double[][] samples = new double[n][];
		long tries = 0;
		int accepted = 0;
		while (accepted < n) {
			if (++tries > (long) MAX_TRIES_PER_SAMPLE * n) {
				throw new IllegalStateException("x_o = " + Arrays.toString(observation) + " leaves almost no posterior mass inside the prior: "
						+ accepted + " of " + n + " samples after " + (tries - 1) + " draws");
			}
			double scale = scales[component(random)];
			double[] theta = new double[observation.length];
			for (int i = 0; i < theta.length; i++) {
				theta[i] = observation[i] + scale * random.nextGaussian();
			}
			if (inBox(theta)) {
				samples[accepted++] = theta;
			}
		}
		return samples;
	}

	private int component(RandomGenerator random) {
		double u = random.nextDouble();
		for (int k = 0; k < weights.length - 1; k++) {
			u -= weights[k];
			if (u < 0) {
				return k;
			}
		}
		return weights.length - 1;
	}

	private boolean inBox(double[] theta) {
		for (double t : theta) {
			if (!(t >= lower && t <= upper)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean hasDensity() {
		return true;
	}

	@Override
	public double logProb(double[] theta) {
		if (theta.length != observation.length) {
			throw new IllegalArgumentException("θ has " + theta.length + " components but this posterior is over "
					+ observation.length + " parameters");
		}
		if (!inBox(theta)) {
			return Double.NEGATIVE_INFINITY;
		}
		double r2 = 0;
		for (int i = 0; i < theta.length; i++) {
			double c = theta[i] - observation[i];
			r2 += c * c;
		}
		double[] terms = new double[weights.length];
		for (int k = 0; k < weights.length; k++) {
			terms[k] = logPeak[k] - 0.5 * r2 / (scales[k] * scales[k]);
		}
		return logSumExp(terms) - logMass;
	}
}
