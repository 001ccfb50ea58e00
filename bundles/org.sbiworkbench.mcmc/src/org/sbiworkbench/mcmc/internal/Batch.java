package org.sbiworkbench.mcmc.internal;

import org.sbiworkbench.mcmc.LogDensity;

/** Batched evaluation of the chains that still need one, in a single call. */
final class Batch {

	private Batch() {
	}

	/** Evaluates rows {@code points[active[0..count)]} in one call and writes the values to {@code out[chain]}. */
	static void logDensity(LogDensity target, double[][] points, int[] active, int count, double[] out) {
		if (count == 0) {
			return;
		}
		double[][] rows = new double[count][];
		for (int i = 0; i < count; i++) {
			rows[i] = points[active[i]];
		}
		double[] values = new double[count];
		target.logDensity(rows, values);
		for (int i = 0; i < count; i++) {
			out[active[i]] = values[i];
		}
	}

	/** Like {@link #logDensity}, with the gradients written to {@code grad[chain]}. */
	static void logDensityAndGradient(LogDensity target, double[][] points, int[] active, int count, double[] out,
			double[][] grad) {
		if (count == 0) {
			return;
		}
		double[][] rows = new double[count][];
		double[][] grads = new double[count][];
		for (int i = 0; i < count; i++) {
			rows[i] = points[active[i]];
			grads[i] = grad[active[i]];
		}
		double[] values = new double[count];
		target.logDensityAndGradient(rows, values, grads);
		for (int i = 0; i < count; i++) {
			out[active[i]] = values[i];
		}
	}
}
