package org.sbiworkbench.core.tests;

import java.nio.file.Path;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.storage.Campaigns;

/** Runs the campaign that {@link KillAndResumeTest} kills, in a separate JVM (plain classpath, no OSGi). */
public final class KillableCampaign {

	static final CampaignSettings SETTINGS = new CampaignSettings(1_500, 21, 50, 2, null);

	public static void main(String[] args) throws Exception {
		TestSimulators.Slow slow = new TestSimulators.Slow();
		Campaigns.start(slow, slow.descriptor().defaultPrior(), true, SETTINGS, Path.of(args[0]), ProgressMonitor.NULL);
	}
}
