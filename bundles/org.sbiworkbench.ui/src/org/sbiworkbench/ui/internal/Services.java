package org.sbiworkbench.ui.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** The services of one type registered now (a snapshot, for work that starts now; views track theirs). */
public final class Services {

	private Services() {
	}

	public static <T> List<T> registered(Class<T> type) {
		BundleContext context = FrameworkUtil.getBundle(Services.class).getBundleContext();
		List<T> found = new ArrayList<>();
		if (context == null) {
			return found;
		}
		try {
			for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
				T service = context.getService(ref);
				if (service != null) {
					found.add(service);
				}
			}
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e); // a null filter is always valid
		}
		return found;
	}
}
