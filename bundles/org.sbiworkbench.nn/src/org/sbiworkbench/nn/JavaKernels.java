package org.sbiworkbench.nn;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Pure-Java kernels. Loops are ordered so the innermost runs over contiguous
 * memory with no dependency between iterations, which the JIT turns into SIMD
 * code; large products are split over the cores by rows of C.
 */
public final class JavaKernels implements Kernels {

	/** Below this many multiply-adds a product stays on the calling thread. */
	private static final long PARALLEL_WORK = 1L << 20;

	private final ForkJoinPool pool;

	/** Uses the common pool for large products. */
	public JavaKernels() {
		this(ForkJoinPool.commonPool());
	}

	public JavaKernels(ForkJoinPool pool) {
		this.pool = pool;
	}

	@Override
	public String name() {
		return "java";
	}

	@Override
	public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
		if (!accumulate) {
			Arrays.fill(c, 0, m * n, 0f);
		}
		// A·Bᵀ as dot products would be reductions the JIT does not vectorise (float order is strict);
		// transposing B once (to k×n) turns it into the SAXPY form, which it does.
		float[] bk = transB ? transpose(b, n, k) : b;
		long work = (long) m * n * k;
		int threads = pool.getParallelism();
		if (work < PARALLEL_WORK || threads < 2 || m < 2) {
			rows(transA, false, 0, m, m, n, k, a, bk, c);
			return;
		}
		int blocks = Math.min(m, threads * 2);
		pool.invoke(new RecursiveAction() {
			private static final long serialVersionUID = 1L;

			@Override
			protected void compute() {
				RecursiveAction[] tasks = new RecursiveAction[blocks];
				for (int t = 0; t < blocks; t++) {
					int from = (int) ((long) m * t / blocks);
					int to = (int) ((long) m * (t + 1) / blocks);
					tasks[t] = new RecursiveAction() {
						private static final long serialVersionUID = 1L;

						@Override
						protected void compute() {
							rows(transA, false, from, to, m, n, k, a, bk, c);
						}
					};
				}
				invokeAll(tasks);
			}
		});
	}

	private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

	/** The transpose of a rows×cols matrix, in a per-thread buffer. */
	private static float[] transpose(float[] x, int rows, int cols) {
		float[] t = SCRATCH.get();
		if (t.length < rows * cols) {
			t = new float[rows * cols];
			SCRATCH.set(t);
		}
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < cols; c++) {
				t[c * rows + r] = x[r * cols + c];
			}
		}
		return t;
	}

	/** Rows [from, to) of C. */
	static void rows(boolean transA, boolean transB, int from, int to, int m, int n, int k, float[] a, float[] b, float[] c) {
		if (!transB) {
			// C[i,:] += A[i,p] · B[p,:]: the inner loop is a SAXPY over a row of B.
			// Four rows of C at a time share each load of B's row.
			int i0 = from;
			for (; i0 + 3 < to; i0 += 4) {
				int c0 = i0 * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
				for (int p = 0; p < k; p++) {
					float a0 = transA ? a[p * m + i0] : a[i0 * k + p];
					float a1 = transA ? a[p * m + i0 + 1] : a[(i0 + 1) * k + p];
					float a2 = transA ? a[p * m + i0 + 2] : a[(i0 + 2) * k + p];
					float a3 = transA ? a[p * m + i0 + 3] : a[(i0 + 3) * k + p];
					int bp = p * n;
					for (int j = 0; j < n; j++) {
						float bj = b[bp + j];
						c[c0 + j] += a0 * bj;
						c[c1 + j] += a1 * bj;
						c[c2 + j] += a2 * bj;
						c[c3 + j] += a3 * bj;
					}
				}
			}
			for (int i = i0; i < to; i++) {
				int ci = i * n;
				for (int p = 0; p < k; p++) {
					float aip = transA ? a[p * m + i] : a[i * k + p];
					if (aip == 0f) {
						continue;
					}
					int bp = p * n;
					for (int j = 0; j < n; j++) {
						c[ci + j] += aip * b[bp + j];
					}
				}
			}
		} else if (!transA) {
			// C[i,j] += A[i,:] · B[j,:]: dot products of contiguous rows.
			for (int i = from; i < to; i++) {
				int ai = i * k;
				int ci = i * n;
				for (int j = 0; j < n; j++) {
					int bj = j * k;
					float s = 0f;
					for (int p = 0; p < k; p++) {
						s += a[ai + p] * b[bj + p];
					}
					c[ci + j] += s;
				}
			}
		} else {
			// Both transposed (rare): C[i,j] += Σ_p A[p,i] B[j,p].
			for (int i = from; i < to; i++) {
				for (int j = 0; j < n; j++) {
					float s = 0f;
					for (int p = 0; p < k; p++) {
						s += a[p * m + i] * b[j * k + p];
					}
					c[i * n + j] += s;
				}
			}
		}
	}
}
