package org.sbiworkbench.mcmc.internal;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.mcmc.LogDensity;

/**
 * Hamiltonian Monte Carlo with a diagonal mass matrix (Neal 2011, "MCMC using
 * Hamiltonian dynamics", Handbook of MCMC ch. 5), all chains integrated in
 * lockstep so that every leapfrog step is one batched gradient call.
 * <p>
 * Warm-up follows Stan's plan: the step size ε is tuned by dual averaging
 * (Hoffman, Gelman 2014, "The No-U-Turn Sampler", JMLR 15, section 3.2) to a
 * mean acceptance probability of 0.8 throughout; the inverse mass matrix is
 * the (regularised) variance of the draws of doubling windows in the middle
 * of warm-up, pooled over chains, and dual averaging restarts after each
 * window. After warm-up ε is fixed to its dual-averaging average. The number
 * of leapfrog steps is drawn uniformly from [L/2, 3L/2] each iteration
 * (shared by the chains), which avoids periodic trajectories.
 */
public final class HmcKernel implements Kernel {

	private static final double GAMMA = 0.05, T0 = 10, KAPPA = 0.75;
	/** An energy error above this counts as a divergence: the trajectory left the region where ε is stable. */
	private static final double DIVERGENCE = 1000;

	private final LogDensity target;
	private final int d;
	private final int warmup;
	private final int steps;
	private final double targetAcceptance;
	private double[] inverseMass;
	private double[][] grad;
	private double logEps;
	// dual averaging state
	private double mu, hBar, logEpsBar;
	private int adaptCount;
	private List<Integer> windowEnds;
	private int windowStart, window;
	private Moments moments;
	private long accepted;
	private long proposals;

	public HmcKernel(LogDensity target, int warmup, int steps, double targetAcceptance) {
		this.target = target;
		this.d = target.dimension();
		this.warmup = warmup;
		this.steps = steps;
		this.targetAcceptance = targetAcceptance;
	}

	@Override
	public void start(double[][] x, double[] logp, RandomGenerator random) {
		int n = x.length;
		inverseMass = new double[d];
		double[] v = Moments.of(x).variance();
		for (int i = 0; i < d; i++) {
			inverseMass[i] = v[i] > 0 && Double.isFinite(v[i]) ? v[i] : 1;
		}
		grad = new double[n][d];
		target.logDensityAndGradient(x, logp, grad);
		logEps = Math.log(initialStepSize(x, logp, random));
		restartDualAveraging();
		// Stan's windows for a warm-up of 1000: 75 fast, slow windows from 25 doubling, 50 fast; scaled down here.
		int initialBuffer = (int) Math.round(0.15 * warmup), finalBuffer = (int) Math.round(0.1 * warmup);
		windowStart = initialBuffer;
		windowEnds = warmup >= 20 ? Windows.ends(initialBuffer, warmup - finalBuffer, Math.max(5, warmup / 8))
				: List.of();
		moments = new Moments(d);
	}

	private void restartDualAveraging() {
		mu = Math.log(10) + logEps;
		hBar = 0;
		logEpsBar = 0;
		adaptCount = 0;
	}

	/**
	 * Hoffman and Gelman's heuristic (Algorithm 4): double or halve ε until the
	 * mean acceptance probability of one leapfrog step crosses 1/2.
	 */
	private double initialStepSize(double[][] x, double[] logp, RandomGenerator random) {
		double eps = 1;
		double a = meanAcceptance(x, logp, eps, 1, random);
		int direction = a > 0.5 ? 1 : -1;
		for (int k = 0; k < 60; k++) {
			double next = direction > 0 ? eps * 2 : eps / 2;
			double b = meanAcceptance(x, logp, next, 1, random);
			if (direction > 0 ? !(b > 0.5) : b > 0.5) {
				return direction > 0 ? eps : next;
			}
			eps = next;
		}
		return eps;
	}

	/** Runs a trajectory from x without moving the chains and returns the mean acceptance probability. */
	private double meanAcceptance(double[][] x, double[] logp, double eps, int leapfrogs, RandomGenerator random) {
		double[][] q = new double[x.length][];
		for (int c = 0; c < x.length; c++) {
			q[c] = x[c].clone();
		}
		double[][] g = new double[x.length][];
		for (int c = 0; c < x.length; c++) {
			g[c] = grad[c].clone();
		}
		double[] acceptance = new double[x.length];
		trajectory(q, logp.clone(), g, eps, leapfrogs, acceptance, random);
		double sum = 0;
		for (double a : acceptance) {
			sum += a;
		}
		return sum / x.length;
	}

