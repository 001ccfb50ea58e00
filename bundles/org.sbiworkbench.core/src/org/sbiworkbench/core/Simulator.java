package org.sbiworkbench.core;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A stochastic forward model x ~ p(x | θ) whose likelihood need not be known.
 * <p>
 * Contribute one by registering it as an OSGi service, e.g. a class annotated
 * {@code @Component(service = Simulator.class)} in a bundle of its own;
 * the workbench finds it without any other change.
 * <p>
 * Implementations must be thread-safe (the workbench simulates in parallel)
 * and draw all randomness from the generator passed in, so that the same seed
 * gives the same x. A simulation that fails may throw; the workbench records
 * the failure with its θ rather than losing it.
 */
public interface Simulator {

	SimulatorDescriptor descriptor();

	/**
	 * Simulates one data set for parameters θ.
	 *
	 * @param theta  parameters, ordered as {@link SimulatorDescriptor#parameters()}
	 * @param random the only source of randomness to use
	 * @return x, ordered as {@link SimulatorDescriptor#observationNames()}
	 */
	double[] simulate(double[] theta, RandomGenerator random);

	/**
	 * Simulates one data set per row of θ. Override when a batch can be
	 * simulated faster than row by row.
	 */
	default double[][] simulate(double[][] theta, RandomGenerator random) {
		double[][] x = new double[theta.length][];
		for (int i = 0; i < theta.length; i++) {
			x[i] = simulate(theta[i], random);
		}
		return x;
	}
}
