package org.sbiworkbench.executors.slurm.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.CampaignRunner;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.storage.CampaignStore;
import org.sbiworkbench.executors.slurm.SlurmExecutor;
import org.sbiworkbench.executors.slurm.SlurmSettings;

/** The Slurm executor as a service, with default settings; {@link #configure} gives a configured one. */
@Component(service = CampaignExecutor.class)
public final class SlurmExecutorComponent implements CampaignExecutor {

	private final SlurmExecutor defaults = new SlurmExecutor(SlurmSettings.defaults());

	@Override
	public String id() {
		return SlurmExecutor.ID;
	}

	@Override
	public CampaignRunner.Outcome execute(CampaignStore store, Simulator simulator, Prior prior, CampaignSettings settings,
			ProgressMonitor monitor) throws IOException {
		return defaults.execute(store, simulator, prior, settings, monitor);
	}

	@Override
	public void checkReady(CampaignSettings settings) throws IOException {
		defaults.checkReady(settings);
	}

	@Override
	public Map<String, String> settings() {
		return defaults.settings();
	}

	@Override
	public CampaignExecutor configure(Map<String, String> settings) {
		return defaults.configure(settings);
	}
}
