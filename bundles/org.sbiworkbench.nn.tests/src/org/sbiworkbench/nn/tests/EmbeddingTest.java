package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.ConvolutionalEmbedding;
import org.sbiworkbench.nn.ConvolutionalEmbedding.Pooling;
import org.sbiworkbench.nn.EmbeddedDensity;
import org.sbiworkbench.nn.Embedding;
import org.sbiworkbench.nn.FullyConnectedEmbedding;
import org.sbiworkbench.nn.MaskedAutoregressiveFlow;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

/**
 * Convolution and pooling against direct loops; embeddings and an embedded
 * density against finite differences; the embedded density's wiring.
 */
class EmbeddingTest {

	private static float[] uniform(int n, long seed) {
		Well19937c r = new Well19937c(seed);
		float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			a[i] = (float) (2 * r.nextDouble() - 1);
		}
		return a;
	}

	private static Variable variable(String name, int rows, int cols, long seed) {
		Variable v = new Variable(name, rows, cols);
		System.arraycopy(uniform(rows * cols, seed), 0, v.values(), 0, rows * cols);
		return v;
	}

	/** y[i][t][o] = b[o] + Σ_{k,c} x[i][t·stride − padding + k][c] · w[k·C + c][o], in double, straight from the definition. */
	private static double[] directConv(float[] x, int n, int length, int channels, float[] w, float[] b, int kernel, int out, int stride,
			int padding) {
		int outLength = (length + 2 * padding - kernel) / stride + 1;
		double[] y = new double[n * outLength * out];
		for (int i = 0; i < n; i++) {
			for (int t = 0; t < outLength; t++) {
				for (int o = 0; o < out; o++) {
					double s = b == null ? 0 : b[o];
					for (int k = 0; k < kernel; k++) {
						int time = t * stride - padding + k;
						if (time < 0 || time >= length) {
							continue;
						}
						for (int c = 0; c < channels; c++) {
							s += (double) x[(i * length + time) * channels + c] * w[(k * channels + c) * out + o];
						}
					}
					y[(i * outLength + t) * out + o] = s;
				}
			}
		}
		return y;
	}

	@Test
	void conv1dMatchesADirectLoop() {
		int n = 3, length = 11, channels = 2, out = 3;
		float[] x = uniform(n * length * channels, 1);
		for (int[] ksp : new int[][] { { 1, 1, 0 }, { 3, 1, 1 }, { 4, 1, 0 }, { 4, 2, 1 }, { 5, 3, 2 }, { 11, 1, 0 }, { 2, 5, 1 } }) {
			int kernel = ksp[0], stride = ksp[1], padding = ksp[2];
			float[] w = uniform(kernel * channels * out, 2 + kernel);
			float[] b = uniform(out, 3);
			for (boolean withBias : new boolean[] { true, false }) {
				Tape tape = new Tape();
				Tensor y = tape.conv1d(tape.constant(x, n, length * channels), length, channels, tape.constant(w, kernel * channels, out),
						withBias ? tape.constant(b, 1, out) : null, kernel, stride, padding);
				double[] expected = directConv(x, n, length, channels, w, withBias ? b : null, kernel, out, stride, padding);
				int outLength = Tape.slidingLength(length, kernel, stride, padding);
				String what = "kernel " + kernel + ", stride " + stride + ", padding " + padding + (withBias ? "" : ", no bias");
				assertEquals(n, y.rows(), what);
				assertEquals(outLength * out, y.cols(), what);
				assertEquals(expected.length, y.rows() * y.cols(), what);
				float[] actual = y.toArray();
				for (int i = 0; i < expected.length; i++) {
					assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + ", entry " + i);
				}
			}
		}
	}

	@Test
	void poolingMatchesADirectLoop() {
		int n = 2, length = 9, channels = 3;
		float[] x = uniform(n * length * channels, 4);
		for (int[] ss : new int[][] { { 2, 2 }, { 3, 2 }, { 2, 3 }, { 9, 1 }, { 1, 1 } }) {
			int size = ss[0], stride = ss[1], outLength = (length - size) / stride + 1;
			Tape tape = new Tape();
			float[] max = tape.maxPool1d(tape.constant(x, n, length * channels), length, channels, size, stride).toArray();
			float[] avg = tape.avgPool1d(tape.constant(x, n, length * channels), length, channels, size, stride).toArray();
			assertEquals(n * outLength * channels, max.length);
			for (int i = 0; i < n; i++) {
				for (int t = 0; t < outLength; t++) {
					for (int c = 0; c < channels; c++) {
						double m = Double.NEGATIVE_INFINITY, s = 0;
						for (int k = 0; k < size; k++) {
							float v = x[(i * length + t * stride + k) * channels + c];
							m = Math.max(m, v);
							s += v;
						}
						int o = (i * outLength + t) * channels + c;
						assertEquals(m, max[o], 0, "max, size " + size + ", stride " + stride);
						assertEquals(s / size, avg[o], 1e-6, "average, size " + size + ", stride " + stride);
					}
				}
			}
		}
	}

	@Test
	void slidingWindowsThatDoNotFitAreRejected() {
		assertEquals(5, Tape.slidingLength(9, 2, 2, 1));
		assertEquals(1, Tape.slidingLength(3, 5, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> Tape.slidingLength(3, 5, 1, 0));
		assertThrows(IllegalArgumentException.class, () -> Tape.slidingLength(3, 2, 1, 2));
		Tape tape = new Tape();
		Tensor x = tape.constant(new float[12], 2, 6);
		assertThrows(IllegalArgumentException.class, () -> tape.conv1d(x, 4, 2, tape.constant(new float[6], 3, 2), null, 2, 1, 0));
		assertThrows(IllegalArgumentException.class, () -> tape.maxPool1d(x, 4, 1, 2, 2));
		assertThrows(IllegalArgumentException.class,
				() -> new ConvolutionalEmbedding(6, 1, new int[] { 2, 2, 2 }, 3, 1, Pooling.MAX, 2, new int[0], 2, Activation.RELU, new Well19937c(1)));
	}

	/**
	 * The [time][channel] layout end to end: a two-channel series whose
	 * channel 0 is the time index and channel 1 is −1 everywhere; a kernel-1
	 * convolution that copies channel 0 gives back 0, 1, 2, ...
	 */
	@Test
	void sequencesAreTimeMajor() {
		int length = 5;
		float[] x = new float[length * 2];
		for (int t = 0; t < length; t++) {
			x[2 * t] = t;
			x[2 * t + 1] = -1;
		}
		Tape tape = new Tape();
		Tensor y = tape.conv1d(tape.constant(x, 1, length * 2), length, 2, tape.constant(new float[] { 1, 0 }, 2, 1), null, 1, 1, 0);
		assertArrayEquals(new float[] { 0, 1, 2, 3, 4 }, y.toArray());
	}

	@Test
	void shapesAndParameterCounts() {
		// the default (after sbi's CNNEmbedding) on 20 steps: conv 1→6 (k 5, same length), pool → 10, conv 6→12, pool → 5, 60 → 50 → 4
		ConvolutionalEmbedding conv = new ConvolutionalEmbedding(20, 1, 4, new Well19937c(1));
		assertEquals(20, conv.inputDimension());
		assertEquals(4, conv.outputDimension());
		assertEquals(5 * 12, conv.featureLength());
		assertEquals((5 * 1 * 6 + 6) + (5 * 6 * 12 + 12) + (60 * 50 + 50) + (50 * 4 + 4), conv.parameterCount());
		// stride 2, even kernel (padding 1), no pooling: 9 → 4 → 2 steps
		ConvolutionalEmbedding strided = new ConvolutionalEmbedding(9, 2, new int[] { 3, 5 }, 4, 2, Pooling.NONE, 0, new int[0], 2,
				Activation.TANH, new Well19937c(2));
		assertEquals(18, strided.inputDimension());
		assertEquals(2 * 5, strided.featureLength());
		Tape tape = new Tape();
		Tensor out = strided.apply(tape, tape.constant(uniform(7 * 18, 3), 7, 18));
		assertEquals(List.of(7, 2), List.of(out.rows(), out.cols()));
		FullyConnectedEmbedding fc = new FullyConnectedEmbedding(20, 4, new Well19937c(4));
		assertEquals((20 * 50 + 50) + (50 * 50 + 50) + (50 * 4 + 4), fc.parameterCount());
	}

	/**
	 * d Σ(e(x) ⊙ R) / d(every variable and x) against finite differences. A
	 * sum, not a mean: the derivatives are then of order one, well above the
	 * check's absolute tolerance of 2e-3 (with a mean over 15 outputs, a
	 * scatter that drops overlapping windows' contributions to ∂/∂x passed).
	 */
	private static void checkEmbedding(String what, Embedding e, int n, boolean piecewise) {
		Variable x = variable("x", n, e.inputDimension(), 10);
		float[] r = uniform(n * e.outputDimension(), 11);
		List<Variable> vars = new ArrayList<>(e.variables());
		vars.add(x);
		java.util.function.Function<Tape, Tensor> loss = tape -> tape
				.sumCols(tape.sumRowsToOne(tape.mul(e.apply(tape, tape.use(x)), tape.constant(r, n, e.outputDimension()))));
		if (piecewise) {
			GradientCheck.checkPiecewiseSmooth(what, vars, loss, 8);
		} else {
			GradientCheck.check(what, vars, loss, 8);
		}
	}

	/**
	 * tanh, not ReLU, inside the networks: ReLU's kinks within a difference
	 * step would break the comparison (its own derivative is checked in
	 * OpsGradientTest). Max-pooling still has kinks where two entries of a
	 * window cross, hence the piecewise-smooth check for it.
	 */
	@Test
	void embeddingGradientsMatchFiniteDifferences() {
		checkEmbedding("fully connected", new FullyConnectedEmbedding(6, 3, new int[] { 8, 8 }, Activation.TANH, new Well19937c(5)), 5,
				false);
		checkEmbedding("convolutional, average pooling",
				new ConvolutionalEmbedding(9, 2, new int[] { 4, 3 }, 3, 1, Pooling.AVERAGE, 2, new int[] { 6 }, 3, Activation.TANH,
						new Well19937c(6)),
				5, false);
		checkEmbedding("convolutional, stride 2, no pooling",
				new ConvolutionalEmbedding(9, 2, new int[] { 4, 3 }, 4, 2, Pooling.NONE, 0, new int[0], 3, Activation.TANH, new Well19937c(7)),
				5, false);
		checkEmbedding("convolutional, max pooling",
				new ConvolutionalEmbedding(9, 2, new int[] { 4, 3 }, 3, 1, Pooling.MAX, 2, new int[] { 6 }, 3, Activation.TANH,
						new Well19937c(8)),
				5, true);
	}

	/**
	 * A 2-D MAF ({@link MafTest#wiggly}) on a two-layer convolutional embedding
	 * of 8 steps × 2 channels whose weights are tripled, so the features (the
	 * flow's context) vary with x enough that ∂ log q / ∂x is of order 1e-2,
	 * not 1e-3 as at the initial scale (below the gradient check's tolerance).
	 */
	private static EmbeddedDensity embeddedMaf(long seed) {
		ConvolutionalEmbedding e = new ConvolutionalEmbedding(8, 2, new int[] { 4, 4 }, 3, 1, Pooling.AVERAGE, 2, new int[] { 6 }, 3,
				Activation.TANH, new Well19937c(seed));
		for (Variable v : e.variables()) {
			float[] w = v.values();
			for (int i = 0; i < w.length; i++) {
				w[i] *= 3;
			}
		}
		return new EmbeddedDensity(MafTest.wiggly(2, 3, seed + 1), e);
	}

	/** ∂ Σ_i log q(y_i | e(x_i)) / ∂ (the flow's and the embedding's variables, and x); a sum for the reason above. */
	@Test
	void embeddedDensityGradientsMatchFiniteDifferences() {
		EmbeddedDensity q = embeddedMaf(12);
		int n = 6;
		float[] y = uniform(n * 2, 13);
		Variable x = variable("x", n, 16, 14);
		List<Variable> vars = new ArrayList<>(q.variables());
		vars.add(x);
		GradientCheck.check("MAF on a convolutional embedding", vars,
				tape -> tape.sumRowsToOne(q.logProb(tape, tape.constant(y, n, 2), tape.use(x))), 6);
	}

	@Test
	void embeddedDensityWiring() {
		EmbeddedDensity q = embeddedMaf(15);
		assertEquals(2, q.dimension());
		assertEquals(16, q.contextDimension());
		List<Variable> expected = new ArrayList<>(q.density().variables());
		expected.addAll(q.embedding().variables());
		assertEquals(expected.size(), q.variables().size());
		for (int i = 0; i < expected.size(); i++) {
			assertSame(expected.get(i), q.variables().get(i));
		}
		int n = 5;
		float[] y = uniform(n * 2, 16), x = uniform(n * 16, 17);
		// logProb(y, x) is the flow's log q(y | e(x)), exactly
		Tape tape = new Tape();
		float[] direct = q.logProb(tape, tape.constant(y, n, 2), tape.constant(x, n, 16)).toArray();
		tape.reset();
		float[] composed = q.density().logProb(tape, tape.constant(y, n, 2), q.embedding().apply(tape, tape.constant(x, n, 16))).toArray();
		assertArrayEquals(composed, direct);
		// sampling embeds x once and samples the flow
		float[] one = java.util.Arrays.copyOf(x, 16);
		float[] s = q.embed(one);
		assertEquals(3, s.length);
		float[][] a = q.sample(50, one, new Well19937c(18));
		float[][] b = q.density().sample(50, s, new Well19937c(18));
		for (int i = 0; i < a.length; i++) {
			assertArrayEquals(b[i], a[i]);
		}
		// widths must agree
		assertThrows(IllegalArgumentException.class,
				() -> new EmbeddedDensity(MaskedAutoregressiveFlow.sbiDefault(2, 4, new Well19937c(1)), q.embedding()));
		assertThrows(IllegalArgumentException.class, () -> q.embed(new float[15]));
	}

	/** Stateless: log q from several threads at once, each on its own tape, equals the sequential values. */
	@Test
	void embeddedDensityIsSafeOnSeparateTapes() throws Exception {
		EmbeddedDensity q = embeddedMaf(19);
		int n = 64, tasks = 8;
		List<float[]> ys = new ArrayList<>(), xs = new ArrayList<>(), sequential = new ArrayList<>();
		for (int k = 0; k < tasks; k++) {
			ys.add(uniform(n * 2, 100 + k));
			xs.add(uniform(n * 16, 200 + k));
			Tape tape = new Tape();
			sequential.add(q.logProb(tape, tape.constant(ys.get(k), n, 2), tape.constant(xs.get(k), n, 16)).toArray());
		}
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<float[]>> futures = new ArrayList<>();
			for (int rep = 0; rep < 4; rep++) {
				for (int k = 0; k < tasks; k++) {
					int kk = k;
					Callable<float[]> c = () -> {
						Tape tape = new Tape();
						return q.logProb(tape, tape.constant(ys.get(kk), n, 2), tape.constant(xs.get(kk), n, 16)).toArray();
					};
					futures.add(pool.submit(c));
				}
			}
			for (int f = 0; f < futures.size(); f++) {
				assertArrayEquals(sequential.get(f % tasks), futures.get(f).get());
			}
		} finally {
			pool.shutdownNow();
		}
		assertTrue(q.parameterCount() > 0);
	}
}
