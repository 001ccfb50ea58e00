package org.sbiworkbench.estimators.nle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.storage.SavedFolder;
import org.sbiworkbench.estimators.npe.EstimatorFiles;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.mcmc.McmcResult;
import org.sbiworkbench.nn.Trainer;
import org.sbiworkbench.nn.Variable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What NLE and NRE estimators share: a network over z-scored θ and x, the
 * prior, and the MCMC options that turn a {@link Potential} for x_o into a
 * {@link McmcPosterior}; the training and last sampling summaries; and the
 * saved folder's layout — {@code estimator.json} (format, version, simulator,
 * parameters, prior, the network's own description, standardisation of θ and
 * x, MCMC options, weight listing) with {@code weights/NNN.npy}.
 */
public abstract class McmcEstimator implements AmortizedPosterior {

	/** Rows per network evaluation. */
	protected static final int BATCH = 4_096;

	protected final List<Parameter> parameters;
	protected final Prior prior;
	/** The z-scoring of θ the network was trained under. */
	protected final Standardization theta;
	/** The z-scoring of x the network was trained under. */
	protected final Standardization x;
	protected final McmcOptions mcmc;
	private final String simulatorId;
	private final String simulatorVersion;
	private volatile Map<String, Object> training = Map.of();
	private volatile Map<String, Object> lastSampling;

	protected McmcEstimator(List<Parameter> parameters, Prior prior, Standardization theta, Standardization x, McmcOptions mcmc,
			String simulatorId, String simulatorVersion) {
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.theta = theta;
		this.x = x;
		this.mcmc = mcmc;
		this.simulatorId = simulatorId;
		this.simulatorVersion = simulatorVersion;
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	public McmcOptions mcmcOptions() {
		return mcmc;
	}

	public Prior prior() {
		return prior;
	}

	/** The unnormalised log-posterior's network part for one x_o, batched over θ, with ∂/∂θ. */
	protected abstract Potential potential(double[] xo);

	/** The posterior for x_o, sampled by MCMC on the {@link #potential} plus log p(θ). */
	@Override
	public McmcPosterior condition(double[] observation) {
		if (observation.length != x.mean().length) {
			throw new IllegalArgumentException("The observation has " + observation.length + " values; this estimator was trained on "
					+ x.mean().length);
		}
		double[] xo = observation.clone();
		return new McmcPosterior(parameters, prior, xo, () -> potential(xo), mcmc, null, this::recordSampling);
	}

	@Override
	public Map<String, Object> trainingSummary() {
		Map<String, Object> last = lastSampling;
		if (last == null) {
			return training;
		}
		Map<String, Object> m = new LinkedHashMap<>(training);
		m.put("last_sampling", last);
		return Collections.unmodifiableMap(m);
	}

	/** The summary of the most recent MCMC run of any posterior of this estimator (R̂, ESS, …). */
	public Map<String, Object> lastSampling() {
		return lastSampling == null ? Map.of() : lastSampling;
	}

	/**
	 * Records the training summary: {@code method} entries first, then kernels,
	 * the training result and the MCMC options.
	 */
	protected void recordTraining(Map<String, Object> method, Trainer.Result r, String kernels) {
		Map<String, Object> m = new LinkedHashMap<>(method);
		m.put("kernels", kernels);
		r.putSummary(m);
		m.put("mcmc", mcmc.summary());
		training = Collections.unmodifiableMap(m);
	}

	private void recordSampling(McmcResult r) {
		lastSampling = samplingSummary(r);
	}

	/** R̂, ESS and the rest of one MCMC run, for reports; a "warning" when R̂ > {@value McmcPosterior#MAX_R_HAT}. */
	public static Map<String, Object> samplingSummary(McmcResult r) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("sampler", r.samplerId());
		m.put("chains", r.chains().length);
		m.put("samples", r.samples().length);
		m.put("max_r_hat", r.maxRHat());
		m.put("min_ess", r.minEss());
		m.put("r_hat", java.util.Arrays.stream(r.rHat()).boxed().toList());
		m.put("ess", java.util.Arrays.stream(r.ess()).boxed().toList());
		m.put("acceptance_rate", r.acceptanceRate());
		m.put("evaluations", r.evaluations());
		m.put("seconds", r.wallTime().toNanos() / 1e9);
		if (r.maxRHat() > McmcPosterior.MAX_R_HAT) {
			m.put("warning", String.format(java.util.Locale.ROOT, "R-hat %.3f > %.2f: the chains may not have converged", r.maxRHat(),
					McmcPosterior.MAX_R_HAT));
		}
		return Collections.unmodifiableMap(m);
	}

	/**
	 * Saves as {@code dir/estimator.json} and {@code dir/weights/}: the shared
	 * entries, with {@code network} adding the network's description after the
	 * prior.
	 */
	protected void save(Path dir, String format, int version, Consumer<ObjectNode> network, List<Variable> variables) throws IOException {
		Files.createDirectories(dir);
		ObjectNode root = SavedFolder.header(format, version);
		SavedFolder.putModel(root, simulatorId, simulatorVersion, parameters, prior);
		network.accept(root);
		EstimatorFiles.putStandardization(root, theta, x);
		root.set("mcmc", mcmc.toJson());
		root.set("variables", EstimatorFiles.write(dir, variables));
		// Written last: a folder without it, or with an older one, is not a (new) estimator yet.
		SavedFolder.writeDescription(dir, EstimatorFiles.FILE, root);
	}

	/** Builds an estimator from the shared entries of a saved folder; may throw as {@link SavedFolder.Reader} does. */
	@FunctionalInterface
	protected interface Loader<T> {
		T load(Saved saved) throws IOException, org.sbiworkbench.core.run.RunFileException;
	}

	/**
	 * The shared entries of a saved folder, read before the network's own.
	 *
	 * @param dir  the folder
	 * @param file its {@code estimator.json}, for messages
	 * @param root its contents
	 */
	public record Saved(Path dir, Path file, JsonNode root, List<Parameter> parameters, Prior prior, Standardization theta,
			Standardization x, McmcOptions mcmc, String simulatorId, String simulatorVersion) {

		/** Checks the network's θ and x dimensions against the parameters and the standardisation. */
		public void checkDimensions(int thetaDimension, int xDimension, String network) throws IOException {
			if (theta.mean().length != parameters.size() || thetaDimension != parameters.size() || x.mean().length != xDimension) {
				throw new IOException(file + ": the dimensions of parameters, " + network + " and standardisation disagree");
			}
		}

		/** Loads the listed weights into a freshly built network's variables. */
		public void readWeights(List<Variable> variables, String network) throws IOException {
			EstimatorFiles.read(dir, file, root.get("variables"), variables, network);
		}
	}

	/** Reads what {@link #save} wrote; every problem names the file and what is wrong. */
	protected static <T> T load(Path dir, String format, int version, String method, Loader<T> loader) throws IOException {
		JsonNode root = SavedFolder.readHeader(dir, EstimatorFiles.FILE, format, version, method);
		Path file = dir.resolve(EstimatorFiles.FILE);
		return SavedFolder.read(file, () -> {
			List<Parameter> parameters = SavedFolder.parameters(root);
			Prior prior = SavedFolder.prior(root, parameters, file);
			Standardization theta = EstimatorFiles.standardization(root, "theta");
			Standardization x = EstimatorFiles.standardization(root, "x");
			McmcOptions mcmc = McmcOptions.fromJson(root.get("mcmc"));
			return loader.load(new Saved(dir, file, root, parameters, prior, theta, x, mcmc, SavedFolder.simulatorId(root),
					SavedFolder.simulatorVersion(root)));
		});
	}
}
