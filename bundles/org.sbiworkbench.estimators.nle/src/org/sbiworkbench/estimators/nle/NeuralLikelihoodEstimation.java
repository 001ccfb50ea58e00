package org.sbiworkbench.estimators.nle;

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
import org.sbiworkbench.estimators.npe.Architecture;
import org.sbiworkbench.estimators.npe.Standardization;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.Trainer;

/**
 * Neural likelihood estimation (Papamakarios, Sterratt, Murray 2019, without
 * the sequential rounds): a conditional density estimator q(x | θ) trained by
 * maximum likelihood on (θ, x) from the prior predictive; the posterior for
 * x_o is sampled by MCMC on log q(x_o | θ) + log p(θ).
 * <p>
 * Settings, with sbi's defaults:
 * {@code density_estimator} (maf — sbi's default for NLE —, nsf or mdn),
 * the training settings of {@link TrainingOptions} ({@code batch_size} 200,
 * {@code learning_rate} 5e-4, {@code validation_fraction} 0.1, {@code patience}
 * 20, {@code max_epochs} 2000) and the sampling settings of {@link McmcOptions}
 * ({@code sampler} slice, {@code mcmc_chains} 20, {@code warmup} 200,
 * {@code thin} 1, {@code init} resample, {@code init_candidates} 1000). The
 * sampling settings are saved with the estimator and can be changed per
 * posterior ({@link McmcPosterior#withOptions}).
 */
@Component(service = InferenceMethod.class)
public final class NeuralLikelihoodEstimation implements InferenceMethod {

	public static final String DEFAULT_DENSITY_ESTIMATOR = "maf";

	/** An accelerator for the matrix products while training (ND4J, where installed); pure Java otherwise. */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
	private volatile Kernels kernels;

	private volatile Trainer.Listener listener;
	private volatile Trainer.Result lastTraining;

	@Override
	public String id() {
		return "nle";
	}

	@Override
	public String name() {
		return "Neural likelihood estimation";
	}

	@Override
	public List<String> references() {
		return List.of(
				"Papamakarios, Sterratt, Murray. Sequential neural likelihood: fast likelihood-free inference with autoregressive flows. AISTATS 2019.",
				"Lueckmann, Bassetto, Karaletsos, Macke. Likelihood-free inference with emulator networks. AABI 2019.",
				"Papamakarios, Pavlakou, Murray. Masked autoregressive flow for density estimation. NeurIPS 2017.",
				"Neal. Slice sampling. Annals of Statistics 31(3), 2003.");
	}

	/** The setting names {@link #train} accepts. */
	public static List<String> settingNames() {
		List<String> names = new ArrayList<>();
		names.add("density_estimator");
		names.addAll(TrainingOptions.NAMES);
		names.addAll(McmcOptions.NAMES);
		return names;
	}

	public void setListener(Trainer.Listener listener) {
		this.listener = listener;
	}

	/** The training record of the last {@link #train} call in this instance. */
	public Trainer.Result lastTraining() {
		return lastTraining;
	}

	@Override
	public NleEstimator train(SimulationSet.TrainingData data, Prior prior, SimulatorDescriptor simulator, Map<String, String> settings,
			long seed, ProgressMonitor monitor) {
		Trainer.Settings training = Trainer.Settings.SBI;
		McmcOptions mcmc = McmcOptions.DEFAULT;
		String type = DEFAULT_DENSITY_ESTIMATOR;
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String key = e.getKey();
			if (key.equals("density_estimator")) {
				type = e.getValue().trim().toLowerCase(Locale.ROOT);
				if (!List.of("maf", "nsf", "mdn").contains(type)) {
					throw new IllegalArgumentException("Unknown NLE density_estimator '" + e.getValue() + "'; available: maf (default), nsf, mdn");
				}
			} else if (TrainingOptions.isSetting(key)) {
				training = TrainingOptions.with(training, key, e.getValue(), "NLE");
			} else if (McmcOptions.isSetting(key)) {
				mcmc = mcmc.with(key, e.getValue(), "NLE");
			} else {
				throw new IllegalArgumentException("Unknown NLE setting '" + key + "'; known: " + String.join(", ", settingNames()));
			}
		}
		if (data.theta().length < 10) {
			throw new IllegalArgumentException("NLE needs at least 10 successful simulations, got " + data.theta().length);
		}
		if (prior.dimension() != data.theta()[0].length) {
			throw new IllegalArgumentException("The prior has " + prior.dimension() + " parameters but θ has " + data.theta()[0].length);
		}
		Standardization thetaStd = Standardization.of(data.theta());
		Standardization xStd = Standardization.of(data.x());
		int n = data.theta().length;
		float[][] y = new float[n][];
		float[][] c = new float[n][];
		for (int i = 0; i < n; i++) {
			y[i] = xStd.apply(data.x()[i]);
			c[i] = thetaStd.apply(data.theta()[i]);
		}
		// The flow's variable is x, its context θ: the reverse of NPE.
		Architecture architecture = Architecture.plain(type, data.x()[0].length, prior.dimension(), Seeds.forRow(seed, -1).nextLong());
		ConditionalDensity density = architecture.build();
		Kernels k = kernels;
		lastTraining = Trainer.train(density, y, c, training, Seeds.forRow(seed, -2), monitor, listener, k != null ? k : new JavaKernels());
		NleEstimator estimator = new NleEstimator(simulator.parameters(), prior, architecture, density, thetaStd, xStd, mcmc, simulator.id(),
				simulator.version());
		estimator.recordTraining(lastTraining, k != null ? k.name() : "java");
		return estimator;
	}

	@Override
	public AmortizedPosterior load(Path dir) throws IOException {
		return NleEstimator.load(dir);
	}
}
