package org.sbiworkbench.diagnostics;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import org.sbiworkbench.nn.Activation;
import org.sbiworkbench.nn.Adam;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.Linear;
import org.sbiworkbench.nn.Mlp;
import org.sbiworkbench.nn.Permutations;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Variable;

/**
 * The binary classifier of the C2ST, trained the way scikit-learn's
 * {@code MLPClassifier(activation="relu", hidden_layer_sizes=(h, h),
 * solver="adam")} trains with its other parameters at their defaults:
 * <ul>
 * <li>network d → h → h → 1, ReLU, one logit; p(class 1) = sigmoid(logit);
 * predicted class 1 iff p &gt; 0.5, i.e. logit &gt; 0;</li>
 * <li>weights and biases of every layer ~ U(−b, b) with b = √(6 / (fan_in +
 * fan_out)) (Glorot-uniform with sklearn's ReLU factor 6, biases included);</li>
 * <li>loss per mini-batch of size B: mean binary cross-entropy +
 * α/(2B)·Σ‖W‖² over the three weight matrices (not the biases), α = 1e-4; the
 * cross-entropy is computed from the logit as softplus(z) − y·z;</li>
 * <li>Adam, learning rate 1e-3, β = (0.9, 0.999), ε = 1e-8, no gradient
 * clipping, one step per mini-batch;</li>
 * <li>B = min(200, training rows); the training rows are reshuffled every
 * epoch and the last, smaller batch of an epoch is kept;</li>
 * <li>an epoch's loss is the row-weighted mean of its batch losses (each taken
 * before that batch's step); with best = the lowest epoch loss so far, an
 * epoch that does not get below best − tol (tol = 1e-4) increments a counter
 * and any other resets it; training stops when the counter exceeds
 * n_iter_no_change = 10 (i.e. after 11 such epochs in a row) or after
 * maxEpochs epochs; the final weights are kept (no restoring of the best).</li>
 * </ul>
 * Everything runs in float32 on one {@link Tape} per classifier and on the
 * calling thread, with the matrix products of the given {@link Kernels}.
 */
final class MlpClassifier {

	static final double LEARNING_RATE = 1e-3;
	static final double L2_PENALTY = 1e-4;
	static final int MAX_BATCH = 200;
	static final double TOLERANCE = 1e-4;
	static final int N_ITER_NO_CHANGE = 10;
	/** Rows per forward pass when scoring. */
	private static final int EVAL_CHUNK = 4096;

	record Outcome(double accuracy, int epochs, boolean converged, double finalLoss) {
	}

	private final int dimension;
	private final Mlp net;
	private final List<Variable> weights;
	private final RandomGenerator random;
	/** The matrix products: the engine's pure-Java ones, or an accelerator's such as ND4J's. */
	private final Kernels kernels;

	/** One random stream for initialisation and then shuffling, as sklearn uses its random_state. */
	MlpClassifier(int dimension, int hidden, long seed, Kernels kernels) {
		this.dimension = dimension;
		this.kernels = kernels;
		this.random = new Well19937c(seed);
		this.net = new Mlp("c2st", new int[] { dimension, hidden, hidden, 1 }, Activation.RELU, random);
		this.weights = net.layers().stream().map(Linear::weight).toList();
		for (Linear layer : net.layers()) {
			Variable w = layer.weight();
			double bound = Math.sqrt(6.0 / (w.rows() + w.cols()));
			uniform(w, bound);
			uniform(layer.bias(), bound);
		}
	}

