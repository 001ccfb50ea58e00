package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.diagnostics.Diagnostic;

/** The headless Eclipse application behind {@code ./sbiw}. */
public final class HeadlessApplication implements IApplication {

	@Override
	public Object start(IApplicationContext context) {
		context.applicationRunning();
		String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
		BundleContext bundleContext = FrameworkUtil.getBundle(getClass()).getBundleContext();
		ServiceTracker<Simulator, Simulator> simulators = new ServiceTracker<>(bundleContext, Simulator.class, null);
		simulators.open();
		ServiceTracker<InferenceMethod, InferenceMethod> methods = new ServiceTracker<>(bundleContext, InferenceMethod.class, null);
		methods.open();
		ServiceTracker<Diagnostic, Diagnostic> diagnostics = new ServiceTracker<>(bundleContext, Diagnostic.class, null);
		diagnostics.open();
		try {
			Charset charset = Charset.defaultCharset();
			PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
			PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
			int code = new SbiwCommandLine(() -> current(simulators), () -> current(methods), () -> current(diagnostics)).execute(args, out, err);
			return code == 0 ? EXIT_OK : Integer.valueOf(code);
		} finally {
			simulators.close();
			methods.close();
			diagnostics.close();
		}
	}

	private static <T> List<T> current(ServiceTracker<T, T> tracker) {
		List<T> list = new ArrayList<>();
		ServiceReference<T>[] refs = tracker.getServiceReferences();
		if (refs != null) {
			for (ServiceReference<T> ref : refs) {
				T s = tracker.getService(ref);
				if (s != null) {
					list.add(s);
				}
			}
		}
		return list;
	}

	@Override
	public void stop() {
		// Commands check for cancellation themselves; nothing to interrupt yet.
	}
}
