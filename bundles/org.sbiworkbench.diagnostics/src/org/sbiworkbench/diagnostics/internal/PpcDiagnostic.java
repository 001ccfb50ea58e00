package org.sbiworkbench.diagnostics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.diagnostics.PosteriorPredictiveCheck;

/** Posterior predictive check, as a diagnostic service. */
@Component(service = Diagnostic.class)
public final class PpcDiagnostic implements Diagnostic {

	@Override
	public String id() {
		return "ppc";
	}

	@Override
	public String label() {
		return "Posterior predictive check";
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		PosteriorPredictiveCheck p = PosteriorPredictiveCheck.run(context.simulator(), context.samples(), context.observation(),
				context.intSetting("replicates", 500), context.seed() ^ 0x5050C0FFEEL, monitor);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("replicates", p.replicates().length);
		figures.put("failed_simulations", p.failedSimulations());
		Map<String, Object> perStatistic = new LinkedHashMap<>();
		for (int j = 0; j < p.statisticNames().length; j++) {
			perStatistic.put(p.statisticNames()[j], p.pValue()[j]);
		}
		figures.put("p_values", perStatistic);
		figures.put("distance_p_value", p.distancePValue());
		figures.put("outliers", p.outliers());
		List<String> warnings = new ArrayList<>();
		String headline;
		if (p.outliers().isEmpty()) {
			headline = "x_o is reproduced by the posterior predictive (" + p.replicates().length + " simulations)";
		} else {
			headline = "x_o NOT reproduced for " + String.join(", ", p.outliers());
			warnings.add("Posterior predictive check: simulations from the posterior do not reproduce x_o's "
					+ String.join(", ", p.outliers()) + " (ppc.png)");
		}
		return new DiagnosticResult(id(), label(), headline, figures, warnings, Map.of("ppc", DiagnosticFigures.ppc(p)));
	}
}
