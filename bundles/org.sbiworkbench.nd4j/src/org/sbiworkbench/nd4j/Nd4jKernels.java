package org.sbiworkbench.nd4j;

import java.util.Arrays;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.nd4j.internal.Nd4jGemm;
import org.sbiworkbench.nd4j.internal.Nd4jRuntime;
import org.sbiworkbench.nn.Kernels;

/**
 * The engine's {@link Kernels} computed by ND4J's native CPU backend
 * (OpenBLAS, single precision), registered as a {@code Kernels} service.
 * <p>
 * Same contract and results as {@code JavaKernels} up to float32 rounding:
 * row-major arrays, transposes and accumulation honoured, arrays may be longer
 * than the sizes need (only their leading elements are read and written).
 * <p>
 * ND4J starts lazily on the first product, from whatever thread makes it (see
 * {@link Nd4jRuntime}); registering the service costs nothing. Safe to call
 * from several threads at once: each thread stages its operands in native
 * buffers of its own, reused across calls, so a call allocates nothing once a
 * thread has seen its largest product. The staging copies cost about one pass
 * over A, B and C: worth it only when the product has enough work per element,
 * which is what {@code sbiw bench-kernels} measures.
 */
@Component(service = Kernels.class)
public final class Nd4jKernels implements Kernels {

	private final Nd4jGemm gemm = new Nd4jGemm();

	@Override
	public String name() {
		return "nd4j";
	}

	@Override
	public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
		if (m < 0 || n < 0 || k < 0) {
			throw new IllegalArgumentException("matrix sizes must not be negative, got m=" + m + ", n=" + n + ", k=" + k);
		}
		check("A", a, (long) m * k);
		check("B", b, (long) k * n);
		check("C", c, (long) m * n);
		if (m == 0 || n == 0) {
			return;
		}
		if (k == 0) {
			// An empty sum: C = 0, or C unchanged when accumulating.
			if (!accumulate) {
				Arrays.fill(c, 0, m * n, 0f);
			}
			return;
		}
		gemm.gemm(transA, transB, m, n, k, a, b, c, accumulate);
	}

	private static void check(String name, float[] buffer, long needed) {
		if (buffer.length < needed) {
			throw new IllegalArgumentException(name + " has " + buffer.length + " elements; the sizes given need " + needed);
		}
	}

	@Override
	public String toString() {
		return "Nd4jKernels";
	}
}
