package org.sbiworkbench.diagnostics;

import java.util.Map;
import java.util.Objects;

import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;

/**
 * Everything a diagnostic may look at for one inference. Diagnostics that share work (coverage and SBC both
 * rest on the same prior-predictive tests) get it once through {@link #calibration(ProgressMonitor)}.
 * <p>
 * Settings (strings, as in run files): {@code tests} (prior-predictive tests, default 200),
 * {@code samples_per_test} (default 999), {@code replicates} (posterior predictive simulations, default 500).
 */
public final class DiagnosticContext {

	private final Simulator simulator;
	private final Prior prior;
	private final AmortizedPosterior amortized;
	private final Posterior posterior;
	private final double[][] samples;
	private final double[][] simulated;
	private final Map<String, String> settings;
	private final long seed;
	private PriorPredictiveCalibration.Result calibration;

	/**
	 * @param amortized the trained estimator, or {@code null} for methods that are not amortized
	 * @param posterior q(θ | x_o)
	 * @param samples   samples of q(θ | x_o)
	 * @param simulated simulated x from the prior predictive (e.g. the training set), or {@code null}
	 */
	public DiagnosticContext(Simulator simulator, Prior prior, AmortizedPosterior amortized, Posterior posterior, double[][] samples,
			double[][] simulated, Map<String, String> settings, long seed) {
		this.simulator = Objects.requireNonNull(simulator, "simulator");
		this.prior = Objects.requireNonNull(prior, "prior");
		this.amortized = amortized;
		this.posterior = Objects.requireNonNull(posterior, "posterior");
		this.samples = Objects.requireNonNull(samples, "samples");
		this.simulated = simulated;
		this.settings = Map.copyOf(settings);
		this.seed = seed;
	}

	public Simulator simulator() {
		return simulator;
	}

	public Prior prior() {
		return prior;
	}

	public java.util.Optional<AmortizedPosterior> amortized() {
		return java.util.Optional.ofNullable(amortized);
	}

	public Posterior posterior() {
		return posterior;
	}

	public double[] observation() {
		return posterior.observation();
	}

	public double[][] samples() {
		return samples;
	}

	public java.util.Optional<double[][]> simulated() {
		return java.util.Optional.ofNullable(simulated);
	}

	public long seed() {
		return seed;
	}

	public String[] parameterNames() {
		return prior.parameters().stream().map(p -> p.name()).toArray(String[]::new);
	}

	/** An integer setting, with a clear error naming the key when it is not one. */
	public int intSetting(String key, int defaultValue) {
		String v = settings.get(key);
		if (v == null || v.isBlank()) {
			return defaultValue;
		}
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("diagnostic setting '" + key + "' must be a whole number, not '" + v + "'");
		}
	}

	/**
	 * The prior-predictive tests behind coverage and SBC, run once on first use.
	 *
	 * @throws IllegalStateException when there is no amortized posterior to condition on new x
	 */
	public synchronized PriorPredictiveCalibration.Result calibration(ProgressMonitor monitor) {
		if (calibration == null) {
			AmortizedPosterior q = amortized().orElseThrow(() -> new IllegalStateException(
					"coverage and SBC condition the posterior on many simulated x; this method gives a posterior for x_o only"));
			calibration = PriorPredictiveCalibration.run(simulator, prior, q, new PriorPredictiveCalibration.Settings(
					intSetting("tests", PriorPredictiveCalibration.Settings.DEFAULT.tests()),
					intSetting("samples_per_test", PriorPredictiveCalibration.Settings.DEFAULT.samplesPerTest())), seed, monitor);
		}
		return calibration;
	}
}
