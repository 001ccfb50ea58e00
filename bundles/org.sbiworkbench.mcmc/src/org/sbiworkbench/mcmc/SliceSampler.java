package org.sbiworkbench.mcmc;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.internal.ChainRunner;
import org.sbiworkbench.mcmc.internal.SliceKernel;

/**
 * Coordinate-wise slice sampling with stepping out and shrinkage (Neal 2003),
 * all chains at once: each round evaluates the chains still searching in one
 * batched call. Needs only log-density values, has no step size to get wrong
 * (the widths, adapted in warm-up, only change the cost), and handles bounded
 * supports naturally; the default for NLE and NRE, as in sbi.
 */
public final class SliceSampler implements Sampler {

	public static final String ID = "slice";
	/** Neal's m: an interval grows by at most this many widths. */
	public static final int DEFAULT_MAX_STEPS_OUT = 10;

	private final int maxStepsOut;

	public SliceSampler() {
		this(DEFAULT_MAX_STEPS_OUT);
	}

	/** @param maxStepsOut Neal's m, the most widths an interval may grow by (≥ 1) */
	public SliceSampler(int maxStepsOut) {
		if (maxStepsOut < 1) {
			throw new IllegalArgumentException("maxStepsOut must be at least 1, not " + maxStepsOut);
		}
		this.maxStepsOut = maxStepsOut;
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Slice sampling";
	}

	@Override
	public String reference() {
		return "Neal (2003), Slice sampling, Ann. Statist. 31(3):705-767";
	}

	@Override
	public McmcResult sample(LogDensity target, Initialiser init, McmcSettings settings, long seed,
			ProgressMonitor monitor) {
		return ChainRunner.run(ID, name(), (t, s) -> new SliceKernel(t, s.warmup(), maxStepsOut), target, init,
				settings, seed, monitor);
	}
}
