package org.sbiworkbench.mcmc.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.mcmc.Initialiser;
import org.sbiworkbench.mcmc.LogDensity;
import org.sbiworkbench.mcmc.McmcSettings;

/** Chooses the chains' starting points by the settings' {@link org.sbiworkbench.mcmc.InitStrategy}. */
final class Starts {

	/** Rounds of redrawing, for {@code PRIOR}, before a chain is declared impossible to start. */
	private static final int PRIOR_ROUNDS = 1000;

	private Starts() {
	}

	/** Starting points, one row per chain, each with a finite log-density written into {@code logp}. */
	static double[][] choose(LogDensity target, Initialiser init, McmcSettings settings, RandomGenerator random,
			double[] logp) {
		return switch (settings.init()) {
		case PRIOR -> prior(target, init, settings.chains(), random, logp);
		case BEST_OF_N -> bestOfN(target, init, settings, random, logp);
		case RESAMPLE -> resample(target, init, settings, random, logp);
		};
	}

	private static double[][] prior(LogDensity target, Initialiser init, int chains, RandomGenerator random,
			double[] logp) {
		double[][] x = draw(init, chains, target.dimension(), random);
		target.logDensity(x, logp);
		for (int round = 0; round < PRIOR_ROUNDS; round++) {
			int[] bad = IntStream.range(0, chains).filter(c -> !Double.isFinite(logp[c])).toArray();
			if (bad.length == 0) {
				return x;
			}
			double[][] fresh = draw(init, bad.length, target.dimension(), random);
			double[] freshLogp = new double[bad.length];
			target.logDensity(fresh, freshLogp);
			for (int i = 0; i < bad.length; i++) {
				x[bad[i]] = fresh[i];
				logp[bad[i]] = freshLogp[i];
			}
		}
		throw new IllegalStateException("No starting point with a finite log-density in " + PRIOR_ROUNDS
				+ " initialiser draws for some chains: the target is -Infinity (or NaN) where the initialiser draws; "
				+ "check the target's support against the prior");
	}

	private static double[][] bestOfN(LogDensity target, Initialiser init, McmcSettings settings,
			RandomGenerator random, double[] logp) {
		int n = Math.max(settings.initCandidates(), settings.chains());
		double[][] candidates = draw(init, n, target.dimension(), random);
		double[] values = new double[n];
		target.logDensity(candidates, values);
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
		int finite = (int) Arrays.stream(values).filter(Double::isFinite).count();
		if (finite == 0) {
			throw noneFinite(n);
		}
		double[][] x = new double[settings.chains()][];
		for (int c = 0; c < x.length; c++) {
			int pick = order[c % finite]; // fewer finite candidates than chains: reuse the best ones
			x[c] = candidates[pick].clone();
			logp[c] = values[pick];
		}
		return x;
	}

	private static double[][] resample(LogDensity target, Initialiser init, McmcSettings settings,
			RandomGenerator random, double[] logp) {
		int n = Math.max(settings.initCandidates(), settings.chains());
		double[][] candidates = draw(init, n, target.dimension(), random);
		double[] values = new double[n];
		target.logDensity(candidates, values);
		double[] logWeight = new double[n];
		double max = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < n; i++) {
			logWeight[i] = Double.isFinite(values[i]) ? values[i] - init.logProb(candidates[i]) : Double.NEGATIVE_INFINITY;
			if (Double.isNaN(logWeight[i]) || logWeight[i] == Double.POSITIVE_INFINITY) {
				logWeight[i] = Double.NEGATIVE_INFINITY;
			}
			max = Math.max(max, logWeight[i]);
		}
		if (max == Double.NEGATIVE_INFINITY) {
			throw noneFinite(n);
		}
		double[] cumulative = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += Math.exp(logWeight[i] - max);
			cumulative[i] = sum;
		}
		double[][] x = new double[settings.chains()][];
		for (int c = 0; c < x.length; c++) {
			double u = random.nextDouble() * sum;
			int pick = Arrays.binarySearch(cumulative, u);
			pick = pick >= 0 ? pick + 1 : -pick - 1; // first index with cumulative > u
			pick = Math.min(pick, n - 1);
			while (logWeight[pick] == Double.NEGATIVE_INFINITY) { // only through ties of the cumulative sums
				pick = (pick + 1) % n;
			}
			x[c] = candidates[pick].clone();
			logp[c] = values[pick];
		}
		return x;
	}

	private static double[][] draw(Initialiser init, int n, int dimension, RandomGenerator random) {
		double[][] rows = init.draw(n, random);
		if (rows == null || rows.length != n) {
			throw new IllegalArgumentException("The initialiser returned " + (rows == null ? "null" : rows.length + " rows")
					+ " when asked for " + n);
		}
		for (double[] row : rows) {
			if (row == null || row.length != dimension) {
				throw new IllegalArgumentException("The initialiser drew a point of dimension "
						+ (row == null ? "null" : row.length) + " for a target of dimension " + dimension);
			}
		}
		return rows;
	}

	private static IllegalStateException noneFinite(int n) {
		return new IllegalStateException("None of " + n + " initial candidates has a finite log-density: "
				+ "the target is -Infinity (or NaN) where the initialiser draws; check the target's support against the prior");
	}
}
