package org.sbiworkbench.mcmc.internal;

import org.sbiworkbench.mcmc.LogDensity;

/** A target that counts the points it is evaluated at and maps NaN to −∞. */
public final class CountingLogDensity implements LogDensity {

	private final LogDensity target;
	private long evaluations;

	public CountingLogDensity(LogDensity target) {
		this.target = target;
	}

	public long evaluations() {
		return evaluations;
	}

	@Override
	public int dimension() {
		return target.dimension();
	}

	@Override
	public boolean hasGradient() {
		return target.hasGradient();
	}

	@Override
	public void logDensity(double[][] theta, double[] out) {
		if (theta.length == 0) {
			return;
		}
		target.logDensity(theta, out);
		evaluations += theta.length;
		clean(out, theta.length);
	}

	@Override
	public void logDensityAndGradient(double[][] theta, double[] out, double[][] grad) {
		if (theta.length == 0) {
			return;
		}
		target.logDensityAndGradient(theta, out, grad);
		evaluations += theta.length;
		clean(out, theta.length);
	}

	private static void clean(double[] out, int n) {
		for (int i = 0; i < n; i++) {
			if (Double.isNaN(out[i]) || out[i] == Double.POSITIVE_INFINITY) {
				out[i] = Double.NEGATIVE_INFINITY;
			}
		}
	}
}
