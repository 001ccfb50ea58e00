package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.RationalQuadraticSpline;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

/** The rational-quadratic spline operation on its own. */
class SplineTest {

	private static final int K = 10;
	private static final double B = 3;

	/**
	 * Raw parameters for n×m elements, spread enough that bins and
	 * derivatives are very uneven (over 50 elements: widths 0.02–4.6, heights
	 * 0.018–3.4, interior derivatives 0.013–4.5) but above the floors.
	 */
	static float[] params(RationalQuadraticSpline spline, int elements, RandomGenerator r) {
		int per = spline.parametersPerElement();
		float[] p = new float[elements * per];
		for (int e = 0; e < elements; e++) {
			for (int j = 0; j < per; j++) {
				double sd = j < 2 * K ? 1.0 / spline.logitScale() : 1.5;
				p[e * per + j] = (float) (sd * r.nextGaussian());
			}
		}
		return p;
	}

	/** The distance from v to the nearest knot of element e. */
	static double distanceToKnot(RationalQuadraticSpline spline, float[] p, int e, double v) {
		double best = Double.POSITIVE_INFINITY;
		for (double x : spline.knots(p, e * spline.parametersPerElement())[0]) {
			best = Math.min(best, Math.abs(v - x));
		}
		return best;
	}

	private static float[] forwardOnTape(RationalQuadraticSpline spline, float[] x, float[] p, int n, int m) {
		Tape tape = new Tape();
		return spline.apply(tape, tape.constant(x, n, m), tape.constant(p, n, m * spline.parametersPerElement())).toArray();
	}