	/**
	 * One HMC proposal for every chain, from q (whose log-densities and
	 * gradients are lp and g): fresh momenta, leapfrog, the acceptance
	 * probability min(1, exp(−ΔH)) per chain. q, lp, g end at the proposal;
	 * returns which chains diverged (left the support or lost energy conservation).
	 */
	private boolean[] trajectory(double[][] q, double[] lp, double[][] g, double eps, int leapfrogs,
			double[] acceptance, RandomGenerator random) {
		int n = q.length;
		double[][] p = new double[n][d];
		double[] h0 = new double[n];
		for (int c = 0; c < n; c++) {
			double kinetic = 0;
			for (int i = 0; i < d; i++) {
				p[c][i] = random.nextGaussian() / Math.sqrt(inverseMass[i]);
				kinetic += 0.5 * p[c][i] * p[c][i] * inverseMass[i];
			}
			h0[c] = -lp[c] + kinetic;
		}
		boolean[] failed = new boolean[n];
		int[] active = new int[n];
		int count = n;
		for (int c = 0; c < n; c++) {
			active[c] = c;
		}
		for (int s = 0; s < leapfrogs && count > 0; s++) {
			for (int a = 0; a < count; a++) {
				int c = active[a];
				for (int i = 0; i < d; i++) {
					p[c][i] += 0.5 * eps * g[c][i];
					q[c][i] += eps * inverseMass[i] * p[c][i];
				}
			}
			Batch.logDensityAndGradient(target, q, active, count, lp, g);
			int still = 0;
			for (int a = 0; a < count; a++) {
				int c = active[a];
				if (!(lp[c] > Double.NEGATIVE_INFINITY) || !finite(g[c])) {
					failed[c] = true; // left the support: reject, and stop integrating this chain
					continue;
				}
				for (int i = 0; i < d; i++) {
					p[c][i] += 0.5 * eps * g[c][i];
				}
				active[still++] = c;
			}
			count = still;
		}
		for (int c = 0; c < n; c++) {
			if (failed[c]) {
				acceptance[c] = 0;
				continue;
			}
			double kinetic = 0;
			for (int i = 0; i < d; i++) {
				kinetic += 0.5 * p[c][i] * p[c][i] * inverseMass[i];
			}
			double dh = -lp[c] + kinetic - h0[c];
			if (!(dh < DIVERGENCE)) {
				failed[c] = true;
				acceptance[c] = 0;
			} else {
				acceptance[c] = dh <= 0 ? 1 : Math.exp(-dh);
			}
		}
		return failed;
	}

	private static boolean finite(double[] v) {
		for (double x : v) {
			if (!Double.isFinite(x)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void step(double[][] x, double[] logp, int iteration, boolean warmup, RandomGenerator random) {
		int n = x.length;
		int lo = Math.max(1, (steps + 1) / 2), hi = Math.max(lo, 3 * steps / 2);
		int leapfrogs = lo + random.nextInt(hi - lo + 1);
		double eps = Math.exp(warmup ? logEps : logEpsBar);
		double[][] q = new double[n][];
		double[][] g = new double[n][];
		for (int c = 0; c < n; c++) {
			q[c] = x[c].clone();
			g[c] = grad[c].clone();
		}
		double[] lp = logp.clone();
		double[] acceptance = new double[n];
		boolean[] failed = trajectory(q, lp, g, eps, leapfrogs, acceptance, random);
		double meanAcceptance = 0;
		int acceptedNow = 0;
		for (int c = 0; c < n; c++) {
			meanAcceptance += acceptance[c];
			if (!failed[c] && random.nextDouble() < acceptance[c]) {
				x[c] = q[c];
				logp[c] = lp[c];
				grad[c] = g[c];
				acceptedNow++;
			}
		}
		meanAcceptance /= n;
		if (!warmup) {
			accepted += acceptedNow;
			proposals += n;
			return;
		}
		adaptStepSize(meanAcceptance);
		if (window < windowEnds.size() && iteration >= windowStart) {
			for (double[] row : x) {
				moments.add(row);
			}
			if (iteration + 1 == windowEnds.get(window)) {
				long m = moments.count();
				double[] v = moments.variance();
				for (int i = 0; i < d; i++) {
					// shrunk towards 1e-3 like Stan, so that a short window cannot give a zero variance
					double reg = (m / (m + 5.0)) * v[i] + 1e-3 * (5.0 / (m + 5.0));
					if (reg > 0 && Double.isFinite(reg)) {
						inverseMass[i] = reg;
					}
				}
				moments = new Moments(d);
				windowStart = iteration + 1;
				window++;
				logEps = Math.log(initialStepSize(x, logp, random));
				restartDualAveraging();
			}
		}
	}

	/** One step of dual averaging (Hoffman, Gelman 2014, eq. 6) with the chains' mean acceptance probability. */
	private void adaptStepSize(double acceptance) {
		adaptCount++;
		double m = adaptCount;
		hBar = (1 - 1 / (m + T0)) * hBar + (targetAcceptance - acceptance) / (m + T0);
		logEps = mu - Math.sqrt(m) / GAMMA * hBar;
		double weight = Math.pow(m, -KAPPA);
		logEpsBar = weight * logEps + (1 - weight) * logEpsBar;
	}

	@Override
	public void endWarmup() {
		if (adaptCount == 0) { // no warm-up: keep the heuristic step size
			logEpsBar = logEps;
		}
	}

	@Override
	public double acceptanceRate() {
		return proposals == 0 ? Double.NaN : (double) accepted / proposals;
	}
}
