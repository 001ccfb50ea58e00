package org.sbiworkbench.nd4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.nd4j.Nd4jAccelerator;
import org.sbiworkbench.nd4j.internal.Nd4jRuntime;

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
		String maxBytes = System.getProperty("org.bytedeco.javacpp.maxbytes");
		assertNotNull(maxBytes, "JavaCPP off-heap memory is bounded");
		assertNotNull(System.getProperty("org.bytedeco.javacpp.maxphysicalbytes"), "JavaCPP physical memory is bounded");
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
