package org.sbiworkbench.estimators.nle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;
import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.estimators.npe.Architecture;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.mcmc.McmcResult;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trained NLE likelihood q(x | θ): a conditional flow over z-scored x given
 * z-scored θ, with the prior and the MCMC options that turn it into
 * posteriors. Amortized over x_o: any observation is conditioned on without
 * retraining, though each posterior is then sampled by MCMC.
 * <p>
 * Saved as a folder: {@code estimator.json} (format "sbiworkbench-nle",
 * version 1: simulator, parameters, prior, architecture — the flow's type,
 * {@code dimension} = x's, {@code contextDimension} = θ's, {@code initSeed} —,
 * standardisation of θ and x, MCMC options, and for each weight array its
 * file, shape and SHA-256) and {@code weights/NNN.npy}, one float64 array per
 * variable in the network's order (as NPE saves). No Java serialization.
 */
public final class NleEstimator implements AmortizedPosterior {

	public static final String FILE = EstimatorFiles.FILE;
	public static final String FORMAT = "sbiworkbench-nle";
	public static final int FORMAT_VERSION = 1;
	private static final ObjectMapper JSON = EstimatorFiles.JSON;
	private static final int BATCH = 4_096;

	private final List<Parameter> parameters;
	private final Prior prior;
	private final Architecture architecture;
	private final ConditionalDensity density;
	private final Standardization theta;
	private final Standardization x;
	private final McmcOptions mcmc;
	private final String simulatorId;
	private final String simulatorVersion;
	private volatile Map<String, Object> training = Map.of();
	private volatile Map<String, Object> lastSampling;

