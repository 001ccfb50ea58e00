package org.sbiworkbench.core;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A (possibly approximate) posterior p(θ | x_o) for one observation x_o.
 * <p>
 * Every posterior can be sampled; only some have a density (neural
 * posterior estimates do, ABC samples do not), which
 * {@link #hasDensity()} tells before {@link #logProb(double[])} is called.
 */
public interface Posterior {

	List<Parameter> parameters();

	default int dimension() {
		return parameters().size();
	}

	/** The observation x_o this posterior is conditioned on. */
	double[] observation();

	/** n draws θ ~ p(θ | x_o), one row each. */
	double[][] sample(int n, RandomGenerator random);

	/**
	 * n draws, reporting progress to {@code monitor} and stopping with
	 * {@link java.util.concurrent.CancellationException} when it is cancelled. Posteriors whose sampling is long
	 * (MCMC) override this; for the others drawing is quick and the monitor is not needed.
	 */
	default double[][] sample(int n, RandomGenerator random, ProgressMonitor monitor) {
		return sample(n, random);
	}

	/**
	 * What a user must know about the last samples before trusting them (e.g. MCMC chains that did not converge);
	 * empty when there is nothing to say.
	 */
	default java.util.List<String> warnings() {
		return java.util.List.of();
	}

	/**
	 * How this posterior was obtained, for reports: e.g. ABC's accepted simulations, ε and effective sample size,
	 * SMC-ABC's generations. Values are numbers, strings, lists and maps (written as JSON); empty when there is
	 * nothing to add to the training summary.
	 */
	default java.util.Map<String, Object> summary() {
		return java.util.Map.of();
	}

	/** Whether {@link #logProb(double[])} is available. */
	boolean hasDensity();

	/**
	 * log p(θ | x_o).
	 *
	 * @throws UnsupportedOperationException when {@link #hasDensity()} is false
	 */
	double logProb(double[] theta);

	/**
	 * Log-densities of many parameter vectors at once; estimators that evaluate a network override this to do it
	 * in one batch.
	 */
	default double[] logProbs(double[][] theta) {
		double[] out = new double[theta.length];
		for (int i = 0; i < theta.length; i++) {
			out[i] = logProb(theta[i]);
		}
		return out;
	}

	/**
	 * Log-densities up to one constant shared by all θ, for ranking samples by density (HPD levels, MAP) where
	 * the normalising constant does not matter; estimators whose normaliser is costly to estimate (e.g. NPE's
	 * leakage correction) override this to skip it.
	 */
	default double[] logProbsUpToConstant(double[][] theta) {
		return logProbs(theta);
	}

	/**
	 * The maximum a posteriori θ where the posterior can find it (by optimising
	 * its density); empty for posteriors without one.
	 */
	default java.util.Optional<double[]> map(RandomGenerator random) {
		return java.util.Optional.empty();
	}

	/**
	 * For posteriors that reject samples outside the prior's support: the share
	 * accepted so far. NaN where nothing is rejected or nothing was drawn yet.
	 */
	default double acceptanceRate() {
		return Double.NaN;
	}
}
