package org.sbiworkbench.estimators.nre;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.estimators.nle.McmcEstimator;
import org.sbiworkbench.estimators.nle.McmcOptions;
import org.sbiworkbench.estimators.nle.Potential;
import org.sbiworkbench.estimators.npe.EstimatorFiles;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.ResidualNet;
import org.sbiworkbench.nn.Tape;
import org.sbiworkbench.nn.Tensor;
import org.sbiworkbench.nn.Trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trained ratio classifier: its logit estimates log r(x, θ) = log p(x | θ) − log p(x)
 * (for NRE-B up to a function of x alone, which cancels for a fixed x_o; NRE-A's and NRE-C's are the ratio itself), with
 * the z-scoring it was trained under, the prior, and the MCMC options that turn
 * it into posteriors ∝ r(x_o, θ) p(θ).
 * <p>
 * Saved as a folder: {@code estimator.json} (format "sbiworkbench-nre",
 * version 1: simulator, parameters, prior, {@code variant} ("a", "b" or "c"),
 * {@code numAtoms} (for NRE-C the number of classes K), {@code gamma} (NRE-C only), the classifier — type "resnet", {@code thetaDimension},
 * {@code xDimension}, {@code hiddenFeatures}, {@code blocks}, activation "relu",
 * {@code initSeed} —, standardisation of θ and x, MCMC options, and for each
 * weight array its file, shape and SHA-256) and {@code weights/NNN.npy}, one
 * float64 array per variable in the network's order (as NPE saves).
 */
public final class NreEstimator extends McmcEstimator {

	public static final String FILE = EstimatorFiles.FILE;
	public static final String FORMAT = "sbiworkbench-nre";
	public static final int FORMAT_VERSION = 1;

	private final String variant;
	private final int atoms;
	private final double gamma;
	private final Classifier classifier;
	private final ResidualNet net;

	NreEstimator(List<Parameter> parameters, Prior prior, String variant, int atoms, double gamma, Classifier classifier, ResidualNet net,
			Standardization theta, Standardization x, McmcOptions mcmc, String simulatorId, String simulatorVersion) {
		super(parameters, prior, theta, x, mcmc, simulatorId, simulatorVersion);
		this.variant = variant;
		this.atoms = atoms;
		this.gamma = gamma;
		this.classifier = classifier;
		this.net = net;
	}

	/**
	 * "a" (binary classification, Hermans et al. 2020), "b" (K-way contrastive, Durkan et al. 2020) or "c" (K + 1-way
	 * contrastive, Miller et al. 2022).
	 */
	public String variant() {
		return variant;
	}

	/** K, the atoms per x in training (2 for NRE-A); for NRE-C the number of classes K. */
	public int numAtoms() {
		return atoms;
	}

	/** NRE-C's γ (the odds of "one of the K candidates is x's own θ" against "none is"); NaN for NRE-A and NRE-B. */
	public double gamma() {
		return gamma;
	}

	public Classifier classifier() {
		return classifier;
	}

	/** log r(x_o, θ), sampled with log p(θ) by MCMC. */
	@Override
	protected Potential potential(double[] xo) {
		return new RatioPotential(xo);
	}

	/** The classifier's logit, log r(x_i, θ_i), for pairs of rows. */
	public double[] logRatio(double[][] xs, double[][] thetas) {
		if (xs.length != thetas.length) {
			throw new IllegalArgumentException("logRatio needs as many x as θ: " + xs.length + " and " + thetas.length);
		}
		int dt = theta.mean().length, dx = x.mean().length, width = dt + dx;
		double[] out = new double[xs.length];
		Tape tape = new Tape();
		for (int from = 0; from < xs.length; from += BATCH) {
			int m = Math.min(BATCH, xs.length - from);
			float[] in = new float[m * width];
			for (int i = 0; i < m; i++) {
				System.arraycopy(theta.apply(thetas[from + i]), 0, in, i * width, dt);
				System.arraycopy(x.apply(xs[from + i]), 0, in, i * width + dt, dx);
			}
			tape.reset();
			Tensor logits = net.apply(tape, tape.constant(in, m, width), null);
			for (int i = 0; i < m; i++) {
				out[from + i] = logits.values()[i];
			}
		}
		return out;
	}

	/** log r(x_o, θ) for one x_o, batched over θ, with ∂/∂θ through the tape (θ is part of the classifier's input). */
	private final class RatioPotential implements Potential {

