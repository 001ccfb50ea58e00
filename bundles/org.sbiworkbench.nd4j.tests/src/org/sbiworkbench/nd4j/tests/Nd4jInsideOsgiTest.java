package org.sbiworkbench.nd4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.nd4j.Nd4jAccelerator;
import org.sbiworkbench.nd4j.Nd4jKernels;
import org.sbiworkbench.nd4j.internal.Nd4jRuntime;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;

/**
 * ND4J inside Equinox. The order matters: the first test is the first thing in
 * this JVM to touch ND4J, and does so from a thread that OSGi did not create
 * (context class loader = the system class loader), the case that breaks a
 * naive embedding for the life of the JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nd4jInsideOsgiTest {

	private static Nd4jAccelerator accelerator() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(Nd4jInsideOsgiTest.class).getBundleContext();
		ServiceTracker<Nd4jAccelerator, Nd4jAccelerator> tracker = new ServiceTracker<>(context, Nd4jAccelerator.class, null);
		tracker.open();
		Nd4jAccelerator a = tracker.waitForService(10_000);
		assertNotNull(a, "Nd4jAccelerator is registered as a DS service");
		return a;
	}

	@Test
	@Order(1)
	void firstUseFromAForeignThreadMultipliesOnTheNativeBackend() throws Exception {
		Nd4jAccelerator accelerator = accelerator();
		int m = 67, k = 33, n = 19;
		Random random = new Random(5);
		float[] a = new float[m * k];
		float[] b = new float[k * n];
		for (int i = 0; i < a.length; i++) {
			a[i] = (float) random.nextGaussian();
		}
		for (int i = 0; i < b.length; i++) {
			b[i] = (float) random.nextGaussian();
		}
		float[] c = new float[m * n];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		AtomicReference<String> backend = new AtomicReference<>();
		Thread foreign = new Thread(() -> {
			try {
				backend.set(accelerator.backend());
				accelerator.matmul(a, b, c, m, k, n);
			} catch (Throwable t) {
				failure.set(t);
			}
		}, "not-an-OSGi-thread");
		foreign.setContextClassLoader(ClassLoader.getSystemClassLoader());
		foreign.start();
		foreign.join(120_000);
		if (failure.get() != null) {
			throw new AssertionError("ND4J failed on its first use from a foreign thread", failure.get());
		}
		assertEquals("CpuBackend", backend.get(), "the native CPU backend was found");
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				double expected = 0;
				double scale = 0;
				for (int l = 0; l < k; l++) {
					expected += (double) a[i * k + l] * b[l * n + j];
					scale += Math.abs((double) a[i * k + l] * b[l * n + j]);
				}
				// float32 accumulation: error below k · 2^-24 · Σ|a·b| (a loose bound; BLAS does better).
				assertEquals(expected, c[i * n + j], k * 0x1p-24 * scale + 1e-6, "C[" + i + "][" + j + "]");
			}
		}
	}

	@Test
	@Order(2)
	void laterCallsFromOsgiThreadsStillWork() throws Exception {
		float[] c = new float[4];
		accelerator().matmul(new float[] { 1, 2, 3, 4 }, new float[] { 5, 6, 7, 8 }, c, 2, 2, 2);
		assertEquals(List.of(19f, 22f, 43f, 50f), List.of(c[0], c[1], c[2], c[3]));
	}

	@Test
	@Order(3)
	void threadsAreLimitedSoNothingSpins() throws Exception {
		accelerator();
		Nd4jRuntime runtime = Nd4jRuntime.get();
		assertEquals(1, runtime.threads());
		assertEquals(1, runtime.environmentMaxThreads(), "ND4J environment max threads");
		assertEquals(1, runtime.nativeThreads(), "OpenMP threads of the native backend");
		assertEquals(1, runtime.blasThreads(), "OpenBLAS threads");
		String maxBytes = System.getProperty("org.bytedeco.javacpp.maxbytes");
		assertNotNull(maxBytes, "JavaCPP off-heap memory is bounded");
		assertNotNull(System.getProperty("org.bytedeco.javacpp.maxphysicalbytes"), "JavaCPP physical memory is bounded");
	}

	private static Kernels nd4jKernels() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(Nd4jInsideOsgiTest.class).getBundleContext();
		ServiceTracker<Kernels, Kernels> tracker = new ServiceTracker<>(context, Kernels.class, null);
		tracker.open();
		try {
			tracker.waitForService(10_000);
			for (Kernels k : tracker.getTracked().values()) {
				if (k instanceof Nd4jKernels) {
					return k;
				}
			}
		} finally {
			tracker.close();
		}
		throw new AssertionError("no Nd4jKernels among the Kernels services");
	}

	@Test
	@Order(4)
	void nd4jKernelsAreRegisteredAsTheEnginesKernelsService() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(Nd4jInsideOsgiTest.class).getBundleContext();
		nd4jKernels(); // waits for DS
		List<String> found = new ArrayList<>();
		for (ServiceReference<Kernels> ref : context.getServiceReferences(Kernels.class, null)) {
			Kernels k = context.getService(ref);
			try {
				found.add(k.name() + " from " + ref.getBundle().getSymbolicName());
				if (k instanceof Nd4jKernels) {
					assertEquals("nd4j", k.name());
					assertEquals(FrameworkUtil.getBundle(Nd4jAccelerator.class), ref.getBundle(), "registered by the nd4j bundle");
					assertTrue(Arrays.asList((String[]) ref.getProperty(Constants.OBJECTCLASS)).contains(Kernels.class.getName()),
							"registered under the engine's Kernels interface");
				}
			} finally {
				context.ungetService(ref);
			}
		}
		assertTrue(found.contains("nd4j from org.sbiworkbench.nd4j"), "Kernels services: " + found);
	}

	/**
	 * Nd4jKernels against JavaKernels and the exact (double) product for every
	 * transpose and accumulate combination, within the float32 bound of
	 * {@link #mismatch}. The arrays are longer than the sizes need, as the
	 * engine's buffers may be: the elements past the sizes must be left alone.
	 */
	@Test
	@Order(5)
	void nd4jKernelsEqualJavaKernelsForEveryTransposeAndAccumulate() throws Exception {
		Kernels nd4j = nd4jKernels();
		Kernels java = new JavaKernels();
		int[][] shapes = { { 1, 1, 1 }, { 3, 5, 7 }, { 67, 19, 33 }, { 200, 50, 2 }, { 200, 4, 50 }, { 50, 145, 200 }, { 128, 128, 128 } };
		Random random = new Random(11);
		int checked = 0;
		for (int[] shape : shapes) {
			int m = shape[0], n = shape[1], k = shape[2];
			for (boolean transA : new boolean[] { false, true }) {
				for (boolean transB : new boolean[] { false, true }) {
					for (boolean accumulate : new boolean[] { false, true }) {
						String what = (transA ? "Aᵀ" : "A") + "·" + (transB ? "Bᵀ" : "B") + (accumulate ? " accumulated" : "") + " m=" + m
								+ " n=" + n + " k=" + k;
						float[] a = gaussian(random, m * k + 3);
						float[] b = gaussian(random, k * n + 3);
						float[] c0 = gaussian(random, m * n + 3);
						if (!accumulate) {
							Arrays.fill(c0, 0, m * n, Float.NaN); // must be overwritten, not added to
						}
						float[] cJava = c0.clone();
						float[] cNd4j = c0.clone();
						java.gemm(transA, transB, m, n, k, a, b, cJava, accumulate);
						nd4j.gemm(transA, transB, m, n, k, a, b, cNd4j, accumulate);
						String mismatch = mismatch(transA, transB, m, n, k, a, b, c0, accumulate, cJava, cNd4j);
						assertNull(mismatch, what + ": " + mismatch);
						checked += m * n;
						for (int t = m * n; t < c0.length; t++) {
							assertEquals(c0[t], cNd4j[t], "nd4j wrote past m·n: " + what);
						}
					}
				}
			}
		}
		assertTrue(checked > 100_000, checked + " elements compared");
	}

	@Test
	@Order(6)
	void nd4jKernelsHandleEmptySumsAndRejectShortArrays() throws Exception {
		Kernels nd4j = nd4jKernels();
		float[] c = { 1, 2, 3, 4 };
		nd4j.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, true);
		assertArrayEquals(new float[] { 1, 2, 3, 4 }, c, "k = 0 accumulated: C unchanged");
		nd4j.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, false);
		assertArrayEquals(new float[4], c, "k = 0: C = 0");
		assertThrows(IllegalArgumentException.class, () -> nd4j.gemm(false, false, 2, 2, 2, new float[3], new float[4], new float[4], false));
		assertThrows(IllegalArgumentException.class, () -> nd4j.gemm(false, false, 2, 2, 2, new float[4], new float[4], new float[3], false));
		assertThrows(IllegalArgumentException.class, () -> nd4j.gemm(false, false, -1, 2, 2, new float[4], new float[4], new float[4], false));
	}

	/** Several threads at once, each with its own shapes (and so its own staging buffers growing and being reused). */
	@Test
	@Order(7)
	void nd4jKernelsAreSafeToCallFromSeveralThreadsAtOnce() throws Exception {
		Kernels nd4j = nd4jKernels();
		Kernels java = new JavaKernels();
		int threads = 4;
		List<Thread> started = new ArrayList<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (int t = 0; t < threads; t++) {
			int seed = t;
			Thread thread = new Thread(() -> {
				try {
					Random random = new Random(100 + seed);
					for (int iteration = 0; iteration < 60; iteration++) {
						int m = 1 + random.nextInt(80), n = 1 + random.nextInt(80), k = 1 + random.nextInt(80);
						boolean transA = random.nextBoolean(), transB = random.nextBoolean(), accumulate = random.nextBoolean();
						float[] a = gaussian(random, m * k);
						float[] b = gaussian(random, k * n);
						float[] c0 = gaussian(random, m * n);
						float[] cJava = c0.clone();
						float[] cNd4j = c0.clone();
						java.gemm(transA, transB, m, n, k, a, b, cJava, accumulate);
						nd4j.gemm(transA, transB, m, n, k, a, b, cNd4j, accumulate);
						String mismatch = mismatch(transA, transB, m, n, k, a, b, c0, accumulate, cJava, cNd4j);
						if (mismatch != null) {
							throw new AssertionError("thread " + seed + " iteration " + iteration + ": " + mismatch);
						}
					}
				} catch (Throwable e) {
					failure.compareAndSet(null, e);
				}
			}, "gemm-" + t);
			started.add(thread);
			thread.start();
		}
		for (Thread thread : started) {
			thread.join(120_000);
			assertTrue(!thread.isAlive(), thread.getName() + " finished");
		}
		if (failure.get() != null) {
			throw new AssertionError("a concurrent gemm failed", failure.get());
		}
	}

	/**
	 * Where the two results leave the float32 bound, or null. C[i][j] = c0 + Σ_p a·b
	 * computed in float32 is within (k+1)·2⁻²⁴·(|c0| + Σ_p |a·b|) of the exact
	 * value (k products and k additions, plus one for an accumulated c0; a loose
	 * bound, BLAS does better), so the two implementations differ by at most
	 * twice that.
	 */
	private static String mismatch(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c0, boolean accumulate,
			float[] cJava, float[] cNd4j) {
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < n; j++) {
				double exact = accumulate ? c0[i * n + j] : 0;
				double scale = accumulate ? Math.abs(c0[i * n + j]) : 0;
				for (int p = 0; p < k; p++) {
					double ab = (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
					exact += ab;
					scale += Math.abs(ab);
				}
				double bound = (k + 1) * 0x1p-24 * scale + Float.MIN_NORMAL;
				float nd4j = cNd4j[i * n + j], java = cJava[i * n + j];
				if (!(Math.abs(nd4j - exact) <= bound && Math.abs(java - exact) <= bound && Math.abs(nd4j - java) <= 2 * bound)) {
					return "C[" + i + "][" + j + "]: exact " + exact + ", nd4j " + nd4j + ", java " + java + ", bound " + bound;
				}
			}
		}
		return null;
	}

	private static float[] gaussian(Random random, int length) {
		float[] x = new float[length];
		for (int i = 0; i < length; i++) {
			x[i] = (float) random.nextGaussian();
		}
		return x;
	}

	@Test
	void everyJarInLibIsOnTheBundleClassPathAndViceVersa() {
		Bundle nd4j = FrameworkUtil.getBundle(Nd4jAccelerator.class);
		TreeSet<String> classPath = new TreeSet<>();
		for (String entry : nd4j.getHeaders().get(Constants.BUNDLE_CLASSPATH).split(",")) {
			String e = entry.trim();
			if (!e.equals(".")) {
				classPath.add(e);
			}
		}
		TreeSet<String> lib = new TreeSet<>();
		Enumeration<String> paths = nd4j.getEntryPaths("lib/");
		assertNotNull(paths, "the bundle has a lib/ folder");
		while (paths.hasMoreElements()) {
			String p = paths.nextElement();
			if (p.endsWith(".jar")) {
				lib.add(p);
			}
		}
		List<String> missing = new ArrayList<>(classPath);
		missing.removeAll(lib);
		List<String> unlisted = new ArrayList<>(lib);
		unlisted.removeAll(classPath);
		assertTrue(missing.isEmpty(), "on Bundle-ClassPath but not in lib/: " + missing);
		assertTrue(unlisted.isEmpty(), "in lib/ but not on Bundle-ClassPath: " + unlisted);
		assertTrue(lib.size() >= 30, "ND4J's closure is embedded: " + lib.size() + " jars");
	}
}
