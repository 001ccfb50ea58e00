package org.sbiworkbench.core;

import java.util.Map;

/**
 * A method that simulates as it goes for one observation (SMC-ABC, sequential neural methods): instead of
 * learning from a finished campaign it gets the simulator and a simulation budget, and returns the posterior
 * for x_o only. Such a posterior is not amortized, so checks that condition on many x (coverage, SBC) do not
 * apply to it.
 */
public interface SequentialInferenceMethod extends InferenceMethod {

	/**
	 * @param budget   the most simulations the method may run
	 * @param settings method-specific settings by name; unknown names are an error
	 * @throws java.util.concurrent.CancellationException when the monitor is cancelled
	 */
	Posterior infer(Simulator simulator, Prior prior, double[] observation, long budget, Map<String, String> settings, long seed,
			ProgressMonitor monitor);
}
