package org.sbiworkbench.plots;

import java.util.Objects;

/**
 * What can be drawn on a {@link Panel}. Each kind carries only numbers and a legend name; colours follow
 * the {@link Role}, so every view and report shows, say, the true parameters the same way.
 */
public sealed interface Layer {

	/** What a layer means; renderers pick colours and strokes from it. */
	enum Role {
		/** The posterior or the estimate being judged. */
		ESTIMATE,
		/** A reference: the exact posterior, the prior, the diagonal of a coverage plot. */
		REFERENCE,
		/** An observation x_o or true parameters θ*. */
		TRUTH,
		/** The maximum a posteriori estimate. */
		MAP,
		/** A second estimate, e.g. validation loss beside training loss. */
		SECONDARY
	}

	String name();

	Role role();

	/** A polyline through (x[i], y[i]). */
	record Line(String name, Role role, double[] x, double[] y, boolean dashed) implements Layer {
		public Line {
			sameLength(x, y, "x", "y");
		}
	}

	/** A filled band between lower[i] and upper[i] at x[i]: confidence or predictive bands. */
	record Band(String name, Role role, double[] x, double[] lower, double[] upper) implements Layer {
		public Band {
			sameLength(x, lower, "x", "lower");
			sameLength(x, upper, "x", "upper");
		}
	}

	/** A histogram: bar i spans [edges[i], edges[i+1]) with height heights[i]. */
	record Bars(String name, Role role, double[] edges, double[] heights) implements Layer {
		public Bars {
			Objects.requireNonNull(edges);
			if (edges.length != heights.length + 1) {
				throw new IllegalArgumentException("a histogram needs one more edge than bars: " + edges.length + " edges, "
						+ heights.length + " bars");
			}
		}
	}

	/** Individual points, e.g. posterior samples or an observed spectrum. */
	record Points(String name, Role role, double[] x, double[] y) implements Layer {
		public Points {
			sameLength(x, y, "x", "y");
		}
	}

	/** A value marked across the panel: a vertical line at x when vertical, otherwise a horizontal line at y. */
	record Marker(String name, Role role, double value, boolean vertical) implements Layer {
	}

	/** A 2-D density on a grid: z[i][j] over [xEdges[i], xEdges[i+1]) × [yEdges[j], yEdges[j+1]). */
	record Heatmap(String name, Role role, double[] xEdges, double[] yEdges, double[][] z) implements Layer {
		public Heatmap {
			if (z.length != xEdges.length - 1) {
				throw new IllegalArgumentException("heatmap: " + z.length + " columns for " + (xEdges.length - 1) + " x bins");
			}
			for (double[] col : z) {
				if (col.length != yEdges.length - 1) {
					throw new IllegalArgumentException("heatmap: " + col.length + " rows for " + (yEdges.length - 1) + " y bins");
				}
			}
		}
	}

	private static void sameLength(double[] a, double[] b, String an, String bn) {
		if (a.length != b.length) {
			throw new IllegalArgumentException(an + " and " + bn + " differ in length: " + a.length + " and " + b.length);
		}
	}
}
