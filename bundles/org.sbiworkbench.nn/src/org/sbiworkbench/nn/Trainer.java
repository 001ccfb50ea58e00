package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.ProgressMonitor;

/**
 * Maximum-likelihood training of a {@link ConditionalDensity}, as sbi trains:
 * Adam, mini-batches (the last incomplete one dropped), a validation split
 * drawn once, the validation loss after every epoch, early stopping after
 * {@code patience} epochs without improvement with the best weights restored,
 * gradient-norm clipping. The loss is the mean negative log-probability.
 * Inputs are expected already standardised (z-scored) by the caller.
 */
public final class Trainer {

	/**
	 * @param batchSize          examples per step (sbi: 200)
	 * @param learningRate       Adam's step size (sbi: 5e-4)
	 * @param validationFraction held out once at random (sbi: 0.1)
	 * @param patience           epochs without validation improvement before stopping (sbi: 20)
	 * @param clipNorm           largest global gradient norm (sbi: 5)
	 * @param maxEpochs          a hard limit
	 */
	public record Settings(int batchSize, double learningRate, double validationFraction, int patience, double clipNorm,
			int maxEpochs) {

		public static final Settings SBI = new Settings(200, 5e-4, 0.1, 20, 5.0, 2_000);

		public Settings {
			if (batchSize <= 0 || !(learningRate > 0) || !(validationFraction > 0 && validationFraction < 1) || patience <= 0
					|| !(clipNorm > 0) || maxEpochs <= 0) {
				throw new IllegalArgumentException("Invalid training settings: " + this);
			}
		}

		public Settings withMaxEpochs(int n) {
			return new Settings(batchSize, learningRate, validationFraction, patience, clipNorm, n);
		}

		public Settings withBatchSize(int n) {
			return new Settings(n, learningRate, validationFraction, patience, clipNorm, maxEpochs);
		}
	}

	/** Receives the losses after each epoch (e.g. for a live loss curve). */
	@FunctionalInterface
	public interface Listener {
		void epoch(int epoch, double trainingLoss, double validationLoss);
	}

	/**
	 * @param epochs           epochs run
	 * @param bestEpoch        the epoch whose weights were kept (1-based)
	 * @param trainingLoss     per epoch, mean over its steps
	 * @param validationLoss   per epoch
	 * @param cancelled        stopped by the monitor (the best weights so far are kept)
	 */
	public record Result(int epochs, int bestEpoch, List<Double> trainingLoss, List<Double> validationLoss, boolean cancelled,
			double seconds) {

		public double bestValidationLoss() {
			return validationLoss.get(bestEpoch - 1);
		}

		/**
		 * Adds epochs, best_epoch, best_validation_loss, seconds, cancelled,
		 * training_loss and validation_loss, in that order, to an estimator's
		 * training summary.
		 */
		public void putSummary(java.util.Map<String, Object> m) {
			m.put("epochs", epochs);
			m.put("best_epoch", bestEpoch);
			m.put("best_validation_loss", bestValidationLoss());
			m.put("seconds", seconds);
			m.put("cancelled", cancelled);
			m.put("training_loss", List.copyOf(trainingLoss));
			m.put("validation_loss", List.copyOf(validationLoss));
		}
	}

	/**
	 * One optimisation step's work for {@link #fit}: the mean loss of the
	 * training rows {@code rows[from, from + size)}, its gradient accumulated
	 * into the model's variables (they are zeroed before and Adam steps after).
	 */
	@FunctionalInterface
	public interface BatchStep {
		double loss(int[] rows, int from, int size);
	}

	private Trainer() {
	}

	/**
	 * Trains {@code q} on pairs (y_i, context_i).
	 *
	 * @param y       n × q.dimension()
	 * @param context n × q.contextDimension()
	 */
	public static Result train(ConditionalDensity q, float[][] y, float[][] context, Settings settings, RandomGenerator random,
			ProgressMonitor monitor, Listener listener) {
		return train(q, y, context, settings, random, monitor, listener, new JavaKernels());
	}

