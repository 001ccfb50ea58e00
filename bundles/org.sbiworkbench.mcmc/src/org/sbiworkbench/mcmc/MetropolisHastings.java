package org.sbiworkbench.mcmc;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.internal.ChainRunner;
import org.sbiworkbench.mcmc.internal.MetropolisKernel;

/**
 * Adaptive random-walk Metropolis–Hastings: Gaussian proposals whose
 * covariance is (2.38²/d) times the empirical covariance of the warm-up draws
 * (Haario, Saksman, Tamminen 2001), with a global scale tuned towards the
 * optimal acceptance rate (0.44 in one dimension down to 0.234); both are
 * frozen after warm-up. Needs only log-density values, and copes with
 * correlated targets; coordinate-wise or gradient-based samplers do better on
 * strongly curved ones.
 */
public final class MetropolisHastings implements Sampler {

	public static final String ID = "mh";

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Adaptive Metropolis-Hastings";
	}

	@Override
	public String reference() {
		return "Haario, Saksman, Tamminen (2001), An adaptive Metropolis algorithm, Bernoulli 7(2):223-242; "
				+ "Roberts, Gelman, Gilks (1997), Weak convergence and optimal scaling of random walk Metropolis "
				+ "algorithms, Ann. Appl. Probab. 7(1):110-120";
	}

	@Override
	public McmcResult sample(LogDensity target, Initialiser init, McmcSettings settings, long seed,
			ProgressMonitor monitor) {
		return ChainRunner.run(ID, name(), (t, s) -> new MetropolisKernel(t, s.warmup()), target, init, settings,
				seed, monitor);
	}
}
