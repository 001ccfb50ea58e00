package org.sbiworkbench.core.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 0-D, 1-D or 2-D array of doubles as read from (or written to) a
 * {@code .npy} file: its {@code shape} and its {@code data} in row-major
 * (C) order.
 * <p>
 * Matrix view: a 2-D array of shape {@code (r, c)} has {@code r} rows and
 * {@code c} columns; a 1-D array of shape {@code (n,)} is a column vector,
 * {@code n} rows of one column each (one value per row, as a per-simulation
 * quantity stored next to an {@code (n, d)} table); a 0-D array (a scalar,
 * shape {@code ()}) is one row of one column.
 * <p>
 * Immutable: the constructor and the accessors copy the arrays. Two arrays are
 * equal when their shapes and data are equal, the data compared as
 * {@link Arrays#equals(double[], double[])} does (NaN equals NaN, 0.0 differs
 * from -0.0).
 *
 * @param shape the dimensions, at most two, each between 0 and
 *              {@link Integer#MAX_VALUE}
 * @param data  the values in row-major order; as many as the product of the
 *              dimensions (1 for shape {@code ()})
 */
public record NpyArray(long[] shape, double[] data) {

	/**
	 * @throws IllegalArgumentException if there are more than two dimensions, a
	 *                                  dimension is negative or larger than
	 *                                  {@link Integer#MAX_VALUE}, or the data
	 *                                  length is not the product of the
	 *                                  dimensions
	 */
	public NpyArray {
		Objects.requireNonNull(shape, "shape");
		Objects.requireNonNull(data, "data");
		if (shape.length > 2) {
			throw new IllegalArgumentException("at most 2 dimensions, got shape " + shapeText(shape));
		}
		long size = 1;
		for (long d : shape) {
			if (d < 0 || d > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("dimension " + d + " out of range [0, " + Integer.MAX_VALUE
						+ "] in shape " + shapeText(shape));
			}
			size *= d; // at most two factors below 2^31: no overflow
		}
		if (size != data.length) {
			throw new IllegalArgumentException(
					"shape " + shapeText(shape) + " needs " + size + " values, got " + data.length);
		}
		shape = shape.clone();
		data = data.clone();
	}

	/** A 2-D array of {@code rows.length} rows of {@code columns} values each. */
	public static NpyArray ofRows(double[][] rows, int columns) {
		Npy.checkRows(rows, columns);
		double[] data = new double[Math.multiplyExact(rows.length, columns)];
		for (int r = 0; r < rows.length; r++) {
			System.arraycopy(rows[r], 0, data, r * columns, columns);
		}
		return new NpyArray(new long[] { rows.length, columns }, data);
	}

	@Override
	public long[] shape() {
		return shape.clone();
	}

	/** A copy of the values in row-major order. */
	@Override
	public double[] data() {
		return data.clone();
	}

	/** The values without a copy, for the writer in this package only. */
	double[] dataNoCopy() {
		return data;
	}

	/** The number of dimensions: 0, 1 or 2. */
	public int ndim() {
		return shape.length;
	}

	/** The number of values (1 for a scalar). */
	public int size() {
		return data.length;
	}

	/** {@code shape[0]} for 1-D and 2-D arrays, 1 for a scalar. */
	public int rows() {
		return shape.length == 0 ? 1 : (int) shape[0];
	}

	/** {@code shape[1]} for a 2-D array, 1 for 1-D arrays and scalars. */
	public int columns() {
		return shape.length == 2 ? (int) shape[1] : 1;
	}

	/**
	 * The value at {@code (row, col)} of the matrix view (see the class
	 * comment): for a 1-D array {@code col} must be 0, for a scalar both must.
	 *
	 * @throws IndexOutOfBoundsException outside {@code rows() x columns()}
	 */
	public double get(int row, int col) {
		int rows = rows();
		int columns = columns();
		if (row < 0 || row >= rows || col < 0 || col >= columns) {
			throw new IndexOutOfBoundsException(
					"(" + row + ", " + col + ") outside " + rows + " x " + columns + " (shape " + shapeText(shape) + ")");
		}
		return data[row * columns + col];
	}

	/** The matrix view as {@code rows()} fresh arrays of {@code columns()} values. */
	public double[][] toRows() {
		int rows = rows();
		int columns = columns();
		double[][] out = new double[rows][];
		for (int r = 0; r < rows; r++) {
			out[r] = Arrays.copyOfRange(data, r * columns, r * columns + columns);
		}
		return out;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
	}

	/** The shape and at most the first 8 values. */
	@Override
	public String toString() {
		StringBuilder s = new StringBuilder("NpyArray[shape=").append(shapeText(shape)).append(", data=[");
		int shown = Math.min(data.length, 8);
		for (int i = 0; i < shown; i++) {
			s.append(i == 0 ? "" : ", ").append(data[i]);
		}
		if (shown < data.length) {
			s.append(", ... (").append(data.length - shown).append(" more)");
		}
		return s.append("]]").toString();
	}

	/** The shape as numpy prints it: {@code ()}, {@code (3,)}, {@code (3, 2)}. */
	static String shapeText(long[] shape) {
		if (shape.length == 1) {
			return "(" + shape[0] + ",)";
		}
		StringBuilder s = new StringBuilder("(");
		for (int i = 0; i < shape.length; i++) {
			s.append(i == 0 ? "" : ", ").append(shape[i]);
		}
		return s.append(')').toString();
	}
}
