package org.sbiworkbench.estimators.npe;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;

/**
 * The NPE posterior q(θ | x_o) for one observation. The flow's mass outside
 * the prior's support ("leakage") is rejected when sampling and divided out of
 * {@link #logProb(double[])}; when almost nothing is accepted sampling stops
 * with a message instead of running forever.
 */
public final class NpePosterior implements Posterior {

	/** Below this acceptance rate sampling gives up: x_o is likely outside what the simulator produces. */
	public static final double MIN_ACCEPTANCE = 1e-3;
	private static final int ACCEPTANCE_DRAWS = 20_000;
	private static final int BATCH = 4_096;

	private final NpeEstimator estimator;
	private final double[] observation;
	private final float[] context;
	private long drawn;
	private long accepted;
	private Double logAcceptance;

	NpePosterior(NpeEstimator estimator, double[] observation) {
		this.estimator = estimator;
		this.observation = observation.clone();
		this.context = estimator.xStandardization().apply(observation);
	}

	@Override
	public List<Parameter> parameters() {
		return estimator.parameters();
	}

	@Override
	public double[] observation() {
		return observation.clone();
	}

	/** The share of flow samples inside the prior's support, over all draws so far (NaN before any). */
	@Override
	public synchronized double acceptanceRate() {
		return drawn == 0 ? Double.NaN : (double) accepted / drawn;
	}

	@Override
	public double[][] sample(int n, RandomGenerator random) {
		List<double[]> out = new ArrayList<>(n);
		long localDrawn = 0;
		long limit = Math.max(10L * BATCH, (long) Math.ceil(n / MIN_ACCEPTANCE));
		while (out.size() < n) {
			if (localDrawn >= limit) {
				throw new IllegalStateException(String.format(java.util.Locale.ROOT,
						"Only %d of %d samples of q(θ | x_o) fell inside the prior's support (acceptance %.2g < %.0e): "
								+ "x_o may lie outside what the simulator produces, or the estimator needs more simulations or training",
						out.size(), localDrawn, (double) out.size() / localDrawn, MIN_ACCEPTANCE));
			}
			int m = (int) Math.min(BATCH, Math.max(n - out.size(), 256) * 2L);
			float[][] z = estimator.density().sample(m, context, random);
			int keep = 0;
			for (float[] zi : z) {
				double[] theta = estimator.thetaStandardization().invert(zi);
				if (estimator.prior().inSupport(theta)) {
					keep++;
					if (out.size() < n) {
						out.add(theta);
					}
				}
			}
			localDrawn += m;
			synchronized (this) {
				drawn += m;
				accepted += keep;
			}
		}
		return out.toArray(double[][]::new);
	}

	@Override
	public boolean hasDensity() {
		return true;
	}

	@Override
	public double logProb(double[] theta) {
		if (!estimator.prior().inSupport(theta)) {
			return Double.NEGATIVE_INFINITY;
		}
		return logProbs(new double[][] { theta })[0];
	}

	/** log q(θ_i | x_o) for many θ at once, normalised for leakage; −∞ outside the prior's support. */
	@Override
	public double[] logProbs(double[][] thetas) {
		return logProbs(thetas, -estimator.thetaStandardization().logJacobian() - logAcceptance());
	}

	/** Without the leakage normaliser, which costs {@value #ACCEPTANCE_DRAWS} flow samples per observation. */
	@Override
	public double[] logProbsUpToConstant(double[][] thetas) {
		return logProbs(thetas, -estimator.thetaStandardization().logJacobian());
	}

	private double[] logProbs(double[][] thetas, double correction) {
		int d = estimator.parameters().size();
		int c = context.length;
		double[] out = new double[thetas.length];
		Tape tape = new Tape();
		for (int from = 0; from < thetas.length; from += BATCH) {
			int m = Math.min(BATCH, thetas.length - from);
			float[] y = new float[m * d];
			float[] ctx = new float[m * c];
			for (int i = 0; i < m; i++) {
				System.arraycopy(estimator.thetaStandardization().apply(thetas[from + i]), 0, y, i * d, d);
				System.arraycopy(context, 0, ctx, i * c, c);
			}
			tape.reset();
			Tensor lp = estimator.density().logProb(tape, tape.constant(y, m, d), tape.constant(ctx, m, c));
			for (int i = 0; i < m; i++) {
				out[from + i] = estimator.prior().inSupport(thetas[from + i]) ? lp.values()[i] + correction : Double.NEGATIVE_INFINITY;
			}
		}
		return out;
	}

	/** log of the flow's mass inside the prior's support, by Monte Carlo with a fixed seed (computed once). */
	public synchronized double logAcceptance() {
		if (logAcceptance == null) {
			float[][] z = estimator.density().sample(ACCEPTANCE_DRAWS, context, new Well19937c(0xACCE97L));
			int inside = 0;
			for (float[] zi : z) {
				if (estimator.prior().inSupport(estimator.thetaStandardization().invert(zi))) {
					inside++;
				}
			}
			// Never log 0: with no accepted draw the density is at least this much too small.
			logAcceptance = Math.log(Math.max(inside, 1) / (double) ACCEPTANCE_DRAWS);
		}
		return logAcceptance;
	}

	/**
	 * The maximum a posteriori θ: the best of many samples, refined by gradient
	 * ascent on log q within the prior's support (as sbi does).
	 */
	@Override
	public java.util.Optional<double[]> map(RandomGenerator random) {
		return java.util.Optional.of(findMap(random));
	}

	private double[] findMap(RandomGenerator random) {
		int d = estimator.parameters().size();
		double[][] candidates = sample(1_000, random);
		double[] lps = logProbs(candidates);
		Integer[] order = new Integer[candidates.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		java.util.Arrays.sort(order, (a, b) -> Double.compare(lps[b], lps[a]));
		double[] best = candidates[order[0]];
		double bestLp = lps[order[0]];
		int starts = Math.min(10, candidates.length);
		Tape tape = new Tape();
		for (int s = 0; s < starts; s++) {
			float[] z = estimator.thetaStandardization().apply(candidates[order[s]]);
			float[] m1 = new float[d];
			float[] m2 = new float[d];
			for (int step = 1; step <= 300; step++) {
				tape.reset();
				Tensor in = tape.input(z, 1, d);
				Tensor lp = estimator.density().logProb(tape, in, tape.constant(context, 1, context.length));
				tape.backward(lp);
				float[] g = in.gradient();
				for (int j = 0; j < d; j++) {
					// Adam ascent in z-space, lr 0.01.
					m1[j] = 0.9f * m1[j] + 0.1f * g[j];
					m2[j] = 0.999f * m2[j] + 0.001f * g[j] * g[j];
					double mh = m1[j] / (1 - Math.pow(0.9, step));
					double vh = m2[j] / (1 - Math.pow(0.999, step));
					z[j] += (float) (0.01 * mh / (Math.sqrt(vh) + 1e-8));
				}
			}
			double[] theta = estimator.thetaStandardization().invert(z);
			double lp = logProb(theta);
			if (lp > bestLp) {
				bestLp = lp;
				best = theta;
			}
		}
		return best;
	}
}