	/** As above, with the matrix products computed by {@code kernels} (e.g. an ND4J accelerator). */
	public static Result train(ConditionalDensity q, float[][] y, float[][] context, Settings settings, RandomGenerator random,
			ProgressMonitor monitor, Listener listener, Kernels kernels) {
		int n = y.length;
		if (context.length != n) {
			throw new IllegalArgumentException("training needs as many contexts as values: " + n + " and " + context.length);
		}
		int nValidation = Math.max(1, (int) Math.round(n * settings.validationFraction()));
		int nTrain = n - nValidation;
		if (nTrain < 2) {
			throw new IllegalArgumentException("Too few examples to train on: " + n + " (after holding out " + nValidation + " for validation)");
		}
		int[] order = Permutations.random(n, random);
		int[] train = java.util.Arrays.copyOfRange(order, 0, nTrain);
		int[] validation = java.util.Arrays.copyOfRange(order, nTrain, n);
		int d = q.dimension();
		int c = q.contextDimension();
		int batch = Math.min(settings.batchSize(), nTrain);
		Tape tape = new Tape(kernels);
		float[] yb = new float[batch * d];
		float[] cb = new float[batch * c];
		// Data-parallel steps: each shard of a batch on its own tape and thread, gradients summed before Adam.
		int shards = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), batch / 32));
		Tape[] shardTapes = new Tape[shards];
		for (int s = 0; s < shards; s++) {
			shardTapes[s] = new Tape(tape.kernels(), true);
		}
		java.util.concurrent.ExecutorService pool = shards > 1
				? java.util.concurrent.Executors.newFixedThreadPool(shards - 1, r -> {
					Thread t = new Thread(r, "sbiw-training");
					t.setDaemon(true);
					return t;
				})
				: null;
		try {
			return fit(q, train, batch, settings, random, monitor, listener, "Training", (rows, from, size) -> {
				for (int i = 0; i < size; i++) {
					int row = rows[from + i];
					System.arraycopy(y[row], 0, yb, i * d, d);
					System.arraycopy(context[row], 0, cb, i * c, c);
				}
				return step(q, shardTapes, pool, yb, cb, size, d, c);
			}, () -> meanNegativeLogProb(q, y, context, validation, tape));
		} finally {
			if (pool != null) {
				pool.shutdownNow();
			}
		}
	}

	/**
	 * The training loop every estimator shares: Adam with gradient-norm
	 * clipping, epochs of mini-batches over {@code train} shuffled with
	 * {@code random} (the last incomplete batch dropped), the validation loss
	 * after every epoch, early stopping after {@code patience} epochs without
	 * improvement with the best weights restored, progress per epoch and
	 * cancellation at epoch boundaries.
	 *
	 * @param train          the training rows, shuffled in place every epoch
	 * @param batch          rows per step, at most {@code train.length}
	 * @param task           the monitor's task name
	 * @param step           one step's loss and gradient
	 * @param validationLoss the validation loss of the current weights
	 * @throws IllegalStateException when the training loss diverges or no epoch completed
	 */
	public static Result fit(Module model, int[] train, int batch, Settings settings, RandomGenerator random, ProgressMonitor monitor,
			Listener listener, String task, BatchStep step, java.util.function.DoubleSupplier validationLoss) {
		long start = System.nanoTime();
		Adam adam = new Adam(model.variables(), settings.learningRate(), settings.clipNorm());
		List<float[]> best = snapshot(model);
		double bestLoss = Double.POSITIVE_INFINITY;
		int bestEpoch = 0;
		List<Double> trainLosses = new ArrayList<>();
		List<Double> validationLosses = new ArrayList<>();
		boolean cancelled = false;
		monitor.begin(task, settings.maxEpochs());
		int epoch = 0;
		try {
			while (epoch < settings.maxEpochs()) {
				if (monitor.isCanceled()) {
					cancelled = true;
					break;
				}
				epoch++;
				Permutations.shuffle(train, random);
				double sum = 0;
				int steps = 0;
				for (int from = 0; from + batch <= train.length; from += batch) {
					adam.zeroGradients();
					sum += step.loss(train, from, batch);
					adam.step();
					steps++;
				}
				double trainLoss = sum / steps;
				double validation = validationLoss.getAsDouble();
				trainLosses.add(trainLoss);
				validationLosses.add(validation);
				if (listener != null) {
					listener.epoch(epoch, trainLoss, validation);
				}
				monitor.worked(1);
				monitor.epochFinished(epoch, trainLoss, validation);
				if (validation < bestLoss) {
					bestLoss = validation;
					bestEpoch = epoch;
					best = snapshot(model);
				} else if (epoch - bestEpoch >= settings.patience()) {
					break;
				}
				if (!Double.isFinite(trainLoss)) {
					throw new IllegalStateException("Training diverged at epoch " + epoch + " (loss " + trainLoss
							+ "); lower the learning rate or check the data for extreme values");
				}
			}
		} finally {
			monitor.done();
		}
		if (bestEpoch == 0) {
			throw new IllegalStateException("Training stopped before a single epoch completed");
		}
		restore(model, best);
		return new Result(epoch, bestEpoch, List.copyOf(trainLosses), List.copyOf(validationLosses), cancelled,
				(System.nanoTime() - start) / 1e9);
	}

	/**
	 * One step's loss (mean −log q over the batch) and its gradient, accumulated
	 * into the variables. Shard s takes rows [s·b/S, (s+1)·b/S) and scales its
	 * sum by 1/b, so the shards' gradients add up to the batch mean's.
	 */
	private static double step(ConditionalDensity q, Tape[] tapes, java.util.concurrent.ExecutorService pool, float[] yb, float[] cb,
			int batch, int d, int c) {
		int shards = tapes.length;
		double[] losses = new double[shards];
		Runnable[] work = new Runnable[shards];
		for (int s = 0; s < shards; s++) {
			int shard = s;
			int from = batch * s / shards;
			int to = batch * (s + 1) / shards;
			work[s] = () -> {
				Tape t = tapes[shard];
				t.reset();
				int m = to - from;
				Tensor lp = q.logProb(t, t.constant(yb, from * d, m, d), t.constant(cb, from * c, m, c));
				Tensor loss = t.scale(t.sumCols(t.sumRowsToOne(lp)), -1f / batch);
				t.backward(loss);
				losses[shard] = loss.item();
			};
		}
		if (pool == null) {
			work[0].run();
		} else {
			java.util.List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
			for (int s = 1; s < shards; s++) {
				futures.add(pool.submit(work[s]));
			}
			work[0].run();
			for (java.util.concurrent.Future<?> f : futures) {
				try {
					f.get();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Training was interrupted", e);
				} catch (java.util.concurrent.ExecutionException e) {
					throw new IllegalStateException("A training thread failed: " + e.getCause(), e.getCause());
				}
			}
		}
		double total = 0;
		for (int s = 0; s < shards; s++) {
			tapes[s].addVariableGradients();
			total += losses[s];
		}
		return total;
	}

	/** Mean of −log q over the given rows, without gradients, in batches. */
	public static double meanNegativeLogProb(ConditionalDensity q, float[][] y, float[][] context, int[] rows, Tape tape) {
		int d = q.dimension();
		int c = q.contextDimension();
		int chunk = 1024;
		double sum = 0;
		for (int from = 0; from < rows.length; from += chunk) {
			int m = Math.min(chunk, rows.length - from);
			float[] yb = new float[m * d];
			float[] cb = new float[m * c];
			for (int i = 0; i < m; i++) {
				System.arraycopy(y[rows[from + i]], 0, yb, i * d, d);
				System.arraycopy(context[rows[from + i]], 0, cb, i * c, c);
			}
			tape.reset();
			Tensor lp = q.logProb(tape, tape.constant(yb, m, d), tape.constant(cb, m, c));
			for (int i = 0; i < m; i++) {
				sum -= lp.values()[i];
			}
		}
		return sum / rows.length;
	}

	private static List<float[]> snapshot(Module m) {
		List<float[]> s = new ArrayList<>();
		for (Variable v : m.variables()) {
			s.add(v.values().clone());
		}
		return s;
	}

	private static void restore(Module m, List<float[]> s) {
		List<Variable> vs = m.variables();
		for (int i = 0; i < vs.size(); i++) {
			System.arraycopy(s.get(i), 0, vs.get(i).values(), 0, s.get(i).length);
		}
	}
}
