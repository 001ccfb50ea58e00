package org.sbiworkbench.diagnostics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.simulators.benchmarks.GaussianLinear;

/** The diagnostics are OSGi services and run from one context, sharing the calibration tests. */
class DiagnosticServicesTest {

	@Test
	void coverageSbcPpcAndMisspecificationAreRegisteredAndRun() throws Exception {
		BundleContext bc = FrameworkUtil.getBundle(DiagnosticServicesTest.class).getBundleContext();
		Map<String, Diagnostic> byId = new HashMap<>();
		for (ServiceReference<Diagnostic> ref : bc.getServiceReferences(Diagnostic.class, null)) {
			Diagnostic d = bc.getService(ref);
			byId.put(d.id(), d);
		}
		assertTrue(byId.keySet().containsAll(Set.of("coverage", "sbc", "ppc", "misspecification")), "registered: " + new TreeSet<>(byId.keySet()));

		GaussianLinear task = new GaussianLinear();
		double[] xo = task.descriptor().defaultObservations().get(0).values();
		ScaledGaussianLinearPosterior overconfident = new ScaledGaussianLinearPosterior(task.descriptor().parameters(), 0.25);
		var q = overconfident.condition(xo);
		DiagnosticContext context = new DiagnosticContext(task, task.descriptor().defaultPrior(), overconfident, q,
				q.sample(1_000, new Well19937c(1)), null, Map.of("tests", "150", "replicates", "300"), 3);
		DiagnosticResult coverage = byId.get("coverage").run(context, ProgressMonitor.NULL);
		assertEquals("overconfident", coverage.figures().get("verdict"));
		assertFalse(coverage.passed());
		assertTrue(coverage.plots().containsKey("coverage"));
		DiagnosticResult sbc = byId.get("sbc").run(context, ProgressMonitor.NULL);
		assertFalse(sbc.passed(), sbc.headline());
		assertEquals(150, sbc.figures().get("tests"), "SBC reuses coverage's 150 tests");
		DiagnosticResult mis = byId.get("misspecification").run(context, ProgressMonitor.NULL);
		assertTrue(mis.passed(), mis.headline());
		DiagnosticResult ppc = byId.get("ppc").run(context, ProgressMonitor.NULL);
		assertEquals(300, ppc.figures().get("replicates"));

		DiagnosticContext notAmortized = new DiagnosticContext(task, task.descriptor().defaultPrior(), null, q, q.sample(100,
				new Well19937c(2)), null, Map.of(), 3);
		assertTrue(byId.get("coverage").unavailableReason(notAmortized).isPresent());
		Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
				() -> new DiagnosticContext(task, task.descriptor().defaultPrior(), overconfident, q, q.sample(10, new Well19937c(2)), null,
						Map.of("tests", "many"), 3).intSetting("tests", 200));
		assertTrue(e.getMessage().contains("'tests'") && e.getMessage().contains("many"), e.getMessage());
	}
}
