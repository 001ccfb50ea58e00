package org.sbiworkbench.plots.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;

/** Figures of the kinds the diagnostics will draw, with data made here from fixed seeds. */
final class Figures {

	private Figures() {
	}

	/** Histogram edges of the θ₁ marginal: symmetric about 0, so the bars' extent is centred on x = 0. */
	static final double HALF_WIDTH = 2.5;

	/**
	 * A 2 × 2 figure using every layer kind and every role: a marginal (bars, a dashed reference density, the true
	 * value as a vertical marker at 0 on the symmetric axis [-3, 3]); a joint (heatmap, reference samples, MAP
	 * point, truth crosshair); a posterior predictive (band and median with a gap of NaNs, observed points); loss
	 * curves (two lines, one dashed, and a marker at the best epoch).
	 */
	static Figure everyLayer() {
		Random random = new Random(7);

		int bins = 20;
		double[] edges = linspace(-HALF_WIDTH, HALF_WIDTH, bins + 1);
		double[] heights = new double[bins];
		for (int i = 0; i < bins; i++) {
			double c = 0.5 * (edges[i] + edges[i + 1]);
			heights[i] = normal(c, 0, 0.8);
		}
		double[] gx = linspace(-3, 3, 121);
		double[] density = Arrays.stream(gx).map(v -> normal(v, 0.1, 0.85)).toArray();
		Panel marginal = new Panel("θ₁ marginal", "θ₁", "density", List.of(
				new Layer.Bars("NPE samples", Role.ESTIMATE, edges, heights),
				new Layer.Line("reference", Role.REFERENCE, gx, density, true),
				new Layer.Marker("θ*", Role.TRUTH, 0, true)), new double[] { -3, 3 }, null);

		int n = 40;
		double[] hx = linspace(-3, 3, n + 1), hy = linspace(-3, 3, n + 1);
		double[][] z = new double[n][n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				double x = 0.5 * (hx[i] + hx[i + 1]), y = 0.5 * (hy[j] + hy[j + 1]);
				z[i][j] = correlated(x - 0.2, y + 0.1, 0.7);
			}
		}
		int m = 1500;
		double[] sx = new double[m], sy = new double[m];
		for (int k = 0; k < m; k++) {
			double a = random.nextGaussian(), b = random.nextGaussian();
			sx[k] = 0.3 + 0.8 * a;
			sy[k] = -0.2 + 0.8 * (0.7 * a + Math.sqrt(1 - 0.49) * b);
		}
		Panel joint = new Panel("θ₁, θ₂ joint", "θ₁", "θ₂", List.of(
				new Layer.Heatmap("q(θ | x_o)", Role.ESTIMATE, hx, hy, z),
				new Layer.Points("reference samples", Role.REFERENCE, sx, sy),
				new Layer.Points("MAP", Role.MAP, new double[] { 0.2 }, new double[] { -0.1 }),
				new Layer.Marker("θ*", Role.TRUTH, 0.3, true),
				new Layer.Marker("", Role.TRUTH, -0.2, false)), new double[] { -3, 3 }, new double[] { -3, 3 });

		int t = 100;
		double[] time = linspace(0, 10, t), median = new double[t], lo = new double[t], hi = new double[t];
		for (int i = 0; i < t; i++) {
			median[i] = Math.sin(time[i]) * Math.exp(-0.1 * time[i]);
			double w = 0.25 + 0.03 * time[i];
			lo[i] = median[i] - w;
			hi[i] = median[i] + w;
		}
		for (int i = 45; i < 50; i++) {
			median[i] = Double.NaN; // a stretch the simulator did not return
			lo[i] = Double.NaN;
			hi[i] = Double.NaN;
		}
		List<Double> ox = new ArrayList<>(), oy = new ArrayList<>();
		for (int i = 0; i < t; i += 4) {
			ox.add(time[i]);
			oy.add(Math.sin(time[i]) * Math.exp(-0.1 * time[i]) + 0.15 * random.nextGaussian());
		}
		Panel predictive = new Panel("posterior predictive", "t [s]", "x(t)", List.of(
				new Layer.Band("90% predictive", Role.ESTIMATE, time, lo, hi),
				new Layer.Line("median", Role.ESTIMATE, time, median, false),
				new Layer.Points("x_o", Role.TRUTH, unbox(ox), unbox(oy))));

