package org.sbiworkbench.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;

/**
 * The plot models of the diagnostics, drawn alike by the report ({@code pairplot.png}, {@code coverage.png}, …)
 * and the workbench views.
 */
public final class DiagnosticFigures {

	private DiagnosticFigures() {
	}

	/**
	 * Pairplot: 1-D marginal densities on the diagonal with the 95% credible interval, 2-D marginal densities
	 * below it; true parameters and MAP marked where known.
	 *
	 * @param ranges per parameter {lower, upper}; {@code null} entries fall back to the samples' 0.5–99.5% range
	 * @param truth  true parameters, or {@code null}
	 * @param map    MAP, or {@code null}
	 */
	public static Figure pairplot(PosteriorSummary s, double[][] ranges, double[] truth, double[] map) {
		int d = s.dimension();
		double[][] r = new double[d][];
		double[] lo = s.quantile(0.005), hi = s.quantile(0.995);
		for (int j = 0; j < d; j++) {
			if (ranges != null && ranges[j] != null && Double.isFinite(ranges[j][0]) && Double.isFinite(ranges[j][1])) {
				r[j] = ranges[j];
			} else {
				double pad = 0.1 * (hi[j] - lo[j]) + 1e-9;
				r[j] = new double[] { lo[j] - pad, hi[j] + pad };
			}
		}
		double[][] ci = s.credibleInterval(0.95);
		List<Panel> panels = new ArrayList<>();
		for (int i = 0; i < d; i++) {
			for (int j = 0; j < d; j++) {
				String ni = s.parameters().get(i).name(), nj = s.parameters().get(j).name();
				if (j > i) {
					panels.add(null);
				} else if (i == j) {
					Histogram h = s.marginal(j, 40, r[j][0], r[j][1]);
					List<Layer> layers = new ArrayList<>(List.of(new Layer.Bars("posterior", Role.ESTIMATE, h.edges(), h.heights()),
							new Layer.Marker("95% CI", Role.SECONDARY, ci[j][0], true), new Layer.Marker("", Role.SECONDARY, ci[j][1], true)));
					if (truth != null) {
						layers.add(new Layer.Marker("true", Role.TRUTH, truth[j], true));
					}
					if (map != null) {
						layers.add(new Layer.Marker("MAP", Role.MAP, map[j], true));
					}
					panels.add(new Panel(nj, nj, "density", layers, r[j], null));
				} else {
					int bins = 40;
					double[][] z = s.marginal2d(j, i, bins, r[j], r[i]);
					List<Layer> layers = new ArrayList<>(List.of(new Layer.Heatmap("posterior", Role.ESTIMATE, edges(r[j], bins),
							edges(r[i], bins), z)));
					if (truth != null) {
						layers.add(new Layer.Points("true", Role.TRUTH, new double[] { truth[j] }, new double[] { truth[i] }));
					}
					if (map != null) {
						layers.add(new Layer.Points("MAP", Role.MAP, new double[] { map[j] }, new double[] { map[i] }));
					}
					panels.add(new Panel("", nj, ni, layers, r[j], r[i]));
				}
			}
		}
		return new Figure("Posterior", panels, d);
	}

	/** Coverage curve: empirical against nominal credibility, the diagonal and the 99% binomial band. */
	public static Figure coverage(ExpectedCoverage c) {
		List<Layer> layers = new ArrayList<>();
		layers.add(new Layer.Band("99% band, " + c.tests() + " tests", Role.REFERENCE, c.nominal(), c.bandLower(), c.bandUpper()));
		layers.add(new Layer.Line("calibrated", Role.REFERENCE, new double[] { 0, 1 }, new double[] { 0, 1 }, true));
		for (int k = 0; k < c.empirical().length; k++) {
			layers.add(new Layer.Line(c.curveNames()[k], k == 0 ? Role.ESTIMATE : Role.SECONDARY, c.nominal(), c.empirical()[k], false));
		}
		String kind = c.curveNames().length == 1 && c.curveNames()[0].equals("HPD") ? "HPD regions" : "central marginal intervals";
		return Figure.of(new Panel("Expected coverage (" + kind + "): " + c.verdict().name().toLowerCase(java.util.Locale.ROOT),
				"credibility level", "empirical coverage", layers, new double[] { 0, 1 }, new double[] { 0, 1 }));
	}

	/** SBC: one rank histogram per parameter with the uniform expectation and its 99% band. */
	public static Figure sbc(SimulationBasedCalibration s) {
		List<Panel> panels = new ArrayList<>();
		double[] e = s.binEdges();
		int bins = e.length - 1;
		for (int j = 0; j < s.parameterNames().length; j++) {
			double[] heights = Arrays.stream(s.counts()[j]).asDoubleStream().toArray();
			double[] x = new double[2 * bins], lo = new double[2 * bins], hi = new double[2 * bins], ex = new double[2 * bins];
			for (int k = 0; k < bins; k++) {
				x[2 * k] = e[k];
				x[2 * k + 1] = e[k + 1];
				lo[2 * k] = lo[2 * k + 1] = s.bandLower()[k];
				hi[2 * k] = hi[2 * k + 1] = s.bandUpper()[k];
				ex[2 * k] = ex[2 * k + 1] = s.expected()[k];
			}
			panels.add(new Panel(String.format(java.util.Locale.ROOT, "%s (χ² p = %.2g, KS p = %.2g)", s.parameterNames()[j],
					s.chiSquarePValue()[j], s.ksPValue()[j]), "rank", "tests",
					List.of(new Layer.Band("99% band", Role.REFERENCE, x, lo, hi), new Layer.Bars("ranks", Role.ESTIMATE, e, heights),
							new Layer.Line("uniform", Role.REFERENCE, x, ex, true))));
		}
		return new Figure("Simulation-based calibration, " + s.tests() + " tests", panels, Math.min(4, panels.size()));
	}

