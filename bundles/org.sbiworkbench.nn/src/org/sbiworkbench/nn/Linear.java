package org.sbiworkbench.nn;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * y = x·W + b, optionally with a fixed 0/1 mask on W (for MADE): y = x·(W∘M) + b.
 * Initialised like PyTorch's nn.Linear: W, b ~ U(−1/√in, 1/√in).
 */
public final class Linear implements Module {

	private final Variable weight;
	private final Variable bias;
	private final float[] mask;

	public Linear(String name, int in, int out, RandomGenerator random) {
		this(name, in, out, null, random);
	}

	/** @param mask in×out of 0/1, or null for a dense layer */
	public Linear(String name, int in, int out, float[] mask, RandomGenerator random) {
		weight = new Variable(name + ".weight", in, out);
		bias = new Variable(name + ".bias", 1, out);
		if (mask != null && mask.length != in * out) {
			throw new IllegalArgumentException("mask of " + name + " has " + mask.length + " entries, expected " + in * out);
		}
		this.mask = mask;
		uniform(weight, random, 1 / Math.sqrt(in));
		uniform(bias, random, 1 / Math.sqrt(in));
	}

	static void uniform(Variable v, RandomGenerator random, double bound) {
		float[] w = v.values();
		for (int i = 0; i < w.length; i++) {
			w[i] = (float) ((2 * random.nextDouble() - 1) * bound);
		}
	}

	public Variable weight() {
		return weight;
	}

	public Variable bias() {
		return bias;
	}

	public Tensor apply(Tape tape, Tensor x) {
		Tensor w = tape.use(weight);
		if (mask != null) {
			w = tape.mul(w, tape.constant(mask, weight.rows(), weight.cols()));
		}
		return tape.linear(x, w, tape.use(bias));
	}

	@Override
	public List<Variable> variables() {
		return List.of(weight, bias);
	}
}
