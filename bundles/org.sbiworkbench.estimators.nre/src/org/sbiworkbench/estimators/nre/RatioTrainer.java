package org.sbiworkbench.estimators.nre;

import java.util.Arrays;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.Permutations;
import org.sbiworkbench.nn.ResidualNet;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Trainer;

/**
 * Trains the ratio classifier as sbi trains NRE, in {@link Trainer#fit}'s
 * loop (which {@link Trainer} also trains densities in): Adam with gradient-norm clipping,
 * mini-batches of pairs (the last incomplete one dropped), a validation split
 * drawn once, early stopping after {@code patience} epochs without improvement
 * with the best weights restored, progress per epoch and cancellation at epoch
 * boundaries.
 * <p>
 * Contrasts are drawn within each batch, as sbi does: every x_i of a batch of
 * B pairs gets K "atoms" — its own θ_i (from the joint) and K−1 θ_j of other
 * pairs of the batch, distinct, chosen at random (from the marginal). NRE-B's
 * loss is the softmax cross-entropy of picking atom 0 among the K logits;
 * NRE-A's (K = 2) is the binary cross-entropy of labelling the joint pair 1
 * and the marginal pair 0. The validation loss is the same loss on the
 * validation pairs with contrasts drawn from a fixed seed, so that epochs are
 * compared on the same contrasts.
 */
final class RatioTrainer {

	private RatioTrainer() {
	}

	/**
	 * @param theta  z-scored θ, one row per pair
	 * @param x      z-scored x, one row per pair
	 * @param atoms  K, contrasts per x including the joint one (2 for NRE-A); at most the batch size is used
	 * @param binary NRE-A's binary cross-entropy instead of NRE-B's softmax cross-entropy
	 */
	static Trainer.Result train(ResidualNet net, float[][] theta, float[][] x, Trainer.Settings settings, int atoms, boolean binary,
			RandomGenerator random, ProgressMonitor monitor, Trainer.Listener listener, Kernels kernels) {
		int n = theta.length;
		if (x.length != n) {
			throw new IllegalArgumentException("training needs as many x as θ: " + x.length + " and " + n);
		}
		int nValidation = Math.max(2, (int) Math.round(n * settings.validationFraction()));
		int nTrain = n - nValidation;
		if (nTrain < 2) {
			throw new IllegalArgumentException("Too few pairs to train on: " + n + " (after holding out " + nValidation + " for validation)");
		}
		int[] order = Permutations.random(n, random);
		int[] train = Arrays.copyOfRange(order, 0, nTrain);
		int[] validation = Arrays.copyOfRange(order, nTrain, n);
		long validationSeed = random.nextLong();
		int batch = Math.min(settings.batchSize(), nTrain);
		Batches batches = new Batches(theta, x, atoms, binary);
		Tape tape = new Tape(kernels);
		return Trainer.fit(net, train, batch, settings, random, monitor, listener, "Training the ratio classifier", (rows, from, size) -> {
			tape.reset();
			Tensor loss = batches.loss(tape, net, rows, from, size, random);
			tape.backward(loss);
			return loss.item();
		}, () -> batches.validationLoss(tape, net, validation, batch, new Well19937c(validationSeed)));
	}

	/** Builds the classifier's input for a block of pairs with their contrasts, and its loss. */
	private static final class Batches {

		private final float[][] theta;
		private final float[][] x;
		private final int atoms;
		private final boolean binary;
		private final int dt;
		private final int dx;
		private float[] input = new float[0];
		private int[] others = new int[0];

		Batches(float[][] theta, float[][] x, int atoms, boolean binary) {
			this.theta = theta;
			this.x = x;
			this.atoms = binary ? 2 : atoms;
			this.binary = binary;
			this.dt = theta[0].length;
			this.dx = x[0].length;
		}

		/** The mean loss of pairs rows[from, from + b), contrasts drawn among them with {@code random}. */
		Tensor loss(Tape tape, ResidualNet net, int[] rows, int from, int b, RandomGenerator random) {
			int k = Math.min(atoms, b);
			int width = dt + dx;
			if (input.length != b * k * width) {
				input = new float[b * k * width];
			}
			if (others.length < b) {
				others = new int[b];
			}
			for (int i = 0; i < b; i++) {
				float[] xi = x[rows[from + i]];
				int base = i * k * width;
				System.arraycopy(theta[rows[from + i]], 0, input, base, dt);
				System.arraycopy(xi, 0, input, base + dt, dx);
				// k−1 distinct other pairs of the block: a partial Fisher–Yates shuffle of the others.
				int m = 0;
				for (int j = 0; j < b; j++) {
					if (j != i) {
						others[m++] = j;
					}
				}
				for (int a = 1; a < k; a++) {
					int pick = a - 1 + random.nextInt(m - (a - 1));
					int t = others[a - 1];
					others[a - 1] = others[pick];
					others[pick] = t;
					int row = base + a * width;
					System.arraycopy(theta[rows[from + others[a - 1]]], 0, input, row, dt);
					System.arraycopy(xi, 0, input, row + dt, dx);
				}
			}
			Tensor logits = tape.reshape(net.apply(tape, tape.constant(input, b * k, width), null), b, k);
			Tensor joint = tape.sliceCols(logits, 0, 1);
			if (binary) {
				// −[log σ(l_joint) + log(1 − σ(l_marginal))] / 2 = [softplus(−l_joint) + softplus(l_marginal)] / 2
				Tensor marginal = tape.sliceCols(logits, 1, 2);
				return tape.scale(tape.add(tape.mean(tape.softplus(tape.scale(joint, -1f))), tape.mean(tape.softplus(marginal))), 0.5f);
			}
			// −log softmax(l)_0 = logsumexp(l) − l_0
			return tape.mean(tape.sub(tape.logSumExpCols(logits), joint));
		}

		/** The loss over all validation pairs, in blocks of about the batch size, weighted by block size. */
		double validationLoss(Tape tape, ResidualNet net, int[] rows, int batch, RandomGenerator random) {
			int n = rows.length;
			int blocks = Math.max(1, n / batch);
			double sum = 0;
			for (int c = 0; c < blocks; c++) {
				int from = (int) ((long) n * c / blocks);
				int to = (int) ((long) n * (c + 1) / blocks);
				tape.reset();
				sum += loss(tape, net, rows, from, to - from, random).item() * (to - from);
			}
			return sum / n;
		}
	}
}
