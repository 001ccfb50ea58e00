package org.sbiworkbench.mcmc;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.internal.ChainRunner;
import org.sbiworkbench.mcmc.internal.HmcKernel;

/**
 * Hamiltonian Monte Carlo: leapfrog trajectories with a diagonal mass matrix
 * estimated from warm-up draws and a step size tuned by dual averaging
 * (Hoffman, Gelman 2014) to an acceptance probability of 0.8; the number of
 * leapfrog steps is jittered around {@link #steps()}. Moves far per
 * iteration on smooth, correlated targets, but needs the gradient
 * ({@link LogDensity#hasGradient()}); points outside the support end a
 * trajectory and are rejected, so hard boundaries cost efficiency.
 */
public final class Hmc implements Sampler {

	public static final String ID = "hmc";
	public static final int DEFAULT_STEPS = 16;
	public static final double DEFAULT_TARGET_ACCEPTANCE = 0.8;

	private final int steps;
	private final double targetAcceptance;

	public Hmc() {
		this(DEFAULT_STEPS, DEFAULT_TARGET_ACCEPTANCE);
	}

	/**
	 * @param steps            mean number of leapfrog steps per iteration (each iteration
	 *                         draws uniformly from [steps/2, 3·steps/2])
	 * @param targetAcceptance acceptance probability dual averaging aims for, in (0, 1)
	 */
	public Hmc(int steps, double targetAcceptance) {
		if (steps < 1) {
			throw new IllegalArgumentException("HMC needs at least one leapfrog step, not " + steps);
		}
		if (!(targetAcceptance > 0 && targetAcceptance < 1)) {
			throw new IllegalArgumentException("The target acceptance must lie in (0, 1), not " + targetAcceptance);
		}
		this.steps = steps;
		this.targetAcceptance = targetAcceptance;
	}

	public int steps() {
		return steps;
	}

	public double targetAcceptance() {
		return targetAcceptance;
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Hamiltonian Monte Carlo";
	}

	@Override
	public String reference() {
		return "Neal (2011), MCMC using Hamiltonian dynamics, Handbook of Markov Chain Monte Carlo ch. 5; "
				+ "Hoffman, Gelman (2014), The No-U-Turn Sampler, JMLR 15:1593-1623 (dual averaging)";
	}

	/** @throws IllegalArgumentException when the target has no gradient */
	@Override
	public McmcResult sample(LogDensity target, Initialiser init, McmcSettings settings, long seed,
			ProgressMonitor monitor) {
		if (target != null && !target.hasGradient()) {
			throw new IllegalArgumentException("HMC needs the gradient of the log-density, and this target has none "
					+ "(LogDensity.hasGradient() is false): implement logDensityAndGradient, or use a gradient-free "
					+ "sampler, 'slice' or 'mh'");
		}
		return ChainRunner.run(ID, name(), (t, s) -> new HmcKernel(t, s.warmup(), steps, targetAcceptance), target,
				init, settings, seed, monitor);
	}
}
