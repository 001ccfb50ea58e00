package org.sbiworkbench.estimators.abc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.SequentialInferenceMethod;

/** Both methods are Declarative Services components, found by id as the command line finds NPE. */
class AbcServicesTest {

	@Test
	void abcAndSmcAbcAreRegisteredAsInferenceMethods() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		ServiceTracker<InferenceMethod, InferenceMethod> tracker = new ServiceTracker<>(context, InferenceMethod.class, null);
		tracker.open();
		try {
			Map<String, InferenceMethod> byId = new TreeMap<>();
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (byId.size() < 2 && System.nanoTime() < deadline) {
				tracker.waitForService(1_000);
				InferenceMethod[] services = tracker.getServices(new InferenceMethod[0]);
				if (services != null) {
					Arrays.stream(services).forEach(m -> byId.put(m.id(), m));
				}
			}
			assertNotNull(byId.get("abc"), "abc is registered; found " + byId.keySet());
			assertNotNull(byId.get("smcabc"), "smcabc is registered; found " + byId.keySet());
			assertTrue(byId.get("smcabc") instanceof SequentialInferenceMethod);
			assertTrue(!(byId.get("abc") instanceof SequentialInferenceMethod), "rejection ABC is amortized");
			assertTrue(byId.get("abc").references().stream().anyMatch(r -> r.contains("Beaumont, Zhang, Balding")));
			assertTrue(byId.get("smcabc").references().stream().anyMatch(r -> r.contains("Beaumont, Cornuet, Marin, Robert")));
			assertEquals(1, context.getServiceReferences(SequentialInferenceMethod.class, null).size(), "smcabc also as sequential");
		} finally {
			tracker.close();
		}
	}
}
