package org.sbiworkbench.app.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.nn.JavaKernels;
import org.sbiworkbench.nn.Kernels;

/** The matrix-product kernels a command can use: the engine's pure-Java ones and every registered {@link Kernels} service. */
final class InstalledKernels {

	private InstalledKernels() {
	}

	/** "java" first, then every registered service's kernels; held for the life of the command's process. */
	static List<Kernels> all() {
		List<Kernels> kernels = new ArrayList<>();
		kernels.add(new JavaKernels());
		Bundle bundle = FrameworkUtil.getBundle(InstalledKernels.class);
		BundleContext context = bundle == null ? null : bundle.getBundleContext();
		if (context == null) {
			return kernels;
		}
		try {
			for (ServiceReference<Kernels> ref : context.getServiceReferences(Kernels.class, null)) {
				Kernels k = context.getService(ref);
				if (k != null) {
					kernels.add(k);
				}
			}
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e); // no filter is given
		}
		return kernels;
	}

	/** The kernels called {@code name}, or an error that lists the installed ones. */
	static Kernels named(String name) {
		List<Kernels> all = all();
		for (Kernels k : all) {
			if (k.name().equals(name)) {
				return k;
			}
		}
		throw new IllegalArgumentException("No matrix-product kernels named '" + name + "' are installed; installed: "
				+ all.stream().map(Kernels::name).toList());
	}
}
