package org.sbiworkbench.diagnostics.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticFigures;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.diagnostics.Misspecification;

/**
 * Whether x_o lies inside what the simulator produces, as a diagnostic service. Uses the run's simulations,
 * or simulates 2,000 from the prior when there are none.
 */
@Component(service = Diagnostic.class)
public final class MisspecificationDiagnostic implements Diagnostic {

	@Override
	public String id() {
		return "misspecification";
	}

	@Override
	public String label() {
		return "Misspecification";
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		double[][] simulated = context.simulated().orElseGet(() -> simulate(context, 2_000, monitor));
		Misspecification m = Misspecification.of(simulated, context.observation());
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("p_value", m.pValue());
		figures.put("score", m.score());
		figures.put("neighbours", m.k());
		figures.put("reference_simulations", m.references());
		figures.put("calibration_simulations", m.calibrationScores().length);
		figures.put("flagged", m.flagged());
		String headline = m.flagged()
				? String.format(java.util.Locale.ROOT, "x_o lies OUTSIDE what the simulator produces (p = %.3g)", m.pValue())
				: String.format(java.util.Locale.ROOT, "x_o lies within what the simulator produces (p = %.3g)", m.pValue());
		List<String> warnings = m.flagged()
				? List.of(String.format(java.util.Locale.ROOT, "Misspecification: x_o lies outside what the simulator produces (p = %.3g): "
						+ "neural estimators extrapolate there and their posterior should not be trusted; check the model and the data", m.pValue()))
				: List.of();
		return new DiagnosticResult(id(), label(), headline, figures, warnings,
				Map.of("misspecification", DiagnosticFigures.misspecification(m)));
	}

	private static double[][] simulate(DiagnosticContext c, int n, ProgressMonitor monitor) {
		java.util.List<double[]> out = new java.util.ArrayList<>();
		monitor.begin("Simulating " + n + " prior-predictive x", n);
		for (int i = 0; i < n && !monitor.isCanceled(); i++) {
			var random = Seeds.forRow(c.seed() ^ 0x3155L, i);
			try {
				double[] x = c.simulator().simulate(c.prior().sample(random), random);
				boolean finite = true;
				for (double v : x) {
					finite &= Double.isFinite(v);
				}
				if (finite) {
					out.add(x);
				}
			} catch (RuntimeException e) {
				// a failed simulation is simply not part of the reference
			}
			monitor.worked(1);
		}
		monitor.done();
		if (monitor.isCanceled()) {
			throw new java.util.concurrent.CancellationException("misspecification check cancelled");
		}
		return out.toArray(double[][]::new);
	}
}
