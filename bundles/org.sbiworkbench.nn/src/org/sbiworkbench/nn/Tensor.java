package org.sbiworkbench.nn;

/**
 * A rows×cols float32 value on a {@link Tape}, usually a batch (one row per
 * example). Created by the tape's operations; its gradient exists after
 * {@link Tape#backward(Tensor)}.
 */
public final class Tensor {

	final int rows;
	final int cols;
	final float[] value;
	float[] grad;
	final boolean needsGrad;
	/** Pushes this tensor's gradient to its inputs; null for leaves. */
	Runnable backward;
	/** For leaves made by {@link Tape#use(Variable)}: where the gradient goes. */
	Variable variable;

	Tensor(int rows, int cols, float[] value, boolean needsGrad) {
		this.rows = rows;
		this.cols = cols;
		this.value = value;
		this.needsGrad = needsGrad;
	}

	public int rows() {
		return rows;
	}

	public int cols() {
		return cols;
	}

	public float get(int row, int col) {
		return value[row * cols + col];
	}

	/** A copy of the values, row-major. */
	public float[] toArray() {
		return java.util.Arrays.copyOf(value, rows * cols);
	}

	/** The live values, row-major (no copy; valid until the tape is reset). */
	public float[] values() {
		return value;
	}

	/** The gradient after {@link Tape#backward(Tensor)}, or null if none reached this tensor. */
	public float[] gradient() {
		return grad;
	}

	/** The single value of a 1×1 tensor. */
	public float item() {
		if (rows != 1 || cols != 1) {
			throw new IllegalStateException("item() needs a 1×1 tensor, this is " + rows + "×" + cols);
		}
		return value[0];
	}

	@Override
	public String toString() {
		return "Tensor[" + rows + "×" + cols + "]";
	}
}
