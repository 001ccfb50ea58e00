package org.sbiworkbench.mcmc;

import org.sbiworkbench.core.ProgressMonitor;

/**
 * An MCMC algorithm: runs {@link McmcSettings#chains()} chains on a target and
 * returns their pooled draws with convergence diagnostics.
 * <p>
 * Implementations keep no state between runs, so one instance may serve many
 * runs, also concurrently; all randomness comes from {@code seed}, so the same
 * seed and inputs give the same draws.
 */
public interface Sampler {

	/** The short id {@link Samplers#byId} knows this sampler by, e.g. "slice". */
	String id();

	/** A name for people, e.g. "Slice sampling". */
	default String name() {
		return id();
	}

	/** The paper(s) the algorithm comes from, for reports and the UI. */
	default String reference() {
		return "";
	}

	/**
	 * Samples the target.
	 *
	 * @param target   the unnormalised log-density
	 * @param init     candidates for the chains' starting points, chosen by {@code settings.init()}
	 * @param settings chains, warm-up, number of samples, thinning
	 * @param seed     the only source of randomness
	 * @param monitor  one unit of work per iteration (warm-up included); checked every iteration
	 * @throws java.util.concurrent.CancellationException when the monitor is cancelled
	 * @throws IllegalArgumentException when the target does not suit the sampler
	 * @throws IllegalStateException when no starting point with finite log-density is found
	 */
	McmcResult sample(LogDensity target, Initialiser init, McmcSettings settings, long seed,
			ProgressMonitor monitor);
}
