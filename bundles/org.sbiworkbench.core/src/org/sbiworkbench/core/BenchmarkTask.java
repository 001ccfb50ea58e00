package org.sbiworkbench.core;

/**
 * A simulator whose true posterior can be sampled, so approximate posteriors
 * can be checked against it (e.g. with C2ST, as in sbibm).
 */
public interface BenchmarkTask extends Simulator {

	/** The exact posterior under the {@linkplain SimulatorDescriptor#defaultPrior() default prior}. */
	Posterior referencePosterior(double[] observation);
}
