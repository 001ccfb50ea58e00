package org.sbiworkbench.diagnostics.tests;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;

/**
 * gaussian_linear's exact posterior N(x/2, 0.05·I), with its variance multiplied by {@code factor}: 1 is exact,
 * 0.25 overconfident, 4 underconfident.
 */
final class ScaledGaussianLinearPosterior implements AmortizedPosterior {

	static final double VARIANCE = 0.05;
	private final List<Parameter> parameters;
	private final double factor;

	ScaledGaussianLinearPosterior(List<Parameter> parameters, double factor) {
		this.parameters = parameters;
		this.factor = factor;
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public void save(Path dir) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Posterior condition(double[] x) {
		double sd = Math.sqrt(VARIANCE * factor);
		return new Posterior() {
			@Override
			public List<Parameter> parameters() {
				return parameters;
			}

			@Override
			public double[] observation() {
				return x.clone();
			}

			@Override
			public double[][] sample(int n, RandomGenerator random) {
				double[][] s = new double[n][x.length];
				for (int i = 0; i < n; i++) {
					for (int j = 0; j < x.length; j++) {
						s[i][j] = x[j] / 2 + sd * random.nextGaussian();
					}
				}
				return s;
			}

			@Override
			public boolean hasDensity() {
				return true;
			}

			@Override
			public double logProb(double[] theta) {
				double lp = 0;
				for (int j = 0; j < x.length; j++) {
					double z = (theta[j] - x[j] / 2) / sd;
					lp += -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
				}
				return lp;
			}
		};
	}
}
