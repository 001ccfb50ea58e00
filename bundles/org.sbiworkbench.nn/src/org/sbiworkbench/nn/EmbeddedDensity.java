package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A conditional density on learned summary statistics: q(y | e(x)) for a
 * density q and an {@link Embedding} e. Its context is the raw x; its
 * variables are q's then e's, so {@link Trainer} trains both jointly by
 * maximum likelihood with no change. Stateless: every call works on the
 * caller's tape (or, for sampling, its own).
 */
public final class EmbeddedDensity implements ConditionalDensity {

	private final ConditionalDensity density;
	private final Embedding embedding;

	/** @param density a density whose context dimension is the embedding's output dimension */
	public EmbeddedDensity(ConditionalDensity density, Embedding embedding) {
		if (density.contextDimension() != embedding.outputDimension()) {
			throw new IllegalArgumentException("the density takes a context of " + density.contextDimension()
					+ " values but the embedding makes " + embedding.outputDimension() + " features");
		}
		this.density = density;
		this.embedding = embedding;
	}

	public ConditionalDensity density() {
		return density;
	}

	public Embedding embedding() {
		return embedding;
	}

	@Override
	public int dimension() {
		return density.dimension();
	}

	/** The raw data's width: the embedding's input dimension. */
	@Override
	public int contextDimension() {
		return embedding.inputDimension();
	}

	/** log q(y_i | e(x_i)): y is n×dimension, x n×contextDimension; returns n×1. */
	@Override
	public Tensor logProb(Tape tape, Tensor y, Tensor x) {
		return density.logProb(tape, y, embedding.apply(tape, x));
	}

	/** The features e(x) of one example (x of length contextDimension). */
	public float[] embed(float[] x) {
		if (x.length != embedding.inputDimension()) {
			throw new IllegalArgumentException("embed: " + x.length + " values, the embedding takes " + embedding.inputDimension());
		}
		Tape tape = new Tape();
		return embedding.apply(tape, tape.constant(x, 1, x.length)).toArray();
	}

	/** Embeds x once and draws from q(· | e(x)). */
	@Override
	public float[][] sample(int n, float[] x, RandomGenerator random) {
		return density.sample(n, embed(x), random);
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>(density.variables());
		v.addAll(embedding.variables());
		return v;
	}
}
