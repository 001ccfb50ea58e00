package org.sbiworkbench.nn;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A conditional density q(y | context) that can be trained by maximum
 * likelihood: q(θ | x) for NPE, q(x | θ) for NLE.
 */
public interface ConditionalDensity extends Module {

	int dimension();

	int contextDimension();

	/** log q(y_i | c_i) for a batch: y is n×dimension, context n×contextDimension; returns n×1. */
	Tensor logProb(Tape tape, Tensor y, Tensor context);

	/** n draws y ~ q(· | context), one row each. */
	float[][] sample(int n, float[] context, RandomGenerator random);
}
