package org.sbiworkbench.nd4j.internal;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major float32 GEMM on ND4J's native CPU backend, for callers that hold
 * plain {@code float[]} buffers.
 * <p>
 * Each thread stages A, B and C in three ND4J buffers of its own that grow to
 * the largest product it has seen and are then reused, so a call in steady
 * state allocates nothing, Java or native: it copies A and B (and C when
 * accumulating) in, runs the product, and copies C out. The buffers are sized
 * by element count, not shape, so one set serves every shape and transpose.
 * <p>
 * The product is the single-precision GEMM of the OpenBLAS that ND4J's CPU
 * backend is built on, called on those buffers the way ND4J's own BLAS level 3
 * ({@code CpuLevel3.sgemm}) calls it. ND4J's public entry points
 * ({@code Nd4j.gemm}, {@code INDArray.mmuli}) reach the same routine through
 * its {@code Mmul} custom op, which cost 10–40 µs more per call on the
 * engine's batch-200 products (measured outside OSGi on reused arrays) for
 * building the op and its native context.
 */
public final class Nd4jGemm {

	private final ThreadLocal<Staging> staging = ThreadLocal.withInitial(Staging::new);

	/**
	 * C = op(A)·op(B), or C += op(A)·op(B) when {@code accumulate}; sizes as in
	 * {@code org.sbiworkbench.nn.Kernels#gemm}. The caller has checked that the
	 * sizes are positive and the arrays long enough.
	 */
	public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
		Staging s = staging.get();
		int lengthA = m * k, lengthB = k * n, lengthC = m * n;
		FloatPointer pa = s.a.reserve(lengthA);
		FloatPointer pb = s.b.reserve(lengthB);
		FloatPointer pc = s.c.reserve(lengthC);
		pa.put(a, 0, lengthA);
		pb.put(b, 0, lengthB);
		if (accumulate) {
			pc.put(c, 0, lengthC);
		}
		// Row-major leading dimensions are the stored row lengths: A is m×k (k×m transposed), B is k×n (n×k).
		openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
				1f, pa, transA ? m : k, pb, transB ? k : n, accumulate ? 1f : 0f, pc, n);
		pc.get(c, 0, lengthC);
	}

	/** One thread's staging buffers; creating them starts ND4J (through {@link Nd4jRuntime}) if needed. */
	private static final class Staging {
		final Buffer a = new Buffer();
		final Buffer b = new Buffer();
		final Buffer c = new Buffer();

		Staging() {
			Nd4jRuntime.get();
		}
	}

	/** A native float buffer that grows on demand and is otherwise reused. */
	private static final class Buffer {
		/** Holds the native memory: it is freed when this array is collected. */
		private INDArray array;
		private FloatPointer pointer;
		private long capacity;

		FloatPointer reserve(long length) {
			if (length > capacity) {
				// Grow by half again at least, so slowly growing shapes do not reallocate on every call.
				long size = Math.max(length, capacity + capacity / 2);
				// Detached: never inside a workspace a caller might have open on this thread.
				array = Nd4j.createUninitializedDetached(DataType.FLOAT, size);
				pointer = (FloatPointer) array.data().addressPointer();
				capacity = size;
			}
			return pointer;
		}
	}
}
