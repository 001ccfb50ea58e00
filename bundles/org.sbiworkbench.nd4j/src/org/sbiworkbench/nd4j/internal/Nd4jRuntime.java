package org.sbiworkbench.nd4j.internal;

import java.nio.file.Path;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Starts ND4J once per JVM, correctly inside OSGi.
 * <p>
 * ND4J finds its backend with a {@code ServiceLoader} on a class loader it
 * caches on first touch, by default the calling thread's context class
 * loader. Touched first from a thread OSGi did not create, that loader cannot
 * see the backend and ND4J is broken for the life of the JVM
 * ({@code NoAvailableBackendException}, then {@code NoClassDefFoundError}).
 * So every use goes through {@link #get()}, which hands ND4J this bundle's
 * class loader before anything else touches it.
 * <p>
 * One ND4J per JVM: its native library binds to the first class loader that
 * loads it, so updating this bundle in a running framework needs a restart.
 */
public final class Nd4jRuntime {

	/** Threads per ND4J operation; the neural engine parallelises over batches itself. */
	public static final String THREADS_PROPERTY = "sbiw.nd4j.threads";

	private static volatile Nd4jRuntime instance;

	private final String backendName;
	private final int threads;

	private Nd4jRuntime(String backendName, int threads) {
		this.backendName = backendName;
		this.threads = threads;
	}

	public static Nd4jRuntime get() {
		Nd4jRuntime r = instance;
		if (r == null) {
			synchronized (Nd4jRuntime.class) {
				r = instance;
				if (r == null) {
					r = start();
					instance = r;
				}
			}
		}
		return r;
	}

	private static Nd4jRuntime start() {
		setDefaultProperties();
		ClassLoader bundleLoader = Nd4jRuntime.class.getClassLoader();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(bundleLoader);
		try {
			ND4JClassLoading.setNd4jClassloader(bundleLoader);
			String backend = Nd4j.getBackend().getClass().getSimpleName();
			int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY, 1));
			Environment environment = Nd4j.getEnvironment();
			environment.setMaxThreads(threads);
			environment.setMaxMasterThreads(threads);
			NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
			// OpenBLAS keeps its own thread count (2 here without OMP_NUM_THREADS); this sets it (checked).
			Nd4j.factory().blas().setMaxThreads(threads);
			Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
			return new Nd4jRuntime(backend, threads);
		} finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * Defaults a user can override with -D: a JavaCPP cache per bundle version
	 * (JavaCPP's cache is flat, so versions would overwrite each other's natives),
	 * bounded off-heap memory, and quiet logging.
	 */
	private static void setDefaultProperties() {
		if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
			Bundle bundle = FrameworkUtil.getBundle(Nd4jRuntime.class);
			String version = bundle == null ? "dev" : bundle.getVersion().toString();
			Path cache = Path.of(System.getProperty("user.home"), ".cache", "sbiworkbench", "javacpp-" + version);
			System.setProperty("org.bytedeco.javacpp.cachedir", cache.toString());
		}
		// JavaCPP's limits default to the heap size (and 4x for physical bytes): RSS then grows past
		// what a shared machine has. Off-heap allocations are capped at 2 GB, the process at heap + 3 GB.
		setIfAbsent("org.bytedeco.javacpp.maxbytes", "org.bytedeco.javacpp.maxBytes", "2G");
		long physical = Runtime.getRuntime().maxMemory() + (3L << 30);
		setIfAbsent("org.bytedeco.javacpp.maxphysicalbytes", "org.bytedeco.javacpp.maxPhysicalBytes", Long.toString(physical));
		setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "org.slf4j.simpleLogger.defaultLogLevel", "warn");
	}

	private static void setIfAbsent(String key, String alternativeKey, String value) {
		if (System.getProperty(key) == null && System.getProperty(alternativeKey) == null) {
			System.setProperty(key, value);
		}
	}

	public String backendName() {
		return backendName;
	}

	public int threads() {
		return threads;
	}

	/** The OpenMP thread count ND4J's native code will use now (for checks and diagnostics). */
	public int nativeThreads() {
		return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
	}

	/** The thread count of the native BLAS (OpenBLAS) behind ND4J's matrix products. */
	public int blasThreads() {
		return Nd4j.factory().blas().getMaxThreads();
	}

	public int environmentMaxThreads() {
		return Nd4j.getEnvironment().maxThreads();
	}

	public void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
		INDArray left = Nd4j.create(a, new long[] { m, k }, 'c');
		INDArray right = Nd4j.create(b, new long[] { k, n }, 'c');
		INDArray product = Nd4j.createUninitialized(DataType.FLOAT, new long[] { m, n }, 'c');
		left.mmuli(right, product);
		float[] out = product.data().asFloat();
		System.arraycopy(out, 0, c, 0, c.length);
	}
}
