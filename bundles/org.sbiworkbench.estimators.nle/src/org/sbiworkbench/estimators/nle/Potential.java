package org.sbiworkbench.estimators.nle;

/**
 * The data term of a posterior known up to a constant, as a function of θ for
 * one fixed observation x_o: log q(x_o | θ) for NLE, the log-ratio
 * log r(x_o, θ) for NRE. The prior's log-density is added by
 * {@link McmcPosterior}.
 * <p>
 * One instance serves one thread (it may keep a tape and buffers); a
 * {@link McmcPosterior} makes a fresh one for each sampling run.
 */
public interface Potential {

	/**
	 * Writes the data term at each row θ_r into {@code out[r]}, all rows in one
	 * batch (the rows are inside the prior's support). When {@code gradient} is
	 * not null, also writes its gradient with respect to θ_r into
	 * {@code gradient[r]}.
	 */
	void evaluate(double[][] theta, double[] out, double[][] gradient);

	/** Whether {@link #evaluate} can write gradients (for HMC and the MAP search). */
	default boolean hasGradient() {
		return true;
	}
}
