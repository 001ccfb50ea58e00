package org.sbiworkbench.mcmc.internal;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.mcmc.ConditionalSampler;
import org.sbiworkbench.mcmc.LogDensity;

/**
 * Systematic-scan Gibbs sampling: each sweep updates the coordinates in
 * order, by an exact draw from the full conditional where the model supplies
 * one, otherwise by a Gaussian random-walk Metropolis step on that coordinate
 * alone (Metropolis-within-Gibbs). The step of each such coordinate is tuned
 * during warm-up by Robbins–Monro towards an acceptance rate of 0.44 (Roberts,
 * Rosenthal 2009, "Examples of adaptive MCMC", J. Comput. Graph. Stat. 18(2))
 * and frozen afterwards. The Metropolis steps evaluate all chains in one batch.
 */
public final class GibbsKernel implements Kernel {

	private static final double TARGET_ACCEPTANCE = 0.44;

	private final LogDensity target;
	private final int d;
	private final ConditionalSampler[] conditionals;
	private double[] logStep;
	private boolean stale;
	private long proposals;
	private long accepted;

	/** @param conditionals per coordinate, null where Metropolis-within-Gibbs updates it */
	public GibbsKernel(LogDensity target, ConditionalSampler[] conditionals) {
		this.target = target;
		this.d = target.dimension();
		this.conditionals = conditionals.clone();
	}

	@Override
	public void start(double[][] x, double[] logp, RandomGenerator random) {
		logStep = new double[d];
		double[] v = Moments.of(x).variance();
		for (int i = 0; i < d; i++) {
			logStep[i] = 0.5 * Math.log(v[i] > 0 && Double.isFinite(v[i]) ? v[i] : 1);
		}
	}

	@Override
	public void step(double[][] x, double[] logp, int iteration, boolean warmup, RandomGenerator random) {
		int n = x.length;
		double gain = 1 / Math.sqrt(iteration + 1.0);
		for (int i = 0; i < d; i++) {
			if (conditionals[i] != null) {
				for (int c = 0; c < n; c++) {
					x[c][i] = conditionals[i].draw(x[c], random);
				}
				stale = true;
				if (!warmup) {
					proposals += n;
					accepted += n;
				}
				continue;
			}
			if (stale) { // exact draws moved the chains since their log-densities were computed
				target.logDensity(x, logp);
				stale = false;
			}
			double step = Math.exp(logStep[i]);
			double[][] proposal = new double[n][];
			for (int c = 0; c < n; c++) {
				proposal[c] = x[c].clone();
				proposal[c][i] += step * random.nextGaussian();
			}
			double[] lp = new double[n];
			target.logDensity(proposal, lp);
			int acceptedNow = 0;
			for (int c = 0; c < n; c++) {
				if (lp[c] > Double.NEGATIVE_INFINITY && Math.log(random.nextDouble()) < lp[c] - logp[c]) {
					x[c] = proposal[c];
					logp[c] = lp[c];
					acceptedNow++;
				}
			}
			if (warmup) {
				logStep[i] += gain * ((double) acceptedNow / n - TARGET_ACCEPTANCE);
			} else {
				proposals += n;
				accepted += acceptedNow;
			}
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
