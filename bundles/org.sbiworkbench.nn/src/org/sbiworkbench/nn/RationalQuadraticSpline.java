package org.sbiworkbench.nn;

/**
 * Monotone piecewise rational-quadratic splines with linear tails (Durkan,
 * Bekasov, Murray, Papamakarios 2019, "Neural Spline Flows", section 3 and
 * appendix A), applied elementwise with per-element parameters, as one fused
 * tape operation with a hand-written derivative.
 * <p>
 * On [−B, B] the spline maps K bins onto K bins; outside it is the identity
 * (log-derivative 0). Each transformed element has 3K−1 raw parameters, laid
 * out contiguously as
 * <pre>
 *   [ w_0 … w_{K−1} | h_0 … h_{K−1} | u_1 … u_{K−1} ]
 * </pre>
 * Bin widths are {@code MIN_BIN_WIDTH + (1 − K·MIN_BIN_WIDTH)·softmax(c·w)}
 * times 2B, heights likewise from h (c is the {@code logitScale}; nflows'
 * coupling transform divides the raw widths and heights by √hidden), and the
 * derivatives at the K−1 interior knots are {@code MIN_DERIVATIVE +
 * softplus(u)}. The derivatives at ±B are fixed to 1, matching the identity
 * tails, so the transform is C¹ on the whole line.
 * <p>
 * All arithmetic is in double internally; inputs and outputs are float32.
 */
public final class RationalQuadraticSpline {

	public static final double MIN_BIN_WIDTH = 1e-3;
	public static final double MIN_BIN_HEIGHT = 1e-3;
	public static final double MIN_DERIVATIVE = 1e-3;

	private final int bins;
	private final double bound;
	private final double logitScale;

	public RationalQuadraticSpline(int bins, double bound) {
		this(bins, bound, 1);
	}

	/**
	 * @param bins       K, the number of bins
	 * @param bound      B: the spline acts on [−B, B], the identity outside
	 * @param logitScale c, multiplies the raw widths and heights before the softmax
	 */
	public RationalQuadraticSpline(int bins, double bound, double logitScale) {
		if (bins < 1 || bins * Math.max(MIN_BIN_WIDTH, MIN_BIN_HEIGHT) >= 1) {
			throw new IllegalArgumentException("A spline needs between 1 and " + (int) (1 / MIN_BIN_WIDTH - 1) + " bins, got " + bins);
		}
		if (!(bound > 0) || !(logitScale > 0)) {
			throw new IllegalArgumentException("Spline bound and logit scale must be positive: " + bound + ", " + logitScale);
		}
		this.bins = bins;
		this.bound = bound;
		this.logitScale = logitScale;
	}

	public int bins() {
		return bins;
	}

	public double bound() {
		return bound;
	}

	public double logitScale() {
		return logitScale;
	}

	/** 3K − 1: raw parameters per transformed element. */
	public int parametersPerElement() {
		return 3 * bins - 1;
	}

	/** The raw interior-derivative parameter that gives derivative 1 (softplus⁻¹(1 − MIN_DERIVATIVE)). */
	public static float identityDerivativeParameter() {
		return (float) Math.log(Math.expm1(1 - MIN_DERIVATIVE));
	}

	// ---- the knots of one element ----

	/**
	 * Scratch for one element: knots, bin sizes, softmax weights. One per
	 * thread and call. Knot derivatives are computed on demand: an element
	 * needs only the two at the ends of its bin.
	 */
	private final class Knots {
		final double[] pw = new double[bins];
		final double[] ph = new double[bins];
		final double[] xs = new double[bins + 1];
		final double[] ys = new double[bins + 1];
		final double[] dx = new double[bins];
		final double[] dy = new double[bins];
		private float[] p;
		private int off;

		void compute(float[] p, int off) {
			this.p = p;
			this.off = off;
			softmax(p, off, pw);
			softmax(p, off + bins, ph);
			cumulate(pw, MIN_BIN_WIDTH, xs, dx);
			cumulate(ph, MIN_BIN_HEIGHT, ys, dy);
		}

		/** δ_k: 1 at the ends (matching the identity tails), MIN_DERIVATIVE + softplus(u_k) inside. */
		double derivative(int k) {
			return k == 0 || k == bins ? 1 : MIN_DERIVATIVE + softplus(p[off + 2 * bins + k - 1]);
		}

		/** dδ_k/du_k = sigmoid(u_k) (interior knots only). */
		double derivativeSlope(int k) {
			return 1 / (1 + Math.exp(-p[off + 2 * bins + k - 1]));
		}

		private void softmax(float[] p, int off, double[] out) {
			double max = Double.NEGATIVE_INFINITY;
			for (int k = 0; k < bins; k++) {
				max = Math.max(max, logitScale * p[off + k]);
			}
			double sum = 0;
			for (int k = 0; k < bins; k++) {
				out[k] = Math.exp(logitScale * p[off + k] - max);
				sum += out[k];
			}
			for (int k = 0; k < bins; k++) {
				out[k] /= sum;
			}
		}