		int epochs = 60;
		double[] epoch = new double[epochs], train = new double[epochs], valid = new double[epochs];
		for (int e = 0; e < epochs; e++) {
			epoch[e] = e + 1;
			train[e] = 2.0 * Math.exp(-e / 12.0) + 0.5 + 0.02 * random.nextGaussian();
			valid[e] = 2.0 * Math.exp(-e / 12.0) + 0.6 + 0.004 * Math.max(0, e - 40) * (e - 40) / 10.0
					+ 0.03 * random.nextGaussian();
		}
		Panel training = new Panel("training", "epoch", "−log q", List.of(
				new Layer.Line("training", Role.ESTIMATE, epoch, train, false),
				new Layer.Line("validation", Role.SECONDARY, epoch, valid, true),
				new Layer.Marker("best epoch", Role.REFERENCE, 41, true)));

		return new Figure("Posterior for two_moons, observation 1", List.of(marginal, joint, predictive, training), 2);
	}

	/** A corner plot of three parameters: histograms on the diagonal, samples below, nothing above. */
	static Figure pairplot() {
		Random random = new Random(11);
		int d = 3, n = 800;
		double[][] samples = new double[d][n];
		for (int k = 0; k < n; k++) {
			double a = random.nextGaussian(), b = random.nextGaussian(), c = random.nextGaussian();
			samples[0][k] = a;
			samples[1][k] = 0.6 * a + 0.8 * b;
			samples[2][k] = 2 + 0.5 * c;
		}
		double[] truth = { 0.1, -0.3, 2.2 };
		String[] names = { "mass [GeV]", "width [GeV]", "coupling" };
		List<Panel> panels = new ArrayList<>();
		for (int row = 0; row < d; row++) {
			for (int col = 0; col < d; col++) {
				String xLabel = row == d - 1 ? names[col] : "";
				String yLabel = col == 0 && row > 0 ? names[row] : "";
				if (col > row) {
					panels.add(null);
				} else if (col == row) {
					double[] edges = linspace(min(samples[col]), max(samples[col]), 21);
					panels.add(new Panel("", xLabel, yLabel, List.of(
							new Layer.Bars("", Role.ESTIMATE, edges, histogram(samples[col], edges)),
							new Layer.Marker("", Role.TRUTH, truth[col], true))));
				} else {
					panels.add(new Panel("", xLabel, yLabel, List.of(
							new Layer.Points("", Role.ESTIMATE, samples[col], samples[row]),
							new Layer.Marker("", Role.TRUTH, truth[col], true),
							new Layer.Marker("", Role.TRUTH, truth[row], false))));
				}
			}
		}
		return new Figure("", panels, d);
	}

	static double[] linspace(double a, double b, int n) {
		double[] v = new double[n];
		for (int i = 0; i < n; i++) {
			v[i] = i == n - 1 ? b : a + (b - a) * i / (n - 1);
		}
		return v;
	}

	static double normal(double x, double mean, double sd) {
		double u = (x - mean) / sd;
		return Math.exp(-0.5 * u * u) / (sd * Math.sqrt(2 * Math.PI));
	}

	private static double correlated(double x, double y, double rho) {
		double q = (x * x - 2 * rho * x * y + y * y) / (1 - rho * rho);
		return Math.exp(-0.5 * q / 0.64);
	}

	private static double[] histogram(double[] values, double[] edges) {
		double[] counts = new double[edges.length - 1];
		double width = edges[1] - edges[0];
		for (double v : values) {
			int bin = (int) Math.min(counts.length - 1, Math.floor((v - edges[0]) / width));
			counts[bin] += 1.0 / (values.length * width);
		}
		return counts;
	}

	private static double min(double[] v) {
		return Arrays.stream(v).min().orElseThrow();
	}

	private static double max(double[] v) {
		return Arrays.stream(v).max().orElseThrow();
	}

	private static double[] unbox(List<Double> v) {
		return v.stream().mapToDouble(Double::doubleValue).toArray();
	}
}
