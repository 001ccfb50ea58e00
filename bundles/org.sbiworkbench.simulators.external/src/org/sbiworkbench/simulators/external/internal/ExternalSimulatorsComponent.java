package org.sbiworkbench.simulators.external.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.simulators.external.ExternalSimulator;
import org.sbiworkbench.simulators.external.ExternalSimulators;
import org.sbiworkbench.simulators.external.SimulatorFolder;

/**
 * Reads the configured folder of simulator descriptors when activated and
 * registers one {@link Simulator} service per usable descriptor, with the
 * service properties {@value #ID_PROPERTY} and {@value #DESCRIPTOR_PROPERTY}.
 * A descriptor that cannot be used is logged (WARNING) and skipped.
 */
@Component(immediate = true, service = ExternalSimulators.class)
public final class ExternalSimulatorsComponent implements ExternalSimulators {

	/** Service property: the simulator's id. */
	public static final String ID_PROPERTY = "sbiworkbench.simulator.id";
	/** Service property: the descriptor file the simulator was read from. */
	public static final String DESCRIPTOR_PROPERTY = "sbiworkbench.external.descriptor";

	private static final Logger LOG = System.getLogger("org.sbiworkbench.simulators.external");

	private BundleContext context;
	private Optional<Path> folder = Optional.empty();
	private final List<ServiceRegistration<Simulator>> registrations = new ArrayList<>();
	private List<ExternalSimulator> simulators = List.of();
	private List<SimulatorFolder.Problem> problems = List.of();

	@Activate
	void activate(BundleContext context) {
		this.context = context;
		rescan();
	}

	@Deactivate
	synchronized void deactivate() {
		unregister();
		context = null;
	}

	@Override
	public synchronized void rescan() {
		if (context == null) {
			return;
		}
		unregister();
		folder = SimulatorFolder.configured();
		if (folder.isEmpty()) {
			simulators = List.of();
			problems = List.of();
			LOG.log(Level.DEBUG, "No folder of external simulators configured (-D{0} or ${1})", SimulatorFolder.PROPERTY,
					SimulatorFolder.ENVIRONMENT_VARIABLE);
			return;
		}
		SimulatorFolder.Scan scan = SimulatorFolder.scan(folder.get());
		List<ExternalSimulator> registered = new ArrayList<>();
		List<SimulatorFolder.Problem> found = new ArrayList<>(scan.problems());
		for (ExternalSimulator s : scan.simulators()) {
			String id = s.descriptor().id();
			String taken = takenBy(id);
			if (taken != null) {
				found.add(new SimulatorFolder.Problem(s.spec().source(), s.spec().source() + ": 'id' '" + id
						+ "' is already the id of a simulator of " + taken + "; give this one another id"));
				continue;
			}
			Hashtable<String, Object> properties = new Hashtable<>();
			properties.put(ID_PROPERTY, id);
			properties.put(DESCRIPTOR_PROPERTY, s.spec().source().toString());
			registrations.add(context.registerService(Simulator.class, s, properties));
			registered.add(s);
		}
		for (SimulatorFolder.Problem p : found) {
			LOG.log(Level.WARNING, "Skipped an external simulator: {0}", p.message());
		}
		simulators = List.copyOf(registered);
		problems = List.copyOf(found);
		LOG.log(Level.DEBUG, "Registered {0} external simulator(s) from {1}", registered.size(), folder.get());
	}

	/** The bundle that already registers a simulator with this id, or null. */
	private String takenBy(String id) {
		try {
			for (ServiceReference<Simulator> ref : context.getServiceReferences(Simulator.class, null)) {
				Simulator other = context.getService(ref);
				try {
					if (other != null && id.equals(other.descriptor().id())) {
						return ref.getBundle() == null ? "another bundle" : ref.getBundle().getSymbolicName();
					}
				} finally {
					context.ungetService(ref);
				}
			}
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e);
		} catch (RuntimeException e) {
			// a simulator that cannot describe itself takes no id
		}
		return null;
	}

	private void unregister() {
		for (ServiceRegistration<Simulator> r : registrations) {
			try {
				r.unregister();
			} catch (IllegalStateException e) {
				// already gone with the bundle
			}
		}
		registrations.clear();
		simulators = List.of();
		problems = List.of();
	}

	@Override
	public synchronized Optional<Path> folder() {
		return folder;
	}

	@Override
	public synchronized List<ExternalSimulator> simulators() {
		return simulators;
	}

	@Override
	public synchronized List<SimulatorFolder.Problem> problems() {
		return problems;
	}
}
