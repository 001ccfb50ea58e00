package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A conditional masked autoregressive flow (Papamakarios et al. 2017), as sbi
 * builds it: transforms of an affine MADE (z = y·scale + shift, scale =
 * softplus(u) + 1e-3, as in nflows) each followed by a random permutation,
 * on a standard normal base. Density evaluation is one pass; sampling inverts
 * each MADE with one pass per dimension.
 */
public final class MaskedAutoregressiveFlow implements ConditionalDensity {

	static final float MIN_SCALE = 1e-3f;
	private static final float LOG_2PI = (float) Math.log(2 * Math.PI);

	private final int dimension;
	private final int contextDimension;
	private final List<Made> mades = new ArrayList<>();
	private final List<int[]> permutations = new ArrayList<>();

	/** sbi's defaults: 5 transforms, 50 hidden units, 2 hidden layers, tanh. */
	public static MaskedAutoregressiveFlow sbiDefault(int dimension, int contextDimension, RandomGenerator random) {
		return new MaskedAutoregressiveFlow(dimension, contextDimension, 5, 50, 2, Activation.TANH, random);
	}

	public MaskedAutoregressiveFlow(int dimension, int contextDimension, int transforms, int hiddenUnits, int hiddenLayers,
			Activation activation, RandomGenerator random) {
		this.dimension = dimension;
		this.contextDimension = contextDimension;
		for (int t = 0; t < transforms; t++) {
			Made made = new Made("maf" + t, dimension, contextDimension, hiddenUnits, hiddenLayers, 2, activation, random);
			made.shrinkOutput(0.1f);
			mades.add(made);
			permutations.add(Permutations.random(dimension, random));
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

	@Override
	public Tensor logProb(Tape tape, Tensor y, Tensor context) {
		Tensor h = y;
		Tensor logDet = null;
		for (int t = 0; t < mades.size(); t++) {
			Tensor params = mades.get(t).apply(tape, h, context);
			Tensor shift = tape.sliceCols(params, 0, dimension);
			Tensor scale = tape.addScalar(tape.softplus(tape.sliceCols(params, dimension, 2 * dimension)), MIN_SCALE);
			h = tape.add(tape.mul(h, scale), shift);
			Tensor ld = tape.sumCols(tape.log(scale));
			logDet = logDet == null ? ld : tape.add(logDet, ld);
			int[] p = permutations.get(t);
			h = tape.gatherCols(h, dimension, j -> p[j]);
		}
		// log N(z; 0, I) = −½|z|² − (D/2) log 2π
		Tensor base = tape.addScalar(tape.scale(tape.sumCols(tape.square(h)), -0.5f), -0.5f * dimension * LOG_2PI);
		return tape.add(base, logDet);
	}

	@Override
	public float[][] sample(int n, float[] context, RandomGenerator random) {
		float[] z = new float[n * dimension];
		for (int i = 0; i < z.length; i++) {
			z[i] = (float) random.nextGaussian();
		}
		float[] ctx = new float[n * contextDimension];
		for (int i = 0; i < n; i++) {
			System.arraycopy(context, 0, ctx, i * contextDimension, contextDimension);
		}
		Tape tape = new Tape();
		for (int t = mades.size() - 1; t >= 0; t--) {
			int[] p = permutations.get(t);
			float[] unpermuted = new float[z.length];
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < dimension; j++) {
					unpermuted[i * dimension + p[j]] = z[i * dimension + j];
				}
			}
			z = invert(mades.get(t), unpermuted, ctx, n, tape);
		}
		float[][] out = new float[n][dimension];
		for (int i = 0; i < n; i++) {
			System.arraycopy(z, i * dimension, out[i], 0, dimension);
		}
		return out;
	}

	/** Solves out = y·scale(y) + shift(y) for y, one autoregressive dimension per pass. */
	private float[] invert(Made made, float[] out, float[] ctx, int n, Tape tape) {
		float[] y = new float[out.length];
		for (int pass = 0; pass < dimension; pass++) {
			tape.reset();
			Tensor params = made.apply(tape, tape.constant(y, n, dimension), contextDimension > 0 ? tape.constant(ctx, n, contextDimension) : null);
			float[] pv = params.values();
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < dimension; j++) {
					float shift = pv[i * 2 * dimension + j];
					float scale = Tape.softplus(pv[i * 2 * dimension + dimension + j]) + MIN_SCALE;
					y[i * dimension + j] = (out[i * dimension + j] - shift) / scale;
				}
			}
		}
		return y;
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>();
		mades.forEach(m -> v.addAll(m.variables()));
		return v;
	}

	/** The permutation after transform t (for saving). */
	public int[] permutation(int t) {
		return permutations.get(t).clone();
	}

	public int transforms() {
		return mades.size();
	}
}