		/** Knot positions −B = x_0 < … < x_K = B and bin sizes from softmax weights. */
		private void cumulate(double[] weights, double min, double[] knots, double[] sizes) {
			double scale = 1 - min * bins;
			double acc = 0;
			knots[0] = -bound;
			for (int k = 0; k < bins; k++) {
				double w = min + scale * weights[k];
				sizes[k] = 2 * bound * w;
				acc += w;
				knots[k + 1] = -bound + 2 * bound * acc;
			}
			knots[bins] = bound;
		}

		/** The bin of v among the knots: the largest k ≤ K−1 with knots[k] ≤ v. */
		int bin(double[] knots, double v) {
			int k = 0;
			while (k < bins - 1 && knots[k + 1] <= v) {
				k++;
			}
			return k;
		}
	}

	private static double softplus(double u) {
		return u > 30 ? u : u < -30 ? Math.exp(u) : Math.log1p(Math.exp(u));
	}

	/**
	 * y and log dy/dx of one element inside [−B, B], optionally with the
	 * gradient: given upstream gy, gL, adds ∂/∂x to {@code gx[gxAt]} and
	 * ∂/∂params to {@code gp[off..]} (gx, gp null for the forward pass only).
	 */
	private void element(Knots kn, double x, double[] out, double gy, double gL, float[] gx, int gxAt, float[] gp, int off) {
		int k = kn.bin(kn.xs, x);
		double dx = kn.dx[k], dy = kn.dy[k];
		double xi = Math.min(1, Math.max(0, (x - kn.xs[k]) / dx));
		double s = dy / dx;
		double dk = kn.derivative(k), dk1 = kn.derivative(k + 1);
		double t = xi * (1 - xi);
		double sumD = dk1 + dk - 2 * s;
		double num = s * xi * xi + dk * t;
		double den = s + sumD * t;
		double r = num / den;
		double m = dk1 * xi * xi + 2 * s * t + dk * (1 - xi) * (1 - xi);
		out[0] = kn.ys[k] + dy * r;
		out[1] = 2 * Math.log(s) + Math.log(m) - 2 * Math.log(den);
		if (gp == null && gx == null) {
			return;
		}
		double t1 = 1 - 2 * xi; // dt/dξ
		// partials of num, den, m with respect to ξ, s, δ_k, δ_{k+1}
		double numXi = 2 * s * xi + dk * t1, numS = xi * xi, numDk = t;
		double denXi = sumD * t1, denS = 1 - 2 * t, denDk = t, denDk1 = t;
		double mXi = 2 * dk1 * xi + 2 * s * t1 - 2 * dk * (1 - xi), mS = 2 * t, mDk = (1 - xi) * (1 - xi), mDk1 = xi * xi;
		double gXi = gy * dy * (numXi - r * denXi) / den + gL * (mXi / m - 2 * denXi / den);
		double gS = gy * dy * (numS - r * denS) / den + gL * (2 / s + mS / m - 2 * denS / den);
		double gDk = gy * dy * (numDk - r * denDk) / den + gL * (mDk / m - 2 * denDk / den);
		double gDk1 = gy * dy * (-r * denDk1) / den + gL * (mDk1 / m - 2 * denDk1 / den);
		if (gx != null) {
			gx[gxAt] += (float) (gXi / dx);
		}
		if (gp == null) {
			return;
		}
		// ξ = (x − x_k)/Δx, s = Δy/Δx, y = y_k + Δy·r
		double gXk = -gXi / dx;
		double gDx = -(gXi * xi + gS * s) / dx;
		double gYk = gy;
		double gDy = gy * r + gS / dx;
		softmaxBackward(kn.pw, k, gXk, gDx, MIN_BIN_WIDTH, gp, off);
		softmaxBackward(kn.ph, k, gYk, gDy, MIN_BIN_HEIGHT, gp, off + bins);
		if (k >= 1) {
			gp[off + 2 * bins + k - 1] += (float) (gDk * kn.derivativeSlope(k));
		}
		if (k + 1 <= bins - 1) {
			gp[off + 2 * bins + k] += (float) (gDk1 * kn.derivativeSlope(k + 1));
		}
	}

	/**
	 * Through knot_k = −B + 2B Σ_{j<k} w_j and size_k = 2B·w_k, w = min + (1 − K·min)·softmax(c·raw):
	 * adds ∂/∂raw to gp[off..off+K).
	 */
	private void softmaxBackward(double[] p, int k, double gKnot, double gSize, double min, float[] gp, int off) {
		double scale = 2 * bound * (1 - min * bins);
		double dot = 0;
		for (int j = 0; j < k; j++) {
			dot += p[j] * gKnot;
		}
		dot += p[k] * gSize;
		for (int j = 0; j < bins; j++) {
			double gj = j < k ? gKnot : j == k ? gSize : 0;
			gp[off + j] += (float) (logitScale * scale * p[j] * (gj - dot));
		}
	}

	// ---- on the tape ----

