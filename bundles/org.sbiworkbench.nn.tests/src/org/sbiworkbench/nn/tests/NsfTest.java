package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.LuLinear;
import org.sbiworkbench.nn.NeuralSplineFlow;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

class NsfTest {

	/**
	 * A small flow (3 transforms, 16 hidden units) made deliberately
	 * non-trivial: every weight is scaled by 1.2 and jittered by N(0, 0.2²), so
	 * bins are uneven, derivatives far from 1 and the LU maps away from the
	 * identity. Measured in 1-D: log q differs from log φ by 1.5–3 nats
	 * somewhere in [−3, 3]; the integration tests assert more than 1.
	 */
	static NeuralSplineFlow wiggly(int d, int c, Activation activation, long seed) {
		NeuralSplineFlow flow = new NeuralSplineFlow(d, c, 3, 10, 3.0, 16, 2, activation, new Well19937c(seed));
		Well19937c r = new Well19937c(seed + 1000);
		for (Variable v : flow.variables()) {
			float[] w = v.values();
			for (int i = 0; i < w.length; i++) {
				w[i] = (float) (1.2 * w[i] + 0.2 * r.nextGaussian());
			}
		}
		return flow;
	}

	private static float[] randn(int n, long seed) {
		Well19937c r = new Well19937c(seed);
		float[] a = new float[n];
		for (int i = 0; i < a.length; i++) {
			a[i] = (float) r.nextGaussian();
		}
		return a;
	}

	/**
	 * ∂ mean log q / ∂ (a subset of every variable) against finite
	 * differences, at points drawn from the flow itself (far in its tails log q
	 * is so curved that a float32 difference step of 1e-2 has a truncation
	 * error of several percent). The conditioner uses tanh here: ReLU's kinks
	 * within a difference step would break the comparison, and its own
	 * derivative is checked in OpsGradientTest. The spline's log-derivative
	 * has kinks too, where an input crosses a knot, and those cannot be avoided
	 * from outside: hence {@link GradientCheck#checkPiecewiseSmooth}.
	 */
	@Test
	void gradientsOfTheLogDensityMatchFiniteDifferences() {
		for (int[] shape : new int[][] { { 3, 2 }, { 2, 1 }, { 1, 2 } }) {
			int d = shape[0], c = shape[1], n = 8;
			NeuralSplineFlow flow = wiggly(d, c, Activation.TANH, 20 + d);
			float[] ctx = randn(n * c, 40 + d);
			float[] y = new float[n * d];
			Well19937c r = new Well19937c(30 + d);
			for (int i = 0; i < n; i++) {
				float[] row = java.util.Arrays.copyOfRange(ctx, i * c, (i + 1) * c);
				System.arraycopy(flow.sample(1, row, r)[0], 0, y, i * d, d);
			}
			GradientCheck.checkPiecewiseSmooth("NSF log q (D = " + d + ")", flow.variables(),
					tape -> tape.mean(flow.logProb(tape, tape.constant(y, n, d), tape.constant(ctx, n, c))), 6);
		}
	}

	@Test
	void densityIntegratesToOneIn1D() {
		NeuralSplineFlow flow = wiggly(1, 2, Activation.RELU, 7);
		DensityChecks.integratesToOne(flow, new float[] { 0.7f, -0.4f }, -10, 10, 20_000);
		DensityChecks.assertFarFromStandardNormal(flow, new float[] { 0.7f, -0.4f });
	}

	@Test
	void densityIntegratesToOneIn2D() {
		NeuralSplineFlow flow = wiggly(2, 1, Activation.RELU, 8);
		DensityChecks.integratesToOne(flow, new float[] { 0.7f }, -8, 8, 320);
		DensityChecks.assertFarFromStandardNormal(flow, new float[] { 0.7f });
	}

	@Test
	void samplesFollowTheDensityIn1D() {
		NeuralSplineFlow flow = wiggly(1, 2, Activation.RELU, 9);
		DensityChecks.samplesFollowTheDensityIn1D(flow, new float[] { -0.3f, 0.8f }, 20_000, -6, 6, 120, new Well19937c(10));
	}

