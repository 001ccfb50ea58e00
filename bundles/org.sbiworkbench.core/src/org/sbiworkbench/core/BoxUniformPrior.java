package org.sbiworkbench.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * Independent uniform priors on a box [lower_i, upper_i].
 */
public final class BoxUniformPrior implements Prior {

	private final List<Parameter> parameters;
	private final double[] lower;
	private final double[] upper;
	private final double logDensity;

	public BoxUniformPrior(List<Parameter> parameters, double[] lower, double[] upper) {
		this.parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
		this.lower = lower.clone();
		this.upper = upper.clone();
		if (this.lower.length != this.parameters.size() || this.upper.length != this.parameters.size()) {
			throw new IllegalArgumentException("A box-uniform prior over " + this.parameters.size()
					+ " parameters needs " + this.parameters.size() + " lower and upper bounds, got "
					+ this.lower.length + " and " + this.upper.length);
		}
		double logVolume = 0;
		for (int i = 0; i < this.lower.length; i++) {
			if (!(Double.isFinite(this.lower[i]) && Double.isFinite(this.upper[i]) && this.lower[i] < this.upper[i])) {
				throw new IllegalArgumentException("Bounds of " + this.parameters.get(i).name() + " must be finite with lower < upper, got ["
						+ this.lower[i] + ", " + this.upper[i] + "]");
			}
			logVolume += Math.log(this.upper[i] - this.lower[i]);
		}
		this.logDensity = -logVolume;
	}

	/** The same bounds [lower, upper] for every parameter. */
	public static BoxUniformPrior of(List<Parameter> parameters, double lower, double upper) {
		double[] lo = new double[parameters.size()];
		double[] hi = new double[parameters.size()];
		Arrays.fill(lo, lower);
		Arrays.fill(hi, upper);
		return new BoxUniformPrior(parameters, lo, hi);
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] sample(RandomGenerator random) {
		double[] theta = new double[lower.length];
		for (int i = 0; i < theta.length; i++) {
			theta[i] = lower[i] + (upper[i] - lower[i]) * random.nextDouble();
		}
		return theta;
	}

	@Override
	public double logProb(double[] theta) {
		return inSupport(theta) ? logDensity : Double.NEGATIVE_INFINITY;
	}

	@Override
	public boolean inSupport(double[] theta) {
		Priors.checkDimension(this, theta);
		for (int i = 0; i < theta.length; i++) {
			// NaN fails both comparisons and so lies outside the support.
			if (!(theta[i] >= lower[i] && theta[i] <= upper[i])) {
				return false;
			}
		}
		return true;
	}

	@Override
	public double[] lowerBounds() {
		return lower.clone();
	}

	@Override
	public double[] upperBounds() {
		return upper.clone();
	}

	@Override
	public String describe(int i) {
		return "U(" + Priors.format(lower[i]) + ", " + Priors.format(upper[i]) + ")";
	}

	@Override
	public String toString() {
		return Priors.toString(this);
	}
}
