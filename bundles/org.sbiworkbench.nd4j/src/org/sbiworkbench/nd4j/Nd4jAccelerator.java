package org.sbiworkbench.nd4j;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.nd4j.internal.Nd4jRuntime;

/**
 * Matrix kernels computed by ND4J's native CPU backend (OpenBLAS).
 * <p>
 * Registered as a service; ND4J itself starts lazily on the first kernel call,
 * from whatever thread makes it, so merely installing this bundle costs nothing.
 * The first call unpacks ~400 MB of native libraries into the JavaCPP cache
 * (see {@link Nd4jRuntime} for where) and takes a few seconds.
 */
@Component(service = Nd4jAccelerator.class)
public final class Nd4jAccelerator {

	/** The ND4J backend in use, e.g. {@code CpuBackend}; starts ND4J if needed. */
	public String backend() {
		return Nd4jRuntime.get().backendName();
	}

	/** Threads ND4J may use per operation (OpenMP and BLAS). */
	public int threads() {
		return Nd4jRuntime.get().threads();
	}

	/**
	 * C = A·B for row-major float matrices: A is m×k, B is k×n, C is m×n (overwritten).
	 */
	public void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
		if (m <= 0 || k <= 0 || n <= 0) {
			throw new IllegalArgumentException("matrix sizes must be positive, got m=" + m + ", k=" + k + ", n=" + n);
		}
		check("A", a, (long) m * k);
		check("B", b, (long) k * n);
		check("C", c, (long) m * n);
		Nd4jRuntime.get().matmul(a, b, c, m, k, n);
	}

	private static void check(String name, float[] buffer, long expected) {
		if (buffer.length != expected) {
			throw new IllegalArgumentException(name + " has " + buffer.length + " elements; the sizes given need " + expected);
		}
	}
}
