package org.sbiworkbench.nn;

import java.util.List;

/**
 * An invertible linear map z = W·x + b with W = L·U, as nflows' {@code
 * LULinear} that sbi puts after every spline coupling: L unit lower
 * triangular, U upper triangular with diagonal softplus(s) + ε (ε = 1e-3), so
 * log|det W| = Σ log U_aa and the inverse is two triangular solves. There is
 * no permutation factor (P = I, as in nflows): the alternating coupling masks
 * already mix the dimensions. Starts as the identity (L = U = I, b = 0).
 * <p>
 * Variables: the strictly lower entries of L and the strictly upper entries
 * of U, each row by row as one 1×D(D−1)/2 row; s (1×D); b (1×D).
 */
public final class LuLinear implements Module {

	public static final double EPSILON = 1e-3;

	private final int dimension;
	private final Variable lower;
	private final Variable upper;
	private final Variable diagonal;
	private final Variable bias;
	/** Gather indices that lay out Lᵀ and Uᵀ row-major from [lower, 0, 1] and [upper, diag, 0]. */
	private final int[] lowerT;
	private final int[] upperT;

	public LuLinear(String name, int dimension) {
		if (dimension < 2) {
			throw new IllegalArgumentException("LuLinear needs at least 2 dimensions, got " + dimension);
		}
		this.dimension = dimension;
		int off = dimension * (dimension - 1) / 2;
		lower = new Variable(name + ".lower", 1, off);
		upper = new Variable(name + ".upper", 1, off);
		diagonal = new Variable(name + ".diagonal", 1, dimension);
		bias = new Variable(name + ".bias", 1, dimension);
		java.util.Arrays.fill(diagonal.values(), (float) Math.log(Math.expm1(1 - EPSILON)));
		lowerT = new int[dimension * dimension];
		upperT = new int[dimension * dimension];
		for (int r = 0; r < dimension; r++) {
			for (int c = 0; c < dimension; c++) {
				// (Lᵀ)_rc = L_cr, (Uᵀ)_rc = U_cr
				lowerT[r * dimension + c] = c > r ? lowerIndex(c, r) : c == r ? off + 1 : off;
				upperT[r * dimension + c] = c < r ? upperIndex(c, r) : c == r ? off + c : off + dimension;
			}
		}
	}

	/** Index of L_rc (r > c) among the strictly lower entries, row by row. */
	private static int lowerIndex(int r, int c) {
		return r * (r - 1) / 2 + c;
	}

	/** Index of U_rc (c > r) among the strictly upper entries, row by row. */
	private int upperIndex(int r, int c) {
		return r * dimension - r * (r + 1) / 2 + (c - r - 1);
	}

	public int dimension() {
		return dimension;
	}

	private Tensor diagonalOfU(Tape tape) {
		return tape.addScalar(tape.softplus(tape.use(diagonal)), (float) EPSILON);
	}

	/** z = x·Wᵀ + b for a batch x (n×D), i.e. z_i = W·x_i + b. */
	public Tensor apply(Tape tape, Tensor x) {
		int d = dimension;
		Tensor lt = tape.reshape(tape.gatherCols(tape.concatCols(tape.use(lower), tape.constant(new float[] { 0, 1 }, 1, 2)), d * d,
				j -> lowerT[j]), d, d);
		Tensor ut = tape.reshape(tape.gatherCols(tape.concatCols(tape.concatCols(tape.use(upper), diagonalOfU(tape)),
				tape.constant(new float[] { 0 }, 1, 1)), d * d, j -> upperT[j]), d, d);
		return tape.addRow(tape.matmul(tape.matmul(x, ut), lt), tape.use(bias));
	}

	/** log|det W| (1×1), the same for every row. */
	public Tensor logAbsDet(Tape tape) {
		return tape.sumCols(tape.log(diagonalOfU(tape)));
	}

	/** Solves z_i = W·x_i + b for every row of z (n×D, row-major), in place. */
	public void inverse(float[] z, int n) {
		int d = dimension;
		float[] l = lower.values(), u = upper.values(), s = diagonal.values(), b = bias.values();
		double[] v = new double[d];
		for (int i = 0; i < n; i++) {
			// L·v = z − b (unit diagonal), forward substitution
			for (int r = 0; r < d; r++) {
				double acc = z[i * d + r] - b[r];
				for (int c = 0; c < r; c++) {
					acc -= l[lowerIndex(r, c)] * v[c];
				}
				v[r] = acc;
			}
			// U·x = v, back substitution
			for (int r = d - 1; r >= 0; r--) {
				double acc = v[r];
				for (int c = r + 1; c < d; c++) {
					acc -= u[upperIndex(r, c)] * v[c];
				}
				v[r] = acc / (Tape.softplus(s[r]) + EPSILON);
			}
			for (int r = 0; r < d; r++) {
				z[i * d + r] = (float) v[r];
			}
		}
	}

	@Override
	public List<Variable> variables() {
		return List.of(lower, upper, diagonal, bias);
	}
}
