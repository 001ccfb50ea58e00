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
				float saved = w[i];
				w[i] = (float) (saved + STEP);
				tape.reset();
				double up = f.apply(tape).item();
				w[i] = (float) (saved - STEP);
				tape.reset();
				double down = f.apply(tape).item();
				w[i] = saved;
				double numeric = (up - down) / (2 * STEP);
				double tolerance = 2e-2 * Math.max(1, Math.abs(numeric)) + 2e-3;
				assertTrue(Math.abs(numeric - analytic[i]) <= tolerance,
						what + ": d/d" + v.name() + "[" + i + "] analytic " + analytic[i] + " vs numeric " + numeric);
				checked++;
			}
		}
		assertTrue(checked > 0, what + ": nothing was checked");
	}
}
