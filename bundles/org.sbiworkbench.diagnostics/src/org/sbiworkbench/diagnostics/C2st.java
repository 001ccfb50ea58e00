package org.sbiworkbench.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.Permutations;

/**
 * The classifier two-sample test (C2ST) as sbibm computes it: how well a
 * neural classifier tells samples of an approximation from samples of a
 * reference. The score is the cross-validated accuracy: 0.5 when the two
 * samples are indistinguishable, 1.0 when they are completely separable.
 * <p>
 * The procedure, for reference X (n×d) and approximation Y (m×d):
 * <ol>
 * <li>Both are z-scored with X's per-dimension mean and standard deviation
 * (the n−1 estimate, as {@code torch.std}; floored at {@value #MIN_STD}); the
 * z-scores are then clamped to ±{@value #MAX_ABS_Z} so that a near-constant
 * reference dimension cannot overflow float32 (by Samuelson's inequality no
 * reference value is ever clamped while n &lt; 10¹²).</li>
 * <li>X is labelled 0, Y 1, and the pooled rows are split into
 * {@link Settings#folds() k} stratified folds, each class shuffled with the
 * seed and dealt round-robin, so every fold holds (to within one row) the same
 * share of each class.</li>
 * <li>On each fold a classifier (sklearn's
 * {@code MLPClassifier(activation="relu", hidden_layer_sizes=(10·d, 10·d),
 * max_iter=10000, solver="adam", random_state=seed)} with sklearn's defaults)
 * is trained on the other folds and scored by its accuracy on this fold.</li>
 * <li>The score is the unweighted mean of the fold accuracies.</li>
 * </ol>
 * Folds train in parallel, one thread and one tape each. The result depends
 * only on the inputs, the settings (including the seed) and the {@link Kernels}
 * that compute the matrix products, not on the number of threads. The
 * engine's pure-Java kernels are the default; an accelerator such as ND4J's
 * gives the same classifier up to float32 rounding, which compounds over the
 * epochs, so the accuracies differ slightly: compare numbers measured with
 * the same kernels. Nothing is printed.
 */
public final class C2st {

	/** The smallest standard deviation a reference dimension is divided by. */
	public static final double MIN_STD = 1e-14;

	/** z-scores are clamped to ± this (see the class comment). */
	public static final double MAX_ABS_Z = 1e6;

	private C2st() {
	}

	/**
	 * How the test is run.
	 *
	 * @param hiddenWidthFactor each of the two hidden layers has this many units per input dimension (sbibm: 10)
	 * @param maxEpochs         the most passes over the training folds per classifier (sklearn's max_iter; sbibm: 10,000)
	 * @param folds             the number of cross-validation folds (sbibm: 5)
	 * @param seed              seeds the fold split and every classifier's initialisation and shuffling
	 * @param threads           how many folds train at once; 0 for one per available core
	 */
	public record Settings(int hiddenWidthFactor, int maxEpochs, int folds, long seed, int threads) {

		public Settings {
			if (hiddenWidthFactor < 1) {
				throw new IllegalArgumentException("C2ST: the hidden width factor must be at least 1, got " + hiddenWidthFactor);
			}
			if (maxEpochs < 1) {
				throw new IllegalArgumentException("C2ST: the maximum number of epochs must be at least 1, got " + maxEpochs);
			}
			if (folds < 2) {
				throw new IllegalArgumentException("C2ST: cross-validation needs at least 2 folds, got " + folds);
			}
			if (threads < 0) {
				throw new IllegalArgumentException("C2ST: threads must be 0 (all cores) or positive, got " + threads);
			}
		}

		/** sbibm's configuration: 10·d hidden units, up to 10,000 epochs, 5 folds, all cores. */
		public static Settings sbibm(long seed) {
			return new Settings(10, 10_000, 5, seed, 0);
		}

		public Settings withSeed(long newSeed) {
			return new Settings(hiddenWidthFactor, maxEpochs, folds, newSeed, threads);
		}

		public Settings withMaxEpochs(int newMaxEpochs) {
			return new Settings(hiddenWidthFactor, newMaxEpochs, folds, seed, threads);
		}

		public Settings withThreads(int newThreads) {
			return new Settings(hiddenWidthFactor, maxEpochs, folds, seed, newThreads);
		}
	}

