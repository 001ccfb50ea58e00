package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A residual network with context gating, as nflows' {@code ResidualNet} that
 * sbi uses for spline-coupling conditioners and classifiers: an initial linear
 * layer on [input, context], then blocks h ← h + GLU(act → linear → act →
 * linear, context), then a final linear layer. GLU(v, c) = v ⊙ sigmoid(G·c + g)
 * with its own linear map of the context per block. The last linear layer of
 * each block starts at U(−1e-3, 1e-3), so every block starts close to the
 * identity. Without a context there is no gating.
 */
public final class ResidualNet implements Module {

	static final double BLOCK_INIT = 1e-3;

	private final int inputDimension;
	private final int contextDimension;
	private final Linear initial;
	private final List<Linear> first = new ArrayList<>();
	private final List<Linear> second = new ArrayList<>();
	private final List<Linear> gates = new ArrayList<>();
	private final Linear last;
	private final Activation activation;

	/**
	 * @param in      input width (may be 0 when there is a context)
	 * @param context context width (0 for none)
	 */
	public ResidualNet(String name, int in, int out, int context, int hiddenUnits, int blocks, Activation activation,
			RandomGenerator random) {
		if (in < 0 || context < 0 || in + context < 1) {
			throw new IllegalArgumentException("ResidualNet " + name + " needs some input, got " + in + " inputs and " + context + " context");
		}
		this.inputDimension = in;
		this.contextDimension = context;
		this.activation = activation;
		initial = new Linear(name + ".initial", in + context, hiddenUnits, random);
		for (int b = 0; b < blocks; b++) {
			first.add(new Linear(name + ".block" + b + ".linear0", hiddenUnits, hiddenUnits, random));
			Linear l = new Linear(name + ".block" + b + ".linear1", hiddenUnits, hiddenUnits, random);
			Linear.uniform(l.weight(), random, BLOCK_INIT);
			Linear.uniform(l.bias(), random, BLOCK_INIT);
			second.add(l);
			if (context > 0) {
				gates.add(new Linear(name + ".block" + b + ".context", context, hiddenUnits, random));
			}
		}
		last = new Linear(name + ".final", hiddenUnits, out, random);
	}

	/** x: n×in (null when in = 0); context: n×context (null when there is none). */
	public Tensor apply(Tape tape, Tensor x, Tensor context) {
		Tensor in = inputDimension == 0 ? context : contextDimension == 0 ? x : tape.concatCols(x, context);
		Tensor h = initial.apply(tape, in);
		for (int b = 0; b < first.size(); b++) {
			Tensor t = activation.apply(tape, h);
			t = first.get(b).apply(tape, t);
			t = activation.apply(tape, t);
			t = second.get(b).apply(tape, t);
			if (contextDimension > 0) {
				t = tape.mul(t, tape.sigmoid(gates.get(b).apply(tape, context)));
			}
			h = tape.add(h, t);
		}
		return last.apply(tape, h);
	}

	/** The output layer (e.g. to rescale its initialisation). */
	public Linear finalLayer() {
		return last;
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>(initial.variables());
		for (int b = 0; b < first.size(); b++) {
			v.addAll(first.get(b).variables());
			v.addAll(second.get(b).variables());
			if (contextDimension > 0) {
				v.addAll(gates.get(b).variables());
			}
		}
		v.addAll(last.variables());
		return v;
	}
}
