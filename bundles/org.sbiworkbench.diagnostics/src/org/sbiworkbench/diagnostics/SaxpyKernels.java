package org.sbiworkbench.diagnostics;

import java.util.Arrays;

import org.sbiworkbench.nn.Kernels;

/**
 * Single-threaded products written so that HotSpot's C2 (JDK 17) vectorises
 * them: C is built one row at a time in a scratch row, as
 * row += a₀·b₀ + a₁·b₁ + a₂·b₂ + a₃·b₃ over whole rows b_p of op(B), held as
 * separate arrays.
 * <p>
 * Why not {@code JavaKernels}: measured on the C2ST's shapes (batch 200, 100
 * units: the forward product, the input gradient A·Bᵀ and the weight gradient
 * Aᵀ·B), this is about five times faster per training step. Two things make
 * the difference. (1) JDK 17's C2 does not vectorise
 * {@code c[ci + j] += a * b[bp + j]}: two different offsets into float arrays
 * that might be the same array are a possible loop-carried dependence; with
 * equal, offset-free indices ({@code y[j] += a * x[j]}) it vectorises even if
 * x and y might alias. (2) {@code JavaKernels}' A·Bᵀ case is a dot product with
 * one float accumulator, which C2 cannot vectorise and whose speed is bound by
 * the latency of the adds. Four rows of op(B) per pass (instead of one) cut
 * the loads and stores of the scratch row by four; eight was slower (C2 stops
 * vectorising).
 * <p>
 * Summation order differs from {@code JavaKernels}, so results differ in the
 * last bits of float32. An instance keeps scratch buffers, so it belongs to one
 * thread (like the {@code Tape} that uses it).
 */
final class SaxpyKernels implements Kernels {

	private float[][] rowsOfB = new float[0][];
	private float[] row = new float[0];

	@Override
	public String name() {
		return "java-saxpy";
	}

	/** Below this width rows are too short to vectorise; such products go through {@link #narrow}. */
	static final int NARROW = 8;

	@Override
	public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
		if (n < NARROW) {
			narrow(transA, transB, m, n, k, a, b, c, accumulate);
			return;
		}
		float[][] rows = rowsOf(b, transB, k, n);
		if (row.length != n) {
			row = new float[n];
		}
		float[] y = row;
		// Element (i, p) of op(A) is a[i·rowStride + p·colStride].
		int rowStride = transA ? 1 : k;
		int colStride = transA ? m : 1;
		for (int i = 0; i < m; i++) {
			int ci = i * n;
			if (accumulate) {
				System.arraycopy(c, ci, y, 0, n);
			} else {
				Arrays.fill(y, 0f);
			}
			int ai = i * rowStride;
			int p = 0;
			for (; p + 4 <= k; p += 4) {
				int at = ai + p * colStride;
				axpy4(a[at], rows[p], a[at + colStride], rows[p + 1], a[at + 2 * colStride], rows[p + 2],
						a[at + 3 * colStride], rows[p + 3], y, n);
			}
			for (; p < k; p++) {
				axpy(a[ai + p * colStride], rows[p], y, n);
			}
			System.arraycopy(y, 0, c, ci, n);
		}
	}

	/**
	 * Plain loops for a narrow C (e.g. the single logit of a classifier), where one call per short row
	 * would cost more than the arithmetic.
	 */
	private static void narrow(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
			boolean accumulate) {
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				float s = accumulate ? c[i * n + j] : 0f;
				for (int p = 0; p < k; p++) {
					s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
				}
				c[i * n + j] = s;
			}
		}
	}

	/** op(B) (k×n) as k separate row arrays, reused while the shape repeats. */
	private float[][] rowsOf(float[] b, boolean transB, int k, int n) {
		if (rowsOfB.length < k) {
			rowsOfB = Arrays.copyOf(rowsOfB, k);
		}
		float[][] rows = rowsOfB;
		for (int p = 0; p < k; p++) {
			if (rows[p] == null || rows[p].length != n) {
				rows[p] = new float[n];
			}
			float[] r = rows[p];
			if (transB) {
				// B is n×k: row p of Bᵀ is column p of B.
				for (int j = 0; j < n; j++) {
					r[j] = b[j * k + p];
				}
			} else {
				System.arraycopy(b, p * n, r, 0, n);
			}
		}
		return rows;
	}

	private static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3, float[] y,
			int n) {
		for (int j = 0; j < n; j++) {
			y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
		}
	}

	private static void axpy(float alpha, float[] x, float[] y, int n) {
		for (int j = 0; j < n; j++) {
			y[j] += alpha * x[j];
		}
	}
}
