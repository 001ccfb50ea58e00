package org.sbiworkbench.core.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.IndependentPrior;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.TruncatedPrior;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Priors as JSON, for run files and campaign manifests. Either one entry per
 * parameter:
 *
 * <pre>
 * { "mass":  { "distribution": "uniform", "lower": 100, "upper": 150 },
 *   "width": { "distribution": "lognormal", "mu": 0, "sigma": 0.5, "truncate": [0.1, 10] } }
 * </pre>
 *
 * (distributions: uniform(lower, upper), normal(mean, std), lognormal(mu, sigma),
 * gamma(shape, scale), beta(alpha, beta); optional "truncate": [lower, upper]),
 * or a joint Gaussian: {@code { "gaussian": { "mean": [...], "covariance": [[...]] } }}.
 */
public final class PriorSpecs {

	private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

	private PriorSpecs() {
	}

	/** True when {@link #toJson(Prior)} can write this prior. */
	public static boolean isWritable(Prior prior) {
		try {
			toJson(prior);
			return true;
		} catch (IllegalArgumentException e) {
			return false;
		}
	}

	public static JsonNode toJson(Prior prior) {
		if (prior instanceof MultivariateGaussianPrior g) {
			ObjectNode inner = JSON.objectNode();
			inner.set("mean", array(g.mean()));
			ArrayNode cov = inner.putArray("covariance");
			for (double[] row : g.covariance()) {
				cov.add(array(row));
			}
			ObjectNode node = JSON.objectNode();
			node.set("gaussian", inner);
			return node;
		}
		ObjectNode node = JSON.objectNode();
		double[] lo = prior.lowerBounds();
		double[] hi = prior.upperBounds();
		for (int i = 0; i < prior.dimension(); i++) {
			String name = prior.parameters().get(i).name();
			if (prior instanceof BoxUniformPrior) {
				node.set(name, JSON.objectNode().put("distribution", "uniform").put("lower", lo[i]).put("upper", hi[i]));
			} else if (prior instanceof IndependentPrior ip) {
				node.set(name, marginal(ip.marginal(i), name));
			} else if (prior instanceof TruncatedPrior tp && tp.base() instanceof IndependentPrior ip) {
				ObjectNode m = marginal(ip.marginal(i), name);
				// An unbounded side is written as null: JSON has no infinity.
				ArrayNode t = m.putArray("truncate");
				if (Double.isInfinite(lo[i])) {
					t.addNull();
				} else {
					t.add(lo[i]);
				}
				if (Double.isInfinite(hi[i])) {
					t.addNull();
				} else {
					t.add(hi[i]);
				}
				node.set(name, m);
			} else if (prior instanceof TruncatedPrior tp && tp.base() instanceof BoxUniformPrior) {
				node.set(name, JSON.objectNode().put("distribution", "uniform").put("lower", lo[i]).put("upper", hi[i]));
			} else {
				throw new IllegalArgumentException("A " + prior.getClass().getSimpleName() + " cannot be written as JSON");
			}
		}
		return node;
	}

	private static ObjectNode marginal(RealDistribution d, String name) {
		ObjectNode m = JSON.objectNode();
		if (d instanceof UniformRealDistribution u) {
			return m.put("distribution", "uniform").put("lower", u.getSupportLowerBound()).put("upper", u.getSupportUpperBound());
		}
		if (d instanceof NormalDistribution n) {
			return m.put("distribution", "normal").put("mean", n.getMean()).put("std", n.getStandardDeviation());
		}
		if (d instanceof LogNormalDistribution l) {
			return m.put("distribution", "lognormal").put("mu", l.getScale()).put("sigma", l.getShape());
		}
		if (d instanceof GammaDistribution g) {
			return m.put("distribution", "gamma").put("shape", g.getShape()).put("scale", g.getScale());
		}
		if (d instanceof BetaDistribution b) {
			return m.put("distribution", "beta").put("alpha", b.getAlpha()).put("beta", b.getBeta());
		}
		throw new IllegalArgumentException("The prior of " + name + " (" + d.getClass().getSimpleName() + ") cannot be written as JSON");
	}

	private static ArrayNode array(double[] values) {
		ArrayNode a = JSON.arrayNode();
		for (double v : values) {
			a.add(v);
		}
		return a;
	}

