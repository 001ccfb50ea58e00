package org.sbiworkbench.nn.tests;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

/** Every operation of the tape against finite differences, through a random weighting of its output. */
class OpsGradientTest {

	private final Well19937c random = new Well19937c(3);

	private Variable var(String name, int r, int c, double lo, double hi) {
		Variable v = new Variable(name, r, c);
		float[] w = v.values();
		for (int i = 0; i < w.length; i++) {
			w[i] = (float) (lo + (hi - lo) * random.nextDouble());
		}
		return v;
	}

	/** loss = Σ op(a, b) ⊙ R for a fixed random R, so every output element matters differently. */
	private void check(String name, Variable a, Variable b, BiFunction<Tape, Tensor[], Tensor> op) {
		Tape probe = new Tape();
		Tensor shape = op.apply(probe, new Tensor[] { probe.use(a), b == null ? null : probe.use(b) });
		float[] r = new float[shape.rows() * shape.cols()];
		for (int i = 0; i < r.length; i++) {
			r[i] = (float) random.nextGaussian();
		}
		int rows = shape.rows(), cols = shape.cols();
		List<Variable> vars = b == null ? List.of(a) : List.of(a, b);
		GradientCheck.check(name, vars, tape -> {
			Tensor out = op.apply(tape, new Tensor[] { tape.use(a), b == null ? null : tape.use(b) });
			return tape.mean(tape.mul(out, tape.constant(r, rows, cols)));
		}, 40);
	}

	@Test
	void products() {
		check("matmul", var("a", 4, 3, -1, 1), var("b", 3, 5, -1, 1), (t, x) -> t.matmul(x[0], x[1]));
		check("addRow", var("a", 4, 3, -1, 1), var("b", 1, 3, -1, 1), (t, x) -> t.addRow(x[0], x[1]));
	}

	@Test
	void binary() {
		check("add", var("a", 3, 4, -1, 1), var("b", 3, 4, -1, 1), (t, x) -> t.add(x[0], x[1]));
		check("sub", var("a", 3, 4, -1, 1), var("b", 3, 4, -1, 1), (t, x) -> t.sub(x[0], x[1]));
		check("mul", var("a", 3, 4, -1, 1), var("b", 3, 4, -1, 1), (t, x) -> t.mul(x[0], x[1]));
		check("concatCols", var("a", 3, 2, -1, 1), var("b", 3, 4, -1, 1), (t, x) -> t.concatCols(x[0], x[1]));
	}

	@Test
	void unary() {
		check("tanh", var("a", 3, 4, -2, 2), null, (t, x) -> t.tanh(x[0]));
		check("relu", var("a", 3, 4, 0.1, 2), null, (t, x) -> t.relu(x[0]));
		check("relu (negative side)", var("a", 3, 4, -2, -0.1), null, (t, x) -> t.relu(x[0]));
		check("sigmoid", var("a", 3, 4, -3, 3), null, (t, x) -> t.sigmoid(x[0]));
		check("softplus", var("a", 3, 4, -3, 3), null, (t, x) -> t.softplus(x[0]));
		check("exp", var("a", 3, 4, -1, 1), null, (t, x) -> t.exp(x[0]));
		check("log", var("a", 3, 4, 0.5, 3), null, (t, x) -> t.log(x[0]));
		check("square", var("a", 3, 4, -2, 2), null, (t, x) -> t.square(x[0]));
		check("scale", var("a", 3, 4, -2, 2), null, (t, x) -> t.scale(x[0], -1.7f));
		check("addScalar", var("a", 3, 4, -2, 2), null, (t, x) -> t.addScalar(x[0], 0.3f));
	}

	@Test
	void reductionsAndReshaping() {
		check("sumCols", var("a", 3, 4, -1, 1), null, (t, x) -> t.sumCols(x[0]));
		check("sumRowsToOne", var("a", 3, 4, -1, 1), null, (t, x) -> t.sumRowsToOne(x[0]));
		check("logSumExpCols", var("a", 3, 4, -3, 3), null, (t, x) -> t.logSumExpCols(x[0]));
		check("mean", var("a", 3, 4, -1, 1), null, (t, x) -> t.mean(x[0]));
		check("sliceCols", var("a", 3, 5, -1, 1), null, (t, x) -> t.sliceCols(x[0], 1, 4));
		check("gatherCols", var("a", 3, 4, -1, 1), null, (t, x) -> t.gatherCols(x[0], 4, j -> (j * 3) % 4));
		check("reshape", var("a", 3, 4, -1, 1), null, (t, x) -> t.reshape(x[0], 6, 2));
	}