		private final float[] zx;
		private final Tape tape = new Tape(new JavaKernels(), true); // private gradients: the weights' stay untouched

		RatioPotential(double[] xo) {
			zx = x.apply(xo);
		}

		@Override
		public void evaluate(double[][] thetas, double[] out, double[][] gradient) {
			int dt = theta.mean().length, dx = zx.length, width = dt + dx;
			double[] sd = theta.std();
			for (int from = 0; from < thetas.length; from += BATCH) {
				int m = Math.min(BATCH, thetas.length - from);
				float[] in = new float[m * width];
				for (int i = 0; i < m; i++) {
					System.arraycopy(theta.apply(thetas[from + i]), 0, in, i * width, dt);
					System.arraycopy(zx, 0, in, i * width + dt, dx);
				}
				tape.reset();
				Tensor input = gradient == null ? tape.constant(in, m, width) : tape.input(in, m, width);
				Tensor logits = net.apply(tape, input, null);
				for (int i = 0; i < m; i++) {
					out[from + i] = logits.values()[i];
				}
				if (gradient != null) {
					tape.backward(logits); // rows are independent: each row's own gradient
					float[] g = input.gradient();
					for (int i = 0; i < m; i++) {
						for (int j = 0; j < dt; j++) {
							gradient[from + i][j] = g == null ? 0 : g[i * width + j] / sd[j];
						}
					}
				}
			}
		}
	}

	void recordTraining(Trainer.Result r, String kernels) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("method", "nre");
		m.put("variant", variant);
		m.put(variant.equals("c") ? "num_classes" : "num_atoms", atoms);
		if (variant.equals("c")) {
			m.put("gamma", gamma);
		}
		m.put("classifier", "resnet " + classifier.hiddenFeatures() + "x" + classifier.blocks());
		recordTraining(m, r, kernels);
	}

	@Override
	public void save(Path dir) throws IOException {
		save(dir, FORMAT, FORMAT_VERSION, root -> {
			root.put("variant", variant);
			root.put("numAtoms", atoms);
			if (variant.equals("c")) {
				root.put("gamma", gamma);
			}
			ObjectNode c = root.putObject("classifier");
			c.put("type", "resnet");
			c.put("thetaDimension", classifier.thetaDimension());
			c.put("xDimension", classifier.xDimension());
			c.put("hiddenFeatures", classifier.hiddenFeatures());
			c.put("blocks", classifier.blocks());
			c.put("activation", "relu");
			c.put("initSeed", classifier.initSeed());
		}, net.variables());
	}

	/** Reads what {@link #save(Path)} wrote; every problem names the file and what is wrong. */
	static NreEstimator load(Path dir) throws IOException {
		return load(dir, FORMAT, FORMAT_VERSION, "NRE", saved -> {
			Path file = saved.file();
			JsonNode root = saved.root();
			String variant = root.path("variant").asText("b");
			if (!variant.equals("a") && !variant.equals("b") && !variant.equals("c")) {
				throw new IOException(file + ": unknown NRE variant '" + variant + "' (a, b or c)");
			}
			JsonNode c = root.get("classifier");
			if (!"resnet".equals(c.path("type").asText()) || !"relu".equals(c.path("activation").asText("relu"))) {
				throw new IOException(file + ": unknown classifier " + c.path("type").asText() + "/" + c.path("activation").asText());
			}
			Classifier classifier = new Classifier(c.get("thetaDimension").asInt(), c.get("xDimension").asInt(), c.get("hiddenFeatures").asInt(),
					c.get("blocks").asInt(), c.get("initSeed").asLong());
			saved.checkDimensions(classifier.thetaDimension(), classifier.xDimension(), "classifier");
			ResidualNet net = classifier.build();
			saved.readWeights(net.variables(), "classifier");
			int defaultAtoms = switch (variant) {
			case "a" -> 2;
			case "c" -> NeuralRatioEstimation.DEFAULT_CLASSES;
			default -> NeuralRatioEstimation.DEFAULT_ATOMS;
			};
			double gamma = variant.equals("c") ? root.path("gamma").asDouble(NeuralRatioEstimation.DEFAULT_GAMMA) : Double.NaN;
			return new NreEstimator(saved.parameters(), saved.prior(), variant, root.path("numAtoms").asInt(defaultAtoms), gamma,
					classifier, net, saved.theta(), saved.x(), saved.mcmc(), saved.simulatorId(), saved.simulatorVersion());
		});
	}
}
