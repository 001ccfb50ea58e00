package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.Tape;

/** Checks any conditional density: normalisation, samples against the density, sample → finite log q. */
final class DensityChecks {

	private DensityChecks() {
	}

	/** log q(y_i | context) for n points (row-major n×D), evaluated in chunks to bound memory. */
	static float[] logProb(ConditionalDensity q, float[] points, int n, float[] context) {
		int d = q.dimension(), c = q.contextDimension(), chunk = 8192;
		float[] out = new float[n];
		Tape tape = new Tape();
		for (int from = 0; from < n; from += chunk) {
			int rows = Math.min(chunk, n - from);
			float[] y = new float[rows * d];
			System.arraycopy(points, from * d, y, 0, rows * d);
			float[] ctx = new float[rows * c];
			for (int i = 0; i < rows; i++) {
				System.arraycopy(context, 0, ctx, i * c, c);
			}
			tape.reset();
			float[] lp = q.logProb(tape, tape.constant(y, rows, d), c == 0 ? null : tape.constant(ctx, rows, c)).values();
			System.arraycopy(lp, 0, out, from, rows);
		}
		return out;
	}

	/** Midpoint rule for ∫ q over [lo, hi]^D (D = 1 or 2) with {@code cells} cells per axis; also returns max q on the outer cells. */
	private static double[] midpoint(ConditionalDensity q, float[] context, double lo, double hi, int cells) {
		int d = q.dimension();
		int n = d == 1 ? cells : cells * cells;
		double h = (hi - lo) / cells;
		float[] grid = new float[n * d];
		for (int i = 0; i < n; i++) {
			grid[i * d] = (float) (lo + (i % cells + 0.5) * h);
			if (d == 2) {
				grid[i * d + 1] = (float) (lo + (i / cells + 0.5) * h);
			}
		}
		float[] lp = logProb(q, grid, n, context);
		double sum = 0, edge = 0;
		for (int i = 0; i < n; i++) {
			double f = Math.exp(lp[i]);
			sum += f;
			int a = i % cells, b = i / cells;
			if (a == 0 || a == cells - 1 || (d == 2 && (b == 0 || b == cells - 1))) {
				edge = Math.max(edge, f);
			}
		}
		return new double[] { sum * Math.pow(h, d), edge };
	}

	/**
	 * ∫ q(y | context) dy = 1 over [lo, hi]^D by the midpoint rule. Its error
	 * is estimated from the data by Richardson: with cells h and 2h, I_h − I ≈
	 * (I_2h − I_h)/3, and the check allows |I_2h − I_h| (three times the
	 * estimate) plus 1e-4 for float32 log-densities and the mass outside the
	 * box — which is negligible since q ≤ 1e-7 on the outer cells (checked)
	 * and the tails are Gaussian. The grid must resolve q: |I_2h − I_h| ≤
	 * 2e-3, so the check has teeth at the 0.3% level.
	 */
	static double integratesToOne(ConditionalDensity q, float[] context, double lo, double hi, int cells) {
		double[] fine = midpoint(q, context, lo, hi, cells);
		double[] coarse = midpoint(q, context, lo, hi, cells / 2);
		double richardson = Math.abs(coarse[0] - fine[0]);
		assertTrue(fine[1] <= 1e-7, "q on the edge of the box: " + fine[1]);
		assertTrue(richardson <= 2e-3, "the grid resolves q: I_h = " + fine[0] + ", I_2h = " + coarse[0]);
		assertEquals(1.0, fine[0], richardson + 1e-4, "∫ q(y | x) dy (I_2h = " + coarse[0] + ")");
		return fine[0];
	}

	/**
	 * 1-D: a chi-square test of {@code draws} samples against the bin masses
	 * of exp(logProb) (Simpson's rule, 20 intervals per bin, relative error
	 * far below the sampling noise), at α = 0.001; adjacent bins are pooled
	 * until each expects at least 5 draws.
	 */
	static void samplesFollowTheDensityIn1D(ConditionalDensity q, float[] context, int draws, double lo, double hi, int bins,
			RandomGenerator random) {
		float[][] s = q.sample(draws, context, random);
		double w = (hi - lo) / bins;
		long[] observed = new long[bins];
		int outside = 0;
		for (float[] y : s) {
			int b = (int) Math.floor((y[0] - lo) / w);
			if (b < 0 || b >= bins) {
				outside++;
			} else {
				observed[b]++;
			}
		}
		int k = 20;
		float[] t = new float[bins * (k + 1)];
		for (int b = 0; b < bins; b++) {
			for (int i = 0; i <= k; i++) {
				t[b * (k + 1) + i] = (float) (lo + b * w + w * i / k);
			}
		}
		float[] lp = logProb(q, t, t.length, context);
		double[] mass = new double[bins];
		double total = 0;
		for (int b = 0; b < bins; b++) {
			double sum = 0;
			for (int i = 0; i <= k; i++) {
				sum += Math.exp(lp[b * (k + 1) + i]) * (i == 0 || i == k ? 1 : i % 2 == 1 ? 4 : 2);
			}
			mass[b] = sum * w / (3 * k);
			total += mass[b];
		}
		assertTrue(total > 0.999, "the density's mass is inside [" + lo + ", " + hi + "]: " + total);
		// At most 0.1% of the mass is outside: a Poisson count of mean ≤ 0.001·draws, allowed twice that plus 25.
		assertTrue(outside <= 0.002 * draws + 25, "samples outside: " + outside);
		List<Double> e = new ArrayList<>();
		List<Long> o = new ArrayList<>();
		double accE = 0;
		long accO = 0;
		for (int b = 0; b < bins; b++) {
			accE += mass[b] / total * (draws - outside);
			accO += observed[b];
			if (accE >= 5) {
				e.add(accE);
				o.add(accO);
				accE = 0;
				accO = 0;
			}
		}
		if (accE > 0 && !e.isEmpty()) { // the leftover joins the last pooled bin
			int last = e.size() - 1;
			e.set(last, e.get(last) + accE);
			o.set(last, o.get(last) + accO);
		}
		assertTrue(e.size() >= 20, "enough bins for a chi-square test: " + e.size());
		double p = new ChiSquareTest().chiSquareTest(e.stream().mapToDouble(Double::doubleValue).toArray(),
				o.stream().mapToLong(Long::longValue).toArray());
		assertTrue(p > 0.001, "samples agree with exp(logProb): chi-square p = " + p + " over " + e.size() + " bins");
	}