	@Test
	void upperTriangularMatVec() {
		// two blocks of a 3×3 triangle (6 packed entries each) per row, and the 1×1 case
		check("upperTriangularMatVec", var("u", 4, 12, -1, 1), var("v", 4, 6, -1, 1), (t, x) -> t.upperTriangularMatVec(x[0], x[1], 3));
		check("upperTriangularMatVec 1×1", var("u", 3, 2, -1, 1), var("v", 3, 2, -1, 1), (t, x) -> t.upperTriangularMatVec(x[0], x[1], 1));
		// and its value against the explicit product
		Tape tape = new Tape();
		float[] packed = { 1, 2, 3, 4, 5, 6 };
		float[] v = { 0.5f, -1, 2 };
		float[] out = tape.upperTriangularMatVec(tape.constant(packed, 1, 6), tape.constant(v, 1, 3), 3).toArray();
		// U = [[1 2 3] [0 4 5] [0 0 6]]
		org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] { 0.5f - 2 + 6, -4 + 10, 12 }, out);
	}

	/** As {@link #check}, for an operation of any number of variables that {@code op} puts on the tape itself. */
	private void checkOp(String name, List<Variable> vars, Function<Tape, Tensor> op) {
		Tensor shape = op.apply(new Tape());
		int rows = shape.rows(), cols = shape.cols();
		float[] r = new float[rows * cols];
		for (int i = 0; i < r.length; i++) {
			r[i] = (float) random.nextGaussian();
		}
		GradientCheck.check(name, vars, tape -> tape.mean(tape.mul(op.apply(tape), tape.constant(r, rows, cols))), 40);
	}

	/**
	 * The sequence operations on a batch of 3 sequences of 7 steps × 2
	 * channels, with strides and paddings that make windows overlap (so
	 * gradients add), skip inputs and reach into the zero padding.
	 */
	@Test
	void sequences() {
		Variable x = var("x", 3, 7 * 2, -1, 1);
		check("im2col1d", x, null, (t, v) -> t.im2col1d(v[0], 7, 2, 3, 2, 1));
		check("im2col1d (stride 3, padding 2)", x, null, (t, v) -> t.im2col1d(v[0], 7, 2, 4, 3, 2));
		Variable w = var("w", 3 * 2, 4, -1, 1);
		Variable b = var("b", 1, 4, -1, 1);
		for (int[] sp : new int[][] { { 1, 0 }, { 1, 1 }, { 2, 1 }, { 3, 2 } }) {
			checkOp("conv1d (stride " + sp[0] + ", padding " + sp[1] + ")", List.of(x, w, b),
					t -> t.conv1d(t.use(x), 7, 2, t.use(w), t.use(b), 3, sp[0], sp[1]));
		}
		checkOp("conv1d without bias", List.of(x, w), t -> t.conv1d(t.use(x), 7, 2, t.use(w), null, 3, 2, 1));
		// overlapping windows (size 3, stride 2) and a dropped tail (size 2, stride 3: steps 0-1 and 3-4)
		check("avgPool1d", x, null, (t, v) -> t.avgPool1d(v[0], 7, 2, 3, 2));
		check("avgPool1d (gaps)", x, null, (t, v) -> t.avgPool1d(v[0], 7, 2, 2, 3));
		// max: distinct values 0.05 apart, so no step of ±1e-2 changes a window's maximum
		Variable distinct = new Variable("x", 3, 7 * 2);
		float[] d = distinct.values();
		for (int i = 0; i < d.length; i++) {
			d[i] = -1 + 0.05f * i;
		}
		for (int i = d.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			float s = d[i];
			d[i] = d[j];
			d[j] = s;
		}
		check("maxPool1d", distinct, null, (t, v) -> t.maxPool1d(v[0], 7, 2, 3, 2));
		check("maxPool1d (gaps)", distinct, null, (t, v) -> t.maxPool1d(v[0], 7, 2, 2, 3));
	}

	@Test
	void aVariableUsedTwiceAccumulatesBothPaths() {
		Variable a = var("a", 2, 2, -1, 1);
		GradientCheck.check("a·a + a", List.of(a), tape -> {
			Tensor x = tape.use(a);
			Tensor y = tape.use(a);
			return tape.mean(tape.add(tape.matmul(x, y), x));
		}, 10);
	}
}
