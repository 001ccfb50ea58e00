package org.sbiworkbench.ui.preferences;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;
import org.sbiworkbench.core.run.RunFile;

/**
 * Where the workbench runs a run file's simulations when the file itself does not say (it has no
 * "executor" section): this machine's threads, or a cluster executor such as Slurm with the lab's
 * settings. Kept in the workbench's instance preferences, as text, exactly as a run file's
 * "executor" section holds them, so the same checks apply to both.
 */
public final class ExecutorPreferences {

	static final String NODE = "org.sbiworkbench.ui";
	static final String TYPE = "executor.type";
	static final String SETTING = "executor.setting.";

	private ExecutorPreferences() {
	}

	/** The executor to use for run files without their own "executor" section. */
	public static RunFile.Executor current() {
		IEclipsePreferences node = InstanceScope.INSTANCE.getNode(NODE);
		String type = node.get(TYPE, RunFile.Executor.LOCAL.type());
		Map<String, String> settings = new LinkedHashMap<>();
		for (String key : keys(type)) {
			String v = node.get(SETTING + type + "." + key, "");
			if (!v.isBlank()) {
				settings.put(key, v);
			}
		}
		return new RunFile.Executor(type, settings);
	}

	/** Stores {@code executor} as the default; settings of other executor types are kept for when a user switches back. */
	public static void store(RunFile.Executor executor) throws BackingStoreException {
		IEclipsePreferences node = InstanceScope.INSTANCE.getNode(NODE);
		node.put(TYPE, executor.type());
		for (String key : keys(executor.type())) {
			String v = executor.settings().get(key);
			if (v == null || v.isBlank()) {
				node.remove(SETTING + executor.type() + "." + key);
			} else {
				node.put(SETTING + executor.type() + "." + key, v);
			}
		}
		node.flush();
	}

	/** The stored setting of one executor type, or "" (for filling the preference page's fields). */
	static String stored(String type, String key) {
		return InstanceScope.INSTANCE.getNode(NODE).get(SETTING + type + "." + key, "");
	}

	/** The settings an executor type takes, as run files know them. */
	static List<String> keys(String type) {
		return RunFile.Executor.KNOWN.getOrDefault(type, List.of());
	}

	/**
	 * The executor for {@code run}: its own "executor" section when it has one, else the preference.
	 * RunFile gives exactly {@link RunFile.Executor#LOCAL} when the section is absent; an explicit
	 * {"type": "local"} is a different object and is respected.
	 */
	public static RunFile.Executor forRun(RunFile run) {
		return run.executor() == null || run.executor() == RunFile.Executor.LOCAL ? current() : run.executor();
	}
}
