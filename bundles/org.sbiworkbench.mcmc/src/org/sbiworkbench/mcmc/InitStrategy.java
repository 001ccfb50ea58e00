package org.sbiworkbench.mcmc;

/** How chains choose their starting points among the {@link Initialiser}'s candidates. */
public enum InitStrategy {

	/**
	 * One candidate per chain; a candidate with log π = −∞ is replaced by a new
	 * draw. Over-dispersed starts, the classical setting for R̂.
	 */
	PRIOR,

	/**
	 * The chains start at the candidates with the highest log π among
	 * {@link McmcSettings#initCandidates()} draws: warm-up is short, but all
	 * chains may start in the same mode.
	 */
	BEST_OF_N,

	/**
	 * Sampling-importance-resampling (Rubin 1988), as sbi's "resample": each
	 * chain starts at one of {@link McmcSettings#initCandidates()} candidates
	 * chosen with probability ∝ π(θ)/q(θ), so the starts are roughly posterior
	 * draws and warm-up mostly tunes the sampler.
	 */
	RESAMPLE
}