	/**
	 * Any dimension: for y ~ q, E[f(y)/q(y)] = ∫ f = 1 for a normalised f —
	 * this ties the samples to exp(logProb) (a sampler drawing from p ≠ q gives
	 * ∫ f·p/q ≠ 1) and checks normalisation where f lives. f is a Gaussian
	 * kernel density estimate of an independent pilot sample of q (1,000 draws,
	 * Scott's bandwidth per axis): it has q's shape, so f/q stays moderate and
	 * the test sees the whole distribution. z-test with the sample's own
	 * standard error at α = 0.001 (|z| ≤ 3.29); the standard error must be
	 * ≤ 0.03 so the test can see a 10% error. Also: every sample has a finite
	 * log q.
	 */
	static void importanceWeightsAverageToOne(ConditionalDensity q, float[] context, int draws, RandomGenerator pilotRandom,
			RandomGenerator random) {
		int d = q.dimension(), m = 1000;
		float[][] pilot = q.sample(m, context, pilotRandom);
		double[] bandwidth = new double[d];
		for (int a = 0; a < d; a++) {
			double mean = 0, sq = 0;
			for (float[] y : pilot) {
				mean += y[a] / m;
			}
			for (float[] y : pilot) {
				sq += (y[a] - mean) * (y[a] - mean) / (m - 1);
			}
			bandwidth[a] = Math.sqrt(sq) * Math.pow(m, -1.0 / (d + 4));
		}
		double logNorm = -0.5 * d * Math.log(2 * Math.PI) - Math.log(m);
		for (double h : bandwidth) {
			logNorm -= Math.log(h);
		}
		float[][] s = q.sample(draws, context, random);
		float[] flat = new float[draws * d];
		for (int i = 0; i < draws; i++) {
			System.arraycopy(s[i], 0, flat, i * d, d);
		}
		float[] lq = logProb(q, flat, draws, context);
		double sum = 0, sumSq = 0;
		for (int i = 0; i < draws; i++) {
			assertTrue(Float.isFinite(lq[i]), "log q of sample " + i + " is " + lq[i]);
			double kde = 0;
			for (float[] p : pilot) {
				double quad = 0;
				for (int a = 0; a < d; a++) {
					double u = (s[i][a] - p[a]) / bandwidth[a];
					quad += u * u;
				}
				kde += Math.exp(-0.5 * quad);
			}
			double r = kde * Math.exp(logNorm - lq[i]);
			sum += r;
			sumSq += r * r;
		}
		double mean = sum / draws;
		double se = Math.sqrt((sumSq / draws - mean * mean) / (draws - 1));
		assertTrue(se <= 0.03, "the importance estimate is precise enough to test: standard error " + se);
		assertTrue(Math.abs(mean - 1) <= 3.29 * se, "E_q[f/q] = " + mean + " ± " + se + ", expected 1");
	}

	/** The test densities are not (close to) a standard normal: log q differs from log φ by more than 1 somewhere in [−3, 3]^D. */
	static void assertFarFromStandardNormal(ConditionalDensity q, float[] context) {
		int d = q.dimension(), side = d == 1 ? 601 : 61, n = d == 1 ? side : side * side;
		float[] y = new float[n * d];
		for (int i = 0; i < n; i++) {
			y[i * d] = (float) (-3 + 6.0 * (i % side) / (side - 1));
			if (d == 2) {
				y[i * d + 1] = (float) (-3 + 6.0 * (i / side) / (side - 1));
			}
		}
		float[] lp = DensityChecks.logProb(q, y, n, context);
		double max = 0;
		for (int i = 0; i < n; i++) {
			double sq = 0;
			for (int a = 0; a < d; a++) {
				sq += y[i * d + a] * y[i * d + a];
			}
			max = Math.max(max, Math.abs(lp[i] - (-0.5 * sq - 0.5 * d * Math.log(2 * Math.PI))));
		}
		assertTrue(max > 1, "the test density is non-trivial: max |log q − log φ| = " + max);
	}
}
