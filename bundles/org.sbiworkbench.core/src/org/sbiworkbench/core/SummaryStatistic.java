package org.sbiworkbench.core;

import java.util.Objects;

/**
 * Reduces a simulator's raw output x to the vector s(x) that inference works
 * on. Kept separate from the {@link Simulator}, so hand-made and learned
 * summaries can be swapped without re-simulating: campaigns store raw x.
 */
@FunctionalInterface
public interface SummaryStatistic {

	/** The identity: inference on raw x. */
	SummaryStatistic IDENTITY = x -> x.clone();

	double[] apply(double[] x);

	/** s(x) then t(s(x)). */
	default SummaryStatistic andThen(SummaryStatistic next) {
		Objects.requireNonNull(next, "next");
		return x -> next.apply(apply(x));
	}

	/** Applies s to every row. */
	default double[][] applyAll(double[][] xs) {
		double[][] out = new double[xs.length][];
		for (int i = 0; i < xs.length; i++) {
			out[i] = apply(xs[i]);
		}
		return out;
	}
}
