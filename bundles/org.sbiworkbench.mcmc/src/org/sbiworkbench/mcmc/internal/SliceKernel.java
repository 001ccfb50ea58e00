package org.sbiworkbench.mcmc.internal;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.mcmc.LogDensity;

/**
 * Coordinate-wise slice sampling (Neal 2003, "Slice sampling", Annals of
 * Statistics 31(3), sections 4.1–4.2: stepping out and shrinkage), all chains
 * in lockstep: every round of stepping out or shrinking evaluates the
 * log-density of all chains still busy in one batched call.
 * <p>
 * The initial width w_i of coordinate i is adapted during warm-up to twice
 * the mean absolute move of that coordinate over the latest warm-up window
 * (pooled over chains): about the width of a typical slice, where stepping out
 * and shrinkage cost fewest evaluations. Widths are frozen after warm-up, so
 * the kept draws come from a fixed kernel (slice sampling is valid for any
 * fixed w).
 */
public final class SliceKernel implements Kernel {

	/** Shrinkage gives up after this many rounds and keeps the current point (always in the slice). */
	private static final int MAX_SHRINKS = 200;
	private static final int FIRST_WINDOW = 10;

	private final LogDensity target;
	private final int d;
	private final int warmup;
	private final int maxStepsOut;
	private double[] width;
	private double[] moveSum;
	private long moveCount;
	private List<Integer> windowEnds;
	private int window;

	public SliceKernel(LogDensity target, int warmup, int maxStepsOut) {
		this.target = target;
		this.d = target.dimension();
		this.warmup = warmup;
		this.maxStepsOut = maxStepsOut;
	}

	@Override
	public void start(double[][] x, double[] logp, RandomGenerator random) {
		width = new double[d];
		double[] v = Moments.of(x).variance();
		for (int i = 0; i < d; i++) {
			// the starts' spread, or 1 when there is none (one chain, or all chains at one point)
			width[i] = v[i] > 0 && Double.isFinite(v[i]) ? Math.sqrt(v[i]) : 1;
		}
		moveSum = new double[d];
		windowEnds = Windows.ends(0, warmup, Math.max(FIRST_WINDOW, warmup / 10));
	}

	@Override
	public void step(double[][] x, double[] logp, int iteration, boolean warmup, RandomGenerator random) {
		for (int i = 0; i < d; i++) {
			updateCoordinate(i, x, logp, warmup, random);
		}
		if (warmup) {
			moveCount += x.length;
			if (window < windowEnds.size() && iteration + 1 == windowEnds.get(window)) {
				for (int i = 0; i < d; i++) {
					double meanMove = moveSum[i] / moveCount;
					if (meanMove > 0 && Double.isFinite(meanMove)) {
						width[i] = 2 * meanMove;
					}
				}
				moveSum = new double[d];
				moveCount = 0;
				window++;
			}
		}
	}

	private void updateCoordinate(int i, double[][] x, double[] logp, boolean warmup, RandomGenerator random) {
		int n = x.length;
		double w = width[i];
		double[] level = new double[n], left = new double[n], right = new double[n], old = new double[n];
		int[] stepsLeft = new int[n], stepsRight = new int[n];
		double[][] point = new double[n][];
		for (int c = 0; c < n; c++) {
			old[c] = x[c][i];
			// the slice {θ_i : log π > level}, level = log π(x) + log U, U ~ U(0, 1]
			level[c] = logp[c] + Math.log(1 - random.nextDouble());
			left[c] = old[c] - w * random.nextDouble();
			right[c] = left[c] + w;
			int j = (int) Math.floor(maxStepsOut * random.nextDouble());
			stepsLeft[c] = j;
			stepsRight[c] = maxStepsOut - 1 - j;
			point[c] = x[c].clone();
		}
		stepOut(i, point, level, left, right, stepsLeft, stepsRight);
		shrink(i, x, logp, point, level, left, right, old, random);
		if (warmup) {
			for (int c = 0; c < n; c++) {
				moveSum[i] += Math.abs(x[c][i] - old[c]);
			}
		}
	}

	/** Widens every chain's interval by w at each end still inside the slice, all chains per round in one batch. */
	private void stepOut(int i, double[][] point, double[] level, double[] left, double[] right, int[] stepsLeft,
			int[] stepsRight) {
		int n = point.length;
		double w = width[i];
		boolean[] leftOpen = new boolean[n], rightOpen = new boolean[n];
		for (int c = 0; c < n; c++) {
			leftOpen[c] = stepsLeft[c] > 0;
			rightOpen[c] = stepsRight[c] > 0;
		}
		while (true) {
			int count = 0;
			for (int c = 0; c < n; c++) {
				count += (leftOpen[c] ? 1 : 0) + (rightOpen[c] ? 1 : 0);
			}
			if (count == 0) {
				return;
			}
			double[][] rows = new double[count][];
			int[] chain = new int[count];
			boolean[] isLeft = new boolean[count];
			int k = 0;
			for (int c = 0; c < n; c++) {
				if (leftOpen[c]) {
					rows[k] = point[c].clone();
					rows[k][i] = left[c];
					chain[k] = c;
					isLeft[k++] = true;
				}
				if (rightOpen[c]) {
					rows[k] = point[c].clone();
					rows[k][i] = right[c];
					chain[k] = c;
					isLeft[k++] = false;
				}
			}
			double[] lp = new double[count];
			target.logDensity(rows, lp);
			for (k = 0; k < count; k++) {
				int c = chain[k];
				boolean inside = lp[k] > level[c];
				if (isLeft[k]) {
					if (inside) {
						left[c] -= w;
						leftOpen[c] = --stepsLeft[c] > 0;
					} else {
						leftOpen[c] = false;
					}
				} else {
					if (inside) {
						right[c] += w;
						rightOpen[c] = --stepsRight[c] > 0;
					} else {
						rightOpen[c] = false;
					}
				}
			}
		}
	}

	/** Draws uniformly from each interval until a point in the slice, shrinking towards the current point. */
	private void shrink(int i, double[][] x, double[] logp, double[][] point, double[] level, double[] left,
			double[] right, double[] old, RandomGenerator random) {
		int n = x.length;
		int[] active = new int[n];
		int count = n;
		for (int c = 0; c < n; c++) {
			active[c] = c;
		}
		double[] lp = new double[n];
		for (int round = 0; round < MAX_SHRINKS && count > 0; round++) {
			for (int a = 0; a < count; a++) {
				int c = active[a];
				point[c][i] = left[c] + random.nextDouble() * (right[c] - left[c]);
			}
			Batch.logDensity(target, point, active, count, lp);
			int still = 0;
			for (int a = 0; a < count; a++) {
				int c = active[a];
				double candidate = point[c][i];
				if (lp[c] > level[c]) {
					x[c][i] = candidate;
					logp[c] = lp[c];
				} else {
					if (candidate < old[c]) {
						left[c] = candidate;
					} else {
						right[c] = candidate;
					}
					active[still++] = c;
				}
			}
			count = still;
		}
		// chains still active after MAX_SHRINKS keep their current point, which is in the slice
	}

	@Override
	public void endWarmup() {
	}

	@Override
	public double acceptanceRate() {
		return 1;
	}
}
