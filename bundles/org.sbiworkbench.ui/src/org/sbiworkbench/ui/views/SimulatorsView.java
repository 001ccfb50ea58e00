package org.sbiworkbench.ui.views;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * Every registered {@link Simulator}, with its parameters, units, default
 * priors and observations. Follows the service registry: a simulator bundle
 * that starts or stops appears or disappears here at once.
 */
public final class SimulatorsView extends ViewPart {

	public static final String ID = "org.sbiworkbench.ui.views.simulators";

	private TableViewer viewer;
	private Text details;
	private ServiceTracker<Simulator, Simulator> tracker;

	@Override
	public void createPartControl(Composite parent) {
		SashForm sash = new SashForm(parent, SWT.VERTICAL);
		Composite tableHolder = new Composite(sash, SWT.NONE);
		TableColumnLayout columns = new TableColumnLayout();
		tableHolder.setLayout(columns);
		viewer = new TableViewer(tableHolder, SWT.FULL_SELECTION | SWT.SINGLE | SWT.BORDER);
		viewer.getTable().setHeaderVisible(true);
		viewer.getTable().setLinesVisible(true);
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		column(columns, "Id", 12, 110, SimulatorDescriptor::id);
		column(columns, "Name", 14, 100, SimulatorDescriptor::name);
		column(columns, "Domain", 10, 100, d -> d.domain().displayName());
		column(columns, "Parameters (default prior)", 34, 200, SimulatorsView::parameters);
		column(columns, "Observations", 14, 90, d -> String.join(", ", d.observationNames()));
		column(columns, "Version", 6, 60, SimulatorDescriptor::version);

		details = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
		sash.setWeights(65, 35);
		viewer.addSelectionChangedListener(e -> {
			Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
			details.setText(first instanceof SimulatorDescriptor d ? describe(d) : "");
		});

		BundleContext context = FrameworkUtil.getBundle(SimulatorsView.class).getBundleContext();
		tracker = new ServiceTracker<>(context, Simulator.class, null) {
			@Override
			public Simulator addingService(ServiceReference<Simulator> reference) {
				Simulator s = super.addingService(reference);
				refreshLater();
				return s;
			}

			@Override
			public void removedService(ServiceReference<Simulator> reference, Simulator service) {
				super.removedService(reference, service);
				refreshLater();
			}
		};
		tracker.open();
		refresh();
	}

	private void column(TableColumnLayout layout, String title, int weight, int minimumWidth,
			Function<SimulatorDescriptor, String> text) {
		TableViewerColumn column = new TableViewerColumn(viewer, SWT.NONE);
		column.getColumn().setText(title);
		column.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((SimulatorDescriptor) element);
			}
		});
		layout.setColumnData(column.getColumn(), new ColumnWeightData(weight, minimumWidth));
	}

	/** Service events come on any thread; the table is touched on the UI thread only. */
	private void refreshLater() {
		if (viewer != null && !viewer.getControl().isDisposed()) {
			viewer.getControl().getDisplay().asyncExec(this::refresh);
		}
	}

	private void refresh() {
		if (viewer == null || viewer.getControl().isDisposed() || tracker == null) {
			return;
		}
		List<SimulatorDescriptor> descriptors = new ArrayList<>();
		ServiceReference<Simulator>[] refs = tracker.getServiceReferences();
		if (refs != null) {
			for (ServiceReference<Simulator> ref : refs) {
				Simulator s = tracker.getService(ref);
				if (s != null) {
					descriptors.add(s.descriptor());
				}
			}
		}
		descriptors.sort(Comparator.comparing((SimulatorDescriptor d) -> d.domain()).thenComparing(SimulatorDescriptor::id));
		viewer.setInput(descriptors);
	}

	static String parameters(SimulatorDescriptor d) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < d.parameterDimension(); i++) {
			s.append(i == 0 ? "" : ", ").append(d.parameters().get(i).label()).append(" ~ ").append(d.defaultPrior().describe(i));
		}
		return s.toString();
	}

	static String describe(SimulatorDescriptor d) {
		StringBuilder s = new StringBuilder();
		s.append(d.name()).append(" (").append(d.id()).append(", version ").append(d.version()).append(")\n");
		s.append(d.description()).append("\n\nParameters: ").append(parameters(d));
		s.append("\nObservations: ").append(String.join(", ", d.observationNames()));
		if (!d.defaultObservations().isEmpty()) {
			s.append("\nDefault observations: ");
			s.append(String.join(", ", d.defaultObservations().stream().map(Observation::name).toList()));
		}
		if (!d.references().isEmpty()) {
			s.append("\n\nReferences:");
			d.references().forEach(r -> s.append("\n  ").append(r));
		}
		return s.toString();
	}

	@Override
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@Override
	public void dispose() {
		if (tracker != null) {
			tracker.close();
			tracker = null;
		}
		super.dispose();
	}
}
