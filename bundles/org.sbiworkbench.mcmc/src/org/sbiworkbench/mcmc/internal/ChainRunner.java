package org.sbiworkbench.mcmc.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.ChainDiagnostics;
import org.sbiworkbench.mcmc.Initialiser;
import org.sbiworkbench.mcmc.LogDensity;
import org.sbiworkbench.mcmc.McmcResult;
import org.sbiworkbench.mcmc.McmcSettings;

/**
 * The loop every sampler shares: starting points, warm-up, kept iterations
 * with thinning, progress, cancellation, diagnostics.
 * <p>
 * One {@link Well19937c} seeded with the run's seed drives everything, chains
 * in a fixed order, so a seed determines the draws.
 */
public final class ChainRunner {

	/** Makes a sampler's kernel for one run, around the (counting) target. */
	@FunctionalInterface
	public interface KernelFactory {
		Kernel create(LogDensity target, McmcSettings settings);
	}

	private ChainRunner() {
	}

	public static McmcResult run(String samplerId, String label, KernelFactory kernels, LogDensity target,
			Initialiser init, McmcSettings settings, long seed, ProgressMonitor monitor) {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(init, "init");
		Objects.requireNonNull(settings, "settings");
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		long started = System.nanoTime();
		CountingLogDensity counted = new CountingLogDensity(target);
		RandomGenerator random = new Well19937c(seed);
		int chains = settings.chains(), warmup = settings.warmup(), thin = settings.thin();
		int perChain = settings.drawsPerChain();
		long total = warmup + settings.iterationsAfterWarmup();
		if (total > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("Too many iterations per chain: " + total);
		}
		double[][][] draws = new double[chains][perChain][];
		progress.begin(label + ": " + chains + " chains, " + warmup + " warm-up and "
				+ settings.iterationsAfterWarmup() + " iterations each", total);
		try {
			checkCancelled(progress, samplerId, 0, total);
			double[] logp = new double[chains];
			double[][] x = Starts.choose(counted, init, settings, random, logp);
			Kernel kernel = kernels.create(counted, settings);
			kernel.start(x, logp, random);
			if (warmup == 0) {
				kernel.endWarmup();
			}
			int kept = 0;
			for (int it = 0; it < total; it++) {
				checkCancelled(progress, samplerId, it, total);
				boolean warm = it < warmup;
				kernel.step(x, logp, it, warm, random);
				if (it == warmup - 1) {
					kernel.endWarmup();
				}
				if (!warm && (it - warmup + 1) % thin == 0) {
					for (int c = 0; c < chains; c++) {
						draws[c][kept] = x[c].clone();
					}
					kept++;
				}
				progress.worked(1);
			}
			double[][] pooled = new double[settings.samples()][];
			for (int i = 0; i < pooled.length; i++) {
				pooled[i] = draws[i % chains][i / chains].clone();
			}
			double[] rHat, ess;
			if (perChain >= 4) {
				rHat = ChainDiagnostics.rHat(draws);
				ess = ChainDiagnostics.bulkEss(draws);
			} else { // too short to split and correlate
				rHat = new double[target.dimension()];
				ess = new double[target.dimension()];
				Arrays.fill(rHat, Double.NaN);
				Arrays.fill(ess, Double.NaN);
			}
			return new McmcResult(samplerId, pooled, draws, rHat, ess, kernel.acceptanceRate(),
					counted.evaluations(), Duration.ofNanos(System.nanoTime() - started));
		} finally {
			progress.done();
		}
	}

	private static void checkCancelled(ProgressMonitor progress, String samplerId, long iteration, long total) {
		if (progress.isCanceled()) {
			throw new CancellationException(
					"MCMC (" + samplerId + ") cancelled after " + iteration + " of " + total + " iterations");
		}
	}
}
