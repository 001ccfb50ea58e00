package org.sbiworkbench.estimators.nle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.Initialiser;
import org.sbiworkbench.mcmc.LogDensity;
import org.sbiworkbench.mcmc.McmcResult;

/**
 * A posterior known up to a constant, p(θ | x_o) ∝ exp(U(θ)) with the
 * potential U(θ) = ℓ(θ) + log p(θ), ℓ the data term of a {@link Potential}
 * (NLE's log q(x_o | θ), NRE's log-ratio), sampled by MCMC as sbi does.
 * <p>
 * <b>Densities are unnormalised.</b> {@link #hasDensity()} is true so that
 * rankings by density work (HPD levels in expected coverage, the MAP), but
 * {@link #logProb}, {@link #logProbs} and {@link #logProbsUpToConstant} all
 * return the potential U(θ), which differs from log p(θ | x_o) by an unknown
 * constant (log p(x_o) and, for NLE, the flow's approximation of it). They are
 * −∞ outside the prior's support. Compare them between θ for the same
 * observation only.
 * <p>
 * Every {@link #sample} is one MCMC run ({@link McmcOptions}: sampler, chains,
 * warm-up, thinning, initialisation) evaluating all chains in one batch; its
 * R̂ and ESS are kept ({@link #lastSampling()}) and a maximal R̂ above
 * {@value #MAX_R_HAT} is recorded as a warning ({@link #warnings()}). Progress
 * and cancellation go to the posterior's monitor ({@link #monitored}); a
 * cancelled run throws {@link java.util.concurrent.CancellationException}.
 */
public final class McmcPosterior implements Posterior {

	/** Above this largest R̂ a sampling run is recorded as not converged. */
	public static final double MAX_R_HAT = 1.05;
	/** Candidates for the MAP search: MCMC draws, the best ones refined by gradient ascent. */
	static final int MAP_SAMPLES = 1_000;
	static final int MAP_STARTS = 10;
	static final int MAP_STEPS = 300;

	private final List<Parameter> parameters;
	private final Prior prior;
	private final double[] observation;
	private final Supplier<? extends Potential> potentials;
	private final McmcOptions options;
	private final ProgressMonitor monitor;
	private final Consumer<McmcResult> recorder;
	private volatile McmcResult last;
	private volatile List<String> warnings = List.of();

	/**
	 * @param potentials makes a fresh data term for x_o for each run (one per thread)
	 * @param recorder   told about every finished run (e.g. the estimator's summary), may be null
	 */
	public McmcPosterior(List<Parameter> parameters, Prior prior, double[] observation, Supplier<? extends Potential> potentials,
			McmcOptions options, ProgressMonitor monitor, Consumer<McmcResult> recorder) {
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.observation = observation.clone();
		this.potentials = potentials;
		this.options = options;
		this.monitor = monitor == null ? ProgressMonitor.NULL : monitor;
		this.recorder = recorder;
	}

	/** The same posterior reporting its sampling runs' progress to {@code m} and stopping when it is cancelled. */
	public McmcPosterior monitored(ProgressMonitor m) {
		return new McmcPosterior(parameters, prior, observation, potentials, options, m, recorder);
	}

	/** The same posterior sampled with other MCMC options (e.g. {@code hmc}), without retraining. */
	public McmcPosterior withOptions(McmcOptions o) {
		return new McmcPosterior(parameters, prior, observation, potentials, o, monitor, recorder);
	}

	public McmcOptions options() {
		return options;
	}

