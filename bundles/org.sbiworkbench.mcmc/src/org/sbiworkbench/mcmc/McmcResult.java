package org.sbiworkbench.mcmc;

import java.time.Duration;

/**
 * The outcome of one MCMC run: the pooled draws, each chain's draws, and the
 * diagnostics that say whether they can be trusted (R̂ close to 1, e.g. below
 * 1.01, and a bulk ESS of at least a few hundred).
 * <p>
 * Arrays are handed over, not copied.
 *
 * @param samplerId      the sampler's {@link Sampler#id()}
 * @param samples        exactly {@link McmcSettings#samples()} draws (rows), taken
 *                       iteration by iteration across chains after warm-up and thinning
 * @param chains         each chain's kept draws, {@code [chain][draw][coordinate]}; all
 *                       chains have the same length, the pooled samples are a prefix of them
 * @param rHat           rank-normalised split-R̂ per coordinate (Vehtari et al. 2021)
 * @param ess            bulk effective sample size per coordinate (Vehtari et al. 2021)
 * @param acceptanceRate accepted fraction of the proposals after warm-up (1 for slice
 *                       sampling and exact Gibbs draws, which accept by construction)
 * @param evaluations    points at which the log-density was evaluated, starts and warm-up included
 * @param wallTime       from the call to the result
 */
public record McmcResult(String samplerId, double[][] samples, double[][][] chains, double[] rHat,
		double[] ess, double acceptanceRate, long evaluations, Duration wallTime) {

	public int dimension() {
		return rHat.length;
	}

	/** The largest R̂ over coordinates: the one to check. */
	public double maxRHat() {
		double max = Double.NEGATIVE_INFINITY;
		for (double r : rHat) {
			max = Double.isNaN(r) ? Double.NaN : Math.max(max, r);
		}
		return max;
	}

	/** The smallest bulk ESS over coordinates. */
	public double minEss() {
		double min = Double.POSITIVE_INFINITY;
		for (double e : ess) {
			min = Double.isNaN(e) ? Double.NaN : Math.min(min, e);
		}
		return min;
	}

	/** The mean of the pooled samples per coordinate. */
	public double[] mean() {
		double[] mean = new double[dimension()];
		for (double[] row : samples) {
			for (int j = 0; j < mean.length; j++) {
				mean[j] += row[j];
			}
		}
		for (int j = 0; j < mean.length; j++) {
			mean[j] /= samples.length;
		}
		return mean;
	}

	@Override
	public String toString() {
		return String.format("%s: %d samples from %d chains, max R-hat %.4f, min bulk ESS %.0f, acceptance %.3f, "
				+ "%d evaluations, %.2f s", samplerId, samples.length, chains.length, maxRHat(), minEss(),
				acceptanceRate, evaluations, wallTime.toNanos() / 1e9);
	}
}
