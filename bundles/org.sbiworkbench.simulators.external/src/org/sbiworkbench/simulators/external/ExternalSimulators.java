package org.sbiworkbench.simulators.external;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The external simulators of the configured folder (see
 * {@link SimulatorFolder#configured()}), offered as an OSGi service by this
 * bundle. Each usable descriptor is also registered as a
 * {@link org.sbiworkbench.core.Simulator} service, so the workbench lists it
 * like any other simulator; descriptors that cannot be used are skipped, logged
 * and listed in {@link #problems()}.
 */
public interface ExternalSimulators {

	/** The folder that was read, if one is configured. */
	Optional<Path> folder();

	/** The simulators registered from it. */
	List<ExternalSimulator> simulators();

	/** The descriptors that were skipped, and why. */
	List<SimulatorFolder.Problem> problems();

	/**
	 * Reads the folder again: unregisters the simulators registered before,
	 * registers those found now.
	 */
	void rescan();
}
