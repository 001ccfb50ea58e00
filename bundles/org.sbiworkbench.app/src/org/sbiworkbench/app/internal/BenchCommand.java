package org.sbiworkbench.app.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.Campaigns;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw bench campaign}: the cost of running simulations as a campaign
 * rather than in a plain loop, and the speed-up from more threads. Uses a
 * CPU-bound simulator of a fixed cost (default 1 ms) so that the numbers
 * measure the campaign machinery, not a particular physics model.
 */
@Command(name = "bench", description = "Benchmarks. 'bench campaign': campaign overhead against a plain loop, and thread speed-up.")
final class BenchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: campaign")
	String what;

	@Option(names = "--simulations", defaultValue = "2000", description = "Simulations per measurement (default: ${DEFAULT-VALUE}).")
	int simulations;

	@Option(names = "--micros", defaultValue = "1000", description = "CPU time of one simulation in microseconds (default: ${DEFAULT-VALUE}).")
	int micros;

	@Option(names = "--repeats", defaultValue = "7", description = "Repetitions; medians are reported (default: ${DEFAULT-VALUE}).")
	int repeats;

	@Override
	public Integer call() throws IOException {
		if (!what.equals("campaign")) {
			throw new IllegalArgumentException("Unknown benchmark '" + what + "'; available: campaign");
		}
		PrintWriter out = spec.commandLine().getOut();
		BusySimulator simulator = new BusySimulator(micros);
		Prior prior = simulator.descriptor().defaultPrior();
		CampaignSettings settings = new CampaignSettings(simulations, 1, 100, 1, null);
		// Warm up the JIT on every path.
		loop(simulator, prior, settings);
		campaign(simulator, prior, settings, null);
		double[] loop = new double[repeats];
		double[] one = new double[repeats];
		double[] two = new double[repeats];
		double[] twoStored = new double[repeats];
		for (int r = 0; r < repeats; r++) {
			loop[r] = loop(simulator, prior, settings);
			one[r] = campaign(simulator, prior, settings, null);
			two[r] = campaign(simulator, prior, settings.withThreads(2), null);
			Path dir = Files.createTempDirectory("sbiw-bench");
			try {
				twoStored[r] = campaign(simulator, prior, settings.withThreads(2), dir);
			} finally {
				try (var files = Files.walk(dir)) {
					files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
				}
			}
		}
		double mLoop = median(loop), mOne = median(one), mTwo = median(two), mStored = median(twoStored);
		out.printf("campaign benchmark: %d simulations of %d µs CPU each, %d repeats, %d cores available%n", simulations, micros,
				repeats, Runtime.getRuntime().availableProcessors());
		out.println("| run | median time (s) | simulations/s | relative to plain loop |");
		out.println("|---|---|---|---|");
		row(out, "plain loop, 1 thread", mLoop, mLoop);
		row(out, "campaign in memory, 1 thread", mOne, mLoop);
		row(out, "campaign in memory, 2 threads", mTwo, mLoop);
		row(out, "campaign to disk (.npy chunks of 100), 2 threads", mStored, mLoop);
		out.printf("overhead of the campaign, 1 thread: %+.2f%% (median of per-repeat ratios %+.2f%%)%n", 100 * (mOne / mLoop - 1),
				100 * (medianRatio(one, loop) - 1));
		out.printf("speed-up 1 -> 2 threads: %.2fx; storing on disk costs %+.2f%% at 2 threads%n", mOne / mTwo, 100 * (mStored / mTwo - 1));
		out.printf("per-repeat seconds: loop %s; 1 thread %s; 2 threads %s; 2 threads + disk %s%n", Arrays.toString(loop),
				Arrays.toString(one), Arrays.toString(two), Arrays.toString(twoStored));
		return 0;
	}

	private void row(PrintWriter out, String name, double seconds, double loopSeconds) {
		out.printf("| %s | %.3f | %.0f | %.3f |%n", name, seconds, simulations / seconds, seconds / loopSeconds);
	}

	static volatile double blackhole;

	/** The same work as a campaign, written as the plain loop a user would write. */
	private static double loop(Simulator s, Prior prior, CampaignSettings settings) {
		long start = System.nanoTime();
		double sink = 0;
		for (long i = 0; i < settings.simulations(); i++) {
			RandomGenerator r = Seeds.forRow(settings.seed(), i);
			double[] theta = prior.sample(r);
			sink += s.simulate(theta, r)[0];
		}
		blackhole = sink; // keeps the JIT from dropping the simulations
		return (System.nanoTime() - start) / 1e9;
	}

	private static double campaign(Simulator s, Prior prior, CampaignSettings settings, Path dir) throws IOException {
		long start = System.nanoTime();
		if (dir == null) {
			new CampaignRunner(s, prior, settings).run(Set.of(), chunk -> {
			}, ProgressMonitor.NULL);
		} else {
			Campaigns.start(s, prior, true, settings, dir.resolve("c"), ProgressMonitor.NULL);
		}
		return (System.nanoTime() - start) / 1e9;
	}

	private static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	private static double medianRatio(double[] a, double[] b) {
		double[] r = new double[a.length];
		for (int i = 0; i < r.length; i++) {
			r[i] = a[i] / b[i];
		}
		return median(r);
	}

	/** A simulator that burns a fixed amount of CPU (not sleep), so threads really compete for cores. */
	static final class BusySimulator implements Simulator {
		private static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));
		private final SimulatorDescriptor descriptor = new SimulatorDescriptor("busy", "Busy", Domain.OTHER, "1",
				"Burns a fixed CPU time per simulation", P, List.of("x"), BoxUniformPrior.of(P, 0, 1), List.of(), List.of());
		private final long nanos;

		BusySimulator(int micros) {
			this.nanos = micros * 1_000L;
		}

		@Override
		public SimulatorDescriptor descriptor() {
			return descriptor;
		}

		@Override
		public double[] simulate(double[] theta, RandomGenerator random) {
			long end = System.nanoTime() + nanos;
			double acc = theta[0];
			while (System.nanoTime() < end) {
				for (int i = 0; i < 64; i++) {
					acc = Math.sin(acc) + theta[1];
				}
			}
			return new double[] { acc + random.nextGaussian() };
		}
	}
}
