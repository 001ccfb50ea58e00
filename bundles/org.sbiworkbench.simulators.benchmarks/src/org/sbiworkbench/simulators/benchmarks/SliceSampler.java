package org.sbiworkbench.simulators.benchmarks;

import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Prior;

/**
 * A small MCMC sampler for reference posteriors with a tractable likelihood:
 * many independent chains, each started at the best of many prior draws,
 * updated by coordinate-wise slice sampling (Neal 2003, "Slice sampling",
 * Annals of Statistics 31(3): stepping out and shrinkage) plus exact sign-flip
 * moves for coordinates the target is symmetric in, and thinned.
 * <p>
 * All randomness comes from the generator passed to {@link #sample}; chains
 * run one after the other, so the same seed gives the same samples.
 * <p>
 * Slice widths are tuned per chain during the first half of the warm-up and
 * then held fixed, so every recorded sample comes from a fixed,
 * target-invariant transition kernel.
 */
final class SliceSampler {

	/** Stepping out takes at most this many steps of width w in total (Neal's m). */
	private static final int MAX_STEPS_OUT = 32;
	/** Shrinkage gives up (keeping the current point, which is always valid) after this many proposals. */
	private static final int MAX_SHRINKS = 200;
	/** Warm-up sweeps between two width adaptations. */
	private static final int ADAPT_BLOCK = 25;

	private final ToDoubleFunction<double[]> logTarget;
	private final Prior initial;
	private final double[] lower;
	private final double[] upper;
	private final int[] signSymmetric;
	private final int maxChains;
	private final int initialDraws;
	private final int warmup;
	private final int thin;

	/**
	 * @param logTarget     unnormalised log posterior; {@code -Infinity} outside the support
	 * @param initial       prior whose draws start the chains
	 * @param signSymmetric coordinates j for which logTarget is invariant under θ_j → −θ_j
	 *                      (the caller guarantees it); each is flipped with probability ½ after every sweep
	 * @param maxChains     number of independent chains (fewer when fewer samples are asked for)
	 * @param initialDraws  each chain starts at the best of this many prior draws
	 * @param warmup        sweeps discarded per chain
	 * @param thin          sweeps between two recorded samples of a chain
	 */
	SliceSampler(ToDoubleFunction<double[]> logTarget, Prior initial, int[] signSymmetric, int maxChains,
			int initialDraws, int warmup, int thin) {
		if (maxChains < 1 || initialDraws < 1 || warmup < 0 || thin < 1) {
			throw new IllegalArgumentException("maxChains, initialDraws and thin must be positive, warmup non-negative");
		}
		this.logTarget = logTarget;
		this.initial = initial;
		this.lower = initial.lowerBounds();
		this.upper = initial.upperBounds();
		this.signSymmetric = signSymmetric.clone();
		this.maxChains = maxChains;
		this.initialDraws = initialDraws;
		this.warmup = warmup;
		this.thin = thin;
	}

