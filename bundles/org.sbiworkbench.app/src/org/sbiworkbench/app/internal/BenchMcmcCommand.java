package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.diagnostics.C2st;
import org.sbiworkbench.estimators.nle.McmcPosterior;
import org.sbiworkbench.mcmc.McmcResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw bench-mcmc}: MCMC throughput on a real posterior — NLE trained once on a benchmark task, then
 * 10,000 posterior samples for one observation with each sampler: wall time, bulk ESS per second, R-hat, and the
 * samples' C2ST against the reference posterior (so speed is not bought with wrong answers).
 */
@Command(name = "bench-mcmc", description = "MCMC throughput of each sampler on an NLE posterior: wall time, ESS/s, R-hat, C2ST.")
final class BenchMcmcCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--task", defaultValue = "two_moons", description = "Benchmark task (default: ${DEFAULT-VALUE}).")
	String taskId;

	@Option(names = "--simulations", defaultValue = "10000", description = "NLE training budget (default: ${DEFAULT-VALUE}).")
	long simulations;

	@Option(names = "--samples", defaultValue = "10000", description = "Posterior samples per sampler (default: ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--samplers", split = ",", defaultValue = "slice,mh,hmc,gibbs", description = "Samplers (default: ${DEFAULT-VALUE}).")
	List<String> samplers;

	@Option(names = "--seed", defaultValue = "1", description = "Seed.")
	long seed;

	@Override
	public Integer call() throws java.io.IOException {
		PrintWriter out = spec.commandLine().getOut();
		Simulator s = Commands.require(spec, parent.simulators.get(), taskId);
		if (!(s instanceof BenchmarkTask task)) {
			throw new ParameterException(spec.commandLine(), taskId + " has no reference posterior");
		}
		InferenceMethod nle = parent.methods.get().stream().filter(m -> m.id().equals("nle")).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "NLE is not installed"));
		long t0 = System.nanoTime();
		AmortizedPosterior trained = nle.train(simulate(task), task.descriptor().defaultPrior(), task.descriptor(), Map.of(), seed,
				ProgressMonitor.NULL);
		double[] xo = task.descriptor().defaultObservations().get(0).values();
		out.printf("NLE on %s, %d simulations (trained in %.1f s), observation 1; %d samples per sampler, 20 chains, 200 warm-up; %d threads%n%n",
				taskId, simulations, (System.nanoTime() - t0) / 1e9, samples, Runtime.getRuntime().availableProcessors());
		out.println("| sampler | wall (s) | min bulk ESS | ESS/s | max R-hat | acceptance | log-density evaluations | C2ST vs reference |");
		out.println("|---|---|---|---|---|---|---|---|");
		out.flush();
		double[][] reference = task.referencePosterior(xo).sample(samples, Seeds.forRow(seed, 2000));
		try {
			Samplers.run(trained, xo, reference, samplers, samples, seed, out);
		} catch (NoClassDefFoundError e) {
			throw new IllegalStateException("bench-mcmc needs the MCMC bundles (org.sbiworkbench.mcmc, org.sbiworkbench.estimators.nle), "
					+ "which are not installed: " + e.getMessage());
		}
		return 0;
	}

	private SimulationSet.TrainingData simulate(BenchmarkTask task) {
		List<Chunk> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
		new CampaignRunner(task, task.descriptor().defaultPrior(), new CampaignSettings(simulations, seed, 1000, 0, null)).runUnchecked(Set.of(),
				chunks::add, ProgressMonitor.NULL);
		chunks.sort((a, b) -> Integer.compare(a.index(), b.index()));
		List<double[]> theta = new ArrayList<>();
		List<double[]> x = new ArrayList<>();
		for (Chunk c : chunks) {
			for (int i = 0; i < c.rows(); i++) {
				if (c.status()[i] == FailureKind.OK) {
					theta.add(c.theta()[i]);
					x.add(c.x()[i]);
				}
			}
		}
		return new SimulationSet.TrainingData(theta.toArray(double[][]::new), x.toArray(double[][]::new), 0);
	}

	/** Everything that touches the optional MCMC bundles, loaded only when the benchmark runs. */
	private static final class Samplers {
		static void run(AmortizedPosterior trained, double[] xo, double[][] reference, List<String> ids, int samples, long seed,
				PrintWriter out) {
			for (String id : ids) {
				McmcPosterior q = (McmcPosterior) trained.condition(xo);
				q = q.withOptions(q.options().with("sampler", id, "nle"));
				long t1 = System.nanoTime();
				McmcResult r = q.run(samples, seed);
				double wall = (System.nanoTime() - t1) / 1e9;
				double c2st = C2st.test(reference, r.samples(), seed).accuracy();
				out.printf("| %s | %.1f | %.0f | %.0f | %.3f | %.2f | %d | %.3f |%n", id, wall, r.minEss(), r.minEss() / wall, r.maxRHat(),
						r.acceptanceRate(), r.evaluations(), c2st);
				out.flush();
			}
		}
	}
}
