package org.sbiworkbench.estimators.npe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;
import org.sbiworkbench.nn.Trainer;

/**
 * Neural posterior estimation: a conditional density estimator q(θ | x)
 * trained by maximum likelihood on (θ, x) from the prior predictive; its
 * conditional on x_o is the posterior, for any x_o without retraining.
 * <p>
 * Settings: {@code density_estimator} (nsf, maf or mdn; default nsf),
 * {@code embedding} (none, fc or cnn: learned summary statistics trained jointly;
 * default none), {@code embedding_features} (8), {@code batch_size} (200),
 * {@code learning_rate} (5e-4), {@code validation_fraction} (0.1),
 * {@code patience} (20), {@code max_epochs} (2000).
 */
@Component(service = InferenceMethod.class)
public final class NeuralPosteriorEstimation implements InferenceMethod {

	/**
	 * An accelerator for the matrix products (ND4J, where installed): measured faster for
	 * every product these networks run (docs/benchmarks/kernels.md); pure Java otherwise.
	 */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
	private volatile Kernels kernels;

	/** Called with (epoch, training loss, validation loss) while training, e.g. for a live curve. */
	private volatile Trainer.Listener listener;
	private volatile Trainer.Result lastTraining;

	@Override
	public String id() {
		return "npe";
	}

	@Override
	public String name() {
		return "Neural posterior estimation";
	}

	@Override
	public List<String> references() {
		return List.of("Papamakarios, Murray. Fast ε-free inference of simulation models with Bayesian conditional density estimation. NeurIPS 2016.",
				"Greenberg, Nonnenmacher, Macke. Automatic posterior transformation for likelihood-free inference. ICML 2019.",
				"Papamakarios, Pavlakou, Murray. Masked autoregressive flow for density estimation. NeurIPS 2017.",
				"Durkan, Bekasov, Murray, Papamakarios. Neural spline flows. NeurIPS 2019.");
	}

	public void setListener(Trainer.Listener listener) {
		this.listener = listener;
	}

	/** The training record of the last {@link #train} call in this instance (epochs, losses, time). */
	public Trainer.Result lastTraining() {
		return lastTraining;
	}

	@Override
	public NpeEstimator train(SimulationSet.TrainingData data, Prior prior, SimulatorDescriptor simulator, Map<String, String> settings,
			long seed, ProgressMonitor monitor) {
		if (data.theta().length < 10) {
			throw new IllegalArgumentException("NPE needs at least 10 successful simulations, got " + data.theta().length);
		}
		Trainer.Settings training = Trainer.Settings.SBI;
		String type = Architecture.DEFAULT;
		String embedding = "none";
		int features = 8;
		for (Map.Entry<String, String> e : settings.entrySet()) {
			String v = e.getValue();
			try {
				switch (e.getKey()) {
				case "density_estimator" -> type = v;
				case "embedding" -> embedding = v;
				case "embedding_features" -> features = Integer.parseInt(v);
				case "batch_size" -> training = training.withBatchSize(Integer.parseInt(v));
				case "max_epochs" -> training = training.withMaxEpochs(Integer.parseInt(v));
				case "learning_rate" -> training = new Trainer.Settings(training.batchSize(), Double.parseDouble(v),
						training.validationFraction(), training.patience(), training.clipNorm(), training.maxEpochs());
				case "validation_fraction" -> training = new Trainer.Settings(training.batchSize(), training.learningRate(),
						Double.parseDouble(v), training.patience(), training.clipNorm(), training.maxEpochs());
				case "patience" -> training = new Trainer.Settings(training.batchSize(), training.learningRate(),
						training.validationFraction(), Integer.parseInt(v), training.clipNorm(), training.maxEpochs());
				default -> throw new IllegalArgumentException("Unknown NPE setting '" + e.getKey()
						+ "'; known: density_estimator, embedding, embedding_features, batch_size, learning_rate, validation_fraction, patience, max_epochs");
				}
			} catch (NumberFormatException ex) {
				throw new IllegalArgumentException("NPE setting '" + e.getKey() + "' must be a number, got '" + v + "'");
			}
		}
		Standardization thetaStd = Standardization.of(data.theta());
		Standardization xStd = Standardization.of(data.x());
		int n = data.theta().length;
		float[][] y = new float[n][];
		float[][] c = new float[n][];
		for (int i = 0; i < n; i++) {
			y[i] = thetaStd.apply(data.theta()[i]);
			c[i] = xStd.apply(data.x()[i]);
		}
		int xDim = data.x()[0].length;
		List<Integer> shape = simulator.observationDimension() == xDim ? simulator.observationShape() : List.of(xDim);
		Architecture architecture = new Architecture(type, prior.dimension(), xDim, Seeds.forRow(seed, -1).nextLong(), embedding,
				features, shape);
		ConditionalDensity density = architecture.build();
		Kernels k = kernels;
		lastTraining = Trainer.train(density, y, c, training, Seeds.forRow(seed, -2), monitor, listener, k != null ? k : new JavaKernels());
		NpeEstimator estimator = new NpeEstimator(simulator.parameters(), prior, architecture, density, thetaStd, xStd,
				simulator.id(), simulator.version());
		estimator.recordTraining(lastTraining, k != null ? k.name() : "java");
		return estimator;
	}

	@Override
	public AmortizedPosterior load(Path dir) throws IOException {
		return NpeEstimator.load(dir);
	}
}
