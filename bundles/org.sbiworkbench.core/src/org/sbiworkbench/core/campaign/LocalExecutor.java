package org.sbiworkbench.core.campaign;

import java.io.IOException;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.storage.CampaignStore;

/** The default executor: the missing chunks are simulated on this machine's threads ({@link CampaignRunner}). */
public final class LocalExecutor implements CampaignExecutor {

	public static final LocalExecutor INSTANCE = new LocalExecutor();

	private LocalExecutor() {
	}

	@Override
	public String id() {
		return LOCAL;
	}

	@Override
	public CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, Prior prior, CampaignSettings settings,
			ProgressMonitor monitor) throws IOException {
		return new CampaignRunner(simulator, prior, settings).run(store.completedChunks(), store, monitor);
	}
}
