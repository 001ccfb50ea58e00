package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A conditional neural spline flow (Durkan et al. 2019) as sbi/sbibm build
 * {@code nsf}: transforms of a rational-quadratic spline coupling (alternating
 * binary masks, linear tails outside [−B, B]) each followed by an LU linear
 * map ({@link LuLinear}, identity at the start; not for one-dimensional y), on
 * a standard normal base.
 * <p>
 * Coupling t transforms the dimensions with index ≡ t (mod 2) (nflows'
 * alternating mask, "even" for even t) given the others: its conditioner is a
 * {@link ResidualNet} of [the untransformed dimensions, context] whose output
 * holds 3K−1 spline parameters per transformed dimension (layout in
 * {@link RationalQuadraticSpline}); the raw widths and heights are divided by
 * √hidden, as nflows does. For one-dimensional y every transform splines the
 * one dimension with parameters from an MLP of the context alone (two hidden
 * layers of the conditioner's width and activation, as sbi's
 * {@code ContextSplineMap}), or from a learned constant when there is no
 * context.
 * <p>
 * Density evaluation is one pass; sampling inverts every transform, each in
 * one vectorised pass (the spline inverse is a quadratic per element, the LU
 * inverse two triangular solves).
 */
public final class NeuralSplineFlow implements ConditionalDensity {

	private static final float LOG_2PI = (float) Math.log(2 * Math.PI);

	private final int dimension;
	private final int contextDimension;
	private final RationalQuadraticSpline spline;
	private final List<Coupling> couplings = new ArrayList<>();
	private final List<LuLinear> linears = new ArrayList<>();

	/** sbi's defaults: 5 transforms, 10 bins, tails at ±3, residual conditioner of 50 hidden units and 2 blocks, ReLU. */
	public static NeuralSplineFlow sbiDefault(int dimension, int contextDimension, RandomGenerator random) {
		return new NeuralSplineFlow(dimension, contextDimension, 5, 10, 3.0, 50, 2, Activation.RELU, random);
	}

	/**
	 * @param bins        spline bins K
	 * @param tailBound   B: splines act on [−B, B], identity outside
	 * @param hiddenUnits width of the conditioner
	 * @param blocks      residual blocks of the conditioner (for 1-D y: the context MLP always has two hidden layers)
	 * @param activation  of the conditioner (sbi: ReLU)
	 */
	public NeuralSplineFlow(int dimension, int contextDimension, int transforms, int bins, double tailBound, int hiddenUnits,
			int blocks, Activation activation, RandomGenerator random) {
		if (dimension < 1 || contextDimension < 0 || transforms < 1) {
			throw new IllegalArgumentException("NSF needs dimension ≥ 1, context ≥ 0 and at least one transform, got " + dimension + ", "
					+ contextDimension + ", " + transforms);
		}
		this.dimension = dimension;
		this.contextDimension = contextDimension;
		this.spline = new RationalQuadraticSpline(bins, tailBound, 1 / Math.sqrt(hiddenUnits));
		for (int t = 0; t < transforms; t++) {
			couplings.add(new Coupling("nsf" + t, t, hiddenUnits, blocks, activation, random));
			if (dimension > 1) {
				linears.add(new LuLinear("nsf" + t + ".lu", dimension));
			}
		}
	}

	/** One spline coupling: which dimensions it transforms and its conditioner. */
	private final class Coupling {
		final int[] transformed;
		final int[] identity;
		/** Column j of [identity, transformed] goes back to dimension order by this gather. */
		final int[] restore;
		final ResidualNet net;
		final Mlp contextMap;
		final Variable constant;

		Coupling(String name, int t, int hiddenUnits, int blocks, Activation activation, RandomGenerator random) {
			List<Integer> tr = new ArrayList<>(), id = new ArrayList<>();
			for (int j = 0; j < dimension; j++) {
				(dimension == 1 || j % 2 == t % 2 ? tr : id).add(j);
			}
			transformed = tr.stream().mapToInt(Integer::intValue).toArray();
			identity = id.stream().mapToInt(Integer::intValue).toArray();
			restore = new int[dimension];
			for (int j = 0; j < identity.length; j++) {
				restore[identity[j]] = j;
			}
			for (int j = 0; j < transformed.length; j++) {
				restore[transformed[j]] = identity.length + j;
			}
			int out = transformed.length * spline.parametersPerElement();
			if (identity.length > 0) {
				net = new ResidualNet(name + ".conditioner", identity.length, out, contextDimension, hiddenUnits, blocks, activation, random);
				contextMap = null;
				constant = null;
			} else if (contextDimension > 0) {
				net = null;
				contextMap = new Mlp(name + ".conditioner", new int[] { contextDimension, hiddenUnits, hiddenUnits, out }, activation, random);
				constant = null;
			} else {
				net = null;
				contextMap = null;
				constant = new Variable(name + ".spline", 1, out);
				// uniform bins and unit derivatives: the identity
				int k = spline.bins();
				for (int j = 2 * k; j < out; j++) {
					constant.values()[j] = RationalQuadraticSpline.identityDerivativeParameter();
				}
			}
		}

