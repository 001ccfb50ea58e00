package org.sbiworkbench.core;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Short ways to write the usual priors, e.g.
 * {@code Priors.independent(Priors.logNormal(new Parameter("sigma", "nm"), 0, 0.5), ...)}.
 */
public final class Priors {

	private Priors() {
	}

	/** One parameter with its marginal distribution, for {@link #independent(Marginal...)}. */
	public record Marginal(Parameter parameter, RealDistribution distribution) {
	}

	public static Marginal uniform(Parameter p, double lower, double upper) {
		return new Marginal(p, new org.apache.commons.math3.distribution.UniformRealDistribution(null, lower, upper));
	}

	public static Marginal normal(Parameter p, double mean, double standardDeviation) {
		return new Marginal(p, new NormalDistribution(null, mean, standardDeviation));
	}

	/** log θ ~ N(mu, sigma²): for positive parameters such as rates, masses, temperatures. */
	public static Marginal logNormal(Parameter p, double mu, double sigma) {
		return new Marginal(p, new LogNormalDistribution(null, mu, sigma));
	}

	/** Gamma with shape k and scale s (mean k·s): for positive parameters. */
	public static Marginal gamma(Parameter p, double shape, double scale) {
		return new Marginal(p, new GammaDistribution(null, shape, scale));
	}

	public static IndependentPrior independent(Marginal... marginals) {
		List<Parameter> ps = new ArrayList<>();
		List<RealDistribution> ds = new ArrayList<>();
		for (Marginal m : marginals) {
			ps.add(m.parameter());
			ds.add(m.distribution());
		}
		return new IndependentPrior(ps, ds);
	}

	/** A uniform draw in the open interval (0, 1), so inverse CDFs never see 0 or 1. */
	static double openUnit(RandomGenerator random) {
		double u;
		do {
			u = random.nextDouble();
		} while (u == 0.0);
		return u;
	}

	static void checkDimension(Prior prior, double[] theta) {
		if (theta.length != prior.dimension()) {
			throw new IllegalArgumentException("θ has " + theta.length + " components but the prior is over "
					+ prior.dimension() + " parameters " + prior.parameters().stream().map(Parameter::name).toList());
		}
	}

	static String format(double v) {
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		String s = String.format(java.util.Locale.ROOT, "%.4g", v);
		return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
	}

	static String toString(Prior prior) {
		StringBuilder s = new StringBuilder(prior.getClass().getSimpleName()).append('[');
		for (int i = 0; i < prior.dimension(); i++) {
			s.append(i == 0 ? "" : ", ").append(prior.parameters().get(i).name()).append(" ~ ").append(prior.describe(i));
		}
		return s.append(']').toString();
	}
}
