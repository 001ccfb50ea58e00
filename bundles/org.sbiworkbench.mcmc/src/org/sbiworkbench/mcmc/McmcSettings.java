package org.sbiworkbench.mcmc;

import java.util.Objects;

/**
 * How long and how wide an MCMC run is; what a sampler tunes for itself
 * (step sizes, widths, proposal covariances) is not here.
 * <p>
 * Defaults follow sbi's MCMC for NLE and NRE: 20 chains, 200 warm-up
 * iterations per chain, no thinning, starts by importance resampling of 1,000
 * prior draws.
 *
 * @param chains         chains run side by side (≥ 1; R̂ needs ≥ 2, split R̂ works with one)
 * @param warmup         iterations per chain spent tuning and discarded
 * @param samples        draws wanted in total, pooled over chains after warm-up and thinning
 * @param thin           keep every thin-th iteration after warm-up (1 keeps all)
 * @param init           how the chains' starting points are chosen
 * @param initCandidates candidates drawn for {@link InitStrategy#BEST_OF_N} and {@link InitStrategy#RESAMPLE}
 */
public record McmcSettings(int chains, int warmup, int samples, int thin, InitStrategy init, int initCandidates) {

	public static final int DEFAULT_CHAINS = 20;
	public static final int DEFAULT_WARMUP = 200;
	public static final int DEFAULT_SAMPLES = 1000;
	public static final int DEFAULT_INIT_CANDIDATES = 1000;

	public McmcSettings {
		Objects.requireNonNull(init, "init");
		if (chains < 1) {
			throw new IllegalArgumentException("MCMC needs at least one chain, not " + chains);
		}
		if (warmup < 0) {
			throw new IllegalArgumentException("Warm-up cannot be negative: " + warmup);
		}
		if (samples < 1) {
			throw new IllegalArgumentException("Ask for at least one sample, not " + samples);
		}
		if (thin < 1) {
			throw new IllegalArgumentException("Thinning must be at least 1 (keep every draw), not " + thin);
		}
		if (initCandidates < 1) {
			throw new IllegalArgumentException("initCandidates must be at least 1, not " + initCandidates);
		}
	}

	/** 20 chains, 200 warm-up iterations, 1,000 samples, no thinning, resampling of 1,000 candidates. */
	public static McmcSettings defaults() {
		return new McmcSettings(DEFAULT_CHAINS, DEFAULT_WARMUP, DEFAULT_SAMPLES, 1, InitStrategy.RESAMPLE,
				DEFAULT_INIT_CANDIDATES);
	}

	/** Kept draws per chain: the samples wanted, spread evenly and rounded up. */
	public int drawsPerChain() {
		return (samples + chains - 1) / chains;
	}

	/** Iterations per chain after warm-up: kept draws times thinning. */
	public long iterationsAfterWarmup() {
		return (long) drawsPerChain() * thin;
	}

	public McmcSettings withChains(int chains) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public McmcSettings withWarmup(int warmup) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public McmcSettings withSamples(int samples) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public McmcSettings withThin(int thin) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public McmcSettings withInit(InitStrategy init) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public McmcSettings withInitCandidates(int initCandidates) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}
}
