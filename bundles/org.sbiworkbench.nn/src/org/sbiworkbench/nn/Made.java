package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * MADE (Germain et al. 2015): a masked network whose i-th outputs depend only
 * on inputs before i, here conditioned on a context fed densely into the first
 * hidden layer (as nflows does). Outputs {@code multiplier} values per input
 * dimension, laid out as [param 0 for dims 0..D-1, param 1 for dims 0..D-1, ...].
 * Hidden degrees cycle through 1..D-1 ("sequential"), as in nflows.
 */
public final class Made implements Module {

	private final int dimension;
	private final int multiplier;
	private final Linear input;
	private final Linear context;
	private final List<Linear> hidden = new ArrayList<>();
	private final Linear output;
	private final Activation activation;

	public Made(String name, int dimension, int contextDimension, int hiddenUnits, int hiddenLayers, int multiplier,
			Activation activation, RandomGenerator random) {
		if (hiddenLayers < 1) {
			throw new IllegalArgumentException("MADE needs at least one hidden layer");
		}
		this.dimension = dimension;
		this.multiplier = multiplier;
		this.activation = activation;
		int[] inDeg = new int[dimension];
		for (int k = 0; k < dimension; k++) {
			inDeg[k] = k + 1;
		}
		int[] hDeg = new int[hiddenUnits];
		int span = Math.max(1, dimension - 1);
		for (int h = 0; h < hiddenUnits; h++) {
			hDeg[h] = h % span + Math.min(1, dimension - 1);
		}
		input = new Linear(name + ".input", dimension, hiddenUnits, mask(inDeg, hDeg, false), random);
		this.context = contextDimension > 0 ? new Linear(name + ".context", contextDimension, hiddenUnits, random) : null;
		for (int l = 1; l < hiddenLayers; l++) {
			hidden.add(new Linear(name + ".hidden" + l, hiddenUnits, hiddenUnits, mask(hDeg, hDeg, false), random));
		}
		int[] outDeg = new int[dimension * multiplier];
		for (int j = 0; j < outDeg.length; j++) {
			outDeg[j] = j % dimension + 1;
		}
		output = new Linear(name + ".output", hiddenUnits, outDeg.length, mask(hDeg, outDeg, true), random);
	}

	/** M[a][b] = 1 when unit b may see unit a: deg_b ≥ deg_a (hidden) or deg_b > deg_a (output). */
	static float[] mask(int[] from, int[] to, boolean strict) {
		float[] m = new float[from.length * to.length];
		for (int a = 0; a < from.length; a++) {
			for (int b = 0; b < to.length; b++) {
				m[a * to.length + b] = (strict ? to[b] > from[a] : to[b] >= from[a]) ? 1f : 0f;
			}
		}
		return m;
	}

	public int dimension() {
		return dimension;
	}

	public int multiplier() {
		return multiplier;
	}

	/** n×(dimension·multiplier) parameters for inputs y (n×D) and context c (n×C, or null). */
	public Tensor apply(Tape tape, Tensor y, Tensor c) {
		Tensor h = input.apply(tape, y);
		if (context != null) {
			h = tape.add(h, context.apply(tape, c));
		}
		h = activation.apply(tape, h);
		for (Linear l : hidden) {
			h = activation.apply(tape, l.apply(tape, h));
		}
		return output.apply(tape, h);
	}

	/** Scales the output layer's initial weights, so the flow starts close to the identity. */
	void shrinkOutput(float factor) {
		for (float[] w : new float[][] { output.weight().values(), output.bias().values() }) {
			for (int i = 0; i < w.length; i++) {
				w[i] *= factor;
			}
		}
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>(input.variables());
		if (context != null) {
			v.addAll(context.variables());
		}
		hidden.forEach(l -> v.addAll(l.variables()));
		v.addAll(output.variables());
		return v;
	}
}
