package org.sbiworkbench.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.storage.SimulationSet;

/**
 * One family of simulation-based inference (NPE, NLE, NRE, ABC), contributed
 * as an OSGi service. It learns from a campaign's simulations and returns a
 * posterior that can be conditioned on observations.
 */
public interface InferenceMethod {

	/** The id used on the command line and in run files, e.g. "npe". */
	String id();

	String name();

	/** The papers the method implements, as citations. */
	List<String> references();

	/**
	 * Learns from the successful rows of {@code simulations}.
	 *
	 * @param settings method-specific settings by name (e.g. "density_estimator" → "nsf"); unknown names are an error
	 * @param seed     all randomness of training derives from it
	 */
	AmortizedPosterior train(SimulationSet.TrainingData simulations, Prior prior, SimulatorDescriptor simulator,
			Map<String, String> settings, long seed, ProgressMonitor monitor) throws IOException;

	/** Loads what {@link AmortizedPosterior#save(Path)} wrote. */
	AmortizedPosterior load(Path dir) throws IOException;
}
