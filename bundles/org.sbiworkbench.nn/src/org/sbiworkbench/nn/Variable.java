package org.sbiworkbench.nn;

import java.util.Arrays;

/**
 * Trainable weights: a rows×cols float32 array with its accumulated gradient.
 * A network owns its variables; each training step puts them on a fresh
 * {@link Tape} with {@link Tape#use(Variable)}.
 */
public final class Variable {

	private final String name;
	private final int rows;
	private final int cols;
	final float[] value;
	final float[] grad;

	public Variable(String name, int rows, int cols) {
		if (rows <= 0 || cols <= 0) {
			throw new IllegalArgumentException("Variable " + name + " needs a positive shape, got " + rows + "×" + cols);
		}
		this.name = name;
		this.rows = rows;
		this.cols = cols;
		this.value = new float[rows * cols];
		this.grad = new float[rows * cols];
	}

	public String name() {
		return name;
	}

	public int rows() {
		return rows;
	}

	public int cols() {
		return cols;
	}

	public int size() {
		return value.length;
	}

	/** The live values (for initialisation, saving and loading); row-major. */
	public float[] values() {
		return value;
	}

	/** The live gradient, accumulated by {@link Tape#backward(Tensor)}. */
	public float[] gradient() {
		return grad;
	}

	public void zeroGradient() {
		Arrays.fill(grad, 0f);
	}

	@Override
	public String toString() {
		return name + "[" + rows + "×" + cols + "]";
	}
}
