package org.sbiworkbench.nn;

/**
 * A learned summary statistic s = e(x): a network that maps raw data (e.g. a
 * time series) to a few features, trained jointly with a density estimator
 * through {@link EmbeddedDensity}. Implementations must be stateless during
 * {@link #apply}: training calls it from several threads, each on its own tape.
 */
public interface Embedding extends Module {

	/** The width of one input row. */
	int inputDimension();

	/** The number of features per row. */
	int outputDimension();

	/**
	 * The features of a batch.
	 *
	 * @param x n×inputDimension, one example per row (row-major, C order)
	 * @return n×outputDimension
	 */
	Tensor apply(Tape tape, Tensor x);
}
