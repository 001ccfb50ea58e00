package org.sbiworkbench.mcmc.internal;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.mcmc.LogDensity;

/**
 * Adaptive random-walk Metropolis (Haario, Saksman, Tamminen 2001, "An
 * adaptive Metropolis algorithm", Bernoulli 7(2)): Gaussian proposals with
 * covariance λ²·(2.38²/d)·(C + εI), C the empirical covariance of the
 * chains' warm-up draws (Roberts, Gelman, Gilks 1997 for the 2.38²/d), and λ
 * tuned by Robbins–Monro towards the optimal acceptance rate (Andrieu, Thoms
 * 2008, "A tutorial on adaptive MCMC"). C is re-estimated at the end of
 * doubling warm-up windows, pooled over chains; both are frozen after
 * warm-up, so the kept draws come from a fixed Metropolis kernel.
 */
public final class MetropolisKernel implements Kernel {

	/** Relative diagonal jitter ε/mean(diag C): keeps C positive definite (Haario et al.'s ε). */
	private static final double JITTER = 1e-6;
	private static final int FIRST_WINDOW = 10;

	private final LogDensity target;
	private final int d;
	private final int warmup;
	private final double targetAcceptance;
	private double[][] covariance;
	private double[][] factor;
	private double logScale;
	private List<Integer> windowEnds;
	private int window;
	private int sinceWindowStart;
	private Moments moments;
	private long proposals;
	private long accepted;

	public MetropolisKernel(LogDensity target, int warmup) {
		this.target = target;
		this.d = target.dimension();
		this.warmup = warmup;
		// Optimal acceptance for Gaussian targets: 0.44 in one dimension (Gelman, Roberts, Gilks 1996),
		// falling to 0.234 as d grows (Roberts, Gelman, Gilks 1997).
		this.targetAcceptance = d == 1 ? 0.44 : d == 2 ? 0.35 : d <= 4 ? 0.28 : 0.234;
	}

	@Override
	public void start(double[][] x, double[] logp, RandomGenerator random) {
		covariance = initialCovariance(x);
		setFactor();
		windowEnds = Windows.ends(0, warmup, Math.max(FIRST_WINDOW, warmup / 10));
		moments = new Moments(d);
	}

	private double[][] initialCovariance(double[][] x) {
		double[][] c = new double[d][d];
		Moments m = Moments.of(x);
		if (x.length > d) {
			c = m.covariance();
			if (Cholesky.lower(jittered(c)) != null) {
				return c;
			}
			c = new double[d][d];
		}
		double[] v = m.variance();
		for (int i = 0; i < d; i++) {
			c[i][i] = v[i] > 0 && Double.isFinite(v[i]) ? v[i] : 1;
		}
		return c;
	}

	private double[][] jittered(double[][] c) {
		double trace = 0;
		for (int i = 0; i < d; i++) {
			trace += c[i][i];
		}
		double eps = JITTER * (trace > 0 && Double.isFinite(trace) ? trace / d : 1);
		double[][] j = new double[d][d];
		for (int i = 0; i < d; i++) {
			j[i] = c[i].clone();
			j[i][i] += eps;
		}
		return j;
	}

	private void setFactor() {
		double[][] l = Cholesky.lower(jittered(covariance));
		if (l == null) { // fall back to the diagonal
			double[][] diag = new double[d][d];
			for (int i = 0; i < d; i++) {
				diag[i][i] = covariance[i][i] > 0 && Double.isFinite(covariance[i][i]) ? covariance[i][i] : 1;
			}
			covariance = diag;
			l = Cholesky.lower(jittered(covariance));
		}
		double s = 2.38 / Math.sqrt(d);
		for (double[] row : l) {
			for (int j = 0; j < d; j++) {
				row[j] *= s;
			}
		}
		factor = l;
	}

	@Override
	public void step(double[][] x, double[] logp, int iteration, boolean warmup, RandomGenerator random) {
		int chains = x.length;
		double scale = Math.exp(logScale);
		double[][] proposal = new double[chains][d];
		double[] z = new double[d];
		for (int c = 0; c < chains; c++) {
			for (int i = 0; i < d; i++) {
				z[i] = random.nextGaussian();
			}
			for (int i = 0; i < d; i++) {
				double s = 0;
				for (int k = 0; k <= i; k++) {
					s += factor[i][k] * z[k];
				}
				proposal[c][i] = x[c][i] + scale * s;
			}
		}
		double[] lp = new double[chains];
		target.logDensity(proposal, lp);
		int acceptedNow = 0;
		for (int c = 0; c < chains; c++) {
			if (lp[c] > Double.NEGATIVE_INFINITY && Math.log(random.nextDouble()) < lp[c] - logp[c]) {
				x[c] = proposal[c];
				logp[c] = lp[c];
				acceptedNow++;
			}
		}
		if (!warmup) {
			proposals += chains;
			accepted += acceptedNow;
			return;
		}
		sinceWindowStart++;
		logScale += ((double) acceptedNow / chains - targetAcceptance) / Math.sqrt(sinceWindowStart);
		for (double[] row : x) {
			moments.add(row);
		}
		if (window < windowEnds.size() && iteration + 1 == windowEnds.get(window)) {
			if (moments.count() > d) {
				double[][] old = covariance;
				covariance = moments.covariance();
				if (Cholesky.lower(jittered(covariance)) == null) {
					covariance = old;
				} else {
					// λ made up for the old covariance; with the target's own covariance λ ≈ 1 is right,
					// so go halfway back and let Robbins–Monro do the rest.
					logScale = 0.5 * logScale;
				}
				setFactor();
			}
			moments = new Moments(d);
			window++;
			sinceWindowStart = 0;
		}
	}

	@Override
	public void endWarmup() {
	}

	@Override
	public double acceptanceRate() {
		return proposals == 0 ? Double.NaN : (double) accepted / proposals;
	}
}
