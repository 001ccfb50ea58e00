package org.sbiworkbench.core;

import java.util.List;
import java.util.Objects;

import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Independent priors p(θ) = Π p_i(θ_i), one Commons Math distribution per
 * parameter (normal, log-normal, gamma, beta, uniform, ...).
 * <p>
 * Sampling uses the inverse CDF with the generator passed in, never the
 * distributions' own generators, so the same seed gives the same draws.
 */
public final class IndependentPrior implements Prior {

	private final List<Parameter> parameters;
	private final List<RealDistribution> marginals;

	public IndependentPrior(List<Parameter> parameters, List<? extends RealDistribution> marginals) {
		this.parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
		this.marginals = List.copyOf(Objects.requireNonNull(marginals, "marginals"));
		if (this.parameters.size() != this.marginals.size()) {
			throw new IllegalArgumentException("An independent prior over " + this.parameters.size() + " parameters "
					+ this.parameters.stream().map(Parameter::name).toList() + " needs as many distributions, got "
					+ this.marginals.size());
		}
		if (this.parameters.isEmpty()) {
			throw new IllegalArgumentException("A prior needs at least one parameter");
		}
	}

	/** The marginal distribution of parameter i. */
	public RealDistribution marginal(int i) {
		return marginals.get(i);
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] sample(RandomGenerator random) {
		double[] theta = new double[marginals.size()];
		for (int i = 0; i < theta.length; i++) {
			theta[i] = marginals.get(i).inverseCumulativeProbability(Priors.openUnit(random));
		}
		return theta;
	}

	@Override
	public double logProb(double[] theta) {
		Priors.checkDimension(this, theta);
		double sum = 0;
		for (int i = 0; i < theta.length; i++) {
			sum += logDensity(marginals.get(i), theta[i]);
			if (sum == Double.NEGATIVE_INFINITY || Double.isNaN(sum)) {
				return Double.NEGATIVE_INFINITY;
			}
		}
		return sum;
	}

	static double logDensity(RealDistribution d, double x) {
		if (!(x >= d.getSupportLowerBound() && x <= d.getSupportUpperBound())) {
			return Double.NEGATIVE_INFINITY;
		}
		return d instanceof AbstractRealDistribution a ? a.logDensity(x) : Math.log(d.density(x));
	}

	@Override
	public boolean inSupport(double[] theta) {
		Priors.checkDimension(this, theta);
		for (int i = 0; i < theta.length; i++) {
			RealDistribution d = marginals.get(i);
			if (!(theta[i] >= d.getSupportLowerBound() && theta[i] <= d.getSupportUpperBound())
					|| logDensity(d, theta[i]) == Double.NEGATIVE_INFINITY) {
				return false;
			}
		}
		return true;
	}

	@Override
	public double[] lowerBounds() {
		return marginals.stream().mapToDouble(RealDistribution::getSupportLowerBound).toArray();
	}

	@Override
	public double[] upperBounds() {
		return marginals.stream().mapToDouble(RealDistribution::getSupportUpperBound).toArray();
	}

	@Override
	public String describe(int i) {
		return describe(marginals.get(i));
	}

	static String describe(RealDistribution d) {
		if (d instanceof NormalDistribution n) {
			return "N(" + Priors.format(n.getMean()) + ", " + Priors.format(n.getStandardDeviation()) + "²)";
		}
		if (d instanceof LogNormalDistribution l) {
			return "LogNormal(" + Priors.format(l.getScale()) + ", " + Priors.format(l.getShape()) + "²)";
		}
		if (d instanceof GammaDistribution g) {
			return "Gamma(shape " + Priors.format(g.getShape()) + ", scale " + Priors.format(g.getScale()) + ")";
		}
		if (d instanceof UniformRealDistribution u) {
			return "U(" + Priors.format(u.getSupportLowerBound()) + ", " + Priors.format(u.getSupportUpperBound()) + ")";
		}
		if (d instanceof BetaDistribution b) {
			return "Beta(" + Priors.format(b.getAlpha()) + ", " + Priors.format(b.getBeta()) + ")";
		}
		return d.getClass().getSimpleName() + "(mean " + Priors.format(d.getNumericalMean()) + ", variance "
				+ Priors.format(d.getNumericalVariance()) + ")";
	}

	@Override
	public String toString() {
		return Priors.toString(this);
	}
}
