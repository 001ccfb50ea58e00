package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.Seeds;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw bench-simulators}: how many simulations per second each simulator runs on one thread, from prior
 * draws — the number that decides a budget. Median of several timed rounds after a warm-up round.
 */
@Command(name = "bench-simulators", description = "Simulations per second of each simulator on one thread (median of rounds).")
final class BenchSimulatorsCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--simulators", split = ",", description = "Simulator ids (default: all registered).")
	List<String> ids;

	@Option(names = "--seconds", defaultValue = "2", description = "Minimum time per round in seconds (default: ${DEFAULT-VALUE}).")
	double seconds;

	@Option(names = "--rounds", defaultValue = "5", description = "Timed rounds; the median is reported (default: ${DEFAULT-VALUE}).")
	int rounds;

	@Override
	public Integer call() {
		PrintWriter out = spec.commandLine().getOut();
		List<Simulator> simulators = ids == null ? parent.simulators.get()
				: ids.stream().map(id -> Commands.require(spec, parent.simulators.get(), id)).toList();
		out.printf("Simulations per second on one thread, median of %d rounds of at least %.1f s (after one warm-up round)%n%n", rounds,
				seconds);
		out.println("| simulator | simulations/s (median) | min | max | time per simulation |");
		out.println("|---|---|---|---|---|");
		out.flush();
		for (Simulator s : simulators) {
			double[] rates = new double[rounds + 1];
			long row = 0;
			for (int r = 0; r <= rounds; r++) {
				long n = 0;
				long t0 = System.nanoTime();
				long elapsed;
				do {
					var random = Seeds.forRow(1, row++);
					double[] theta = s.descriptor().defaultPrior().sample(random);
					try {
						s.simulate(theta, random);
					} catch (RuntimeException e) {
						// a failing draw still costs its time; it counts like any other
					}
					n++;
					elapsed = System.nanoTime() - t0;
				} while (elapsed < seconds * 1e9);
				rates[r] = n / (elapsed / 1e9);
			}
			double[] timed = Arrays.copyOfRange(rates, 1, rates.length); // round 0 warms up the JIT
			Arrays.sort(timed);
			double median = timed.length % 2 == 1 ? timed[timed.length / 2] : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
			out.printf("| %s | %s | %s | %s | %s |%n", s.descriptor().id(), fmt(median), fmt(timed[0]), fmt(timed[timed.length - 1]),
					median >= 1000 ? String.format("%.1f µs", 1e6 / median) : String.format("%.1f ms", 1e3 / median));
			out.flush();
		}
		return 0;
	}

	private static String fmt(double v) {
		return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
	}
}
