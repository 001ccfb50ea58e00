package org.sbiworkbench.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained estimator that gives the posterior for any observation without
 * retraining (amortization): NPE's conditional flow q(θ | x), for instance.
 */
public interface AmortizedPosterior {

	List<Parameter> parameters();

	/** The posterior p(θ | x_o) for this observation. */
	Posterior condition(double[] observation);

	/**
	 * Saves the estimator into {@code dir} in a documented, versioned format, so
	 * that {@link InferenceMethod#load(Path)} gives it back after a restart.
	 */
	void save(Path dir) throws IOException;

	/** How it was trained, for reports: e.g. epochs, best validation loss, seconds. Empty if unknown (e.g. loaded). */
	default java.util.Map<String, Object> trainingSummary() {
		return java.util.Map.of();
	}
}
