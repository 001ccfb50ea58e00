package org.sbiworkbench.nn.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

/**
 * Compares the tape's gradients with central finite differences. The engine
 * is float32, so differences use a step of 1e-2 and the comparison allows
 * 2% relative plus 2e-3 absolute error: truncation error O(h²) and rounding
 * error O(ε/h) are both well inside that for well-scaled test values.
 */
final class GradientCheck {

	static final double STEP = 1e-2;

	private GradientCheck() {
	}

	/** f maps a fresh tape to a scalar loss built from the variables. */
	static void check(String what, List<Variable> variables, Function<Tape, Tensor> f, int maxPerVariable) {
		check(what, variables, f, maxPerVariable, false);
	}

	/**
	 * For losses that are only piecewise smooth in the weights, such as the
	 * log-density of a spline flow (log g' has kinks where an input crosses a
	 * knot): a central difference whose interval contains a kink is off by up
	 * to half the jump in slope. Where the difference at {@link #STEP}
	 * disagrees, it is repeated at STEP/4 (rounding error then still ≤ ~6e-4
	 * for losses of order one) and the derivative must match that one. A wrong
	 * derivative matches neither; a kink inside both intervals is four times
	 * less likely than inside the first.
	 */
	static void checkPiecewiseSmooth(String what, List<Variable> variables, Function<Tape, Tensor> f, int maxPerVariable) {
		check(what, variables, f, maxPerVariable, true);
	}

	private static double difference(Tape tape, Function<Tape, Tensor> f, float[] w, int i, double step) {
		float saved = w[i];
		w[i] = (float) (saved + step);
		tape.reset();
		double up = f.apply(tape).item();
		w[i] = (float) (saved - step);
		tape.reset();
		double down = f.apply(tape).item();
		w[i] = saved;
		// the steps actually taken, after rounding to float
		return (up - down) / ((double) (float) (saved + step) - (double) (float) (saved - step));
	}

	private static boolean agree(double numeric, double analytic) {
		return Math.abs(numeric - analytic) <= 2e-2 * Math.max(1, Math.abs(numeric)) + 2e-3;
	}

	private static void check(String what, List<Variable> variables, Function<Tape, Tensor> f, int maxPerVariable, boolean retry) {
		Tape tape = new Tape();
		variables.forEach(Variable::zeroGradient);
		Tensor loss = f.apply(tape);
		tape.backward(loss);
		int checked = 0;
		for (Variable v : variables) {
			float[] w = v.values();
			float[] analytic = v.gradient().clone();
			int stride = Math.max(1, w.length / maxPerVariable);
			for (int i = 0; i < w.length; i += stride) {
				double numeric = difference(tape, f, w, i, STEP);
				if (retry && !agree(numeric, analytic[i])) {
					double finer = difference(tape, f, w, i, STEP / 4);
					assertTrue(agree(finer, analytic[i]), what + ": d/d" + v.name() + "[" + i + "] analytic " + analytic[i] + " vs numeric "
							+ numeric + " (step " + STEP + ") and " + finer + " (step " + STEP / 4 + ")");
				}
				assertTrue(retry || agree(numeric, analytic[i]),
						what + ": d/d" + v.name() + "[" + i + "] analytic " + analytic[i] + " vs numeric " + numeric);
				checked++;
			}
		}
		assertTrue(checked > 0, what + ": nothing was checked");
	}
}