		/** n×(|transformed|·(3K−1)) spline parameters given the untransformed columns (n×|identity|, null if none). */
		Tensor parameters(Tape tape, Tensor identityPart, Tensor context, int n) {
			if (net != null) {
				return net.apply(tape, identityPart, context);
			}
			if (contextMap != null) {
				return contextMap.apply(tape, context);
			}
			return tape.addRow(tape.constant(new float[n * constant.cols()], n, constant.cols()), tape.use(constant));
		}

		List<Variable> variables() {
			return net != null ? net.variables() : contextMap != null ? contextMap.variables() : List.of(constant);
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

	public int transforms() {
		return couplings.size();
	}

	public RationalQuadraticSpline spline() {
		return spline;
	}

	@Override
	public Tensor logProb(Tape tape, Tensor y, Tensor context) {
		int n = y.rows();
		Tensor h = y;
		Tensor logDet = null;
		for (int t = 0; t < couplings.size(); t++) {
			Coupling c = couplings.get(t);
			int m = c.transformed.length;
			Tensor id = c.identity.length == 0 ? null : tape.gatherCols(h, c.identity.length, j -> c.identity[j]);
			Tensor tr = m == dimension ? h : tape.gatherCols(h, m, j -> c.transformed[j]);
			Tensor out = spline.apply(tape, tr, c.parameters(tape, id, context, n));
			Tensor ld = tape.sumCols(tape.sliceCols(out, m, 2 * m));
			Tensor z = tape.sliceCols(out, 0, m);
			h = id == null ? z : tape.gatherCols(tape.concatCols(id, z), dimension, j -> c.restore[j]);
			logDet = logDet == null ? ld : tape.add(logDet, ld);
			if (dimension > 1) {
				LuLinear lu = linears.get(t);
				h = lu.apply(tape, h);
				logDet = tape.addRow(logDet, lu.logAbsDet(tape));
			}
		}
		// log N(z; 0, I) = −½|z|² − (D/2) log 2π
		Tensor base = tape.addScalar(tape.scale(tape.sumCols(tape.square(h)), -0.5f), -0.5f * dimension * LOG_2PI);
		return tape.add(base, logDet);
	}

	@Override
	public float[][] sample(int n, float[] context, RandomGenerator random) {
		int d = dimension;
		float[] z = new float[n * d];
		for (int i = 0; i < z.length; i++) {
			z[i] = (float) random.nextGaussian();
		}
		float[] ctx = new float[n * contextDimension];
		for (int i = 0; contextDimension > 0 && i < n; i++) {
			System.arraycopy(context, 0, ctx, i * contextDimension, contextDimension);
		}
		Tape tape = new Tape();
		for (int t = couplings.size() - 1; t >= 0; t--) {
			if (d > 1) {
				linears.get(t).inverse(z, n);
			}
			Coupling c = couplings.get(t);
			int p = c.identity.length, m = c.transformed.length;
			float[] id = new float[n * p];
			float[] tr = new float[n * m];
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < p; j++) {
					id[i * p + j] = z[i * d + c.identity[j]];
				}
				for (int j = 0; j < m; j++) {
					tr[i * m + j] = z[i * d + c.transformed[j]];
				}
			}
			tape.reset();
			Tensor params = c.parameters(tape, p == 0 ? null : tape.constant(id, n, p),
					contextDimension == 0 ? null : tape.constant(ctx, n, contextDimension), n);
			spline.inverse(tr, params.values(), n, m, tr);
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < m; j++) {
					z[i * d + c.transformed[j]] = tr[i * m + j];
				}
			}
		}
		float[][] out = new float[n][d];
		for (int i = 0; i < n; i++) {
			System.arraycopy(z, i * d, out[i], 0, d);
		}
		return out;
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>();
		for (int t = 0; t < couplings.size(); t++) {
			v.addAll(couplings.get(t).variables());
			if (dimension > 1) {
				v.addAll(linears.get(t).variables());
			}
		}
		return v;
	}

	/** The dimensions coupling t transforms (the others condition it). */
	public int[] transformedDimensions(int t) {
		return couplings.get(t).transformed.clone();
	}
}
