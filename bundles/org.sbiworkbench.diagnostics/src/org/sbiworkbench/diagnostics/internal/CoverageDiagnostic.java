package org.sbiworkbench.diagnostics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.diagnostics.ExpectedCoverage;

/** Expected coverage of HPD regions, as a diagnostic service. */
@Component(service = Diagnostic.class)
public final class CoverageDiagnostic implements Diagnostic {

	@Override
	public String id() {
		return "coverage";
	}

	@Override
	public String label() {
		return "Expected coverage";
	}

	@Override
	public Optional<String> unavailableReason(DiagnosticContext context) {
		return context.amortized().isPresent() ? Optional.empty()
				: Optional.of("coverage conditions the posterior on many simulated x; this method is not amortized");
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		var calibration = context.calibration(monitor);
		ExpectedCoverage c = ExpectedCoverage.of(calibration, context.parameterNames());
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("kind", calibration.hasDensity() ? "hpd" : "marginal");
		figures.put("tests", c.tests());
		figures.put("verdict", c.verdict().name().toLowerCase(java.util.Locale.ROOT));
		figures.put("largest_deviation", c.worstDeviation());
		figures.put("p_value", c.pValue().length == 1 ? c.pValue()[0] : c.pValue());
		// The curve at every 5th level keeps summary.json readable; the plot has all 101.
		List<double[]> curve = new ArrayList<>();
		for (int a = 0; a < c.nominal().length; a += 5) {
			curve.add(new double[] { c.nominal()[a], c.empirical()[0][a] });
		}
		figures.put("curve", curve);
		figures.put("failed_simulations", calibration.failedSimulations());
		figures.put("failed_posteriors", calibration.failedPosteriors());
		List<String> warnings = new ArrayList<>();
		String headline;
		switch (c.verdict()) {
		case CALIBRATED -> headline = String.format(java.util.Locale.ROOT, "calibrated (largest deviation %.3f over %d tests)",
				c.worstDeviation(), c.tests());
		case OVERCONFIDENT -> {
			headline = String.format(java.util.Locale.ROOT, "OVERCONFIDENT: credible regions cover less than they claim (largest deviation %.3f, p = %.2g)",
					c.worstDeviation(), min(c.pValue()));
			warnings.add("Expected coverage: the posterior is overconfident — its credible regions are too small; "
					+ "train on more simulations or use an ensemble before trusting its intervals");
		}
		default -> {
			headline = String.format(java.util.Locale.ROOT, "underconfident: credible regions cover more than they claim (largest deviation %.3f, p = %.2g)",
					c.worstDeviation(), min(c.pValue()));
			warnings.add("Expected coverage: the posterior is underconfident — its credible regions are wider than needed");
		}
		}
		return new DiagnosticResult(id(), label(), headline, figures, warnings, Map.of("coverage", DiagnosticFigures.coverage(c)));
	}

	static double min(double[] v) {
		double m = 1;
		for (double x : v) {
			m = Math.min(m, x);
		}
		return m;
	}
}
