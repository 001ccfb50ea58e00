package org.sbiworkbench.estimators.abc;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.CorrelatedRandomVectorGenerator;
import org.apache.commons.math3.random.GaussianRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;

/**
 * An ABC posterior for one observation x_o: weighted particles θᵢ (the accepted simulations of rejection ABC,
 * equal weights, or the final SMC-ABC population with its importance weights; after a regression adjustment the
 * adjusted θᵢ* with Epanechnikov weights), sampled as sbibm does through a Gaussian kernel density estimate.
 * The KDE draws the particles by their {@link #samplingWeights()}: the weights themselves, or for SMC-ABC by
 * default (as sbibm) without the importance weights, which collapse onto a few particles in many dimensions.
 * <p>
 * {@link #sample} draws a particle by sampling weight and adds N(0, h² S), with S the kernel shape of the setting
 * {@code kde_kernel} (the particles' weighted covariance Σ, its diagonal, or the pooled variance times I; see
 * {@link AbcSettings.KdeKernel}) and h the bandwidth factor (by the rule of {@code kde_bandwidth}, n_eff the
 * effective sample size in Scott's n_eff^(−1/(d+4)) and Silverman's rules, cross-validated in the coordinates
 * whitened by S for "cv"); draws
 * outside the prior's support are rejected ({@link #acceptanceRate()}), and when almost nothing is accepted
 * sampling stops with a message instead of running forever. With the covariance kernel the smoothing inflates
 * the particles' covariance by the factor 1 + h² (about 1.17 for 200 particles in two dimensions at Scott's h).
 * <p>
 * {@link #hasDensity()} is false: the KDE has a density, but it is that of the smoothed ε-approximation, not of
 * the posterior, and calling it the posterior density would make HPD coverage checks report on the KDE's
 * bandwidth rather than the method. SBC and posterior predictive checks work on samples.
 */
public final class AbcPosterior implements Posterior {

	/** Below this share of KDE draws inside the prior's support sampling gives up. */
	public static final double MIN_ACCEPTANCE = 1e-3;
	private static final int BATCH = 4_096;
	/** Kernel directions with less than this share of the largest variance are degenerate (Commons Math's rank threshold). */
	private static final double KERNEL_RANK_THRESHOLD = 1e-12;

	private final List<Parameter> parameters;
	private final Prior prior;
	private final double[] observation;
	private final double[][] particles;
	private final double[] weights;
	private final double[] samplingWeights;
	private final double[] cumulative;
	private final double[] distances;
	private final double epsilon;
	private final double bandwidth;
	/** The kernel covariance h² Σ; null when there is no smoothing. */
	private final RealMatrix kernel;
	private final Map<String, Object> summary;
	private long drawn;
	private long accepted;

