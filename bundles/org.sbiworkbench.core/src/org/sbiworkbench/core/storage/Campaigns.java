package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;

/** Starting and resuming campaigns stored in a folder: the folder is the state. */
public final class Campaigns {

	private Campaigns() {
	}

	/** Starts a campaign in an empty {@code dir} and runs it until done or cancelled. */
	public static CampaignRunner.Outcome start(Simulator simulator, Prior prior, boolean defaultPrior,
			CampaignSettings settings, Path dir, ProgressMonitor monitor) throws IOException {
		try (CampaignStore store = CampaignStore.create(dir, simulator, prior, defaultPrior, settings)) {
			return runRest(store, simulator, prior, settings, monitor);
		}
	}

	/**
	 * Continues the campaign in {@code dir} exactly where it stopped: same
	 * simulator, prior, seed and chunking; only missing chunks are simulated.
	 *
	 * @param simulators finds an installed simulator by id
	 * @param threads    worker threads for this run (0 = one per core); results do not depend on it
	 */
	public static CampaignRunner.Outcome resume(Path dir, Function<String, Optional<Simulator>> simulators, int threads,
			ProgressMonitor monitor) throws IOException {
		try (CampaignStore store = CampaignStore.open(dir)) {
			CampaignManifest m = store.manifest();
			Simulator simulator = simulators.apply(m.simulatorId()).orElseThrow(() -> new CampaignStoreException(
					"The campaign in " + dir + " was made with simulator '" + m.simulatorId()
							+ "', which is not installed; install its bundle to resume"));
			if (!simulator.descriptor().version().equals(m.simulatorVersion())) {
				throw new CampaignStoreException("The campaign in " + dir + " was made with " + m.simulatorId() + " version "
						+ m.simulatorVersion() + " but version " + simulator.descriptor().version()
						+ " is installed; resuming would mix two simulators. Start a new campaign instead");
			}
			List<String> names = simulator.descriptor().parameters().stream().map(Parameter::name).toList();
			if (!names.equals(m.parameters())) {
				throw new CampaignStoreException("The campaign in " + dir + " has parameters " + m.parameters()
						+ " but the installed " + m.simulatorId() + " takes " + names);
			}
			Prior prior;
			if (m.usesDefaultPrior()) {
				prior = simulator.descriptor().defaultPrior();
			} else {
				try {
					prior = PriorSpecs.fromJson(m.prior(), simulator.descriptor().parameters(), dir.resolve(CampaignStore.MANIFEST) + ": prior");
				} catch (RunFileException e) {
					throw new CampaignStoreException(e.getMessage(), e);
				}
			}
			store.markRunning();
			return runRest(store, simulator, prior, store.settings(threads), monitor);
		}
	}

	private static CampaignRunner.Outcome runRest(CampaignStore store, Simulator simulator, Prior prior,
			CampaignSettings settings, ProgressMonitor monitor) throws IOException {
		CampaignRunner.Outcome outcome = new CampaignRunner(simulator, prior, settings).run(store.completedChunks(), store, monitor);
		store.finish(outcome == CampaignRunner.Outcome.COMPLETED);
		return outcome;
	}
}
