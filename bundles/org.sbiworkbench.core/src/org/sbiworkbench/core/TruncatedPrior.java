package org.sbiworkbench.core;

import java.util.List;

import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A prior restricted to a box [lower, upper] and renormalised.
 * <p>
 * Over an {@link IndependentPrior} the truncation is exact: each marginal is
 * sampled by inverse CDF inside its interval and normalised by its CDF mass.
 * Over any other prior (e.g. a correlated Gaussian), samples come by rejection
 * and the normalising mass is estimated once from {@value #MASS_DRAWS} prior
 * draws with a fixed seed; {@link #normaliserIsExact()} tells which.
 */
public final class TruncatedPrior implements Prior {

	static final int MASS_DRAWS = 200_000;
	/** Rejection gives up beyond this many draws per accepted sample. */
	private static final int MAX_REJECTIONS = 100_000;

	private final Prior base;
	private final double[] lower;
	private final double[] upper;
	private final double logMass;
	private final boolean exact;
	// Exact path: CDF values at the bounds.
	private final double[] cdfLower;
	private final double[] cdfUpper;

	public TruncatedPrior(Prior base, double[] lower, double[] upper) {
		this.base = base;
		int d = base.dimension();
		if (lower.length != d || upper.length != d) {
			throw new IllegalArgumentException("Truncating a prior over " + d + " parameters needs " + d
					+ " lower and upper bounds, got " + lower.length + " and " + upper.length);
		}
		double[] baseLo = base.lowerBounds();
		double[] baseHi = base.upperBounds();
		this.lower = new double[d];
		this.upper = new double[d];
		for (int i = 0; i < d; i++) {
			if (!(lower[i] < upper[i])) {
				throw new IllegalArgumentException("Truncation of " + base.parameters().get(i).name() + " needs lower < upper, got ["
						+ lower[i] + ", " + upper[i] + "]");
			}
			this.lower[i] = Math.max(lower[i], baseLo[i]);
			this.upper[i] = Math.min(upper[i], baseHi[i]);
		}
		if (base instanceof IndependentPrior independent) {
			exact = true;
			cdfLower = new double[d];
			cdfUpper = new double[d];
			double lm = 0;
			for (int i = 0; i < d; i++) {
				RealDistribution m = independent.marginal(i);
				cdfLower[i] = this.lower[i] == Double.NEGATIVE_INFINITY ? 0 : m.cumulativeProbability(this.lower[i]);
				cdfUpper[i] = this.upper[i] == Double.POSITIVE_INFINITY ? 1 : m.cumulativeProbability(this.upper[i]);
				double mass = cdfUpper[i] - cdfLower[i];
				if (!(mass > 0)) {
					throw new IllegalArgumentException(noMass(i));
				}
				lm += Math.log(mass);
			}
			logMass = lm;
		} else {
			exact = false;
			cdfLower = null;
			cdfUpper = null;
			RandomGenerator random = new Well19937c(0x5B1_7A6L);
			int inside = 0;
			for (int n = 0; n < MASS_DRAWS; n++) {
				if (inBox(base.sample(random))) {
					inside++;
				}
			}
			if (inside < 100) {
				throw new IllegalArgumentException("The truncation box " + java.util.Arrays.toString(this.lower) + " – "
						+ java.util.Arrays.toString(this.upper) + " holds almost no prior mass (" + inside + " of "
						+ MASS_DRAWS + " draws); widen it or change the prior");
			}
			logMass = Math.log((double) inside / MASS_DRAWS);
		}
	}

	private String noMass(int i) {
		return "The truncation [" + lower[i] + ", " + upper[i] + "] of " + base.parameters().get(i).name()
				+ " holds no prior mass; widen it or change the prior";
	}

	public Prior base() {
		return base;
	}

	/** log of the base prior's mass inside the box. */
	public double logMass() {
		return logMass;
	}

	/** True when {@link #logMass()} is computed exactly, false when estimated by Monte Carlo. */
	public boolean normaliserIsExact() {
		return exact;
	}

	@Override
	public List<Parameter> parameters() {
		return base.parameters();
	}

	@Override
	public double[] sample(RandomGenerator random) {
		if (exact) {
			IndependentPrior independent = (IndependentPrior) base;
			double[] theta = new double[lower.length];
			for (int i = 0; i < theta.length; i++) {
				double u = cdfLower[i] + (cdfUpper[i] - cdfLower[i]) * Priors.openUnit(random);
				// Clamp: inverse CDFs may round a hair outside the interval.
				theta[i] = Math.min(upper[i], Math.max(lower[i], independent.marginal(i).inverseCumulativeProbability(u)));
			}
			return theta;
		}
		for (int n = 0; n < MAX_REJECTIONS; n++) {
			double[] theta = base.sample(random);
			if (inBox(theta)) {
				return theta;
			}
		}
		throw new IllegalStateException("No draw of the base prior fell inside the truncation box in " + MAX_REJECTIONS + " tries");
	}

	private boolean inBox(double[] theta) {
		for (int i = 0; i < theta.length; i++) {
			if (!(theta[i] >= lower[i] && theta[i] <= upper[i])) {
				return false;
			}
		}
		return true;
	}

	@Override
	public double logProb(double[] theta) {
		Priors.checkDimension(this, theta);
		if (!inBox(theta)) {
			return Double.NEGATIVE_INFINITY;
		}
		return base.logProb(theta) - logMass;
	}

	@Override
	public boolean inSupport(double[] theta) {
		Priors.checkDimension(this, theta);
		return inBox(theta) && base.inSupport(theta);
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
		return base.describe(i) + " truncated to [" + Priors.format(lower[i]) + ", " + Priors.format(upper[i]) + "]";
	}

	@Override
	public String toString() {
		return Priors.toString(this);
	}
}