	/**
	 * @param weights the particles' weights (importance or Epanechnikov weights; equal for plain rejection ABC)
	 * @param samplingWeights the weights the KDE draws and is shaped by; null for {@code weights}
	 */
	AbcPosterior(List<Parameter> parameters, Prior prior, double[] observation, double[][] particles, double[] weights,
			double[] samplingWeights, double[] distances, double epsilon, AbcSettings.Bandwidth rule, AbcSettings.KdeKernel shape,
			Map<String, Object> summary) {
		if (particles.length == 0) {
			throw new IllegalStateException("An ABC posterior needs at least one accepted simulation");
		}
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.observation = observation.clone();
		this.particles = particles;
		this.weights = AbcMath.normalise(weights);
		this.samplingWeights = samplingWeights == null ? this.weights : AbcMath.normalise(samplingWeights);
		this.distances = distances;
		this.epsilon = epsilon;
		this.cumulative = new double[particles.length];
		double c = 0;
		for (int i = 0; i < particles.length; i++) {
			c += this.samplingWeights[i];
			cumulative[i] = c;
		}
		double[] w = this.samplingWeights;
		double[][] covariance = AbcMath.kernelShape(shape, AbcMath.weightedCovariance(particles, w), particles, w);
		double[][] lower = AbcMath.cholesky(covariance);
		double h = particles.length < 2 ? 0 : AbcMath.bandwidthFactor(rule, particles, w, lower);
		boolean moves = false;
		for (int a = 0; a < covariance.length; a++) {
			moves |= covariance[a][a] > 0;
		}
		this.bandwidth = moves ? h : 0;
		if (bandwidth > 0) {
			kernel = new Array2DRowRealMatrix(covariance).scalarMultiply(bandwidth * bandwidth);
		} else {
			kernel = null;
		}
		Map<String, Object> m = new LinkedHashMap<>(summary);
		m.put("accepted", particles.length);
		m.put("epsilon", epsilon);
		m.put("effective_sample_size", effectiveSampleSize());
		m.put("kde_weighted", this.samplingWeights == this.weights);
		m.put("kde_bandwidth", rule.id());
		m.put("kde_kernel", shape.id());
		m.put("bandwidth_factor", bandwidth);
		this.summary = Collections.unmodifiableMap(m);
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] observation() {
		return observation.clone();
	}

	/**
	 * The particles θᵢ the KDE is centred on (adjusted, when a regression adjustment was made); for rejection ABC
	 * nearest first.
	 */
	public double[][] particles() {
		double[][] out = new double[particles.length][];
		for (int i = 0; i < out.length; i++) {
			out[i] = particles[i].clone();
		}
		return out;
	}

	/** The particles' normalised weights: equal, importance (SMC-ABC) or Epanechnikov (after a regression adjustment). */
	public double[] weights() {
		return weights.clone();
	}

	/**
	 * The normalised weights the KDE draws the particles by and takes its shape and bandwidth from: {@link #weights()},
	 * or, for SMC-ABC with {@code kde_weights=false} (the default), equal weights (Epanechnikov ones after a
	 * regression adjustment).
	 */
	public double[] samplingWeights() {
		return samplingWeights.clone();
	}

	/** The particles' distances ‖(xᵢ − x_o)/s‖ to the observation. */
	public double[] distances() {
		return distances.clone();
	}

	/**
	 * The acceptance threshold ε in scaled units: the largest accepted distance (rejection ABC) or the final
	 * generation's threshold (SMC-ABC).
	 */
	public double epsilon() {
		return epsilon;
	}

	/** Kish's effective sample size 1/Σwᵢ² of the particles' {@link #weights()}. */
	public double effectiveSampleSize() {
		return AbcMath.effectiveSampleSize(weights);
	}

	/** The KDE's bandwidth factor h (kernel covariance h² S, S the kernel shape); 0 when samples are the particles themselves. */
	public double bandwidthFactor() {
		return bandwidth;
	}

	/**
	 * How the posterior was obtained, for reports: accepted, epsilon, effective_sample_size, kde_bandwidth,
	 * bandwidth_factor, and per method e.g. simulations, failed_simulations, generations.
	 */
	@Override
	public Map<String, Object> summary() {
		return summary;
	}

	/** Below this share of the particles the effective sample size is reported as a warning. */
	public static final double MIN_EFFECTIVE_SHARE = 0.1;

