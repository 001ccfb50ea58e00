package org.sbiworkbench.nn;

/** The nonlinearities networks use, by the names run files and saved models give them. */
public enum Activation {
	RELU, TANH;

	public Tensor apply(Tape tape, Tensor x) {
		return this == RELU ? tape.relu(x) : tape.tanh(x);
	}
}
