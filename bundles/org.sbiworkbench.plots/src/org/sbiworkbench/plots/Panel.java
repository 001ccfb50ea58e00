package org.sbiworkbench.plots;

import java.util.List;
import java.util.Objects;

/**
 * One set of axes and what is drawn on them, bottom layer first.
 *
 * @param title  above the axes; may be empty
 * @param xLabel the x axis label (with units where there are any)
 * @param yLabel the y axis label
 * @param layers drawn in order
 * @param xRange fixed x range {lower, upper}, or {@code null} to fit the data
 * @param yRange fixed y range {lower, upper}, or {@code null} to fit the data
 */
public record Panel(String title, String xLabel, String yLabel, List<Layer> layers, double[] xRange, double[] yRange) {

	public Panel {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(xLabel, "xLabel");
		Objects.requireNonNull(yLabel, "yLabel");
		layers = List.copyOf(layers);
		checkRange(xRange, "x");
		checkRange(yRange, "y");
	}

	public Panel(String title, String xLabel, String yLabel, List<Layer> layers) {
		this(title, xLabel, yLabel, layers, null, null);
	}

	public Panel withRanges(double[] x, double[] y) {
		return new Panel(title, xLabel, yLabel, layers, x, y);
	}

	private static void checkRange(double[] r, String axis) {
		if (r != null && (r.length != 2 || !(r[0] < r[1]) || !Double.isFinite(r[0]) || !Double.isFinite(r[1]))) {
			throw new IllegalArgumentException(axis + " range must be {lower, upper} with finite lower < upper");
		}
	}
}
