package org.sbiworkbench.nn;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Pure-Java kernels. A product C = op(A)·op(B) is computed row by row of C as
 * a sum of scaled rows of op(B) (SAXPY form). The rows of op(B) and the row of
 * C being built are copied into separate arrays first: only then can the JIT
 * prove the loops free of aliasing and turn them into SIMD code (on one array
 * with offsets it does not). Large products are split over the cores by rows
 * of C. Thread-safe: scratch arrays are per thread.
 */
public final class JavaKernels implements Kernels {

	/** Below this many multiply-adds a product stays on the calling thread. */
	private static final long PARALLEL_WORK = 1L << 20;
	/** Narrower outputs gain nothing from the SAXPY form; plain loops do. */
	private static final int NARROW = 8;

	private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[0][]);
	private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

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
		if (n < NARROW) {
			narrow(transA, transB, m, n, k, a, b, c);
			return;
		}
		float[][] rows = rowsOf(b, transB, k, n);
		long work = (long) m * n * k;
		int threads = pool.getParallelism();
		if (work < PARALLEL_WORK || threads < 2 || m < 2) {
			block(transA, 0, m, m, n, k, a, rows, c);
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
							block(transA, from, to, m, n, k, a, rows, c);
						}
					};
				}
				invokeAll(tasks);
			}
		});
	}

	/** Rows [from, to) of C += op(A)·B, with B given as its k rows. */
	private static void block(boolean transA, int from, int to, int m, int n, int k, float[] a, float[][] rows, float[] c) {
		float[] y = ROW.get();
		if (y.length < n) {
			y = new float[n];
			ROW.set(y);
		}
		int rowStride = transA ? 1 : k;
		int colStride = transA ? m : 1;
		for (int i = from; i < to; i++) {
			int ci = i * n;
			System.arraycopy(c, ci, y, 0, n);
			int ai = i * rowStride;
			int p = 0;
			for (; p + 4 <= k; p += 4) {
				int at = ai + p * colStride;
				axpy4(a[at], rows[p], a[at + colStride], rows[p + 1], a[at + 2 * colStride], rows[p + 2], a[at + 3 * colStride],
						rows[p + 3], y, n);
			}
			for (; p < k; p++) {
				axpy(a[ai + p * colStride], rows[p], y, n);
			}
			System.arraycopy(y, 0, c, ci, n);
		}
	}

	/** The k rows of op(B) (k×n), each in an array of its own, in per-thread scratch. */
	private static float[][] rowsOf(float[] b, boolean transB, int k, int n) {
		float[][] rows = ROWS.get();
		if (rows.length < k) {
			rows = Arrays.copyOf(rows, k);
			ROWS.set(rows);
		}
		for (int p = 0; p < k; p++) {
			if (rows[p] == null || rows[p].length != n) {
				rows[p] = new float[n];
			}
			float[] r = rows[p];
			if (transB) {
				for (int j = 0; j < n; j++) {
					r[j] = b[j * k + p];
				}
			} else {
				System.arraycopy(b, p * n, r, 0, n);
			}
		}
		return rows;
	}

	private static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3, float[] y, int n) {
		for (int j = 0; j < n; j++) {
			y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
		}
	}

	private static void axpy(float alpha, float[] x, float[] y, int n) {
		for (int j = 0; j < n; j++) {
			y[j] += alpha * x[j];
		}
	}

	/** Plain loops for outputs narrower than a SIMD register. */
	private static void narrow(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c) {
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				float s = c[i * n + j];
				for (int p = 0; p < k; p++) {
					s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
				}
				c[i * n + j] = s;
			}
		}
	}
}