	NleEstimator(List<Parameter> parameters, Prior prior, Architecture architecture, ConditionalDensity density, Standardization theta,
			Standardization x, McmcOptions mcmc, String simulatorId, String simulatorVersion) {
		this.parameters = List.copyOf(parameters);
		this.prior = prior;
		this.architecture = architecture;
		this.density = density;
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

	/** The flow's type ("maf", "nsf" or "mdn"); its dimension is x's, its context θ. */
	public Architecture architecture() {
		return architecture;
	}

	public McmcOptions mcmcOptions() {
		return mcmc;
	}

	public Prior prior() {
		return prior;
	}

	/** The posterior for x_o, sampled by MCMC on log q(x_o | θ) + log p(θ). */
	@Override
	public McmcPosterior condition(double[] observation) {
		if (observation.length != x.mean().length) {
			throw new IllegalArgumentException("The observation has " + observation.length + " values; this estimator was trained on "
					+ x.mean().length);
		}
		double[] xo = observation.clone();
		return new McmcPosterior(parameters, prior, xo, () -> new LikelihoodPotential(xo), mcmc, null, this::recordSampling);
	}

	/**
	 * The learned log q(x_i | θ_i) for pairs of rows, in x's own units (the
	 * z-scoring's Jacobian included), so it integrates to 1 over x.
	 */
	public double[] logLikelihood(double[][] xs, double[][] thetas) {
		if (xs.length != thetas.length) {
			throw new IllegalArgumentException("logLikelihood needs as many x as θ: " + xs.length + " and " + thetas.length);
		}
		int dx = x.mean().length, dt = theta.mean().length;
		double logJacobian = x.logJacobian();
		double[] out = new double[xs.length];
		Tape tape = new Tape();
		for (int from = 0; from < xs.length; from += BATCH) {
			int m = Math.min(BATCH, xs.length - from);
			float[] y = new float[m * dx];
			float[] c = new float[m * dt];
			for (int i = 0; i < m; i++) {
				System.arraycopy(x.apply(xs[from + i]), 0, y, i * dx, dx);
				System.arraycopy(theta.apply(thetas[from + i]), 0, c, i * dt, dt);
			}
			tape.reset();
			Tensor lp = density.logProb(tape, tape.constant(y, m, dx), tape.constant(c, m, dt));
			for (int i = 0; i < m; i++) {
				out[from + i] = lp.values()[i] - logJacobian;
			}
		}
		return out;
	}

	/** log q(x_o | θ) for one x_o, batched over θ, with ∂/∂θ through the tape (θ is the flow's context). */
	private final class LikelihoodPotential implements Potential {

		private final float[] zx;
		private final Tape tape = new Tape(new JavaKernels(), true); // private gradients: the weights' stay untouched

		LikelihoodPotential(double[] xo) {
			zx = x.apply(xo);
		}

		@Override
		public void evaluate(double[][] thetas, double[] out, double[][] gradient) {
			int dx = zx.length, dt = theta.mean().length;
			double logJacobian = x.logJacobian();
			double[] sd = theta.std();
			for (int from = 0; from < thetas.length; from += BATCH) {
				int m = Math.min(BATCH, thetas.length - from);
				float[] y = new float[m * dx];
				float[] c = new float[m * dt];
				for (int i = 0; i < m; i++) {
					System.arraycopy(zx, 0, y, i * dx, dx);
					System.arraycopy(theta.apply(thetas[from + i]), 0, c, i * dt, dt);
				}
				tape.reset();
				Tensor context = gradient == null ? tape.constant(c, m, dt) : tape.input(c, m, dt);
				Tensor lp = density.logProb(tape, tape.constant(y, m, dx), context);
				for (int i = 0; i < m; i++) {
					out[from + i] = lp.values()[i] - logJacobian;
				}
				if (gradient != null) {
					// Rows are independent: seeding every row's log q with 1 gives each row's own gradient.
					tape.backward(lp);
					float[] g = context.gradient();
					for (int i = 0; i < m; i++) {
						for (int j = 0; j < dt; j++) {
							gradient[from + i][j] = g == null ? 0 : g[i * dt + j] / sd[j];
						}
					}
				}
			}
		}
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

	/** The summary of the most recent MCMC run of any posterior of this estimator. */
	public Map<String, Object> lastSampling() {
		return lastSampling == null ? Map.of() : lastSampling;
	}

	void recordTraining(Trainer.Result r, String kernels) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", "nle");
		m.put("density_estimator", architecture.type());
		m.put("kernels", kernels);
		m.put("epochs", r.epochs());
		m.put("best_epoch", r.bestEpoch());
		m.put("best_validation_loss", r.bestValidationLoss());
		m.put("seconds", r.seconds());
		m.put("cancelled", r.cancelled());
		m.put("training_loss", List.copyOf(r.trainingLoss()));
		m.put("validation_loss", List.copyOf(r.validationLoss()));
		m.put("mcmc", mcmc.summary());
		training = Collections.unmodifiableMap(m);
	}

	void recordSampling(McmcResult r) {
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

	@Override
	public void save(Path dir) throws IOException {
		Files.createDirectories(dir);
		ObjectNode root = JSON.createObjectNode();
		root.put("format", FORMAT);
		root.put("formatVersion", FORMAT_VERSION);
		root.putObject("simulator").put("id", simulatorId).put("version", simulatorVersion);
		ArrayNode ps = root.putArray("parameters");
		parameters.forEach(p -> ps.addObject().put("name", p.name()).put("unit", p.unit()));
		root.set("prior", PriorSpecs.toJson(prior));
		ObjectNode arch = root.putObject("architecture");
		arch.put("type", architecture.type());
		arch.put("dimension", architecture.dimension());
		arch.put("contextDimension", architecture.contextDimension());
		arch.put("initSeed", architecture.initSeed());
		ObjectNode std = root.putObject("standardization");
		std.set("thetaMean", EstimatorFiles.numbers(theta.mean()));
		std.set("thetaStd", EstimatorFiles.numbers(theta.std()));
		std.set("xMean", EstimatorFiles.numbers(x.mean()));
		std.set("xStd", EstimatorFiles.numbers(x.std()));
		root.set("mcmc", mcmc.toJson());
		root.set("variables", EstimatorFiles.write(dir, density.variables()));
		// Written last: a folder without it, or with an older one, is not a (new) estimator yet.
		AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(root));
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static NleEstimator load(Path dir) throws IOException {
		JsonNode root = EstimatorFiles.readHeader(dir, FORMAT, FORMAT_VERSION, "NLE");
		Path file = dir.resolve(FILE);
		try {
			List<Parameter> parameters = new ArrayList<>();
			for (JsonNode p : root.withArray("parameters")) {
				parameters.add(new Parameter(p.get("name").asText(), p.path("unit").asText("")));
			}
			Prior prior = PriorSpecs.fromJson(root.get("prior"), parameters, file + ": prior");
			JsonNode a = root.get("architecture");
			Architecture architecture = Architecture.plain(a.get("type").asText(), a.get("dimension").asInt(), a.get("contextDimension").asInt(),
					a.get("initSeed").asLong());
			JsonNode s = root.get("standardization");
			Standardization theta = new Standardization(EstimatorFiles.doubles(s.get("thetaMean")), EstimatorFiles.doubles(s.get("thetaStd")));
			Standardization x = new Standardization(EstimatorFiles.doubles(s.get("xMean")), EstimatorFiles.doubles(s.get("xStd")));
			if (theta.mean().length != parameters.size() || architecture.contextDimension() != parameters.size()
					|| x.mean().length != architecture.dimension()) {
				throw new IOException(file + ": the dimensions of parameters, architecture and standardisation disagree");
			}
			McmcOptions mcmc = McmcOptions.fromJson(root.get("mcmc"));
			ConditionalDensity density = architecture.build();
			EstimatorFiles.read(dir, file, root.get("variables"), density.variables(), architecture.type());
			return new NleEstimator(parameters, prior, architecture, density, theta, x, mcmc, root.path("simulator").path("id").asText(),
					root.path("simulator").path("version").asText());
		} catch (RunFileException e) {
			throw new IOException(e.getMessage(), e);
		} catch (RuntimeException e) {
			throw new IOException(file + " is incomplete or damaged: " + e, e);
		}
	}
}
