package org.sbiworkbench.estimators.nre;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.SimulationSet;
import org.sbiworkbench.estimators.nle.McmcOptions;
import org.sbiworkbench.estimators.nle.TrainingOptions;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.ResidualNet;
import org.sbiworkbench.nn.Trainer;

/**
 * Neural ratio estimation: a classifier on (θ, x) whose logit learns the
 * likelihood-to-evidence ratio log r(x, θ) = log p(x | θ) / p(x); the
 * posterior for x_o, ∝ r(x_o, θ) p(θ), is sampled by MCMC.
 * <p>
 * Variants: {@code b} (default, sbi's {@code NRE}: each x with K atoms — its
 * own θ and K−1 θ of other pairs — and the softmax cross-entropy of finding
 * its own), {@code a} (binary cross-entropy of joint pairs against
 * shuffled ones) and {@code c} (sbi's {@code NRE_C}, Miller et al. 2022:
 * K + 1-way classification of K candidates or "none of them", whose logit is
 * the log-ratio itself, as NRE-A's, but learned from K contrasts per x, as
 * NRE-B's).
 * <p>
 * Settings, with sbi's defaults: {@code variant} (b), {@code num_atoms} (10;
 * NRE-B only, at most the batch size is used), {@code num_classes} (5; NRE-C
 * only, K, at most the batch size − 1) and {@code gamma} (1.0; NRE-C only,
 * the odds of "one of the K" against "none"), {@code hidden_features} (50)
 * and {@code num_blocks} (2) of the residual-net classifier, the training
 * settings of {@link TrainingOptions} ({@code batch_size} 200,
 * {@code learning_rate} 5e-4, {@code validation_fraction} 0.1,
 * {@code patience} 20, {@code max_epochs} 2000) and the sampling settings of
 * {@link McmcOptions} ({@code sampler} slice, {@code mcmc_chains} 20,
 * {@code warmup} 200, {@code thin} 1, {@code init} resample,
 * {@code init_candidates} 1000).
 */
@Component(service = InferenceMethod.class)
public final class NeuralRatioEstimation implements InferenceMethod {

	public static final String DEFAULT_VARIANT = "b";
	public static final int DEFAULT_ATOMS = 10;
	public static final int DEFAULT_CLASSES = 5;
	public static final double DEFAULT_GAMMA = 1.0;

	/** An accelerator for the matrix products while training (ND4J, where installed); pure Java otherwise. */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
	private volatile Kernels kernels;

	private volatile Trainer.Listener listener;
	private volatile Trainer.Result lastTraining;

	@Override
	public String id() {
		return "nre";
	}

	@Override
	public String name() {
		return "Neural ratio estimation";
	}

	@Override
	public List<String> references() {
		return List.of("Hermans, Begy, Louppe. Likelihood-free MCMC with amortized approximate ratio estimators. ICML 2020.",
				"Durkan, Murray, Papamakarios. On contrastive learning for likelihood-free inference. ICML 2020.",
				"Miller, Weniger, Forré. Contrastive neural ratio estimation. NeurIPS 2022.",
				"Neal. Slice sampling. Annals of Statistics 31(3), 2003.");
	}

	/** The setting names {@link #train} accepts. */
	public static List<String> settingNames() {
		List<String> names = new ArrayList<>(List.of("variant", "num_atoms", "num_classes", "gamma", "hidden_features", "num_blocks"));
		names.addAll(TrainingOptions.NAMES);
		names.addAll(McmcOptions.NAMES);
		return names;
	}

	public void setListener(Trainer.Listener listener) {
		this.listener = listener;
	}

	public Trainer.Result lastTraining() {
		return lastTraining;
	}

