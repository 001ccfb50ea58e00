package org.sbiworkbench.diagnostics;

import java.util.Arrays;

/**
 * Is x_o something the simulator produces? Neural estimators extrapolate silently outside the simulated
 * range, so x_o is scored against simulated x before any posterior is trusted.
 * <p>
 * The score of a point is its z-scored Euclidean distance to its k-th nearest neighbour among reference
 * simulations — a k-nearest-neighbour density estimate, large where the simulator rarely goes. The same score
 * of held-out calibration simulations gives a conformal p-value, (1 + #{calibration scores ≥ x_o's}) /
 * (1 + calibration size), valid for any simulator: under "x_o comes from the prior predictive" it is uniform,
 * so p &lt; α happens with probability α.
 *
 * @param score            x_o's k-NN distance
 * @param calibrationScores held-out simulations' k-NN distances, sorted
 * @param pValue           conformal p-value
 * @param k                neighbours
 * @param references       reference simulations used
 * @param alpha            warning threshold
 */
public record Misspecification(double score, double[] calibrationScores, double pValue, int k, int references, double alpha) {

	public static final double DEFAULT_ALPHA = 0.01;

	/**
	 * @param simulated simulated x (e.g. the training set), in random order; up to {@code maxReferences} become the
	 *                  reference and up to 1,000 of the rest the calibration set
	 */
	public static Misspecification of(double[][] simulated, double[] observation, int k, int maxReferences, double alpha) {
		int nCal = Math.min(1_000, simulated.length / 5);
		int nRef = Math.min(maxReferences, simulated.length - nCal);
		if (nCal < 20 || nRef <= k) {
			throw new IllegalArgumentException("the misspecification check needs at least " + Math.max(100, 5 * (k + 1))
					+ " simulations, got " + simulated.length);
		}
		int d = observation.length;
		double[] mean = new double[d], scale = new double[d];
		for (int i = 0; i < nRef; i++) {
			for (int j = 0; j < d; j++) {
				mean[j] += simulated[i][j] / nRef;
			}
		}
		for (int i = 0; i < nRef; i++) {
			for (int j = 0; j < d; j++) {
				scale[j] += (simulated[i][j] - mean[j]) * (simulated[i][j] - mean[j]) / (nRef - 1);
			}
		}
		for (int j = 0; j < d; j++) {
			scale[j] = Math.sqrt(scale[j]);
			if (!(scale[j] > 0)) {
				scale[j] = 1; // a constant statistic: differences from it still count, in its own units
			}
		}
		float[][] ref = new float[nRef][];
		for (int i = 0; i < nRef; i++) {
			ref[i] = z(simulated[i], mean, scale);
		}
		double[] cal = new double[nCal];
		for (int c = 0; c < nCal; c++) {
			cal[c] = kthDistance(ref, z(simulated[nRef + c], mean, scale), k);
		}
		Arrays.sort(cal);
		double s = kthDistance(ref, z(observation, mean, scale), k);
		int atLeast = 0;
		for (double v : cal) {
			if (v >= s) {
				atLeast++;
			}
		}
		return new Misspecification(s, cal, (1.0 + atLeast) / (1.0 + nCal), k, nRef, alpha);
	}

	public static Misspecification of(double[][] simulated, double[] observation) {
		return of(simulated, observation, 10, 10_000, DEFAULT_ALPHA);
	}

	/** True when x_o lies outside what the simulator produces, at level alpha. */
	public boolean flagged() {
		return pValue < alpha;
	}

	private static float[] z(double[] x, double[] mean, double[] scale) {
		float[] out = new float[x.length];
		for (int j = 0; j < x.length; j++) {
			out[j] = (float) ((x[j] - mean[j]) / scale[j]);
		}
		return out;
	}

	/** The k-th smallest distance from q to the reference points (a bounded max-heap of the k best). */
	private static double kthDistance(float[][] ref, float[] q, int k) {
		double[] heap = new double[k];
		Arrays.fill(heap, Double.POSITIVE_INFINITY);
		for (float[] r : ref) {
			double s = 0;
			for (int j = 0; j < q.length; j++) {
				double diff = r[j] - q[j];
				s += diff * diff;
			}
			if (s < heap[0]) {
				heap[0] = s;
				siftDown(heap);
			}
		}
		return Math.sqrt(heap[0]);
	}

	private static void siftDown(double[] h) {
		int i = 0;
		while (true) {
			int l = 2 * i + 1, r = l + 1, m = i;
			if (l < h.length && h[l] > h[m]) {
				m = l;
			}
			if (r < h.length && h[r] > h[m]) {
				m = r;
			}
			if (m == i) {
				return;
			}
			double t = h[i];
			h[i] = h[m];
			h[m] = t;
			i = m;
		}
	}
}