	/**
	 * A warning when the weights rest on a handful of particles (effective sample size below
	 * {@value #MIN_EFFECTIVE_SHARE} of them). SMC-ABC's importance weights collapse like this in many dimensions
	 * (gaussian_linear, 10 parameters, 10,000 simulations: ESS 2-14 of 100): the proposal was far from the
	 * ε-posterior. A KDE drawn by those weights is mostly its own kernels around a handful of particles; one drawn
	 * without them (the default) uses every particle but is not an importance sample of the ε-posterior either.
	 */
	@Override
	public List<String> warnings() {
		double ess = effectiveSampleSize();
		if (particles.length < 10 || ess >= MIN_EFFECTIVE_SHARE * particles.length) {
			return List.of();
		}
		String head = String.format(Locale.ROOT, "The ABC particles' weights give an effective sample size of %.1f of %d", ess,
				particles.length);
		if (samplingWeights == weights) {
			return List.of(head + ": the samples are mostly the KDE's kernels around a handful of particles. For SMC-ABC, draw "
					+ "from the particles without their weights (setting kde_weights=false, as sbibm does), or raise the simulation budget.");
		}
		return List.of(head + ": SMC-ABC's proposals were far from the ε-posterior. The samples come from all the particles "
				+ "without these weights (kde_weights=false), the better of the two in sbibm's 10-D gaussian_linear, but only an "
				+ "approximation of the ε-posterior; a larger simulation budget or kernel_scale keeps more of the weight.");
	}

	/** The share of KDE draws inside the prior's support, over all draws so far (NaN before any). */
	@Override
	public synchronized double acceptanceRate() {
		return drawn == 0 ? Double.NaN : (double) accepted / drawn;
	}

	@Override
	public double[][] sample(int n, RandomGenerator random) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot draw a negative number of samples: " + n);
		}
		int d = parameters.size();
		double[][] out = new double[n][];
		int filled = 0;
		long localDrawn = 0;
		long limit = Math.max(10L * BATCH, (long) Math.ceil(n / MIN_ACCEPTANCE));
		CorrelatedRandomVectorGenerator noise = null;
		if (kernel != null) {
			double largest = 0;
			for (int a = 0; a < d; a++) {
				largest = Math.max(largest, kernel.getEntry(a, a));
			}
			noise = new CorrelatedRandomVectorGenerator(new double[d], kernel, KERNEL_RANK_THRESHOLD * largest,
					new GaussianRandomGenerator(random));
		}
		while (filled < n) {
			if (localDrawn >= limit) {
				throw new IllegalStateException(String.format(Locale.ROOT,
						"Only %d of %d ABC kernel-density draws fell inside the prior's support (acceptance %.2g < %.0e): the "
								+ "accepted simulations lie at the edge of or outside the support (after a regression adjustment, "
								+ "try without it or with more simulations)",
						filled, localDrawn, (double) filled / localDrawn, MIN_ACCEPTANCE));
			}
			int m = (int) Math.min(BATCH, Math.max(n - filled, 256) * 2L);
			int keep = 0;
			for (int t = 0; t < m; t++) {
				double[] base = particles[pick(random)];
				double[] theta = base.clone();
				if (noise != null) {
					double[] e = noise.nextVector();
					for (int a = 0; a < d; a++) {
						theta[a] += e[a];
					}
				}
				if (prior.inSupport(theta)) {
					keep++;
					if (filled < n) {
						out[filled++] = theta;
					}
				}
			}
			localDrawn += m;
			synchronized (this) {
				drawn += m;
				accepted += keep;
			}
		}
		return out;
	}

	private int pick(RandomGenerator random) {
		double u = random.nextDouble() * cumulative[cumulative.length - 1];
		int i = Arrays.binarySearch(cumulative, u);
		i = Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
		// Never a zero-weight particle (its interval is empty; u can only land on its boundary).
		while (samplingWeights[i] == 0 && i < cumulative.length - 1) {
			i++;
		}
		while (samplingWeights[i] == 0 && i > 0) {
			i--;
		}
		return i;
	}

	@Override
	public boolean hasDensity() {
		return false;
	}

	@Override
	public double logProb(double[] theta) {
		throw new UnsupportedOperationException("An ABC posterior has no density: its samples come from a kernel density estimate "
				+ "over accepted simulations, whose density is that of the smoothed ε-approximation, not the posterior's");
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "AbcPosterior[%d particles, ε = %.4g, ESS = %.1f, h = %.3g]", particles.length, epsilon,
				effectiveSampleSize(), bandwidth);
	}
}