	@Override
	public NreEstimator train(SimulationSet.TrainingData data, Prior prior, SimulatorDescriptor simulator, Map<String, String> settings,
			long seed, ProgressMonitor monitor) {
		Trainer.Settings training = Trainer.Settings.SBI;
		McmcOptions mcmc = McmcOptions.DEFAULT;
		String variant = DEFAULT_VARIANT;
		Integer atoms = null;
		Integer classes = null;
		Double gamma = null;
		int hidden = Classifier.DEFAULT_HIDDEN;
		int blocks = Classifier.DEFAULT_BLOCKS;
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String key = e.getKey(), v = e.getValue();
			try {
				switch (key) {
				case "variant" -> {
					variant = v.trim().toLowerCase(Locale.ROOT);
					if (!variant.equals("a") && !variant.equals("b") && !variant.equals("c")) {
						throw new IllegalArgumentException("Unknown NRE variant '" + v + "'; available: b (default, contrastive with num_atoms), "
								+ "a (binary classification), c (contrastive with num_classes and gamma)");
					}
				}
				case "num_atoms" -> {
					atoms = Integer.parseInt(v.trim());
					if (atoms < 2) {
						throw new IllegalArgumentException("NRE setting 'num_atoms' must be at least 2 (the joint θ and one contrast), got " + v);
					}
				}
				case "num_classes" -> {
					classes = Integer.parseInt(v.trim());
					if (classes < 1) {
						throw new IllegalArgumentException("NRE setting 'num_classes' must be at least 1, got " + v);
					}
				}
				case "gamma" -> {
					try {
						gamma = Double.parseDouble(v.trim());
					} catch (NumberFormatException ex) {
						gamma = Double.NaN;
					}
					if (!(gamma > 0) || Double.isInfinite(gamma)) {
						throw new IllegalArgumentException("NRE setting 'gamma' must be a positive number, got '" + v + "'");
					}
				}
				case "hidden_features" -> hidden = Integer.parseInt(v.trim());
				case "num_blocks" -> blocks = Integer.parseInt(v.trim());
				default -> {
					if (TrainingOptions.isSetting(key)) {
						training = TrainingOptions.with(training, key, v, "NRE");
					} else if (McmcOptions.isSetting(key)) {
						mcmc = mcmc.with(key, v, "NRE");
					} else {
						throw new IllegalArgumentException("Unknown NRE setting '" + key + "'; known: " + String.join(", ", settingNames()));
					}
				}
				}
			} catch (NumberFormatException ex) {
				throw new IllegalArgumentException("NRE setting '" + key + "' must be a whole number, got '" + v + "'");
			}
		}
		if (variant.equals("a") && atoms != null && atoms != 2) {
			throw new IllegalArgumentException("NRE setting 'num_atoms' applies to variant b; variant a contrasts each joint pair with one "
					+ "shuffled pair (2 atoms), got num_atoms " + atoms);
		}
		if (!variant.equals("b") && atoms != null && !(variant.equals("a") && atoms == 2)) {
			throw new IllegalArgumentException("NRE setting 'num_atoms' applies to variant b; variant c takes num_classes, got num_atoms " + atoms);
		}
		if (!variant.equals("c") && (classes != null || gamma != null)) {
			throw new IllegalArgumentException("NRE settings 'num_classes' and 'gamma' apply to variant c (NRE-C), not variant " + variant);
		}
		int k = switch (variant) {
		case "a" -> 2;
		case "c" -> classes == null ? DEFAULT_CLASSES : classes;
		default -> atoms == null ? DEFAULT_ATOMS : atoms;
		};
		double g = gamma == null ? DEFAULT_GAMMA : gamma;
		RatioTrainer.Loss loss = switch (variant) {
		case "a" -> RatioTrainer.Loss.BINARY;
		case "c" -> RatioTrainer.Loss.CONTRASTIVE;
		default -> RatioTrainer.Loss.SOFTMAX;
		};
		if (data.theta().length < 10) {
			throw new IllegalArgumentException("NRE needs at least 10 successful simulations, got " + data.theta().length);
		}
		if (prior.dimension() != data.theta()[0].length) {
			throw new IllegalArgumentException("The prior has " + prior.dimension() + " parameters but θ has " + data.theta()[0].length);
		}
		Classifier classifier = new Classifier(prior.dimension(), data.x()[0].length, hidden, blocks, Seeds.forRow(seed, -1).nextLong());
		Standardization thetaStd = Standardization.of(data.theta());
		Standardization xStd = Standardization.of(data.x());
		int n = data.theta().length;
		float[][] t = new float[n][];
		float[][] x = new float[n][];
		for (int i = 0; i < n; i++) {
			t[i] = thetaStd.apply(data.theta()[i]);
			x[i] = xStd.apply(data.x()[i]);
		}
		ResidualNet net = classifier.build();
		Kernels kk = kernels;
		lastTraining = RatioTrainer.train(net, t, x, training, k, loss, g, Seeds.forRow(seed, -2), monitor, listener,
				kk != null ? kk : new JavaKernels());
		int used = variant.equals("c") ? Math.min(k, training.batchSize() - 1) : Math.min(k, training.batchSize());
		NreEstimator estimator = new NreEstimator(simulator.parameters(), prior, variant, used, variant.equals("c") ? g : Double.NaN,
				classifier, net, thetaStd, xStd, mcmc, simulator.id(), simulator.version());
		estimator.recordTraining(lastTraining, kk != null ? kk.name() : "java");
		return estimator;
	}

	@Override
	public AmortizedPosterior load(Path dir) throws IOException {
		return NreEstimator.load(dir);
	}
}