	/**
	 * The spline of every element of x (n×m) with its own parameters
	 * (n×m(3K−1), element j's at columns [j(3K−1), (j+1)(3K−1))). Returns n×2m:
	 * columns [0, m) hold y, columns [m, 2m) hold log dy/dx per element.
	 */
	public Tensor apply(Tape tape, Tensor x, Tensor params) {
		int n = x.rows, m = x.cols, per = parametersPerElement();
		if (params.rows != n || params.cols != m * per) {
			throw new IllegalArgumentException("spline: " + params + " parameters for " + x + ", expected " + n + "×" + m * per);
		}
		return tape.custom(n, 2 * m, new Tape.Custom() {
			@Override
			public void forward(Tensor[] in, float[] out) {
				Knots kn = new Knots();
				double[] e = new double[2];
				float[] xv = in[0].value, pv = in[1].value;
				for (int i = 0; i < n; i++) {
					for (int j = 0; j < m; j++) {
						double v = xv[i * m + j];
						if (v < -bound || v > bound) {
							out[i * 2 * m + j] = (float) v;
							out[i * 2 * m + m + j] = 0;
							continue;
						}
						kn.compute(pv, (i * m + j) * per);
						element(kn, v, e, 0, 0, null, 0, null, 0);
						out[i * 2 * m + j] = (float) e[0];
						out[i * 2 * m + m + j] = (float) e[1];
					}
				}
			}

			@Override
			public void backward(Tensor[] in, float[] out, float[] outGrad, float[][] grads) {
				Knots kn = new Knots();
				double[] e = new double[2];
				float[] xv = in[0].value, pv = in[1].value;
				float[] gx = grads[0], gp = grads[1];
				for (int i = 0; i < n; i++) {
					for (int j = 0; j < m; j++) {
						double v = xv[i * m + j];
						double gy = outGrad[i * 2 * m + j], gL = outGrad[i * 2 * m + m + j];
						if (v < -bound || v > bound) {
							if (gx != null) {
								gx[i * m + j] += (float) gy;
							}
							continue;
						}
						if (gy == 0 && gL == 0) {
							continue;
						}
						int off = (i * m + j) * per;
						kn.compute(pv, off);
						element(kn, v, e, gy, gL, gx, i * m + j, gp, off);
					}
				}
			}
		}, x, params);
	}

	// ---- off the tape ----

	/**
	 * One element, in double: {y, log dy/dx} at x for the parameters at
	 * {@code params[offset .. offset + 3K − 1)}.
	 */
	public double[] forward(double x, float[] params, int offset) {
		if (x < -bound || x > bound) {
			return new double[] { x, 0 };
		}
		Knots kn = new Knots();
		kn.compute(params, offset);
		double[] e = new double[2];
		element(kn, x, e, 0, 0, null, 0, null, 0);
		return e;
	}

	/** The inverse of {@link #forward(double, float[], int)}: x with spline(x) = y. */
	public double inverse(double y, float[] params, int offset) {
		if (y < -bound || y > bound) {
			return y;
		}
		Knots kn = new Knots();
		kn.compute(params, offset);
		return invert(kn, y);
	}

	/**
	 * Inverts every element: y is n×m, params n×m(3K−1) laid out as for
	 * {@link #apply(Tape, Tensor, Tensor)}; writes x (n×m) into {@code out}
	 * (which may be y itself).
	 */
	public void inverse(float[] y, float[] params, int n, int m, float[] out) {
		Knots kn = new Knots();
		int per = parametersPerElement();
		for (int i = 0; i < n * m; i++) {
			double v = y[i];
			if (v < -bound || v > bound) {
				out[i] = (float) v;
				continue;
			}
			kn.compute(params, i * per);
			out[i] = (float) invert(kn, v);
		}
	}

	/** The root in [0, 1] of the quadratic a ξ² + b ξ + c = 0 of appendix A, in its stable form 2c / (−b − √(b² − 4ac)). */
	private double invert(Knots kn, double y) {
		int k = kn.bin(kn.ys, y);
		double dx = kn.dx[k], dy = kn.dy[k];
		double s = dy / dx;
		double dk = kn.derivative(k), dk1 = kn.derivative(k + 1);
		double eta = y - kn.ys[k];
		double sumD = dk1 + dk - 2 * s;
		double a = dy * (s - dk) + eta * sumD;
		double b = dy * dk - eta * sumD;
		double c = -s * eta;
		double disc = Math.max(0, b * b - 4 * a * c);
		double xi = c == 0 ? 0 : 2 * c / (-b - Math.sqrt(disc));
		xi = Math.min(1, Math.max(0, xi));
		return kn.xs[k] + xi * dx;
	}

	/**
	 * The knots of one element: {x_0..x_K, y_0..y_K, δ_0..δ_K} (three arrays of
	 * K+1), for plots and tests.
	 */
	public double[][] knots(float[] params, int offset) {
		Knots kn = new Knots();
		kn.compute(params, offset);
		double[] d = new double[bins + 1];
		for (int k = 0; k <= bins; k++) {
			d[k] = kn.derivative(k);
		}
		return new double[][] { kn.xs.clone(), kn.ys.clone(), d };
	}
}