	@Test
	void samplesFollowTheDensityIn2DAnd3D() {
		// 3-D: the couplings transform {0, 2} given {1}, then {1} given {0, 2}.
		for (int d : new int[] { 2, 3 }) {
			NeuralSplineFlow flow = wiggly(d, 2, Activation.RELU, 11 + d);
			DensityChecks.importanceWeightsAverageToOne(flow, new float[] { 0.2f, -0.5f }, 8_000, new Well19937c(12), new Well19937c(13));
		}
	}

	@Test
	void couplingsAlternateAndWorkWithoutContext() {
		NeuralSplineFlow flow = NeuralSplineFlow.sbiDefault(3, 0, new Well19937c(14));
		assertArrayEquals(new int[] { 0, 2 }, flow.transformedDimensions(0));
		assertArrayEquals(new int[] { 1 }, flow.transformedDimensions(1));
		assertEquals(5, flow.transforms());
		for (NeuralSplineFlow f : List.of(flow, wiggly(1, 0, Activation.RELU, 15))) {
			float[][] s = f.sample(50, new float[0], new Well19937c(16));
			float[] flat = new float[50 * f.dimension()];
			for (int i = 0; i < 50; i++) {
				System.arraycopy(s[i], 0, flat, i * f.dimension(), f.dimension());
			}
			for (float lp : DensityChecks.logProb(f, flat, 50, new float[0])) {
				assertTrue(Float.isFinite(lp));
			}
		}
	}

	@Test
	void samplingIsDeterministicGivenTheGenerator() {
		NeuralSplineFlow flow = wiggly(3, 1, Activation.RELU, 17);
		float[][] a = flow.sample(20, new float[] { 0.3f }, new Well19937c(18));
		float[][] b = flow.sample(20, new float[] { 0.3f }, new Well19937c(18));
		for (int i = 0; i < 20; i++) {
			assertArrayEquals(a[i], b[i]);
		}
	}

	/** The LU map on its own, after moving it away from the identity: exact inverse, log|det| of the assembled matrix. */
	@Test
	void luLinearInvertsAndKnowsItsDeterminant() {
		int d = 4;
		LuLinear lu = new LuLinear("lu", d);
		Well19937c r = new Well19937c(19);
		for (Variable v : lu.variables()) {
			float[] w = v.values();
			for (int i = 0; i < w.length; i++) {
				w[i] += (float) (0.5 * r.nextGaussian());
			}
		}
		// W's columns: W·e_j = z(e_j) − b
		Tape tape = new Tape();
		float[] eye = new float[d * d];
		for (int j = 0; j < d; j++) {
			eye[j * d + j] = 1;
		}
		float[] zeros = new float[d];
		float[] we = lu.apply(tape, tape.constant(eye, d, d)).toArray();
		float[] b = lu.apply(tape, tape.constant(zeros, 1, d)).toArray();
		double[][] w = new double[d][d];
		for (int j = 0; j < d; j++) {
			for (int a = 0; a < d; a++) {
				w[a][j] = we[j * d + a] - b[a];
			}
		}
		double logDet = Math.log(Math.abs(new LUDecomposition(new Array2DRowRealMatrix(w)).getDeterminant()));
		// float32 entries of size ~1: the determinant's relative error is ~d·1e-7; 1e-5 allows 10×
		assertEquals(logDet, lu.logAbsDet(tape).item(), 1e-5);
		int n = 100;
		float[] x = randn(n * d, 20);
		Tensor z = lu.apply(tape, tape.constant(x, n, d));
		float[] back = z.toArray();
		lu.inverse(back, n);
		for (int i = 0; i < n * d; i++) {
			// z has ≤ ½ulp rounding per entry (|z| ≲ 5); W⁻¹ amplifies it by its condition number (≲ 10 here)
			assertEquals(x[i], back[i], 1e-5, "W⁻¹(Wx + b − b) at " + i);
		}
	}
}
