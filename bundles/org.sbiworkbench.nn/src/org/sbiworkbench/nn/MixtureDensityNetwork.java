package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A mixture density network (Bishop 1994) as sbi builds {@code mdn}: a hidden
 * net maps the context through ReLU layers (the activation is a parameter),
 * then linear heads give, per component k, a mixture logit, a mean μ_k and a
 * Cholesky factor of the component's <em>precision</em>: Σ_k⁻¹ = U_kᵀU_k with
 * U_k upper triangular (as nflows' MDN), diagonal softplus(·) + ε (ε = 1e-2
 * keeps U_k safely invertible) and free entries above it (none for a diagonal
 * covariance). Then log N(y; μ_k, Σ_k) = −½|U_k(y − μ_k)|² + Σ_a log U_k,aa −
 * (D/2) log 2π needs products only, no triangular solve on the tape, and
 * log q = logsumexp_k(logit_k + log N_k) − logsumexp_k(logit_k).
 * <p>
 * Sampling picks a component by its weight, then y = μ_k + U_k⁻¹z, z ~ N(0, I),
 * by back substitution: Σ_k = U_k⁻¹U_k⁻ᵀ, so U_k⁻¹ plays the part of the
 * factor L in μ + L·z.
 * <p>
 * Initialisation as nflows' MDN: the logit, diagonal and off-diagonal heads
 * start with weights and biases ~ N(0, ε²), the diagonal bias shifted by
 * softplus⁻¹(1 − ε): near-equal weights and unit covariances; the mean head
 * keeps its ordinary random initialisation, which tells the components
 * apart.
 */
public final class MixtureDensityNetwork implements ConditionalDensity {

	public static final float EPSILON = 1e-2f;
	private static final double HEAD_INIT = EPSILON;
	private static final float LOG_2PI = (float) Math.log(2 * Math.PI);

	private final int dimension;
	private final int contextDimension;
	private final int components;
	private final boolean fullCovariance;
	private final Mlp hidden;
	private final Activation activation;
	private final Linear logits;
	private final Linear means;
	private final Linear diagonal;
	private final Linear upper;
	/** Gather of [diagonal (K·D), upper (K·D(D−1)/2)] into packed upper-triangular blocks (K·D(D+1)/2). */
	private final int[] packing;

	/** sbi's defaults: 10 components, full covariance, three hidden ReLU layers of 50 units. */
	public static MixtureDensityNetwork sbiDefault(int dimension, int contextDimension, RandomGenerator random) {
		return new MixtureDensityNetwork(dimension, contextDimension, 10, 50, 3, true, Activation.RELU, random);
	}

	public MixtureDensityNetwork(int dimension, int contextDimension, int components, int hiddenUnits, int hiddenLayers,
			boolean fullCovariance, Activation activation, RandomGenerator random) {
		if (dimension < 1 || contextDimension < 1 || components < 1 || hiddenLayers < 1) {
			throw new IllegalArgumentException("An MDN needs dimension, context, components and hidden layers ≥ 1, got " + dimension + ", "
					+ contextDimension + ", " + components + ", " + hiddenLayers);
		}
		this.dimension = dimension;
		this.contextDimension = contextDimension;
		this.components = components;
		this.fullCovariance = fullCovariance && dimension > 1;
		int[] sizes = new int[hiddenLayers + 1];
		sizes[0] = contextDimension;
		for (int l = 1; l <= hiddenLayers; l++) {
			sizes[l] = hiddenUnits;
		}
		hidden = new Mlp("mdn.hidden", sizes, activation, random);
		this.activation = activation;
		int kd = components * dimension;
		logits = new Linear("mdn.logits", hiddenUnits, components, random);
		means = new Linear("mdn.means", hiddenUnits, kd, random);
		diagonal = new Linear("mdn.diagonal", hiddenUnits, kd, random);
		int off = dimension * (dimension - 1) / 2;
		upper = this.fullCovariance ? new Linear("mdn.upper", hiddenUnits, components * off, random) : null;
		for (Linear head : upper == null ? List.of(logits, diagonal) : List.of(logits, diagonal, upper)) {
			for (float[] w : new float[][] { head.weight().values(), head.bias().values() }) {
				for (int i = 0; i < w.length; i++) {
					w[i] = (float) (HEAD_INIT * random.nextGaussian());
				}
			}
		}
		float identity = (float) Math.log(Math.expm1(1 - EPSILON));
		float[] b = diagonal.bias().values();
		for (int i = 0; i < b.length; i++) {
			b[i] += identity;
		}
		int tri = dimension * (dimension + 1) / 2;
		packing = new int[components * tri];
		for (int k = 0; k < components; k++) {
			int q = k * tri, u = kd + k * off;
			for (int r = 0; r < dimension; r++) {
				for (int c = r; c < dimension; c++) {
					packing[q++] = c == r ? k * dimension + r : u++;
				}
			}
		}
	}

