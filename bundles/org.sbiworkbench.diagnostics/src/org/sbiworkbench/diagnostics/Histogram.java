package org.sbiworkbench.diagnostics;

/**
 * Counts (or a density) in equal bins over [lower, upper]; values outside are left out and counted apart.
 *
 * @param edges   bins + 1 edges
 * @param heights per bin: counts, or counts / (n · width) when normalised
 * @param outside values below lower or above upper
 */
public record Histogram(double[] edges, double[] heights, int outside) {

	public static Histogram of(double[] values, int bins, double lower, double upper, boolean density) {
		if (bins < 1 || !(lower < upper)) {
			throw new IllegalArgumentException("a histogram needs bins ≥ 1 and lower < upper, got " + bins + " bins over [" + lower + ", "
					+ upper + "]");
		}
		double[] edges = new double[bins + 1];
		double w = (upper - lower) / bins;
		for (int i = 0; i <= bins; i++) {
			edges[i] = lower + i * w;
		}
		double[] h = new double[bins];
		int outside = 0;
		for (double v : values) {
			int i = (int) Math.floor((v - lower) / w);
			if (v == upper) {
				i = bins - 1;
			}
			if (i >= 0 && i < bins) {
				h[i]++;
			} else {
				outside++;
			}
		}
		if (density && values.length > 0) {
			for (int i = 0; i < bins; i++) {
				h[i] /= values.length * w;
			}
		}
		return new Histogram(edges, h, outside);
	}
}
