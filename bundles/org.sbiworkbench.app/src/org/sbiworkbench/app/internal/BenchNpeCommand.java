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
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.SequentialInferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.diagnostics.C2st;
import org.sbiworkbench.nn.Kernels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw bench-npe}: NPE's accuracy as sbibm measures it — C2ST of 10,000
 * posterior samples against 10,000 reference samples for sbibm's observations —
 * with the wall time of training and sampling. NPE is amortized: one network is
 * trained per task and budget and conditioned on each observation.
 */
@Command(name = "bench-npe", description = "NPE accuracy (C2ST against reference posteriors) and time on sbibm tasks.")
final class BenchNpeCommand implements Callable<Integer> {

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--tasks", split = ",", defaultValue = "two_moons,gaussian_linear,slcp", description = "Benchmark tasks.")
	List<String> tasks;

	@Option(names = "--budgets", split = ",", defaultValue = "1000,10000,100000", description = "Simulation budgets.")
	List<Long> budgets;

	@Option(names = "--observations", defaultValue = "10", description = "Use sbibm's observations up to K (default: ${DEFAULT-VALUE}).")
	int observations;

	@Option(names = "--first-observation", defaultValue = "1", description = "Start at sbibm's observation F (default: ${DEFAULT-VALUE}); "
			+ "each observation's seeds depend only on its number, so F..K reproduces those rows of a 1..K run.")
	int firstObservation;

	@Option(names = "--method", defaultValue = "npe", description = "Inference method id: npe (default), nle, nre, abc, smcabc.")
	String methodId;

	@Option(names = "--density-estimator", description = "For NPE: nsf (default), maf or mdn; for NLE: maf (default) or nsf.")
	String densityEstimator;

	@Option(names = "--sampler", description = "For NLE and NRE: slice (default), mh, hmc or gibbs.")
	String sampler;

	@Option(names = "--set", description = "Any method setting as name=value, e.g. --set kde_bandwidth=cv (repeatable).")
	Map<String, String> extra;

	@Option(names = "--samples", defaultValue = "10000", description = "Posterior and reference samples per observation.")
	int samples;

	@Option(names = "--seed", defaultValue = "1", description = "Seed.")
	long seed;

	@Option(names = "--c2st-kernels", defaultValue = "java", description = "Matrix products of the C2ST classifiers: java (default, "
			+ "as every published row of docs/benchmarks) or an installed accelerator such as nd4j (faster on 10-D tasks; "
			+ "float32 rounding differs, so compare rows measured with the same kernels).")
	String c2stKernels;

