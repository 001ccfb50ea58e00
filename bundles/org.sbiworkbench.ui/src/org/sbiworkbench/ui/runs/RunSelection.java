package org.sbiworkbench.ui.runs;

import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ui.IWorkbenchWindow;

/**
 * The run selected in one workbench window: the Runs view sets it, the Posterior, Diagnostics and Training views
 * follow it. A view opened later starts from {@link #current()}. Used on the UI thread only.
 * <p>
 * (The Runs view is also its site's selection provider, so anything that follows the workbench selection sees
 * the selected {@link RunFolder} too; this small model exists so a view that is created after the selection was
 * made, or whose part is not active, gets it without depending on part activation.)
 */
public final class RunSelection {

	/** Told, on the UI thread, when another run (or none) is selected. */
	@FunctionalInterface
	public interface Listener {
		void runSelected(RunFolder run);
	}

	private static final Map<IWorkbenchWindow, RunSelection> WINDOWS = new WeakHashMap<>();

	private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
	private RunFolder current;

	private RunSelection() {
	}

	/** The selection of {@code window}. */
	public static synchronized RunSelection of(IWorkbenchWindow window) {
		return WINDOWS.computeIfAbsent(Objects.requireNonNull(window, "window"), w -> new RunSelection());
	}

	/** The selected run, or null. */
	public RunFolder current() {
		return current;
	}

	/** Selects {@code run} (null: none) and tells the listeners if it differs from the current one. */
	public void select(RunFolder run) {
		if (Objects.equals(run, current)) {
			return;
		}
		current = run;
		for (Listener l : listeners) {
			l.runSelected(run);
		}
	}

	public void addListener(Listener listener) {
		listeners.addIfAbsent(listener);
	}

	public void removeListener(Listener listener) {
		listeners.remove(listener);
	}
}
