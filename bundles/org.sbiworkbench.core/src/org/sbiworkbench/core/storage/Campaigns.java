package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;

import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.LocalExecutor;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.run.PriorSpecs;
import org.sbiworkbench.core.run.RunFileException;

/** Starting and resuming campaigns stored in a folder: the folder is the state. */
public final class Campaigns {

	private Campaigns() {
	}

	/** Starts a campaign in an empty {@code dir} and runs it on this machine until done or cancelled. */
	public static CampaignRunner.Outcome start(Simulator simulator, Prior prior, boolean defaultPrior,
			CampaignSettings settings, Path dir, ProgressMonitor monitor) throws IOException {
		return start(simulator, prior, defaultPrior, settings, dir, LocalExecutor.INSTANCE, monitor);
	}

	/**
	 * Starts a campaign in an empty {@code dir} and runs it with {@code executor}
	 * until done or cancelled. The executor and its settings are recorded in the
	 * folder, so {@link #resume} continues with them.
	 */
	public static CampaignRunner.Outcome start(Simulator simulator, Prior prior, boolean defaultPrior,
			CampaignSettings settings, Path dir, CampaignExecutor executor, ProgressMonitor monitor) throws IOException {
		executor.checkReady(settings);
		try (CampaignStore store = CampaignStore.create(dir, simulator, prior, defaultPrior, settings)) {
			store.recordExecutor(executor.id(), executor.settings());
			return runRest(store, executor, simulator, prior, settings, monitor);
		}
	}

	/**
	 * Continues the campaign in {@code dir} exactly where it stopped, on this
	 * machine's threads whatever executor it was started with: same simulator, prior, seed and chunking; only missing chunks are
	 * simulated.
	 *
	 * @param simulators finds an installed simulator by id
	 * @param threads    worker threads for this run (0 = one per core); results do not depend on it
	 */
	public static CampaignRunner.Outcome resume(Path dir, Function<String, Optional<Simulator>> simulators, int threads,
			ProgressMonitor monitor) throws IOException {
		return resume(dir, simulators, threads, null, monitor);
	}

	/**
	 * Continues the campaign in {@code dir} with the executor it was started
	 * with (recorded in the folder), configured as it was.
	 *
	 * @param executors finds an installed executor by id; the local one needs no entry. Null
	 *                  runs the rest on this machine whatever was recorded (the numbers are the same)
	 * @throws CampaignStoreException when the recorded executor is not installed
	 */
	public static CampaignRunner.Outcome resume(Path dir, Function<String, Optional<Simulator>> simulators, int threads,
			Function<String, Optional<CampaignExecutor>> executors, ProgressMonitor monitor) throws IOException {
		try (CampaignStore store = CampaignStore.open(dir)) {
			CampaignStore.ExecutorRecord recorded = store.executor();
			CampaignExecutor executor = LocalExecutor.INSTANCE;
			if (executors != null && !recorded.id().equals(CampaignExecutor.LOCAL)) {
				CampaignExecutor found = executors.apply(recorded.id()).orElse(null);
				if (found == null) {
					throw new CampaignStoreException("The campaign in " + dir + " runs with the '" + recorded.id()
							+ "' executor (" + CampaignStore.EXECUTOR + "), which is not installed in this product");
				} else {
					try {
						executor = found.configure(recorded.settings());
					} catch (IllegalArgumentException e) {
						throw new CampaignStoreException(dir.resolve(CampaignStore.EXECUTOR) + ": " + e.getMessage(), e);
					}
				}
			}
			Resolved r = resolve(store, simulators);
			store.markRunning();
			return runRest(store, executor, r.simulator(), r.prior(), store.settings(threads), monitor);
		}
	}

	/**
	 * Simulates the given chunks of an existing campaign into its folder while
	 * another process owns the campaign (a task of a cluster job array). Chunks
	 * already stored are skipped; the manifest is not touched.
	 *
	 * @return the outcome of simulating the chunks still missing
	 */
	public static CampaignRunner.Outcome simulateChunks(Path dir, Set<Integer> chunks,
			Function<String, Optional<Simulator>> simulators, int threads, ProgressMonitor monitor) throws IOException {
		try (CampaignStore store = CampaignStore.openForChunks(dir)) {
			CampaignManifest m = store.manifest();
			for (int k : chunks) {
				if (k < 0 || k >= m.chunkCount()) {
					throw new CampaignStoreException("The campaign in " + dir + " has chunks 0 to " + (m.chunkCount() - 1) + "; there is no chunk " + k);
				}
			}
			Resolved r = resolve(store, simulators);
			Set<Integer> skip = new HashSet<>();
			for (int k = 0; k < m.chunkCount(); k++) {
				if (!chunks.contains(k)) {
					skip.add(k);
				}
			}
			skip.addAll(store.completedChunks());
			return new CampaignRunner(r.simulator(), r.prior(), store.settings(threads)).run(skip, store, monitor);
		}
	}

	private record Resolved(Simulator simulator, Prior prior) {
	}

	private static Resolved resolve(CampaignStore store, Function<String, Optional<Simulator>> simulators) throws IOException {
		Path dir = store.folder();
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
		return new Resolved(simulator, prior);
	}

	private static CampaignRunner.Outcome runRest(CampaignStore store, CampaignExecutor executor, Simulator simulator,
			Prior prior, CampaignSettings settings, ProgressMonitor monitor) throws IOException {
		CampaignRunner.Outcome outcome = executor.execute(store, simulator, prior, settings, monitor);
		store.finish(outcome == CampaignRunner.Outcome.COMPLETED);
		return outcome;
	}
}
