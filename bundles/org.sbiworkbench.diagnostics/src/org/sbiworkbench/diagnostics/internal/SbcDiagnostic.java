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
import org.sbiworkbench.diagnostics.SimulationBasedCalibration;

/** Simulation-based calibration ranks, as a diagnostic service. */
@Component(service = Diagnostic.class)
public final class SbcDiagnostic implements Diagnostic {

	@Override
	public String id() {
		return "sbc";
	}

	@Override
	public String label() {
		return "Simulation-based calibration";
	}

	@Override
	public Optional<String> unavailableReason(DiagnosticContext context) {
		return context.amortized().isPresent() ? Optional.empty()
				: Optional.of("SBC conditions the posterior on many simulated x; this method is not amortized");
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		var calibration = context.calibration(monitor);
		SimulationBasedCalibration s = SimulationBasedCalibration.of(calibration, context.parameterNames());
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("tests", s.tests());
		figures.put("samples_per_test", calibration.samplesPerTest());
		Map<String, Object> perParameter = new LinkedHashMap<>();
		for (int j = 0; j < s.parameterNames().length; j++) {
			perParameter.put(s.parameterNames()[j], Map.of("chi2_p_value", s.chiSquarePValue()[j], "ks_p_value", s.ksPValue()[j],
					"data_averaged_vs_prior_p_value", s.priorPValue()[j]));
		}
		figures.put("p_values", perParameter);
		figures.put("failing", s.failing());
		List<String> warnings = new ArrayList<>();
		String headline;
		if (s.passes()) {
			headline = "ranks uniform for every parameter (" + s.tests() + " tests)";
		} else {
			headline = "ranks NOT uniform for " + String.join(", ", s.failing());
			warnings.add("SBC: the posterior is miscalibrated for " + String.join(", ", s.failing())
					+ " (rank histograms in sbc.png: a U shape means overconfident, a hump underconfident, a slope biased)");
		}
		return new DiagnosticResult(id(), label(), headline, figures, warnings, Map.of("sbc", DiagnosticFigures.sbc(s)));
	}
}