	@Override
	public int dimension() {
		return dimension;
	}

	@Override
	public int contextDimension() {
		return contextDimension;
	}

	public int components() {
		return components;
	}

	public boolean fullCovariance() {
		return fullCovariance;
	}

	/** The heads' outputs for a batch of contexts: logits, means, diagonal of U, and the packed U (or null if diagonal). */
	private Tensor[] heads(Tape tape, Tensor context) {
		Tensor h = activation.apply(tape, hidden.apply(tape, context));
		Tensor lg = logits.apply(tape, h);
		Tensor mu = means.apply(tape, h);
		Tensor diag = tape.addScalar(tape.softplus(diagonal.apply(tape, h)), EPSILON);
		Tensor packed = null;
		if (fullCovariance) {
			packed = tape.gatherCols(tape.concatCols(diag, upper.apply(tape, h)), packing.length, j -> packing[j]);
		}
		return new Tensor[] { lg, mu, diag, packed };
	}

	@Override
	public Tensor logProb(Tape tape, Tensor y, Tensor context) {
		int n = y.rows(), d = dimension, k = components;
		Tensor[] p = heads(tape, context);
		Tensor residual = tape.sub(tape.gatherCols(y, k * d, j -> j % d), p[1]);
		Tensor u = fullCovariance ? tape.upperTriangularMatVec(p[3], residual, d) : tape.mul(p[2], residual);
		Tensor maha = tape.reshape(tape.sumCols(tape.reshape(tape.square(u), n * k, d)), n, k);
		Tensor logDet = tape.reshape(tape.sumCols(tape.reshape(tape.log(p[2]), n * k, d)), n, k);
		Tensor logNormal = tape.addScalar(tape.sub(logDet, tape.scale(maha, 0.5f)), -0.5f * d * LOG_2PI);
		return tape.sub(tape.logSumExpCols(tape.add(p[0], logNormal)), tape.logSumExpCols(p[0]));
	}

	/** The mixture weights for one context (for reports and tests). */
	public double[] weights(float[] context) {
		Tape tape = new Tape();
		float[] lg = heads(tape, tape.constant(context, 1, contextDimension))[0].values();
		return softmax(lg);
	}

	private static double[] softmax(float[] lg) {
		double max = Double.NEGATIVE_INFINITY;
		for (float v : lg) {
			max = Math.max(max, v);
		}
		double[] w = new double[lg.length];
		double sum = 0;
		for (int j = 0; j < lg.length; j++) {
			w[j] = Math.exp(lg[j] - max);
			sum += w[j];
		}
		for (int j = 0; j < lg.length; j++) {
			w[j] /= sum;
		}
		return w;
	}

	@Override
	public float[][] sample(int n, float[] context, RandomGenerator random) {
		int d = dimension, k = components, tri = d * (d + 1) / 2;
		Tape tape = new Tape();
		Tensor[] p = heads(tape, tape.constant(context, 1, contextDimension));
		double[] w = softmax(p[0].values());
		float[] mu = p[1].values();
		float[] diag = p[2].values();
		float[] packed = fullCovariance ? p[3].values() : null;
		double[] x = new double[d];
		float[][] out = new float[n][d];
		for (int i = 0; i < n; i++) {
			double u = random.nextDouble();
			int c = 0;
			for (double acc = w[0]; c < k - 1 && u >= acc; acc += w[++c]) {
				// walk the cumulative weights
			}
			for (int a = 0; a < d; a++) {
				x[a] = random.nextGaussian();
			}
			// U·v = z by back substitution; row r of block c starts at packed index c·tri + r·d − r(r−1)/2
			for (int r = d - 1; r >= 0; r--) {
				double acc = x[r];
				if (packed != null) {
					int row = c * tri + r * d - r * (r - 1) / 2;
					for (int col = r + 1; col < d; col++) {
						acc -= packed[row + col - r] * x[col];
					}
				}
				x[r] = acc / diag[c * d + r];
			}
			for (int a = 0; a < d; a++) {
				out[i][a] = (float) (mu[c * d + a] + x[a]);
			}
		}
		return out;
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>(hidden.variables());
		v.addAll(logits.variables());
		v.addAll(means.variables());
		v.addAll(diagonal.variables());
		if (upper != null) {
			v.addAll(upper.variables());
		}
		return v;
	}
}
