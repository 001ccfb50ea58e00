package org.sbiworkbench.nn;

/**
 * The heavy kernels of the engine: the seam where an accelerator (ND4J) plugs
 * in. Arrays are row-major float32.
 */
public interface Kernels {

	/**
	 * C = op(A)·op(B) (or C += op(A)·op(B) when {@code accumulate}), where
	 * op(A) is m×k (A is m×k, or k×m when {@code transA}) and op(B) is k×n
	 * (B is k×n, or n×k when {@code transB}); C is m×n.
	 */
	void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate);

	/** A short name for reports, e.g. "java" or "nd4j". */
	String name();
}
