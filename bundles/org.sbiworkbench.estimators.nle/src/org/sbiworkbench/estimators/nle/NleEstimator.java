package org.sbiworkbench.estimators.nle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.estimators.npe.Architecture;
import org.sbiworkbench.estimators.npe.EstimatorFiles;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Trainer;

import com.fasterxml.jackson.databind.JsonNode;
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
public final class NleEstimator extends McmcEstimator {

	public static final String FILE = EstimatorFiles.FILE;
	public static final String FORMAT = "sbiworkbench-nle";
	public static final int FORMAT_VERSION = 1;

	private final Architecture architecture;
	private final ConditionalDensity density;

	NleEstimator(List<Parameter> parameters, Prior prior, Architecture architecture, ConditionalDensity density, Standardization theta,
			Standardization x, McmcOptions mcmc, String simulatorId, String simulatorVersion) {
		super(parameters, prior, theta, x, mcmc, simulatorId, simulatorVersion);
		this.architecture = architecture;
		this.density = density;
	}

	/** The flow's type ("maf", "nsf" or "mdn"); its dimension is x's, its context θ. */
	public Architecture architecture() {
		return architecture;
	}

	/** log q(x_o | θ), sampled with log p(θ) by MCMC. */
	@Override
	protected Potential potential(double[] xo) {
		return new LikelihoodPotential(xo);
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

	void recordTraining(Trainer.Result r, String kernels) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", "nle");
		m.put("density_estimator", architecture.type());
		recordTraining(m, r, kernels);
	}

	@Override
	public void save(Path dir) throws IOException {
		save(dir, FORMAT, FORMAT_VERSION, root -> {
			ObjectNode arch = root.putObject("architecture");
			arch.put("type", architecture.type());
			arch.put("dimension", architecture.dimension());
			arch.put("contextDimension", architecture.contextDimension());
			arch.put("initSeed", architecture.initSeed());
		}, density.variables());
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static NleEstimator load(Path dir) throws IOException {
		return load(dir, FORMAT, FORMAT_VERSION, "NLE", saved -> {
			JsonNode a = saved.root().get("architecture");
			Architecture architecture = Architecture.plain(a.get("type").asText(), a.get("dimension").asInt(), a.get("contextDimension").asInt(),
					a.get("initSeed").asLong());
			saved.checkDimensions(architecture.contextDimension(), architecture.dimension(), "architecture");
			ConditionalDensity density = architecture.build();
			saved.readWeights(density.variables(), architecture.type());
			return new NleEstimator(saved.parameters(), saved.prior(), architecture, density, saved.theta(), saved.x(), saved.mcmc(),
					saved.simulatorId(), saved.simulatorVersion());
		});
	}
}