	private void uniform(Variable v, double bound) {
		float[] values = v.values();
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) (bound * (2 * random.nextDouble() - 1));
		}
	}

	/**
	 * Trains on rows {@code train} of (x, y) and returns the accuracy on rows {@code test}.
	 *
	 * @param x row-major features, {@code dimension} per row
	 * @param y labels 0 or 1
	 */
	Outcome fitAndScore(float[] x, float[] y, int[] train, int[] test, int maxEpochs) {
		int d = dimension;
		int nTrain = train.length;
		int batch = Math.min(MAX_BATCH, nTrain);
		int[] order = train.clone();
		float[] bx = new float[batch * d];
		float[] by = new float[batch];
		Tape fullBatches = new Tape(kernels);
		Tape lastBatch = new Tape(kernels);
		Adam adam = new Adam(net.variables(), LEARNING_RATE, Double.POSITIVE_INFINITY);

		double best = Double.POSITIVE_INFINITY;
		double epochLoss = Double.NaN;
		int noImprovement = 0;
		int epoch = 0;
		boolean converged = false;
		while (epoch < maxEpochs) {
			if (Thread.currentThread().isInterrupted()) {
				throw new IllegalStateException("C2ST: the classifier was interrupted after " + epoch + " epochs");
			}
			Permutations.shuffle(order, random);
			double accumulated = 0;
			for (int start = 0; start < nTrain; start += batch) {
				int b = Math.min(batch, nTrain - start);
				for (int r = 0; r < b; r++) {
					int row = order[start + r];
					System.arraycopy(x, row * d, bx, r * d, d);
					by[r] = y[row];
				}
				Tape tape = b == batch ? fullBatches : lastBatch;
				tape.reset();
				adam.zeroGradients();
				Tensor logits = forward(tape, tape.constant(bx, b, d));
				Tensor labels = tape.constant(by, b, 1);
				Tensor crossEntropy = tape.mean(tape.sub(tape.softplus(logits), tape.mul(labels, logits)));
				tape.backward(crossEntropy);
				double loss = crossEntropy.item() + addL2Penalty(b);
				accumulated += loss * b;
				adam.step();
			}
			epoch++;
			epochLoss = accumulated / nTrain;
			if (!Double.isFinite(epochLoss)) {
				throw new IllegalStateException("C2ST: the classifier's training loss became " + epochLoss + " in epoch " + epoch);
			}
			if (epochLoss > best - TOLERANCE) {
				noImprovement++;
			} else {
				noImprovement = 0;
			}
			if (epochLoss < best) {
				best = epochLoss;
			}
			if (noImprovement > N_ITER_NO_CHANGE) {
				converged = true;
				break;
			}
		}
		return new Outcome(accuracy(x, y, test), epoch, converged, epochLoss);
	}

	/**
	 * The logits: what {@code net.apply} computes, with the ReLU as one fused
	 * {@link Tape#custom} operation. {@code Tape.relu} calls two lambdas per
	 * element through an interface shared by all unary operations; on these
	 * shapes that took about as long as the matrix products.
	 */
	Tensor forward(Tape tape, Tensor x) {
		List<Linear> layers = net.layers();
		Tensor h = x;
		for (int i = 0; i < layers.size(); i++) {
			h = layers.get(i).apply(tape, h);
			if (i + 1 < layers.size()) {
				h = tape.custom(h.rows(), h.cols(), RELU, h);
			}
		}
		return h;
	}

	/** max(0, x); its derivative is taken as 0 at x = 0, as {@code Tape.relu} does. */
	private static final Tape.Custom RELU = new Tape.Custom() {
		@Override
		public void forward(Tensor[] inputs, float[] out) {
			float[] x = inputs[0].values();
			int size = inputs[0].rows() * inputs[0].cols();
			for (int i = 0; i < size; i++) {
				out[i] = Math.max(x[i], 0f);
			}
		}

		@Override
		public void backward(Tensor[] inputs, float[] out, float[] outGrad, float[][] inputGrads) {
			float[] g = inputGrads[0];
			if (g == null) {
				return;
			}
			int size = inputs[0].rows() * inputs[0].cols();
			for (int i = 0; i < size; i++) {
				// Branch-free (the signs are random, so a branch mispredicts half the time): out ≥ 0, and its
				// bits are 0 exactly when out = +0, so the mask keeps outGrad where out > 0.
				int keep = -Float.floatToRawIntBits(out[i]) >> 31;
				g[i] += Float.intBitsToFloat(Float.floatToRawIntBits(outGrad[i]) & keep);
			}
		}
	};

	/**
	 * Adds the gradient of α/(2B)·Σ‖W‖² (α·W/B) to the weights' gradients, as sklearn does, and returns
	 * the penalty's value for the reported loss.
	 */
	private double addL2Penalty(int batchRows) {
		double sumSquares = 0;
		float scale = (float) (L2_PENALTY / batchRows);
		for (Variable w : weights) {
			float[] v = w.values();
			float[] g = w.gradient();
			for (int i = 0; i < v.length; i++) {
				sumSquares += (double) v[i] * v[i];
				g[i] += scale * v[i];
			}
		}
		return 0.5 * L2_PENALTY * sumSquares / batchRows;
	}

	/** The fraction of the rows whose predicted class (logit &gt; 0) is their label. */
	double accuracy(float[] x, float[] y, int[] rows) {
		int d = dimension;
		Tape tape = new Tape(kernels);
		long correct = 0;
		for (int start = 0; start < rows.length; start += EVAL_CHUNK) {
			int b = Math.min(EVAL_CHUNK, rows.length - start);
			float[] bx = new float[b * d];
			for (int r = 0; r < b; r++) {
				System.arraycopy(x, rows[start + r] * d, bx, r * d, d);
			}
			tape.reset();
			float[] logits = forward(tape, tape.constant(bx, b, d)).values();
			for (int r = 0; r < b; r++) {
				float predicted = logits[r] > 0 ? 1f : 0f;
				correct += predicted == y[rows[start + r]] ? 1 : 0;
			}
		}
		return (double) correct / rows.length;
	}
}
