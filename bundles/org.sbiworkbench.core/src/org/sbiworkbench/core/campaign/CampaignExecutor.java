package org.sbiworkbench.core.campaign;

import java.io.IOException;
import java.util.Map;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.storage.CampaignStore;

/**
 * Where the simulations of a campaign run: on this machine's threads
 * ({@link LocalExecutor}, the default) or elsewhere, e.g. as a job array on a
 * cluster. An executor only has to get every missing chunk of the campaign
 * into its folder; row i depends on {@link Seeds#forRow(long, long)} alone, so
 * the numbers do not depend on the executor.
 * <p>
 * Executors other than the local one are registered as OSGi services; they
 * are configured by a map of settings (the keys each executor documents),
 * which the campaign folder records so that a resume continues with the same
 * executor and settings.
 */
public interface CampaignExecutor {

	/** The id of the local executor. */
	String LOCAL = "local";

	/** Short id used on the command line and in run files, e.g. "local" or "slurm". */
	String id();

	/**
	 * Simulates every chunk that {@code store} does not hold yet, writing them
	 * into the store's folder.
	 *
	 * @return COMPLETED when every chunk is stored (possibly as recorded failures),
	 *         CANCELLED when {@code monitor} asked to stop
	 */
	CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, Prior prior, CampaignSettings settings,
			ProgressMonitor monitor) throws IOException;

	/**
	 * Checks, before a campaign folder is created, that this executor can run
	 * the campaign here (e.g. that a cluster's commands are installed).
	 *
	 * @throws IOException naming what is missing and how to fix it
	 */
	default void checkReady(CampaignSettings settings) throws IOException {
	}

	/** The settings this executor was configured with (recorded in the campaign folder). */
	default Map<String, String> settings() {
		return Map.of();
	}

	/**
	 * This executor with the given settings.
	 *
	 * @throws IllegalArgumentException naming the bad setting and the fix
	 */
	default CampaignExecutor configure(Map<String, String> settings) {
		if (!settings.isEmpty()) {
			throw new IllegalArgumentException("The " + id() + " executor takes no settings; got " + settings.keySet());
		}
		return this;
	}
}