	public Prior prior() {
		return prior;
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
	 * The MCMC target U(θ) = ℓ(θ) + log p(θ), −∞ outside the prior's support,
	 * batched, with its gradient where the potential has one. A new instance on
	 * each call (it is not thread-safe).
	 */
	public LogDensity target() {
		return new Target(potentials.get(), prior);
	}

	/** n draws by one MCMC run seeded from {@code random}. */
	@Override
	public double[][] sample(int n, RandomGenerator random) {
		if (n < 0) {
			throw new IllegalArgumentException("Cannot draw a negative number of samples: " + n);
		}
		if (n == 0) {
			return new double[0][];
		}
		return run(n, random.nextLong()).samples();
	}

	@Override
	public double[][] sample(int n, RandomGenerator random, ProgressMonitor m) {
		McmcPosterior p = monitored(m);
		double[][] draws = p.sample(n, random);
		// The run happened on the monitored copy; its diagnostics belong to this posterior too.
		last = p.last;
		warnings = p.warnings;
		return draws;
	}

	/** One MCMC run of n draws, with its chains and diagnostics. */
	public McmcResult run(int n, long seed) {
		McmcResult r = options.newSampler().sample(target(), Initialiser.fromPrior(prior), options.settings(n), seed, monitor);
		List<String> w = new ArrayList<>();
		double rHat = r.maxRHat();
		if (rHat > MAX_R_HAT) {
			w.add(String.format(Locale.ROOT, "MCMC may not have converged: the largest R-hat is %.3f > %.2f (%s, %d chains, %d warm-up "
					+ "iterations, bulk ESS %.0f); increase warmup or mcmc_chains, or try another sampler", rHat, MAX_R_HAT, r.samplerId(),
					options.chains(), options.warmup(), r.minEss()));
		}
		last = r;
		warnings = Collections.unmodifiableList(w);
		if (recorder != null) {
			recorder.accept(r);
		}
		return r;
	}

	/** The last MCMC run of this posterior (draws, R̂, ESS, acceptance, evaluations, time). */
	public Optional<McmcResult> lastSampling() {
		return Optional.ofNullable(last);
	}

	/** Warnings of the last run: R̂ above {@value #MAX_R_HAT}. */
	@Override
	public List<String> warnings() {
		return warnings;
	}

	@Override
	public boolean hasDensity() {
		return true;
	}

	/** The unnormalised log-posterior U(θ) (see the class comment); −∞ outside the prior's support. */
	@Override
	public double logProb(double[] theta) {
		return logProbs(new double[][] { theta })[0];
	}

	/** U(θ) for many θ in one batch: unnormalised, like {@link #logProb}. */
	@Override
	public double[] logProbs(double[][] theta) {
		double[] out = new double[theta.length];
		target().logDensity(theta, out);
		return out;
	}

	@Override
	public double[] logProbsUpToConstant(double[][] theta) {
		return logProbs(theta);
	}

	/**
	 * The MAP: the best of {@value #MAP_SAMPLES} MCMC draws by potential, the best
	 * {@value #MAP_STARTS} of them refined by gradient ascent (Adam, in units of
	 * the draws' standard deviations) where the potential has a gradient.
	 */
	@Override
	public Optional<double[]> map(RandomGenerator random) {
		double[][] draws = run(MAP_SAMPLES, random.nextLong()).samples();
		LogDensity target = target();
		double[] lp = new double[draws.length];
		target.logDensity(draws, lp);
		Integer[] order = new Integer[draws.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		java.util.Arrays.sort(order, (a, b) -> Double.compare(lp[b], lp[a]));
		double[] best = draws[order[0]].clone();
		double bestLp = lp[order[0]];
		if (!target.hasGradient()) {
			return Optional.of(best);
		}
		int d = best.length;
		double[] scale = new double[d];
		for (int j = 0; j < d; j++) {
			double m = 0, s = 0;
			for (double[] t : draws) {
				m += t[j];
			}
			m /= draws.length;
			for (double[] t : draws) {
				s += (t[j] - m) * (t[j] - m);
			}
			scale[j] = Math.sqrt(s / draws.length);
			scale[j] = scale[j] > 0 ? scale[j] : 1e-3;
		}
		int k = Math.min(MAP_STARTS, draws.length);
		double[][] x = new double[k][];
		for (int i = 0; i < k; i++) {
			x[i] = draws[order[i]].clone();
		}
		double[][] m1 = new double[k][d], m2 = new double[k][d], g = new double[k][d];
		double[] v = new double[k];
		boolean[] stopped = new boolean[k];
		for (int step = 1; step <= MAP_STEPS; step++) {
			target.logDensityAndGradient(x, v, g);
			for (int i = 0; i < k; i++) {
				if (stopped[i]) {
					continue;
				}
				if (!Double.isFinite(v[i])) { // stepped out of the support: keep what it had
					stopped[i] = true;
					continue;
				}
				if (v[i] > bestLp) {
					bestLp = v[i];
					best = x[i].clone();
				}
				for (int j = 0; j < d; j++) {
					// Adam ascent on θ_j / scale_j, learning rate 0.01 (sbi's for its MAP search).
					double gj = g[i][j] * scale[j];
					m1[i][j] = 0.9 * m1[i][j] + 0.1 * gj;
					m2[i][j] = 0.999 * m2[i][j] + 0.001 * gj * gj;
					double mh = m1[i][j] / (1 - Math.pow(0.9, step));
					double vh = m2[i][j] / (1 - Math.pow(0.999, step));
					x[i][j] += scale[j] * 0.01 * mh / (Math.sqrt(vh) + 1e-8);
				}
			}
		}
		target.logDensity(x, v);
		for (int i = 0; i < k; i++) {
			if (!stopped[i] && v[i] > bestLp) {
				bestLp = v[i];
				best = x[i].clone();
			}
		}
		return Optional.of(best);
	}

	/** U(θ) = ℓ(θ) + log p(θ), evaluating ℓ only for the rows inside the prior's support. */
	private static final class Target implements LogDensity {

		private final Potential potential;
		private final Prior prior;
		private final PriorGradient priorGradient;

		Target(Potential potential, Prior prior) {
			this.potential = potential;
			this.prior = prior;
			this.priorGradient = new PriorGradient(prior);
		}

		@Override
		public int dimension() {
			return prior.dimension();
		}

		@Override
		public boolean hasGradient() {
			return potential.hasGradient();
		}

		@Override
		public void logDensity(double[][] theta, double[] out) {
			evaluate(theta, out, null);
		}

		@Override
		public void logDensityAndGradient(double[][] theta, double[] out, double[][] grad) {
			if (!potential.hasGradient()) {
				LogDensity.super.logDensityAndGradient(theta, out, grad);
			}
			evaluate(theta, out, grad);
		}

		private void evaluate(double[][] theta, double[] out, double[][] grad) {
			int n = theta.length;
			int[] inside = new int[n];
			int m = 0;
			for (int r = 0; r < n; r++) {
				if (theta[r].length != prior.dimension()) {
					throw new IllegalArgumentException("θ has " + theta[r].length + " values; the prior has " + prior.dimension());
				}
				if (prior.inSupport(theta[r])) {
					inside[m++] = r;
				} else {
					out[r] = Double.NEGATIVE_INFINITY;
				}
			}
			if (m == 0) {
				return;
			}
			double[][] rows = new double[m][];
			for (int i = 0; i < m; i++) {
				rows[i] = theta[inside[i]];
			}
			double[] values = new double[m];
			double[][] g = grad == null ? null : new double[m][prior.dimension()];
			potential.evaluate(rows, values, g);
			for (int i = 0; i < m; i++) {
				int r = inside[i];
				out[r] = values[i] + prior.logProb(theta[r]);
				if (grad != null) {
					System.arraycopy(g[i], 0, grad[r], 0, g[i].length);
					priorGradient.add(theta[r], grad[r]);
				}
			}
		}
	}
}
