package org.sbiworkbench.app.internal;

import java.util.List;
import java.util.Optional;

import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.campaign.LocalExecutor;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The campaign executors the commands can use: the local one and the installed services. */
final class CampaignExecutors {

	private CampaignExecutors() {
	}

	/** The campaign executors installed: the local one and those registered as services (e.g. slurm). */
	static List<CampaignExecutor> executors() {
		List<CampaignExecutor> list = new java.util.ArrayList<>();
		list.add(LocalExecutor.INSTANCE);
		org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(CampaignExecutors.class);
		org.osgi.framework.BundleContext context = bundle == null ? null : bundle.getBundleContext();
		if (context != null) {
			try {
				for (var ref : context.getServiceReferences(CampaignExecutor.class, null)) {
					CampaignExecutor e = context.getService(ref);
					if (e != null && !e.id().equals(CampaignExecutor.LOCAL)) {
						list.add(e);
					}
				}
			} catch (org.osgi.framework.InvalidSyntaxException e) {
				throw new IllegalStateException(e);
			}
		}
		return list;
	}

	static Optional<CampaignExecutor> findExecutor(String id) {
		return executors().stream().filter(e -> e.id().equals(id)).findFirst();
	}

	static CampaignExecutor requireExecutor(CommandSpec spec, String id) {
		return findExecutor(id).orElseThrow(() -> new ParameterException(spec.commandLine(), "No executor '" + id
				+ "' is installed; the installed ones are " + executors().stream().map(CampaignExecutor::id).toList()));
	}

}
