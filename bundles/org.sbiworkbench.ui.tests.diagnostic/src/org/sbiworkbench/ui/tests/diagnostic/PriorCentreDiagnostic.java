package org.sbiworkbench.ui.tests.diagnostic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;

/**
 * How much of the posterior lies in the prior's central region: for each parameter, the fraction of posterior
 * samples inside the prior's central 50% interval (its quartiles, estimated from prior draws), and the fraction
 * inside the box those intervals span. A posterior that is only the prior gives 0.5 per parameter (and the box
 * holds 0.5<sup>d</sup> of an independent prior); more means the data concentrated it in the prior's centre, less
 * that they moved it away from the centre. It only informs: a posterior away from the prior's centre is not wrong,
 * so the check never warns.
 * <p>
 * A diagnostic from a bundle of its own, which the workbench knows nothing about: the UI tests use it to show
 * that any registered diagnostic with a plot model is listed and drawn.
 */
@Component(service = Diagnostic.class)
public final class PriorCentreDiagnostic implements Diagnostic {

	public static final String ID = "prior_centre";
	/** The title of the figure's one panel. */
	public static final String PANEL_TITLE = "Posterior mass in the prior's central 50% interval";
	/** Prior draws for the quartiles. */
	static final int PRIOR_DRAWS = 4_000;

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String label() {
		return "Posterior mass in the prior's central box";
	}

	@Override
	public DiagnosticResult run(DiagnosticContext context, ProgressMonitor monitor) {
		Prior prior = context.prior();
		int d = prior.dimension();
		monitor.begin("Posterior mass in the prior's central box", 2);
		double[][] draws = prior.sample(PRIOR_DRAWS, Seeds.forRow(context.seed(), -4242));
		double[][] box = new double[d][];
		for (int j = 0; j < d; j++) {
			double[] column = new double[draws.length];
			for (int i = 0; i < draws.length; i++) {
				column[i] = draws[i][j];
			}
			Arrays.sort(column);
			box[j] = new double[] { quantile(column, 0.25), quantile(column, 0.75) };
		}
		monitor.worked(1);
		double[][] samples = context.samples();
		double[] inside = new double[d];
		int insideBox = 0;
		for (double[] theta : samples) {
			boolean all = true;
			for (int j = 0; j < d; j++) {
				boolean in = theta[j] >= box[j][0] && theta[j] <= box[j][1];
				if (in) {
					inside[j]++;
				}
				all &= in;
			}
			if (all) {
				insideBox++;
			}
		}
		for (int j = 0; j < d; j++) {
			inside[j] /= samples.length;
		}
		double boxMass = samples.length == 0 ? Double.NaN : (double) insideBox / samples.length;
		int priorInside = 0;
		for (double[] theta : draws) {
			boolean all = true;
			for (int j = 0; j < d && all; j++) {
				all = theta[j] >= box[j][0] && theta[j] <= box[j][1];
			}
			if (all) {
				priorInside++;
			}
		}
		double priorBoxMass = (double) priorInside / draws.length;
		monitor.worked(1);
		monitor.done();

		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("inside_box", boxMass);
		figures.put("prior_inside_box", priorBoxMass);
		List<Double> perParameter = new ArrayList<>();
		for (double v : inside) {
			perParameter.add(v);
		}
		figures.put("inside_interval", perParameter);
		String headline = String.format(Locale.ROOT, "%.0f%% of the posterior lies in the prior's central box (the prior itself: %.0f%%)",
				100 * boxMass, 100 * priorBoxMass);
		return new DiagnosticResult(ID, label(), headline, figures, List.of(), Map.of(ID, figure(context.parameterNames(), inside)));
	}

	/** One bar per parameter (its posterior mass inside its central interval) and the prior's 0.5 as a line. */
	static Figure figure(String[] names, double[] inside) {
		int d = inside.length;
		double[] edges = new double[d + 1];
		for (int j = 0; j <= d; j++) {
			edges[j] = j + 0.5;
		}
		StringBuilder axis = new StringBuilder("parameter");
		for (int j = 0; j < d; j++) {
			axis.append(j == 0 ? ": " : ", ").append(j + 1).append(" = ").append(names[j]);
		}
		return Figure.of(new Panel(PANEL_TITLE, axis.toString(), "fraction of posterior samples", List.of(
				new Layer.Bars("posterior", Role.ESTIMATE, edges, inside),
				new Layer.Marker("prior", Role.REFERENCE, 0.5, false)), new double[] { 0.5, d + 0.5 }, new double[] { 0, 1 }));
	}

	/** The q-quantile of sorted values, interpolating linearly between order statistics. */
	static double quantile(double[] sorted, double q) {
		double position = q * (sorted.length - 1);
		int below = (int) Math.floor(position);
		int above = Math.min(sorted.length - 1, below + 1);
		return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
	}
}
