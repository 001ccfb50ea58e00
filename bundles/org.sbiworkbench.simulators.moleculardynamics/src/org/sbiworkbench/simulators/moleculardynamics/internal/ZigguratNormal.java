package org.sbiworkbench.simulators.moleculardynamics.internal;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.util.FastMath;

/**
 * Standard normal deviates by the ziggurat method of Marsaglia and Tsang
 * (J. Stat. Softw. 5 (2000) 8), drawn from any {@link RandomGenerator}: about
 * five to eight times faster than {@link RandomGenerator#nextGaussian()} (Box–Muller
 * with a sine and a cosine), which dominates the cost of a Langevin step
 * otherwise.
 * <p>
 * The half-density f(x) = e^{−x²/2}, x ≥ 0, is covered by 128 blocks of equal
 * area V: the base block 0 (the rectangle [0, r] × [0, f(r)] plus the tail
 * x &gt; r, of area V, treated as the rectangle [0, V/f(r)]) and rectangles
 * i = 1 … 127 of width X_i and height f(X_{i+1}) − f(X_i), with X_1 = r and
 * X_{i+1} = f⁻¹(f(X_i) + V/X_i) up to X_128 = 0. One 64-bit draw gives the
 * block (7 bits), the sign (1 bit) and a 53-bit uniform u; x = u X_i is
 * accepted at once when it lies under the next block up (x &lt; X_{i+1}),
 * about 97 % of draws. Otherwise x is in the block's wedge, accepted when
 * f(X_i) + U (f(X_{i+1}) − f(X_i)) &lt; f(x), or, in block 0, replaced by a
 * draw from the tail beyond r (Marsaglia's exponential rejection); a
 * rejected x starts over with a new draw. The result is exactly normal up to
 * the precision of r and V (the top block's area is V to 10⁻⁹). Blocks, signs and values use disjoint
 * bits, avoiding the correlation between block and value of the original
 * 32-bit scheme.
 * <p>
 * Deterministic: the tables and the rare exponentials and logarithms use
 * {@link FastMath} (pure Java), so a seed gives the same numbers on every JVM.
 */
public final class ZigguratNormal {

	private static final int BLOCKS = 128;
	/** r, where the tail begins, for 128 blocks (Marsaglia and Tsang). */
	static final double R = 3.442619855899;
	/** V, the area of each block: r f(r) + ∫_r^∞ f. */
	static final double V = 9.91256303526217e-3;
	private static final double SCALE = 0x1.0p-53;

	/** X_i · 2⁻⁵³: x = j · W[i] for a 53-bit integer j. */
	private static final double[] W = new double[BLOCKS];
	/** ⌊2⁵³ X_{i+1}/X_i⌋: j below it is under the next block up. */
	private static final long[] K = new long[BLOCKS];
	/** f(X_i); F[BLOCKS] = f(0) = 1. */
	private static final double[] F = new double[BLOCKS + 1];

	static {
		double[] x = new double[BLOCKS + 1];
		x[0] = V / f(R);
		x[1] = R;
		for (int i = 1; i < BLOCKS - 1; i++) {
			x[i + 1] = Math.sqrt(-2 * FastMath.log(f(x[i]) + V / x[i]));
		}
		x[BLOCKS] = 0;
		for (int i = 0; i < BLOCKS; i++) {
			W[i] = x[i] * SCALE;
			K[i] = (long) (x[i + 1] / x[i] / SCALE);
			F[i] = f(x[i]);
		}
		F[BLOCKS] = 1;
	}

	private ZigguratNormal() {
	}

	private static double f(double x) {
		return FastMath.exp(-0.5 * x * x);
	}

	/** One draw from N(0, 1), using only the generator given. */
	public static double next(RandomGenerator random) {
		while (true) {
			long bits = random.nextLong();
			int i = (int) (bits & (BLOCKS - 1));
			boolean negative = (bits & BLOCKS) != 0;
			long j = bits >>> 11;
			double x = j * W[i];
			if (j < K[i]) {
				return negative ? -x : x;
			}
			if (i == 0) {
				// The tail beyond r: x = r + a with a ~ Exp(r) accepted with probability e^{−a²/2}.
				double a;
				double b;
				do {
					a = -FastMath.log(1 - random.nextDouble()) / R;
					b = -FastMath.log(1 - random.nextDouble());
				} while (b + b < a * a);
				return negative ? -(R + a) : R + a;
			}
			if (F[i] + random.nextDouble() * (F[i + 1] - F[i]) < f(x)) {
				return negative ? -x : x;
			}
		}
	}
}
