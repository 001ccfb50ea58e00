package org.sbiworkbench.executors.slurm.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.campaign.CampaignExecutor;

/** The executor is found as the application finds it: a CampaignExecutor service with id "slurm". */
class SlurmServiceTest {

	@Test
	void theSlurmExecutorIsAServiceConfiguredByAMap() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(SlurmServiceTest.class).getBundleContext();
		ServiceTracker<CampaignExecutor, CampaignExecutor> tracker = new ServiceTracker<>(context, CampaignExecutor.class, null);
		tracker.open();
		try {
			CampaignExecutor slurm = null;
			for (CampaignExecutor e : tracker.waitForService(10_000) == null ? new CampaignExecutor[0] : tracker.getServices(new CampaignExecutor[0])) {
				if (e.id().equals("slurm")) {
					slurm = e;
				}
			}
			assertNotNull(slurm, "a CampaignExecutor service with id slurm");
			CampaignExecutor service = slurm;
			assertEquals(Map.of(), slurm.settings());
			CampaignExecutor configured = slurm.configure(Map.of("partition", "short", "max-concurrent", "4"));
			assertEquals(Map.of("partition", "short", "max-concurrent", "4"), configured.settings());
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.configure(Map.of("max-concurent", "4")));
			assertTrue(e.getMessage().contains("did you mean 'max-concurrent'"), e.getMessage());
		} finally {
			tracker.close();
		}
	}
}
