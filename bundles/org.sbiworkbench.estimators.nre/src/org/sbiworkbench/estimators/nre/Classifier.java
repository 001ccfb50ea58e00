package org.sbiworkbench.estimators.nre;

import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.ResidualNet;

/**
 * The ratio classifier's shape, enough to rebuild it identically before
 * loading its weights: sbi's "resnet" classifier, a residual net (ReLU, no
 * context gating) on the concatenation [z-scored θ, z-scored x] with one
 * output, the logit, which estimates log r(x, θ) = log p(x | θ) / p(x) (up to
 * a function of x for NRE-B).
 *
 * @param thetaDimension of θ
 * @param xDimension     of x
 * @param hiddenFeatures width of the hidden layers (sbi: 50)
 * @param blocks         residual blocks (sbi: 2)
 * @param initSeed       seeds the initial weights
 */
public record Classifier(int thetaDimension, int xDimension, int hiddenFeatures, int blocks, long initSeed) {

	public static final int DEFAULT_HIDDEN = 50;
	public static final int DEFAULT_BLOCKS = 2;

	public Classifier {
		if (thetaDimension < 1 || xDimension < 1) {
			throw new IllegalArgumentException("The classifier needs θ and x with at least one value each, got " + thetaDimension + " and "
					+ xDimension);
		}
		if (hiddenFeatures < 1) {
			throw new IllegalArgumentException("hidden_features must be positive, got " + hiddenFeatures);
		}
		if (blocks < 0) {
			throw new IllegalArgumentException("num_blocks cannot be negative, got " + blocks);
		}
	}

	public ResidualNet build() {
		return new ResidualNet("nre", thetaDimension + xDimension, 1, 0, hiddenFeatures, blocks, Activation.RELU, new Well19937c(initSeed));
	}
}
