package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.MixtureDensityNetwork;
import org.sbiworkbench.nn.Variable;

class MdnTest {

	/**
	 * A small MDN (10 components, three hidden layers of 16) made deliberately
	 * non-trivial: every weight scaled by 1.2 and jittered by N(0, 0.2²), so
	 * weights, covariances and correlations differ between components, and
	 * the mean head scaled by 3 so the components separate (the integration
	 * tests assert that log q differs from log φ by more than 1 nat somewhere).
	 */
	static MixtureDensityNetwork wiggly(int d, int c, boolean full, Activation activation, long seed) {
		MixtureDensityNetwork mdn = new MixtureDensityNetwork(d, c, 10, 16, 3, full, activation, new Well19937c(seed));
		Well19937c r = new Well19937c(seed + 1000);
		for (Variable v : mdn.variables()) {
			double scale = v.name().startsWith("mdn.means") ? 3 : 1;
			float[] w = v.values();
			for (int i = 0; i < w.length; i++) {
				w[i] = (float) (scale * (1.2 * w[i] + 0.2 * r.nextGaussian()));
			}
		}
		return mdn;
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
	 * differences, at points drawn from the network itself, for full and
	 * diagonal covariances and for D = 1. tanh in the hidden net: ReLU's kinks
	 * within a difference step would break the comparison (its derivative is
	 * checked in OpsGradientTest); everything else is smooth.
	 */
	@Test
	void gradientsOfTheLogDensityMatchFiniteDifferences() {
		for (Object[] shape : new Object[][] { { 3, 2, true }, { 2, 1, false }, { 1, 2, true } }) {
			int d = (Integer) shape[0], c = (Integer) shape[1], n = 8;
			boolean full = (Boolean) shape[2];
			MixtureDensityNetwork mdn = wiggly(d, c, full, Activation.TANH, 20 + d);
			float[] ctx = randn(n * c, 40 + d);
			float[] y = new float[n * d];
			Well19937c r = new Well19937c(30 + d);
			for (int i = 0; i < n; i++) {
				System.arraycopy(mdn.sample(1, Arrays.copyOfRange(ctx, i * c, (i + 1) * c), r)[0], 0, y, i * d, d);
			}
			GradientCheck.check("MDN log q (D = " + d + (full ? ", full" : ", diagonal") + ")", mdn.variables(),
					tape -> tape.mean(mdn.logProb(tape, tape.constant(y, n, d), tape.constant(ctx, n, c))), 6);
		}
	}

	@Test
	void densityIntegratesToOneIn1D() {
		MixtureDensityNetwork mdn = wiggly(1, 2, true, Activation.RELU, 7);
		float[] context = { 0.7f, -0.4f };
		DensityChecks.integratesToOne(mdn, context, -15, 15, 30_000);
		DensityChecks.assertFarFromStandardNormal(mdn, context);
	}

	@Test
	void densityIntegratesToOneIn2D() {
		for (boolean full : new boolean[] { true, false }) {
			MixtureDensityNetwork mdn = wiggly(2, 1, full, Activation.RELU, 8);
			float[] context = { 0.7f };
			DensityChecks.integratesToOne(mdn, context, -10, 10, 400);
			DensityChecks.assertFarFromStandardNormal(mdn, context);
		}
	}

	@Test
	void samplesFollowTheDensityIn1D() {
		MixtureDensityNetwork mdn = wiggly(1, 2, true, Activation.RELU, 9);
		DensityChecks.samplesFollowTheDensityIn1D(mdn, new float[] { -0.3f, 0.8f }, 20_000, -10, 10, 100, new Well19937c(10));
	}

	@Test
	void samplesFollowTheDensityIn2DAnd3D() {
		for (int d : new int[] { 2, 3 }) {
			MixtureDensityNetwork mdn = wiggly(d, 2, true, Activation.RELU, 11 + d);
			DensityChecks.importanceWeightsAverageToOne(mdn, new float[] { 0.2f, -0.5f }, 8_000, new Well19937c(12), new Well19937c(13));
		}
	}

	@Test
	void sbiDefaultsAndDeterministicSampling() {
		MixtureDensityNetwork mdn = MixtureDensityNetwork.sbiDefault(3, 4, new Well19937c(14));
		assertEquals(10, mdn.components());
		assertTrue(mdn.fullCovariance());
		// hidden 4→50→50→50; heads: logits 50→10, means 50→30, diagonal 50→30, upper 50→30
		assertEquals((4 * 50 + 50) + 2 * (50 * 50 + 50) + (50 * 10 + 10) + 3 * (50 * 30 + 30), mdn.parameterCount());
		double[] w = mdn.weights(new float[] { 0.1f, 0.2f, 0.3f, 0.4f });
		assertEquals(1, Arrays.stream(w).sum(), 1e-12);
		for (double x : w) {
			// heads start at scale 1e-2: nearly equal weights
			assertEquals(0.1, x, 0.02);
		}
		float[] ctx = { 0.5f, -1, 0, 2 };
		float[][] a = mdn.sample(30, ctx, new Well19937c(15));
		float[][] b = mdn.sample(30, ctx, new Well19937c(15));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(a[i], b[i]);
		}
	}
}
