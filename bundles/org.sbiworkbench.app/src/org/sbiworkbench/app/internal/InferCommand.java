package org.sbiworkbench.app.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.runs.InferenceRun;
import org.sbiworkbench.runs.Report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw infer}: a whole inference from the command line — simulate,
 * train, sample — writing the posterior samples, a summary and the trained
 * estimator into one folder.
 */
@Command(name = "infer", description = "Simulate, train an inference method and sample the posterior for an observation.")
final class InferCommand implements Callable<Integer> {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	@ParentCommand
	SbiwCommand parent;

	@Spec
	CommandSpec spec;

	@Option(names = "--simulator", required = true, description = "Simulator id (see 'sbiw simulators').")
	String simulatorId;

	@Option(names = "--method", defaultValue = "npe", description = "Inference method (default: ${DEFAULT-VALUE}).")
	String methodId;

	@Option(names = { "--simulations", "-n" }, required = true, description = "Simulation budget.")
	long simulations;

	@Option(names = "--observation", defaultValue = "default", description = "x_o: 'default' (the simulator's first), comma-separated values, or a .csv/.npy file.")
	String observation;

	@Option(names = "--samples", defaultValue = "10000", description = "Posterior samples to draw (default: ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--seed", required = true, description = "Seed of the whole run.")
	long seed;

	@Option(names = "--out", required = true, description = "Output folder.")
	Path out;

	@Option(names = "--density-estimator", description = "For NPE: nsf (default), maf or mdn.")
	String densityEstimator;

	@Option(names = "--embedding", description = "For NPE: learned summary statistics trained with the flow: none (default), fc, or cnn (time series).")
	String embedding;

	@Option(names = "--sampler", description = "For NLE and NRE: the MCMC sampler, slice (default), mh, hmc or gibbs.")
	String sampler;

	@Option(names = "--prior", description = "A JSON file with the prior (default: the simulator's default prior).")
	Path priorFile;

	@Option(names = "--threads", defaultValue = "0", description = "Simulation threads; 0 = one per core.")
	int threads;

	@Option(names = "--diagnostics", defaultValue = "coverage,sbc,ppc,misspecification",
			description = "Posterior checks to run, comma-separated, or 'none' (default: ${DEFAULT-VALUE}; also c2st on benchmark tasks).")
	String diagnostics;

	@Option(names = "--diagnostic-tests", defaultValue = "200", description = "Prior-predictive tests for coverage and SBC (default: ${DEFAULT-VALUE}).")
	int diagnosticTests;

	@Override
	public Integer call() throws Exception {
		Simulator simulator = Commands.require(spec, parent.simulators.get(), simulatorId);
		InferenceMethod method = parent.methods.get().stream().filter(m -> m.id().equals(methodId)).findFirst()
				.orElseThrow(() -> new ParameterException(spec.commandLine(), "No inference method '" + methodId
						+ "' is installed; installed: " + parent.methods.get().stream().map(InferenceMethod::id).toList()));
		Prior prior = simulator.descriptor().defaultPrior();
		if (priorFile != null) {
			prior = PriorSpecs.fromJson(JSON.readTree(Files.readAllBytes(priorFile)), simulator.descriptor().parameters(), priorFile.toString());
		}
		Observation xo = observation(simulator);
		// Checked before simulating, so a typo does not cost a campaign.
		var checks = Report.resolve(Report.parse(diagnostics), parent.diagnostics.get());
		Map<String, String> settings = new LinkedHashMap<>();
		if (densityEstimator != null) {
			settings.put("density_estimator", densityEstimator);
		}
		if (embedding != null) {
			settings.put("embedding", embedding);
		}
		if (sampler != null) {
			settings.put("sampler", sampler);
		}
		return Commands.execute(new InferenceRun(simulator, method, prior, priorFile == null, xo, new CampaignSettings(simulations, seed,
				CampaignSettings.DEFAULT_CHUNK_SIZE, threads, null), settings, samples, out, checks,
				Map.of("tests", Integer.toString(diagnosticTests))), spec.commandLine().getOut(), spec.commandLine().getErr());
	}

	private Observation observation(Simulator simulator) throws RunFileException {
		var d = simulator.descriptor();
		if (observation.equals("default")) {
			if (d.defaultObservations().isEmpty()) {
				throw new ParameterException(spec.commandLine(), simulatorId + " has no default observation; give --observation v1,v2,... or a file");
			}
			return d.defaultObservations().get(0);
		}
		double[] values;
		if (observation.matches("[-+0-9.eE, ]+")) {
			try {
				values = Arrays.stream(observation.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
			} catch (NumberFormatException e) {
				throw new ParameterException(spec.commandLine(), "--observation '" + observation + "' is not a list of numbers");
			}
		} else {
			values = RunFile.readObservationFile(Path.of(observation));
		}
		if (values.length != d.observationDimension()) {
			throw new ParameterException(spec.commandLine(), "--observation has " + values.length + " values but " + simulatorId
					+ " produces " + d.observationDimension() + " " + d.observationNames());
		}
		return new Observation(observation, values, null);
	}
}
