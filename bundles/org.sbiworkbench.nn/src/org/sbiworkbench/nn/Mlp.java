package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/** A multilayer perceptron: Linear, activation, ..., Linear (no activation on the output). */
public final class Mlp implements Module {

	private final List<Linear> layers = new ArrayList<>();
	private final Activation activation;

	/** @param sizes input, hidden..., output widths */
	public Mlp(String name, int[] sizes, Activation activation, RandomGenerator random) {
		if (sizes.length < 2) {
			throw new IllegalArgumentException("An MLP needs at least an input and an output size");
		}
		for (int i = 0; i + 1 < sizes.length; i++) {
			layers.add(new Linear(name + ".layer" + i, sizes[i], sizes[i + 1], random));
		}
		this.activation = activation;
	}

	public Tensor apply(Tape tape, Tensor x) {
		Tensor h = x;
		for (int i = 0; i < layers.size(); i++) {
			h = layers.get(i).apply(tape, h);
			if (i + 1 < layers.size()) {
				h = activation.apply(tape, h);
			}
		}
		return h;
	}

	public List<Linear> layers() {
		return layers;
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>();
		layers.forEach(l -> v.addAll(l.variables()));
		return v;
	}
}
