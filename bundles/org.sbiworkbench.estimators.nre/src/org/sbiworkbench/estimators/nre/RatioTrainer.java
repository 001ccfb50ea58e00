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
 * and the marginal pair 0. NRE-C (Miller, Weniger, Forré 2022, "Contrastive
 * Neural Ratio Estimation") classifies K + 1 ways: K candidate θ of which one
 * may be x's own (class k, prior γ/(K(1 + γ)) each) or none (class 0, prior
 * 1/(1 + γ)); with the logits l as log-ratios the posterior of class k is
 * γ e^{l_k} / (K + γ Σ_j e^{l_j}) and of class 0 K / (K + γ Σ_j e^{l_j}). Each x
 * gets two candidate sets, as in sbi's {@code NRE_C}: its own θ with K−1 others
 * (labelled with its own θ's class, weight γ/(1 + γ)) and K further others
 * (labelled class 0, weight 1/(1 + γ)). The class-0 term is what pins the
 * logits to the log-ratio itself, not only up to a function of x as NRE-B's.
 * The validation loss is the same loss on the
 * validation pairs with contrasts drawn from a fixed seed, so that epochs are
 * compared on the same contrasts.
 */
final class RatioTrainer {

	private RatioTrainer() {
	}

	/** The loss: NRE-A's binary, NRE-B's K-way softmax or NRE-C's (K + 1)-way cross-entropy. */
	enum Loss {
		BINARY, SOFTMAX, CONTRASTIVE
	}

	/**
	 * @param theta  z-scored θ, one row per pair
	 * @param x      z-scored x, one row per pair
	 * @param atoms  K: for NRE-B the contrasts per x including the joint one (at most the batch size is used), for
	 *               NRE-C the classes (at most the batch size − 1); ignored for NRE-A (2)
	 * @param loss   which cross-entropy
	 * @param gamma  NRE-C's γ, the odds of "one of the K is x's own θ" against "none is"; ignored otherwise
	 */
	static Trainer.Result train(ResidualNet net, float[][] theta, float[][] x, Trainer.Settings settings, int atoms, Loss loss, double gamma,
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
		Batches batches = new Batches(theta, x, atoms, loss, gamma);
		Tape tape = new Tape(kernels);
		return Trainer.fit(net, train, batch, settings, random, monitor, listener, "Training the ratio classifier", (rows, from, size) -> {
			tape.reset();
			Tensor l = batches.loss(tape, net, rows, from, size, random);
			tape.backward(l);
			return l.item();
		}, () -> batches.validationLoss(tape, net, validation, batch, new Well19937c(validationSeed)));
	}

	/** Builds the classifier's input for a block of pairs with their contrasts, and its loss. */
	private static final class Batches {

		private final float[][] theta;
		private final float[][] x;
		private final int atoms;
		private final Loss kind;
		private final float logGamma;
		private final float marginalWeight;
		private final int dt;
		private final int dx;
		private float[] input = new float[0];
		private int[] others = new int[0];
		private float[] logK = new float[0];

		Batches(float[][] theta, float[][] x, int atoms, Loss kind, double gamma) {
			this.theta = theta;
			this.x = x;
			this.atoms = kind == Loss.BINARY ? 2 : atoms;
			this.kind = kind;
			this.logGamma = (float) Math.log(gamma);
			this.marginalWeight = (float) (1 / (1 + gamma));
			this.dt = theta[0].length;
			this.dx = x[0].length;
		}

		/** The mean loss of pairs rows[from, from + b), contrasts drawn among them with {@code random}. */
		Tensor loss(Tape tape, ResidualNet net, int[] rows, int from, int b, RandomGenerator random) {
			if (kind == Loss.CONTRASTIVE) {
				return contrastiveLoss(tape, net, rows, from, b, random);
			}
			int k = Math.min(atoms, b);
			int width = dt + dx;
			if (input.length != b * k * width) {
				input = new float[b * k * width];
			}
			for (int i = 0; i < b; i++) {
				int base = i * k * width;
				System.arraycopy(theta[rows[from + i]], 0, input, base, dt);
				System.arraycopy(x[rows[from + i]], 0, input, base + dt, dx);
				fillOthers(rows, from, b, i, k - 1, input, base + width, width, random);
			}
			Tensor logits = tape.reshape(net.apply(tape, tape.constant(input, b * k, width), null), b, k);
			Tensor joint = tape.sliceCols(logits, 0, 1);
			if (kind == Loss.BINARY) {
				// −[log σ(l_joint) + log(1 − σ(l_marginal))] / 2 = [softplus(−l_joint) + softplus(l_marginal)] / 2
				Tensor marginal = tape.sliceCols(logits, 1, 2);
				return tape.scale(tape.add(tape.mean(tape.softplus(tape.scale(joint, -1f))), tape.mean(tape.softplus(marginal))), 0.5f);
			}
			// −log softmax(l)_0 = logsumexp(l) − l_0
			return tape.mean(tape.sub(tape.logSumExpCols(logits), joint));
		}

		/**
		 * NRE-C: per x, 2K rows — its own θ and K−1 others (the "joint" set), then K others drawn afresh (the
		 * "marginal" set, distinct among themselves).
		 */
		private Tensor contrastiveLoss(Tape tape, ResidualNet net, int[] rows, int from, int b, RandomGenerator random) {
			int k = Math.min(atoms, b - 1);
			int width = dt + dx;
			int perX = 2 * k;
			if (input.length != b * perX * width) {
				input = new float[b * perX * width];
			}
			for (int i = 0; i < b; i++) {
				int base = i * perX * width;
				System.arraycopy(theta[rows[from + i]], 0, input, base, dt);
				System.arraycopy(x[rows[from + i]], 0, input, base + dt, dx);
				fillOthers(rows, from, b, i, k - 1, input, base + width, width, random);
				fillOthers(rows, from, b, i, k, input, base + k * width, width, random);
			}
			Tensor logits = tape.reshape(net.apply(tape, tape.constant(input, b * perX, width), null), b, perX);
			if (logK.length != b) {
				logK = new float[b];
			}
			java.util.Arrays.fill(logK, (float) Math.log(k));
			Tensor logKColumn = tape.constant(logK, b, 1);
			// log of the normaliser K + γ Σ_j e^{l_j} of each candidate set
			Tensor jointLogits = tape.sliceCols(logits, 0, k);
			Tensor marginalLogits = tape.sliceCols(logits, k, perX);
			Tensor jointNorm = tape.logSumExpCols(tape.concatCols(tape.addScalar(jointLogits, logGamma), logKColumn));
			Tensor marginalNorm = tape.logSumExpCols(tape.concatCols(tape.addScalar(marginalLogits, logGamma), logKColumn));
			// −log P(own class | joint set) = normaliser − log γ − l_own; −log P(class 0 | marginal set) = normaliser − log K
			Tensor jointTerm = tape.addScalar(tape.sub(jointNorm, tape.sliceCols(logits, 0, 1)), -logGamma);
			Tensor marginalTerm = tape.addScalar(marginalNorm, (float) -Math.log(k));
			return tape.add(tape.scale(tape.mean(jointTerm), 1 - marginalWeight), tape.scale(tape.mean(marginalTerm), marginalWeight));
		}

		/**
		 * Writes θ of {@code count} distinct pairs of the block other than i (a partial Fisher–Yates shuffle) with
		 * x_i into {@code input} from {@code offset}, one row of {@code width} each.
		 */
		private void fillOthers(int[] rows, int from, int b, int i, int count, float[] input, int offset, int width, RandomGenerator random) {
			if (others.length < b) {
				others = new int[b];
			}
			int m = 0;
			for (int j = 0; j < b; j++) {
				if (j != i) {
					others[m++] = j;
				}
			}
			float[] xi = x[rows[from + i]];
			for (int a = 0; a < count; a++) {
				int pick = a + random.nextInt(m - a);
				int t = others[a];
				others[a] = others[pick];
				others[pick] = t;
				int row = offset + a * width;
				System.arraycopy(theta[rows[from + others[a]]], 0, input, row, dt);
				System.arraycopy(xi, 0, input, row + dt, dx);
			}
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