	/**
	 * PPC: per statistic the replicates' histogram with x_o marked (up to 12 statistics), or for longer x the
	 * predictive 95% band along the index with x_o on it; and the distance distributions.
	 */
	public static Figure ppc(PosteriorPredictiveCheck p) {
		List<Panel> panels = new ArrayList<>();
		int d = p.observation().length;
		if (d <= 12) {
			for (int j = 0; j < d; j++) {
				double[] col = new double[p.replicates().length];
				for (int i = 0; i < col.length; i++) {
					col[i] = p.replicates()[i][j];
				}
				double[] range = range(col, p.observation()[j]);
				Histogram h = Histogram.of(col, 30, range[0], range[1], true);
				panels.add(new Panel(String.format(java.util.Locale.ROOT, "%s (p = %.2g)", p.statisticNames()[j], p.pValue()[j]),
						p.statisticNames()[j], "density", List.of(new Layer.Bars("posterior predictive", Role.ESTIMATE, h.edges(), h.heights()),
								new Layer.Marker("x_o", Role.TRUTH, p.observation()[j], true))));
			}
		} else {
			double[] index = new double[d];
			for (int j = 0; j < d; j++) {
				index[j] = j;
			}
			panels.add(new Panel("Posterior predictive 95% band", "component of x", "value",
					List.of(new Layer.Band("95% predictive", Role.ESTIMATE, index, p.lower95(), p.upper95()),
							new Layer.Line("median", Role.ESTIMATE, index, p.median(), false),
							new Layer.Points("x_o", Role.TRUTH, index, p.observation()))));
		}
		double[] all = new double[p.distanceToObserved().length + p.distanceReference().length];
		System.arraycopy(p.distanceToObserved(), 0, all, 0, p.distanceToObserved().length);
		System.arraycopy(p.distanceReference(), 0, all, p.distanceToObserved().length, p.distanceReference().length);
		double[] range = range(all, all[0]);
		Histogram a = Histogram.of(p.distanceToObserved(), 30, range[0], range[1], true);
		Histogram b = Histogram.of(p.distanceReference(), 30, range[0], range[1], true);
		panels.add(new Panel(String.format(java.util.Locale.ROOT, "Distances (p = %.2g)", p.distancePValue()), "z-scored distance", "density",
				List.of(new Layer.Bars("replicate to replicate", Role.REFERENCE, b.edges(), b.heights()),
						new Layer.Bars("replicate to x_o", Role.ESTIMATE, a.edges(), a.heights()))));
		return new Figure("Posterior predictive check, " + p.replicates().length + " simulations", panels, Math.min(4, panels.size()));
	}

	/** Misspecification: the calibration simulations' k-NN distances with x_o's marked. */
	public static Figure misspecification(Misspecification m) {
		double[] range = range(m.calibrationScores(), m.score());
		Histogram h = Histogram.of(m.calibrationScores(), 40, range[0], range[1], true);
		return Figure.of(new Panel(String.format(java.util.Locale.ROOT, "x_o against simulated x: p = %.3g%s", m.pValue(),
				m.flagged() ? " — outside what the simulator produces" : ""), m.k() + "-th neighbour distance (z-scored)", "density",
				List.of(new Layer.Bars("simulations", Role.REFERENCE, h.edges(), h.heights()), new Layer.Marker("x_o", Role.TRUTH, m.score(), true))));
	}

	/** Training and validation loss per epoch. */
	public static Figure loss(List<? extends Number> training, List<? extends Number> validation) {
		List<Layer> layers = new ArrayList<>();
		layers.add(new Layer.Line("training", Role.ESTIMATE, epochs(training.size()), values(training), false));
		if (validation != null && !validation.isEmpty()) {
			layers.add(new Layer.Line("validation", Role.SECONDARY, epochs(validation.size()), values(validation), false));
		}
		return Figure.of(new Panel("Training", "epoch", "loss (−log q)", layers));
	}

	private static double[] epochs(int n) {
		double[] e = new double[n];
		for (int i = 0; i < n; i++) {
			e[i] = i + 1;
		}
		return e;
	}

	private static double[] values(List<? extends Number> v) {
		return v.stream().mapToDouble(Number::doubleValue).toArray();
	}

	private static double[] edges(double[] range, int bins) {
		double[] e = new double[bins + 1];
		for (int i = 0; i <= bins; i++) {
			e[i] = range[0] + (range[1] - range[0]) * i / bins;
		}
		return e;
	}

	/** A range holding the values' 0.5–99.5% quantiles and the marked value, padded by 5%. */
	private static double[] range(double[] values, double mark) {
		double[] s = values.clone();
		Arrays.sort(s);
		double lo = Math.min(PosteriorSummary.quantile(s, 0.005), mark);
		double hi = Math.max(PosteriorSummary.quantile(s, 0.995), mark);
		double pad = 0.05 * (hi - lo);
		if (!(pad > 0)) {
			pad = Math.max(1e-9, Math.abs(lo) * 0.05 + 1e-9);
		}
		return new double[] { lo - pad, hi + pad };
	}
}