	@Override
	public Integer call() {
		PrintWriter out = spec.commandLine().getOut();
		InferenceMethod npe = parent.methods.get().stream().filter(m -> m.id().equals(methodId)).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "No inference method '" + methodId + "' is installed; installed: "
						+ parent.methods.get().stream().map(InferenceMethod::id).toList()));
		Map<String, String> settings = new java.util.LinkedHashMap<>();
		if (densityEstimator != null) {
			settings.put("density_estimator", densityEstimator);
		}
		if (sampler != null) {
			settings.put("sampler", sampler);
		}
		if (extra != null) {
			settings.putAll(extra);
		}
		Kernels kernels;
		try {
			kernels = InstalledKernels.named(c2stKernels);
		} catch (IllegalArgumentException e) {
			throw new ParameterException(spec.commandLine(), "--c2st-kernels: " + e.getMessage());
		}
		if (firstObservation < 1 || firstObservation > observations) {
			throw new ParameterException(spec.commandLine(), "--first-observation must lie between 1 and --observations (" + observations
					+ "), got " + firstObservation);
		}
		out.printf("%s %s on sbibm tasks: C2ST of %d samples vs %d reference samples (%s kernels); observations %d-%d; %d threads; seed %d%n%n",
				methodId.toUpperCase(), settings, samples, samples, kernels.name(), firstObservation, observations,
				Runtime.getRuntime().availableProcessors(), seed);
		out.println("| task | simulations | mean C2ST | C2ST per observation | epochs | simulate (s) | train (s) | sample, mean per observation (s) |");
		out.println("|---|---|---|---|---|---|---|---|");
		out.flush();
		for (String id : tasks) {
			Simulator s = Commands.require(spec, parent.simulators.get(), id);
			if (!(s instanceof BenchmarkTask task)) {
				throw new ParameterException(spec.commandLine(), id + " has no reference posterior");
			}
			for (long n : budgets) {
				List<Double> c2st = new ArrayList<>();
				double sampleTotal = 0;
				double simulate = 0, train = 0;
				Object epochs = "–";
				List<Observation> obs = task.descriptor().defaultObservations();
				AmortizedPosterior trained = null;
				if (!(npe instanceof SequentialInferenceMethod)) {
					long t0 = System.nanoTime();
					SimulationSet.TrainingData data = simulate(task, n);
					simulate = (System.nanoTime() - t0) / 1e9;
					long t1 = System.nanoTime();
					try {
						trained = npe.train(data, task.descriptor().defaultPrior(), task.descriptor(), settings, seed, ProgressMonitor.NULL);
					} catch (java.io.IOException e) {
						throw new IllegalStateException(e);
					}
					train = (System.nanoTime() - t1) / 1e9;
					epochs = trained.trainingSummary().getOrDefault("epochs", "–");
				}
				int last = Math.min(observations, obs.size());
				int count = Math.max(1, last - (firstObservation - 1));
				for (int k = firstObservation - 1; k < last; k++) {
					double[] xo = obs.get(k).values();
					long t2 = System.nanoTime();
					Posterior q;
					if (trained == null) {
						// A sequential method simulates and infers per observation within the budget.
						q = ((SequentialInferenceMethod) npe).infer(task, task.descriptor().defaultPrior(), xo, n, settings, seed + k,
								ProgressMonitor.NULL);
						train += (System.nanoTime() - t2) / 1e9 / count;
						t2 = System.nanoTime();
					} else {
						q = trained.condition(xo);
					}
					double[][] draws = q.sample(samples, Seeds.forRow(seed, 1000 + k));
					sampleTotal += (System.nanoTime() - t2) / 1e9;
					double[][] ref = task.referencePosterior(xo).sample(samples, Seeds.forRow(seed, 2000 + k));
					c2st.add(C2st.test(ref, draws, C2st.Settings.sbibm(seed + k), kernels).accuracy());
				}
				double mean = c2st.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
				out.printf("| %s | %d | %.3f | %s | %s | %.1f | %.1f | %.2f |%n", id, n, mean,
						String.join(" ", c2st.stream().map(v -> String.format("%.2f", v)).toList()), epochs,
						simulate, train, sampleTotal / Math.max(1, c2st.size()));
				out.flush();
			}
		}
		return 0;
	}

	private SimulationSet.TrainingData simulate(BenchmarkTask task, long n) {
		List<Chunk> chunks = java.util.Collections.synchronizedList(new ArrayList<>());
		new CampaignRunner(task, task.descriptor().defaultPrior(), new CampaignSettings(n, seed, 1000, 0, null)).runUnchecked(Set.of(),
				chunks::add, ProgressMonitor.NULL);
		chunks.sort((a, b) -> Integer.compare(a.index(), b.index()));
		List<double[]> theta = new ArrayList<>();
		List<double[]> x = new ArrayList<>();
		int excluded = 0;
		for (Chunk c : chunks) {
			for (int i = 0; i < c.rows(); i++) {
				if (c.status()[i] == FailureKind.OK) {
					theta.add(c.theta()[i]);
					x.add(c.x()[i]);
				} else {
					excluded++;
				}
			}
		}
		return new SimulationSet.TrainingData(theta.toArray(double[][]::new), x.toArray(double[][]::new), excluded);
	}
}