	/**
	 * n samples, taken round-robin from min(n, maxChains) chains: sample i comes
	 * from chain i mod C, so any prefix mixes all chains.
	 */
	double[][] sample(int n, RandomGenerator random) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot draw a negative number of samples: " + n);
		}
		double[][] samples = new double[n][];
		int chains = Math.min(n, maxChains);
		for (int c = 0; c < chains; c++) {
			int count = (n - c + chains - 1) / chains; // indices c, c + C, c + 2C, ... below n
			double[][] draws = runChain(count, random);
			for (int k = 0; k < count; k++) {
				samples[c + k * chains] = draws[k];
			}
		}
		return samples;
	}

	private double[][] runChain(int count, RandomGenerator random) {
		int d = lower.length;
		double[] x = null;
		double logF = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < initialDraws; i++) {
			double[] candidate = initial.sample(random);
			double lf = logTarget.applyAsDouble(candidate);
			if (x == null || lf > logF) {
				x = candidate;
				logF = lf;
			}
		}
		if (logF == Double.NEGATIVE_INFINITY) {
			throw new IllegalStateException("None of " + initialDraws + " prior draws has positive posterior density");
		}
		double[] width = new double[d];
		for (int j = 0; j < d; j++) {
			width[j] = Double.isFinite(upper[j] - lower[j]) ? (upper[j] - lower[j]) / 4 : 1;
		}
		State state = new State(x, logF);
		double[] jumps = new double[d];
		for (int s = 0; s < warmup; s++) {
			sweep(state, width, jumps, random);
			if ((s + 1) % ADAPT_BLOCK == 0 && s < warmup / 2) {
				// w ≈ twice the mean distance moved: of the order of the slice's width.
				for (int j = 0; j < d; j++) {
					double meanJump = jumps[j] / ADAPT_BLOCK;
					if (meanJump > 0) {
						width[j] = Math.min(2 * meanJump, Double.isFinite(upper[j] - lower[j]) ? upper[j] - lower[j] : Double.MAX_VALUE);
					}
					jumps[j] = 0;
				}
			}
		}
		double[][] draws = new double[count][];
		for (int k = 0; k < count; k++) {
			for (int t = 0; t < thin; t++) {
				sweep(state, width, jumps, random);
			}
			draws[k] = state.x.clone();
		}
		return draws;
	}

	private static final class State {
		final double[] x;
		double logF;

		State(double[] x, double logF) {
			this.x = x;
			this.logF = logF;
		}
	}

	/** One slice update of every coordinate in turn, then the sign flips. */
	private void sweep(State state, double[] width, double[] jumps, RandomGenerator random) {
		double[] x = state.x;
		for (int j = 0; j < x.length; j++) {
			double old = x[j];
			sliceUpdate(state, j, width[j], random);
			jumps[j] += Math.abs(x[j] - old);
		}
		for (int j : signSymmetric) {
			if (random.nextBoolean()) {
				x[j] = -x[j]; // the target is invariant: always accepted, logF unchanged
			}
		}
	}

	/** Neal (2003), figures 3 and 5: stepping out, then shrinkage, along coordinate j. */
	private void sliceUpdate(State state, int j, double w, RandomGenerator random) {
		double[] x = state.x;
		double x0 = x[j];
		// The slice level y = log f(x0) + log u with u ~ U[0, 1): strictly below log f(x0).
		double y = state.logF + Math.log(random.nextDouble());
		double left = x0 - w * random.nextDouble();
		double right = left + w;
		int stepsLeft = (int) (MAX_STEPS_OUT * random.nextDouble());
		int stepsRight = MAX_STEPS_OUT - 1 - stepsLeft;
		while (stepsLeft > 0 && left > lower[j] && y < at(x, j, left)) {
			left -= w;
			stepsLeft--;
		}
		while (stepsRight > 0 && right < upper[j] && y < at(x, j, right)) {
			right += w;
			stepsRight--;
		}
		// Cutting the interval to the support (where the target is -∞ anyway) is a
		// deterministic function of it, so the stepping-out symmetry still holds.
		left = Math.max(left, lower[j]);
		right = Math.min(right, upper[j]);
		for (int i = 0; i < MAX_SHRINKS; i++) {
			double proposal = left + (right - left) * random.nextDouble();
			double lf = at(x, j, proposal);
			if (y < lf) {
				x[j] = proposal;
				state.logF = lf;
				return;
			}
			if (proposal < x0) {
				left = proposal;
			} else {
				right = proposal;
			}
		}
		x[j] = x0; // numerically collapsed interval: stay (a valid, if lazy, move)
	}

	/** log f at x with coordinate j set to v; x is left unchanged. */
	private double at(double[] x, int j, double v) {
		double saved = x[j];
		x[j] = v;
		double lf = logTarget.applyAsDouble(x);
		x[j] = saved;
		return lf;
	}
}