	/**
	 * The outcome of one test.
	 *
	 * @param accuracy          the mean of the fold accuracies: 0.5 indistinguishable, 1.0 separable
	 * @param foldAccuracies    the test accuracy of each fold's classifier
	 * @param foldTestSizes     how many rows each fold held out
	 * @param foldEpochs        how many epochs each fold's classifier trained
	 * @param foldConverged     whether each classifier stopped on sklearn's tolerance rule rather than at
	 *                          {@link Settings#maxEpochs()} (sklearn warns in that case)
	 * @param referenceCount    n, the reference rows
	 * @param approximationCount m, the approximation rows
	 * @param dimension         d
	 * @param settings          the settings used
	 */
	public record Result(double accuracy, double[] foldAccuracies, int[] foldTestSizes, int[] foldEpochs,
			boolean[] foldConverged, int referenceCount, int approximationCount, int dimension, Settings settings) {

		public Result {
			foldAccuracies = foldAccuracies.clone();
			foldTestSizes = foldTestSizes.clone();
			foldEpochs = foldEpochs.clone();
			foldConverged = foldConverged.clone();
		}

		@Override
		public double[] foldAccuracies() {
			return foldAccuracies.clone();
		}

		@Override
		public int[] foldTestSizes() {
			return foldTestSizes.clone();
		}

		@Override
		public int[] foldEpochs() {
			return foldEpochs.clone();
		}

		@Override
		public boolean[] foldConverged() {
			return foldConverged.clone();
		}

		/** True when every fold's classifier stopped on the tolerance rule. */
		public boolean converged() {
			for (boolean c : foldConverged) {
				if (!c) {
					return false;
				}
			}
			return true;
		}

		@Override
		public boolean equals(Object o) {
			return o instanceof Result r && Double.compare(accuracy, r.accuracy) == 0
					&& Arrays.equals(foldAccuracies, r.foldAccuracies) && Arrays.equals(foldTestSizes, r.foldTestSizes)
					&& Arrays.equals(foldEpochs, r.foldEpochs) && Arrays.equals(foldConverged, r.foldConverged)
					&& referenceCount == r.referenceCount && approximationCount == r.approximationCount
					&& dimension == r.dimension && settings.equals(r.settings);
		}

		@Override
		public int hashCode() {
			return Objects.hash(accuracy, Arrays.hashCode(foldAccuracies), Arrays.hashCode(foldEpochs), referenceCount,
					approximationCount, dimension, settings);
		}

		@Override
		public String toString() {
			return "C2ST[accuracy=" + accuracy + ", folds=" + Arrays.toString(foldAccuracies) + ", epochs="
					+ Arrays.toString(foldEpochs) + ", converged=" + Arrays.toString(foldConverged) + ", n=" + referenceCount
					+ ", m=" + approximationCount + ", d=" + dimension + "]";
		}
	}

	/** C2ST with sbibm's settings and the given seed. */
	public static Result test(double[][] reference, double[][] approximation, long seed) {
		return test(reference, approximation, Settings.sbibm(seed));
	}

	/** C2ST with the engine's pure-Java matrix products. */
	public static Result test(double[][] reference, double[][] approximation, Settings settings) {
		return test(reference, approximation, settings, new JavaKernels());
	}

	/**
	 * @param reference     X, n×d: the reference (e.g. true posterior) samples, one per row
	 * @param approximation Y, m×d: the samples under test
	 * @param kernels       computes the classifiers' matrix products; must be safe to call from several threads
	 * @throws IllegalArgumentException when the inputs are empty, ragged, of different dimensions, not finite,
	 *                                  or too few for the folds
	 */
	public static Result test(double[][] reference, double[][] approximation, Settings settings, Kernels kernels) {
		Objects.requireNonNull(settings, "settings");
		Objects.requireNonNull(kernels, "kernels");
		int d = validate(reference, "reference", settings.folds());
		int dY = validate(approximation, "approximation", settings.folds());
		if (d != dY) {
			throw new IllegalArgumentException("C2ST: the reference has dimension " + d + " but the approximation has dimension "
					+ dY);
		}
		int n = reference.length, m = approximation.length, total = n + m;

		float[] x = new float[total * d];
		float[] y = new float[total];
		double[][] moments = meanAndStd(reference, d);
		standardise(reference, moments, x, 0);
		standardise(approximation, moments, x, n);
		Arrays.fill(y, n, total, 1f);

		int k = settings.folds();
		int[] foldOf = stratifiedFolds(n, m, k, new Well19937c(settings.seed()));
		int[][] trainRows = new int[k][];
		int[][] testRows = new int[k][];
		for (int f = 0; f < k; f++) {
			int tests = 0;
			for (int i = 0; i < total; i++) {
				tests += foldOf[i] == f ? 1 : 0;
			}
			testRows[f] = new int[tests];
			trainRows[f] = new int[total - tests];
			int a = 0, b = 0;
			for (int i = 0; i < total; i++) {
				if (foldOf[i] == f) {
					testRows[f][a++] = i;
				} else {
					trainRows[f][b++] = i;
				}
			}
		}

		MlpClassifier.Outcome[] outcomes = runFolds(k, settings, f -> new MlpClassifier(d, settings.hiddenWidthFactor() * d,
				settings.seed(), kernels).fitAndScore(x, y, trainRows[f], testRows[f], settings.maxEpochs()));

		double[] accuracies = new double[k];
		int[] sizes = new int[k];
		int[] epochs = new int[k];
		boolean[] converged = new boolean[k];
		double sum = 0;
		for (int f = 0; f < k; f++) {
			accuracies[f] = outcomes[f].accuracy();
			sizes[f] = testRows[f].length;
			epochs[f] = outcomes[f].epochs();
			converged[f] = outcomes[f].converged();
			sum += accuracies[f];
		}
		return new Result(sum / k, accuracies, sizes, epochs, converged, n, m, d, settings);
	}