	/**
	 * Reads a prior over exactly {@code parameters}.
	 *
	 * @param where where the JSON came from, e.g. "run.json: prior", for messages
	 */
	public static Prior fromJson(JsonNode node, List<Parameter> parameters, String where) throws RunFileException {
		if (node == null || !node.isObject()) {
			throw new RunFileException(where + " must be an object with one entry per parameter "
					+ names(parameters) + ", or {\"gaussian\": {\"mean\": [...], \"covariance\": [[...]]}}");
		}
		if (node.has("gaussian")) {
			JsonNode g = node.get("gaussian");
			double[] mean = numbers(g.get("mean"), where + ".gaussian.mean", parameters.size());
			JsonNode cov = g.get("covariance");
			if (cov == null || !cov.isArray() || cov.size() != parameters.size()) {
				throw new RunFileException(where + ".gaussian.covariance must be a " + parameters.size() + "×"
						+ parameters.size() + " array of arrays");
			}
			double[][] c = new double[parameters.size()][];
			for (int i = 0; i < c.length; i++) {
				c[i] = numbers(cov.get(i), where + ".gaussian.covariance[" + i + "]", parameters.size());
			}
			try {
				return new MultivariateGaussianPrior(parameters, mean, c);
			} catch (IllegalArgumentException e) {
				throw new RunFileException(where + ".gaussian: " + e.getMessage(), e);
			}
		}
		for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
			String name = it.next();
			if (parameters.stream().noneMatch(p -> p.name().equals(name))) {
				throw new RunFileException(where + " names '" + name + "', which is not a parameter of this simulator; its parameters are "
						+ names(parameters));
			}
		}
		List<RealDistribution> marginals = new ArrayList<>();
		double[] lower = new double[parameters.size()];
		double[] upper = new double[parameters.size()];
		boolean truncated = false;
		for (int i = 0; i < parameters.size(); i++) {
			String name = parameters.get(i).name();
			String at = where + "." + name;
			JsonNode m = node.get(name);
			if (m == null) {
				throw new RunFileException(where + " gives no prior for '" + name + "': give one for every parameter "
						+ names(parameters) + ", or use \"prior\": \"default\"");
			}
			marginals.add(distribution(m, at));
			lower[i] = Double.NEGATIVE_INFINITY;
			upper[i] = Double.POSITIVE_INFINITY;
			if (m.has("truncate")) {
				double[] t = bounds(m.get("truncate"), at + ".truncate");
				if (!(t[0] < t[1])) {
					throw new RunFileException(at + ".truncate must be [lower, upper] with lower < upper, got [" + t[0] + ", " + t[1] + "]");
				}
				lower[i] = t[0];
				upper[i] = t[1];
				truncated = true;
			}
		}
		IndependentPrior independent = new IndependentPrior(parameters, marginals);
		if (!truncated) {
			return independent;
		}
		try {
			return new TruncatedPrior(independent, lower, upper);
		} catch (IllegalArgumentException e) {
			throw new RunFileException(where + ": " + e.getMessage(), e);
		}
	}

	private static RealDistribution distribution(JsonNode m, String at) throws RunFileException {
		if (!m.isObject()) {
			throw new RunFileException(at + " must be an object such as {\"distribution\": \"uniform\", \"lower\": 0, \"upper\": 1}");
		}
		JsonNode type = m.get("distribution");
		if (type == null || !type.isTextual()) {
			throw new RunFileException(at + ".distribution is missing: use one of uniform, normal, lognormal, gamma, beta");
		}
		try {
			switch (type.asText()) {
			case "uniform": {
				double lo = number(m, "lower", at), hi = number(m, "upper", at);
				if (!(lo < hi)) {
					throw new RunFileException(at + ": uniform needs lower < upper, got lower " + lo + ", upper " + hi);
				}
				return new UniformRealDistribution(null, lo, hi);
			}
			case "normal":
				return new NormalDistribution(null, number(m, "mean", at), positive(m, "std", at));
			case "lognormal":
				return new LogNormalDistribution(null, number(m, "mu", at), positive(m, "sigma", at));
			case "gamma":
				return new GammaDistribution(null, positive(m, "shape", at), positive(m, "scale", at));
			case "beta":
				return new BetaDistribution(null, positive(m, "alpha", at), positive(m, "beta", at));
			default:
				throw new RunFileException(at + ".distribution '" + type.asText()
						+ "' is unknown: use one of uniform, normal, lognormal, gamma, beta");
			}
		} catch (org.apache.commons.math3.exception.MathIllegalArgumentException e) {
			throw new RunFileException(at + ": " + e.getLocalizedMessage(), e);
		}
	}

	private static double number(JsonNode m, String field, String at) throws RunFileException {
		JsonNode v = m.get(field);
		if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
			throw new RunFileException(at + "." + field + " must be a finite number");
		}
		return v.asDouble();
	}

	private static double positive(JsonNode m, String field, String at) throws RunFileException {
		double v = number(m, field, at);
		if (!(v > 0)) {
			throw new RunFileException(at + "." + field + " must be positive, got " + v);
		}
		return v;
	}

	private static double[] bounds(JsonNode a, String at) throws RunFileException {
		if (a == null || !a.isArray() || a.size() != 2) {
			throw new RunFileException(at + " must be [lower, upper] (null for an open side)");
		}
		double[] t = { Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY };
		for (int i = 0; i < 2; i++) {
			if (a.get(i).isNull()) {
				continue;
			}
			if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())) {
				throw new RunFileException(at + "[" + i + "] must be a finite number or null, got " + a.get(i));
			}
			t[i] = a.get(i).asDouble();
		}
		return t;
	}

	static double[] numbers(JsonNode a, String at, int expectedLength) throws RunFileException {
		if (a == null || !a.isArray() || (expectedLength >= 0 && a.size() != expectedLength)) {
			throw new RunFileException(at + " must be an array of " + (expectedLength >= 0 ? expectedLength + " " : "") + "numbers");
		}
		double[] out = new double[a.size()];
		for (int i = 0; i < out.length; i++) {
			if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())) {
				throw new RunFileException(at + "[" + i + "] must be a finite number, got " + a.get(i));
			}
			out[i] = a.get(i).asDouble();
		}
		return out;
	}

	private static List<String> names(List<Parameter> parameters) {
		return parameters.stream().map(Parameter::name).toList();
	}
}
