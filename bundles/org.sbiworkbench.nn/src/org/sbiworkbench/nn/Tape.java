package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Records whole-batch operations as they run and differentiates them in
 * reverse. A network is written forward with these operations only; the tape
 * knows each one's derivative, so new networks need no backward pass.
 * <p>
 * One tape per thread and per step: {@link #reset()} it between steps and it
 * hands out the same buffers again, so a training loop allocates nothing after
 * its first step.
 */
public final class Tape {

	private final Kernels kernels;
	private final boolean privateGradients;
	private final List<Tensor> nodes = new ArrayList<>();
	private final List<float[]> values = new ArrayList<>();
	private final List<float[]> grads = new ArrayList<>();
	private int nextValue;
	private int nextGrad;

	public Tape(Kernels kernels) {
		this(kernels, false);
	}

	/**
	 * @param privateGradients when true, variables' gradients stay on this tape until
	 *                         {@link #addVariableGradients()}: several tapes can then run backward
	 *                         on the same network in parallel (data-parallel training)
	 */
	public Tape(Kernels kernels, boolean privateGradients) {
		this.kernels = kernels;
		this.privateGradients = privateGradients;
	}

	public Tape() {
		this(new JavaKernels());
	}

	public Kernels kernels() {
		return kernels;
	}

	/** Forgets all tensors; their buffers are reused by the next step. */
	public void reset() {
		nodes.clear();
		nextValue = 0;
		nextGrad = 0;
	}

	private static float[] take(List<float[]> pool, int index, int n) {
		if (index < pool.size()) {
			float[] b = pool.get(index);
			if (b.length == n) {
				Arrays.fill(b, 0f);
				return b;
			}
			float[] fresh = new float[n];
			pool.set(index, fresh);
			return fresh;
		}
		float[] fresh = new float[n];
		pool.add(fresh);
		return fresh;
	}

	private Tensor result(int rows, int cols, boolean needsGrad) {
		Tensor t = new Tensor(rows, cols, take(values, nextValue++, rows * cols), needsGrad);
		nodes.add(t);
		return t;
	}

	private static float[] grad(Tensor t) {
		return t.grad;
	}

	// ---- leaves ----

	/** A constant input (no gradient), copied from {@code data}. */
	public Tensor constant(float[] data, int rows, int cols) {
		return constant(data, 0, rows, cols);
	}

	/** A constant input copied from {@code data} starting at {@code offset} (e.g. one shard of a batch). */
	public Tensor constant(float[] data, int offset, int rows, int cols) {
		if (offset < 0 || data.length - offset < rows * cols) {
			throw new IllegalArgumentException("constant: " + (data.length - offset) + " values from offset " + offset + " for a "
					+ rows + "×" + cols + " tensor");
		}
		Tensor t = result(rows, cols, false);
		System.arraycopy(data, offset, t.value, 0, rows * cols);
		return t;
	}

	/** A constant input that the caller wants the gradient of (e.g. ∂ log q / ∂θ). */
	public Tensor input(float[] data, int rows, int cols) {
		Tensor t = new Tensor(rows, cols, take(values, nextValue++, rows * cols), true);
		System.arraycopy(data, 0, t.value, 0, rows * cols);
		nodes.add(t);
		return t;
	}

	/** A variable's current value; backward accumulates into its gradient. */
	public Tensor use(Variable v) {
		Tensor t = new Tensor(v.rows(), v.cols(), v.value, true);
		t.variable = v;
		nodes.add(t);
		return t;
	}

	// ---- products ----

	/** a·b: (m×k)·(k×n). */
	public Tensor matmul(Tensor a, Tensor b) {
		if (a.cols != b.rows) {
			throw new IllegalArgumentException("matmul: " + a + " · " + b);
		}
		int m = a.rows, k = a.cols, n = b.cols;
		Tensor c = result(m, n, a.needsGrad || b.needsGrad);
		kernels.gemm(false, false, m, n, k, a.value, b.value, c.value, false);
		c.backward = () -> {
			if (a.needsGrad) {
				kernels.gemm(false, true, m, k, n, c.grad, b.value, grad(a), true);
			}
			if (b.needsGrad) {
				kernels.gemm(true, false, k, n, m, a.value, c.grad, grad(b), true);
			}
		};
		return c;
	}

	/** x·W + b for a batch x (m×k), weights W (k×n) and a bias row b (1×n). */
	public Tensor linear(Tensor x, Tensor w, Tensor b) {
		return addRow(matmul(x, w), b);
	}

	// ---- elementwise, binary ----

	/** a + row, the 1×n row added to every row of a. */
	public Tensor addRow(Tensor a, Tensor row) {
		if (row.rows != 1 || row.cols != a.cols) {
			throw new IllegalArgumentException("addRow: " + a + " + " + row);
		}
		int m = a.rows, n = a.cols;
		Tensor c = result(m, n, a.needsGrad || row.needsGrad);
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				c.value[i * n + j] = a.value[i * n + j] + row.value[j];
			}
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < m * n; i++) {
					ga[i] += c.grad[i];
				}
			}
			if (row.needsGrad) {
				float[] gr = grad(row);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < n; j++) {
						gr[j] += c.grad[i * n + j];
					}
				}
			}
		};
		return c;
	}

	public Tensor add(Tensor a, Tensor b) {
		return binary(a, b, 0);
	}

	public Tensor sub(Tensor a, Tensor b) {
		return binary(a, b, 1);
	}

	public Tensor mul(Tensor a, Tensor b) {
		return binary(a, b, 2);
	}

	private Tensor binary(Tensor a, Tensor b, int kind) {
		if (a.rows != b.rows || a.cols != b.cols) {
			throw new IllegalArgumentException((kind == 0 ? "add" : kind == 1 ? "sub" : "mul") + ": " + a + " and " + b);
		}
		int size = a.rows * a.cols;
		Tensor c = result(a.rows, a.cols, a.needsGrad || b.needsGrad);
		float[] x = a.value, y = b.value, z = c.value;
		switch (kind) {
		case 0 -> {
			for (int i = 0; i < size; i++) {
				z[i] = x[i] + y[i];
			}
		}
		case 1 -> {
			for (int i = 0; i < size; i++) {
				z[i] = x[i] - y[i];
			}
		}
		default -> {
			for (int i = 0; i < size; i++) {
				z[i] = x[i] * y[i];
			}
		}
		}
		c.backward = () -> {
			float[] g = c.grad;
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < size; i++) {
					ga[i] += kind == 2 ? g[i] * y[i] : g[i];
				}
			}
			if (b.needsGrad) {
				float[] gb = grad(b);
				for (int i = 0; i < size; i++) {
					gb[i] += kind == 0 ? g[i] : kind == 1 ? -g[i] : g[i] * x[i];
				}
			}
		};
		return c;
	}

	// ---- elementwise, unary ----

	private interface Derivative {
		/** d f(x)/dx given x and y = f(x). */
		float at(float x, float y);
	}

	private interface Function {
		float at(float x);
	}

	private Tensor unary(Tensor a, Function f, Derivative d) {
		int size = a.rows * a.cols;
		Tensor c = result(a.rows, a.cols, a.needsGrad);
		for (int i = 0; i < size; i++) {
			c.value[i] = f.at(a.value[i]);
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < size; i++) {
					ga[i] += c.grad[i] * d.at(a.value[i], c.value[i]);
				}
			}
		};
		return c;
	}

	public Tensor tanh(Tensor a) {
		return unary(a, x -> (float) Math.tanh(x), (x, y) -> 1 - y * y);
	}

	public Tensor relu(Tensor a) {
		return unary(a, x -> x > 0 ? x : 0, (x, y) -> x > 0 ? 1 : 0);
	}

	public Tensor sigmoid(Tensor a) {
		return unary(a, x -> (float) (1 / (1 + Math.exp(-x))), (x, y) -> y * (1 - y));
	}

	/** log(1 + e^x), computed without overflow. */
	public Tensor softplus(Tensor a) {
		return unary(a, Tape::softplus, (x, y) -> (float) (1 / (1 + Math.exp(-x))));
	}

	static float softplus(float x) {
		return x > 20 ? x : x < -20 ? (float) Math.exp(x) : (float) Math.log1p(Math.exp(x));
	}

	public Tensor exp(Tensor a) {
		return unary(a, x -> (float) Math.exp(x), (x, y) -> y);
	}

	public Tensor log(Tensor a) {
		return unary(a, x -> (float) Math.log(x), (x, y) -> 1 / x);
	}

	public Tensor square(Tensor a) {
		return unary(a, x -> x * x, (x, y) -> 2 * x);
	}

	public Tensor scale(Tensor a, float s) {
		return unary(a, x -> s * x, (x, y) -> s);
	}

	public Tensor addScalar(Tensor a, float s) {
		return unary(a, x -> x + s, (x, y) -> 1);
	}

	// ---- reductions and reshaping ----

	/** Row sums: (m×n) → (m×1). */
	public Tensor sumCols(Tensor a) {
		int m = a.rows, n = a.cols;
		Tensor c = result(m, 1, a.needsGrad);
		for (int i = 0; i < m; i++) {
			float s = 0;
			for (int j = 0; j < n; j++) {
				s += a.value[i * n + j];
			}
			c.value[i] = s;
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < n; j++) {
						ga[i * n + j] += c.grad[i];
					}
				}
			}
		};
		return c;
	}

	/** Column sums: (m×n) → (1×n). */
	public Tensor sumRowsToOne(Tensor a) {
		int m = a.rows, n = a.cols;
		Tensor c = result(1, n, a.needsGrad);
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				c.value[j] += a.value[i * n + j];
			}
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < n; j++) {
						ga[i * n + j] += c.grad[j];
					}
				}
			}
		};
		return c;
	}

	/** log Σ_j exp(a_ij) per row, stable: (m×n) → (m×1). */
	public Tensor logSumExpCols(Tensor a) {
		int m = a.rows, n = a.cols;
		Tensor c = result(m, 1, a.needsGrad);
		for (int i = 0; i < m; i++) {
			float max = Float.NEGATIVE_INFINITY;
			for (int j = 0; j < n; j++) {
				max = Math.max(max, a.value[i * n + j]);
			}
			double s = 0;
			for (int j = 0; j < n; j++) {
				s += Math.exp(a.value[i * n + j] - max);
			}
			c.value[i] = (float) (max + Math.log(s));
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < n; j++) {
						ga[i * n + j] += c.grad[i] * (float) Math.exp(a.value[i * n + j] - c.value[i]);
					}
				}
			}
		};
		return c;
	}

	/** The mean of all elements: → 1×1. */
	public Tensor mean(Tensor a) {
		int size = a.rows * a.cols;
		Tensor c = result(1, 1, a.needsGrad);
		double s = 0;
		for (int i = 0; i < size; i++) {
			s += a.value[i];
		}
		c.value[0] = (float) (s / size);
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				float g = c.grad[0] / size;
				for (int i = 0; i < size; i++) {
					ga[i] += g;
				}
			}
		};
		return c;
	}

	/** Columns side by side: (m×p), (m×q) → (m×(p+q)). */
	public Tensor concatCols(Tensor a, Tensor b) {
		if (a.rows != b.rows) {
			throw new IllegalArgumentException("concatCols: " + a + " and " + b);
		}
		int m = a.rows, p = a.cols, q = b.cols, n = p + q;
		Tensor c = result(m, n, a.needsGrad || b.needsGrad);
		for (int i = 0; i < m; i++) {
			System.arraycopy(a.value, i * p, c.value, i * n, p);
			System.arraycopy(b.value, i * q, c.value, i * n + p, q);
		}
		c.backward = () -> {
			for (int i = 0; i < m; i++) {
				if (a.needsGrad) {
					float[] ga = grad(a);
					for (int j = 0; j < p; j++) {
						ga[i * p + j] += c.grad[i * n + j];
					}
				}
				if (b.needsGrad) {
					float[] gb = grad(b);
					for (int j = 0; j < q; j++) {
						gb[i * q + j] += c.grad[i * n + p + j];
					}
				}
			}
		};
		return c;
	}

	/** The same values, row-major, viewed as rows×cols (rows·cols must equal a's size). */
	public Tensor reshape(Tensor a, int rows, int cols) {
		int size = a.rows * a.cols;
		if (rows * cols != size) {
			throw new IllegalArgumentException("reshape: " + a + " to " + rows + "×" + cols);
		}
		Tensor c = result(rows, cols, a.needsGrad);
		System.arraycopy(a.value, 0, c.value, 0, size);
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < size; i++) {
					ga[i] += c.grad[i];
				}
			}
		};
		return c;
	}

	/**
	 * Batched upper-triangular matrix–vector products, one matrix per row and
	 * block: v's columns form blocks of {@code dim}; for row i and block b,
	 * out_b = U·v_b, where the dim×dim upper-triangular U of that row and block
	 * is packed row by row — (0,0), (0,1), …, (0,dim−1), (1,1), …, (dim−1,dim−1)
	 * — in columns [b·T, (b+1)·T) of {@code packed}, T = dim(dim+1)/2.
	 * (Mixture density networks: one Cholesky factor per example and component.)
	 */
	public Tensor upperTriangularMatVec(Tensor packed, Tensor v, int dim) {
		int tri = dim * (dim + 1) / 2;
		if (dim < 1 || v.cols % dim != 0 || packed.rows != v.rows || packed.cols != v.cols / dim * tri) {
			throw new IllegalArgumentException("upperTriangularMatVec: " + packed + " and " + v + " with blocks of " + dim);
		}
		int m = v.rows, n = v.cols, p = packed.cols, blocks = n / dim;
		Tensor c = result(m, n, packed.needsGrad || v.needsGrad);
		float[] u = packed.value, x = v.value, y = c.value;
		for (int i = 0; i < m; i++) {
			for (int b = 0; b < blocks; b++) {
				int q = i * p + b * tri, base = i * n + b * dim;
				for (int r = 0; r < dim; r++) {
					float s = 0;
					for (int col = r; col < dim; col++) {
						s += u[q++] * x[base + col];
					}
					y[base + r] = s;
				}
			}
		}
		c.backward = () -> {
			float[] g = c.grad;
			float[] gu = packed.needsGrad ? grad(packed) : null;
			float[] gx = v.needsGrad ? grad(v) : null;
			for (int i = 0; i < m; i++) {
				for (int b = 0; b < blocks; b++) {
					int q = i * p + b * tri, base = i * n + b * dim;
					for (int r = 0; r < dim; r++) {
						float gr = g[base + r];
						for (int col = r; col < dim; col++, q++) {
							if (gu != null) {
								gu[q] += gr * x[base + col];
							}
							if (gx != null) {
								gx[base + col] += gr * u[q];
							}
						}
					}
				}
			}
		};
		return c;
	}

	/** Columns [from, to) of a. */
	public Tensor sliceCols(Tensor a, int from, int to) {
		return gatherCols(a, to - from, j -> from + j);
	}

	/** Column j of the result is column index(j) of a (permutations, strided picks). */
	public Tensor gatherCols(Tensor a, int width, IntUnaryOperator index) {
		int m = a.rows, n = a.cols;
		int[] idx = new int[width];
		for (int j = 0; j < width; j++) {
			idx[j] = index.applyAsInt(j);
			if (idx[j] < 0 || idx[j] >= n) {
				throw new IllegalArgumentException("gatherCols: column " + idx[j] + " of " + a);
			}
		}
		Tensor c = result(m, width, a.needsGrad);
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < width; j++) {
				c.value[i * width + j] = a.value[i * n + idx[j]];
			}
		}
		c.backward = () -> {
			if (a.needsGrad) {
				float[] ga = grad(a);
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < width; j++) {
						ga[i * n + idx[j]] += c.grad[i * width + j];
					}
				}
			}
		};
		return c;
	}

	/**
	 * An operation with a hand-written derivative, for fused kernels (e.g.
	 * rational-quadratic splines) that would be slow as many small operations.
	 * {@code forward} fills the output; {@code backward} adds to the inputs'
	 * gradients given the output's gradient. Both are checked against finite
	 * differences in the tests of the networks that use them.
	 */
	public interface Custom {
		void forward(Tensor[] inputs, float[] out);

		void backward(Tensor[] inputs, float[] out, float[] outGrad, float[][] inputGrads);
	}

	public Tensor custom(int rows, int cols, Custom op, Tensor... inputs) {
		boolean needs = false;
		for (Tensor t : inputs) {
			needs |= t.needsGrad;
		}
		Tensor c = result(rows, cols, needs);
		op.forward(inputs, c.value);
		c.backward = () -> {
			float[][] grads = new float[inputs.length][];
			for (int i = 0; i < inputs.length; i++) {
				grads[i] = inputs[i].needsGrad ? grad(inputs[i]) : null;
			}
			op.backward(inputs, c.value, c.grad, grads);
		};
		return c;
	}

	// ---- sequences: 1-D convolution and pooling ----
	//
	// A batch of sequences is an n×(length·channels) tensor, one sequence per
	// row, laid out [time][channel] in C order: the channels of time step 0,
	// then those of step 1, and so on. Every operation here returns the same
	// layout, so they stack.

	/**
	 * The number of windows of a convolution or pooling:
	 * ⌊(length + 2·padding − window) / stride⌋ + 1.
	 */
	public static int slidingLength(int length, int window, int stride, int padding) {
		if (length < 1 || window < 1 || stride < 1 || padding < 0 || padding >= window) {
			throw new IllegalArgumentException("sliding window: length " + length + ", window " + window + ", stride " + stride
					+ ", padding " + padding + " (need positive sizes and 0 ≤ padding < window)");
		}
		if (length + 2 * padding < window) {
			throw new IllegalArgumentException("sliding window: a window of " + window + " does not fit a sequence of " + length
					+ " with padding " + padding);
		}
		return (length + 2 * padding - window) / stride + 1;
	}

	private static void checkSequences(String op, Tensor x, int length, int channels) {
		if (channels < 1 || length < 1 || x.cols != length * channels) {
			throw new IllegalArgumentException(op + ": " + x + " is not a batch of sequences of length " + length + " with " + channels
					+ " channels");
		}
	}

	/**
	 * The windows of a batch of sequences as rows ("im2col"), so a convolution
	 * is one matrix product. For x (n×(length·channels), [time][channel]) and
	 * L' = {@link #slidingLength}(length, kernelSize, stride, padding), the
	 * result is (n·L')×(kernelSize·channels): row i·L' + t holds the window of
	 * sequence i that starts at time s = t·stride − padding, column k·channels + c
	 * being x_i[s + k][c], or 0 where s + k is outside [0, length) (zero padding).
	 * A gather: its derivative scatters the gradient back, adding where windows
	 * overlap.
	 */
	public Tensor im2col1d(Tensor x, int length, int channels, int kernelSize, int stride, int padding) {
		checkSequences("im2col1d", x, length, channels);
		int outLength = slidingLength(length, kernelSize, stride, padding);
		int width = kernelSize * channels;
		int per = outLength * width;
		// The source column of each output entry of one sequence (−1 for padding); the same for every row.
		int[] source = new int[per];
		for (int t = 0; t < outLength; t++) {
			for (int k = 0; k < kernelSize; k++) {
				int time = t * stride - padding + k;
				for (int c = 0; c < channels; c++) {
					source[t * width + k * channels + c] = time >= 0 && time < length ? time * channels + c : -1;
				}
			}
		}
		int n = x.rows, in = x.cols;
		Tensor out = result(n * outLength, width, x.needsGrad);
		for (int i = 0; i < n; i++) {
			int from = i * in, to = i * per;
			for (int j = 0; j < per; j++) {
				int s = source[j];
				if (s >= 0) {
					out.value[to + j] = x.value[from + s];
				}
			}
		}
		out.backward = () -> {
			if (x.needsGrad) {
				float[] gx = grad(x);
				for (int i = 0; i < n; i++) {
					int from = i * in, to = i * per;
					for (int j = 0; j < per; j++) {
						int s = source[j];
						if (s >= 0) {
							gx[from + s] += out.grad[to + j];
						}
					}
				}
			}
		};
		return out;
	}

	/**
	 * A 1-D convolution (cross-correlation, as deep-learning libraries define
	 * it) of a batch of sequences: y_i[t][o] = b[o] + Σ_{k,c} x_i[t·stride − padding + k][c] · W[k·channels + c][o],
	 * with zero padding. As {@link #im2col1d} followed by {@link #matmul} (so the
	 * product goes through {@link Kernels}) and {@link #addRow}.
	 *
	 * @param x      n×(length·channels), [time][channel]
	 * @param weight (kernelSize·channels)×outChannels, row k·channels + c (time offset major, channel minor)
	 * @param bias   1×outChannels, or null for none
	 * @return n×(L'·outChannels), [time][channel], L' = {@link #slidingLength}(length, kernelSize, stride, padding)
	 */
	public Tensor conv1d(Tensor x, int length, int channels, Tensor weight, Tensor bias, int kernelSize, int stride, int padding) {
		if (weight.rows != kernelSize * channels) {
			throw new IllegalArgumentException("conv1d: weights " + weight + " for a kernel of " + kernelSize + " over " + channels
					+ " channels (need " + kernelSize * channels + " rows)");
		}
		if (bias != null && (bias.rows != 1 || bias.cols != weight.cols)) {
			throw new IllegalArgumentException("conv1d: bias " + bias + " for " + weight.cols + " output channels");
		}
		Tensor windows = im2col1d(x, length, channels, kernelSize, stride, padding);
		Tensor y = matmul(windows, weight);
		if (bias != null) {
			y = addRow(y, bias);
		}
		return reshape(y, x.rows, windows.rows / x.rows * weight.cols);
	}

	/**
	 * Max-pooling over time, per channel, with windows of {@code size} every
	 * {@code stride} steps and no padding (a trailing partial window is
	 * dropped): n×(length·channels) → n×(L'·channels), L' = ⌊(length − size)/stride⌋ + 1.
	 * The gradient goes to the first maximum of each window.
	 */
	public Tensor maxPool1d(Tensor x, int length, int channels, int size, int stride) {
		return pool1d("maxPool1d", x, length, channels, size, stride, true);
	}

	/** Average-pooling over time, per channel; windows as {@link #maxPool1d}. */
	public Tensor avgPool1d(Tensor x, int length, int channels, int size, int stride) {
		return pool1d("avgPool1d", x, length, channels, size, stride, false);
	}

	private Tensor pool1d(String op, Tensor x, int length, int channels, int size, int stride, boolean max) {
		checkSequences(op, x, length, channels);
		int outLength = slidingLength(length, size, stride, 0);
		int n = x.rows, in = x.cols, outCols = outLength * channels;
		Tensor out = result(n, outCols, x.needsGrad);
		// For max: the source column of each output (the window's first maximum).
		int[] argmax = max ? new int[n * outCols] : null;
		float inv = 1f / size;
		for (int i = 0; i < n; i++) {
			for (int t = 0; t < outLength; t++) {
				for (int c = 0; c < channels; c++) {
					int first = t * stride * channels + c;
					int o = i * outCols + t * channels + c;
					if (max) {
						int best = first;
						float m = x.value[i * in + first];
						for (int k = 1; k < size; k++) {
							int s = first + k * channels;
							if (x.value[i * in + s] > m) {
								m = x.value[i * in + s];
								best = s;
							}
						}
						out.value[o] = m;
						argmax[o] = best;
					} else {
						float s = 0;
						for (int k = 0; k < size; k++) {
							s += x.value[i * in + first + k * channels];
						}
						out.value[o] = s * inv;
					}
				}
			}
		}
		out.backward = () -> {
			if (x.needsGrad) {
				float[] gx = grad(x);
				for (int i = 0; i < n; i++) {
					for (int t = 0; t < outLength; t++) {
						for (int c = 0; c < channels; c++) {
							int o = i * outCols + t * channels + c;
							if (max) {
								gx[i * in + argmax[o]] += out.grad[o];
							} else {
								int first = t * stride * channels + c;
								float g = out.grad[o] * inv;
								for (int k = 0; k < size; k++) {
									gx[i * in + first + k * channels] += g;
								}
							}
						}
					}
				}
			}
		};
		return out;
	}

	// ---- differentiation ----

	/** With private gradients: adds this tape's gradients into the variables' (call from one thread at a time). */
	public void addVariableGradients() {
		for (Tensor t : nodes) {
			if (t.variable != null && t.grad != null && t.grad != t.variable.grad) {
				float[] g = t.variable.grad;
				for (int i = 0; i < g.length; i++) {
					g[i] += t.grad[i];
				}
			}
		}
	}

	/**
	 * Back-propagates from {@code loss} (1×1, or any tensor seeded with ones):
	 * every tensor that needs a gradient gets one, and variables accumulate
	 * theirs (call {@link Variable#zeroGradient()} between steps).
	 */
	public void backward(Tensor loss) {
		int from = nodes.indexOf(loss);
		if (from < 0) {
			throw new IllegalArgumentException("backward: the loss is not on this tape");
		}
		nextGrad = 0;
		for (Tensor t : nodes) {
			t.grad = null;
		}
		for (int i = 0; i <= from; i++) {
			Tensor t = nodes.get(i);
			if (t.needsGrad) {
				t.grad = t.variable != null && !privateGradients ? t.variable.grad : take(grads, nextGrad++, t.rows * t.cols);
			}
		}
		if (!loss.needsGrad) {
			return;
		}
		// Variables accumulate across backward calls; intermediate gradients start from zero.
		float[] seed = loss.grad;
		for (int i = 0; i < loss.rows * loss.cols; i++) {
			seed[i] += 1f;
		}
		for (int i = from; i >= 0; i--) {
			Tensor t = nodes.get(i);
			if (t.backward != null && t.needsGrad) {
				t.backward.run();
			}
		}
	}
}