	// ---- validation and preparation ----

	private static int validate(double[][] rows, String name, int folds) {
		if (rows == null) {
			throw new IllegalArgumentException("C2ST: the " + name + " samples are null");
		}
		if (rows.length < folds || rows.length < 2) {
			throw new IllegalArgumentException("C2ST: the " + name + " has " + rows.length + " rows; " + folds
					+ "-fold cross-validation needs at least " + Math.max(2, folds));
		}
		if (rows[0] == null || rows[0].length == 0) {
			throw new IllegalArgumentException("C2ST: row 0 of the " + name + " is " + (rows[0] == null ? "null" : "empty"));
		}
		int d = rows[0].length;
		for (int i = 0; i < rows.length; i++) {
			double[] r = rows[i];
			if (r == null) {
				throw new IllegalArgumentException("C2ST: row " + i + " of the " + name + " is null");
			}
			if (r.length != d) {
				throw new IllegalArgumentException("C2ST: row " + i + " of the " + name + " has " + r.length
						+ " values but row 0 has " + d);
			}
			for (int j = 0; j < d; j++) {
				if (!Double.isFinite(r[j])) {
					throw new IllegalArgumentException("C2ST: the " + name + " has a non-finite value " + r[j] + " at row " + i
							+ ", column " + j);
				}
			}
		}
		return d;
	}

	/** Per-dimension mean and standard deviation (n−1, floored at MIN_STD), computed in two passes. */
	static double[][] meanAndStd(double[][] rows, int d) {
		int n = rows.length;
		double[] mean = new double[d];
		double[] std = new double[d];
		for (double[] r : rows) {
			for (int j = 0; j < d; j++) {
				mean[j] += r[j];
			}
		}
		for (int j = 0; j < d; j++) {
			mean[j] /= n;
		}
		for (double[] r : rows) {
			for (int j = 0; j < d; j++) {
				double e = r[j] - mean[j];
				std[j] += e * e;
			}
		}
		for (int j = 0; j < d; j++) {
			std[j] = Math.max(MIN_STD, Math.sqrt(std[j] / (n - 1)));
		}
		return new double[][] { mean, std };
	}

	private static void standardise(double[][] rows, double[][] moments, float[] out, int firstRow) {
		double[] mean = moments[0], std = moments[1];
		int d = mean.length;
		for (int i = 0; i < rows.length; i++) {
			for (int j = 0; j < d; j++) {
				double z = (rows[i][j] - mean[j]) / std[j];
				out[(firstRow + i) * d + j] = (float) Math.max(-MAX_ABS_Z, Math.min(MAX_ABS_Z, z));
			}
		}
	}

	/**
	 * The fold of each pooled row (reference rows 0..n−1, then approximation rows): each class is
	 * shuffled and dealt to folds 0, 1, ..., k−1, 0, 1, ..., continuing from one class to the next,
	 * so each fold gets ⌊·/k⌋ or ⌈·/k⌉ of each class and the fold sizes differ by at most one.
	 */
	static int[] stratifiedFolds(int n, int m, int k, RandomGenerator random) {
		int[] foldOf = new int[n + m];
		int next = 0;
		for (int[] range : new int[][] { { 0, n }, { n, n + m } }) {
			int[] perm = Permutations.random(range[1] - range[0], random);
			for (int p : perm) {
				foldOf[range[0] + p] = next;
				next = (next + 1) % k;
			}
		}
		return foldOf;
	}

	// ---- parallel folds ----

	interface FoldTask {
		MlpClassifier.Outcome run(int fold);
	}

	private static MlpClassifier.Outcome[] runFolds(int k, Settings settings, FoldTask task) {
		int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
		threads = Math.max(1, Math.min(threads, k));
		MlpClassifier.Outcome[] out = new MlpClassifier.Outcome[k];
		if (threads == 1) {
			for (int f = 0; f < k; f++) {
				out[f] = task.run(f);
			}
			return out;
		}
		AtomicInteger created = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "c2st-fold-" + created.getAndIncrement());
			t.setDaemon(true);
			return t;
		});
		try {
			List<Future<MlpClassifier.Outcome>> futures = new ArrayList<>();
			for (int f = 0; f < k; f++) {
				int fold = f;
				futures.add(pool.submit(() -> task.run(fold)));
			}
			for (int f = 0; f < k; f++) {
				out[f] = futures.get(f).get();
			}
			return out;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("C2ST: interrupted while the fold classifiers were training", e);
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			if (cause instanceof RuntimeException re) {
				throw re;
			}
			if (cause instanceof Error err) {
				throw err;
			}
			throw new IllegalStateException("C2ST: a fold classifier failed", cause);
		} finally {
			pool.shutdownNow();
		}
	}
}
