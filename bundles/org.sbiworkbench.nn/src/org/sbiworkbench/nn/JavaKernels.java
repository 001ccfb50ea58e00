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
		long work = (long) m * n * k;
		int threads = pool.getParallelism();
		if (work < PARALLEL_WORK || threads < 2 || m < 2) {
			rows(transA, transB, 0, m, m, n, k, a, b, c);
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
							rows(transA, transB, from, to, m, n, k, a, b, c);
						}
					};
				}
				invokeAll(tasks);
			}
		});
	}

	/** Rows [from, to) of C. */
	static void rows(boolean transA, boolean transB, int from, int to, int m, int n, int k, float[] a, float[] b, float[] c) {
		if (!transB) {
			// C[i,:] += A[i,p] · B[p,:]: the inner loop is a SAXPY over a row of B.
			for (int i = from; i < to; i++) {
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