	@Test
	void interpolatesItsKnotsWithTheirDerivativesAndIsTheIdentityOutside() {
		// The defining properties (paper, section 3): g(x_k) = y_k, g'(x_k) = δ_k, δ_0 = δ_K = 1, identity tails.
		RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B);
		float[] p = params(spline, 5, new Well19937c(1));
		for (int e = 0; e < 5; e++) {
			int off = e * spline.parametersPerElement();
			double[][] kn = spline.knots(p, off);
			assertEquals(-B, kn[0][0], 0);
			assertEquals(B, kn[0][K], 0);
			assertEquals(-B, kn[1][0], 0);
			assertEquals(B, kn[1][K], 0);
			assertEquals(1, kn[2][0], 0);
			assertEquals(1, kn[2][K], 0);
			for (int k = 0; k <= K; k++) {
				if (k < K) {
					assertTrue(kn[0][k + 1] - kn[0][k] >= 2 * B * RationalQuadraticSpline.MIN_BIN_WIDTH * (1 - 1e-12));
					assertTrue(kn[1][k + 1] - kn[1][k] >= 2 * B * RationalQuadraticSpline.MIN_BIN_HEIGHT * (1 - 1e-12));
				}
				assertTrue(kn[2][k] >= RationalQuadraticSpline.MIN_DERIVATIVE);
				double[] at = spline.forward(kn[0][k], p, off);
				// double arithmetic on O(1) values: agreement to ~1e-15, checked at 1e-12
				assertEquals(kn[1][k], at[0], 1e-12, "g(x_" + k + ")");
				assertEquals(Math.log(kn[2][k]), at[1], 1e-12, "log g'(x_" + k + ")");
			}
			for (double x : new double[] { -7.5, -B - 1e-9, B + 1e-9, 4.2 }) {
				double[] at = spline.forward(x, p, off);
				assertEquals(x, at[0], 0);
				assertEquals(0, at[1], 0);
			}
		}
	}

	@Test
	void logDerivativeIsTheLogOfTheNumericalDerivative() {
		RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B);
		Well19937c r = new Well19937c(2);
		int elements = 50;
		float[] p = params(spline, elements, r);
		double h = 1e-6;
		int checked = 0;
		for (int e = 0; e < elements; e++) {
			int off = e * spline.parametersPerElement();
			for (int i = 0; i < 40; i++) {
				double x = -B + 2 * B * r.nextDouble();
				if (distanceToKnot(spline, p, e, x) < 10 * h) {
					continue; // the derivative is continuous at knots, but a difference across one has only first-order accuracy
				}
				double numeric = (spline.forward(x + h, p, off)[0] - spline.forward(x - h, p, off)[0]) / (2 * h);
				double analytic = Math.exp(spline.forward(x, p, off)[1]);
				// In double: rounding ≤ 2.2e-16·|y| (|y| ≤ 3) / h ≈ 7e-10 absolute; truncation h²·|g'''|/6 with
				// |g'''| ≲ g'/w² ≤ 2.5e3·g' for bins w ≥ 0.02: ≤ 4e-10·g'. Allowed: 1e-7·g' + 1e-8, ≥ 10× both.
				assertEquals(analytic, numeric, 1e-7 * analytic + 1e-8, "g'(" + x + ") of element " + e);
				checked++;
			}
		}
		assertTrue(checked > 1900, "points checked: " + checked);
	}

	@Test
	void theTapeOperationMatchesTheDoublePrecisionSpline() {
		RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B, 0.3);
		Well19937c r = new Well19937c(3);
		int n = 64, m = 3;
		float[] p = params(spline, n * m, r);
		float[] x = new float[n * m];
		for (int i = 0; i < x.length; i++) {
			x[i] = (float) (4.5 * (2 * r.nextDouble() - 1));
		}
		float[] out = forwardOnTape(spline, x, p, n, m);
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < m; j++) {
				double[] e = spline.forward(x[i * m + j], p, (i * m + j) * spline.parametersPerElement());
				// float32 results of the same double computation: within half an ulp (one ulp allowed)
				assertEquals(e[0], out[i * 2 * m + j], Math.ulp((float) e[0]));
				assertEquals(e[1], out[i * 2 * m + m + j], Math.ulp((float) e[1]));
			}
		}
	}

	@Test
	void inverseUndoesForward() {
		RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B);
		Well19937c r = new Well19937c(4);
		int n = 400, m = 3;
		float[] p = params(spline, n * m, r);
		float[] x = new float[n * m];
		for (int i = 0; i < x.length; i++) {
			x[i] = (float) (4 * (2 * r.nextDouble() - 1)); // tails included
		}
		float[] out = forwardOnTape(spline, x, p, n, m);
		float[] y = new float[n * m];
		float[] dydx = new float[n * m];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < m; j++) {
				y[i * m + j] = out[i * 2 * m + j];
				dydx[i * m + j] = (float) Math.exp(out[i * 2 * m + m + j]);
			}
		}
		float[] back = new float[n * m];
		spline.inverse(y, p, n, m, back);
		for (int i = 0; i < n * m; i++) {
			// y carries ≤ ½ulp(y) of rounding, which the inverse maps to ≤ ½ulp(y)/g'(x); the result is rounded by ≤ ½ulp(x).
			// Allowed: twice that (the double-precision solve itself adds ~1e-15).
			double tolerance = Math.ulp(y[i]) / dydx[i] + Math.ulp(x[i]);
			assertEquals(x[i], back[i], tolerance, "x → y → x at element " + i + " (g' = " + dydx[i] + ")");
		}
		// and the other way round: y → x → y for y spread over the range
		for (int i = 0; i < y.length; i++) {
			y[i] = (float) (4 * (2 * r.nextDouble() - 1));
		}
		spline.inverse(y, p, n, m, back);
		out = forwardOnTape(spline, back, p, n, m);
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < m; j++) {
				int e = i * m + j;
				double slope = Math.exp(out[i * 2 * m + m + j]);
				double tolerance = slope * Math.ulp(back[e]) + Math.ulp(y[e]);
				assertEquals(y[e], out[i * 2 * m + j], tolerance, "y → x → y at element " + e);
			}
		}
	}

	/**
	 * The hand-written backward against finite differences for every input:
	 * x, and all 3K−1 raw parameters of each element (widths, heights,
	 * interior derivatives), with and without a logit scale. Points stay
	 * ≥ 0.04 from every knot: log g' has a kink there (g'' jumps), and the
	 * difference steps (1e-2 in x; knots move by ≤ 2B·¼·1e-2 = 0.015 per raw
	 * parameter step) must not cross one.
	 */
	@Test
	void backwardMatchesFiniteDifferences() {
		for (double logitScale : new double[] { 1, 0.3 }) {
			RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B, logitScale);
			Well19937c r = new Well19937c(5);
			int n = 6, m = 2, per = spline.parametersPerElement();
			Variable xv = new Variable("x", n, m);
			Variable pv = new Variable("params", n, m * per);
			float[] p = params(spline, n * m, r);
			System.arraycopy(p, 0, pv.values(), 0, p.length);
			float[] x = xv.values();
			for (int e = 0; e < n * m; e++) {
				if (e % 6 == 5) {
					x[e] = (float) ((B + 0.2 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1)); // a tail
					continue;
				}
				do {
					x[e] = (float) (-B + 2 * B * r.nextDouble());
				} while (distanceToKnot(spline, p, e, x[e]) < 0.04);
			}
			float[] weights = new float[n * 2 * m];
			for (int i = 0; i < weights.length; i++) {
				weights[i] = (float) r.nextGaussian();
			}
			// Σ out ⊙ R (the mean times its size): gradients of order one, so the relative tolerance is what bites.
			GradientCheck.check("spline (logit scale " + logitScale + ")", List.of(xv, pv), tape -> {
				Tensor out = spline.apply(tape, tape.use(xv), tape.use(pv));
				return tape.scale(tape.mean(tape.mul(out, tape.constant(weights, n, 2 * m))), n * 2 * m);
			}, n * m * per);
		}
	}

	@Test
	void gradientsReachOnlyTheParametersOfTheirOwnElement() {
		RationalQuadraticSpline spline = new RationalQuadraticSpline(K, B);
		int per = spline.parametersPerElement();
		float[] p = params(spline, 3, new Well19937c(6));
		Tape tape = new Tape();
		Tensor x = tape.input(new float[] { 0.4f, -1.1f, 5f }, 1, 3);
		Tensor params = tape.input(p, 1, 3 * per);
		Tensor out = spline.apply(tape, x, params);
		tape.backward(tape.sliceCols(out, 1, 2)); // y of element 1
		float[] g = params.gradient();
		for (int j = 0; j < 3 * per; j++) {
			if (j < per || j >= 2 * per) {
				assertEquals(0f, g[j], "parameter " + j + " belongs to another element");
			}
		}
		assertEquals(0f, x.gradient()[0]);
		assertEquals(0f, x.gradient()[2]);
		assertTrue(x.gradient()[1] > 0, "monotone increasing");
	}
}
