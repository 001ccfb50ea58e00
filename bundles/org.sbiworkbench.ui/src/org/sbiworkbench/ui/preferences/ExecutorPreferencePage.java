package org.sbiworkbench.ui.preferences;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.sbiworkbench.core.campaign.CampaignExecutor;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.ui.internal.Services;

/**
 * Preferences › SBI Workbench › Simulation executor: where the workbench runs simulations of run
 * files that do not name an executor themselves — this machine, or a cluster (Slurm: partition,
 * time limit, memory, set-up lines such as {@code module load java/17}, ...). Each field is one
 * setting exactly as a run file's "executor" section writes it; the installed executor checks
 * them as the page is edited, with the same messages a run file would get.
 */
public final class ExecutorPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {

	/** Settings whose value is a list of lines. */
	private static final List<String> MULTI_LINE = List.of("setup", "sbatch-options");

	private Combo type;
	private Composite fields;
	private final Map<String, Text> values = new LinkedHashMap<>();

	@Override
	public void init(IWorkbench workbench) {
		setDescription("Where simulations of run files without an \"executor\" section run. A run file's own section wins.");
	}

	@Override
	protected Control createContents(Composite parent) {
		Composite page = new Composite(parent, SWT.NONE);
		page.setLayout(new GridLayout(2, false));
		new Label(page, SWT.NONE).setText("Run simulations on:");
		type = new Combo(page, SWT.READ_ONLY);
		TreeSet<String> types = new TreeSet<>(RunFile.Executor.KNOWN.keySet());
		type.setItems(types.toArray(String[]::new));
		type.setText(ExecutorPreferences.current().type());
		type.setData("name", "executor");
		type.addListener(SWT.Selection, e -> showFields());
		fields = new Composite(page, SWT.NONE);
		fields.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		fields.setLayout(new GridLayout(2, false));
		showFields();
		return page;
	}

	/** One labelled field per setting of the chosen executor, filled from the stored preferences. */
	private void showFields() {
		for (Control c : fields.getChildren()) {
			c.dispose();
		}
		values.clear();
		String t = type.getText();
		List<String> keys = ExecutorPreferences.keys(t);
		if (keys.isEmpty()) {
			new Label(fields, SWT.WRAP).setText(t.equals(RunFile.Executor.LOCAL.type())
					? "Simulations run on this machine's threads."
					: "This executor takes no settings.");
		}
		for (String key : keys) {
			Label l = new Label(fields, SWT.NONE);
			l.setText(key + ":");
			l.setLayoutData(new GridData(SWT.LEFT, MULTI_LINE.contains(key) ? SWT.TOP : SWT.CENTER, false, false));
			boolean multi = MULTI_LINE.contains(key);
			Text text = new Text(fields, SWT.BORDER | (multi ? SWT.MULTI | SWT.V_SCROLL : SWT.SINGLE));
			GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false);
			if (multi) {
				d.heightHint = 3 * text.getLineHeight();
				text.setToolTipText("One per line");
			}
			text.setLayoutData(d);
			text.setText(ExecutorPreferences.stored(t, key));
			text.setData("name", key);
			text.addListener(SWT.Modify, e -> validate());
			values.put(key, text);
		}
		fields.layout(true, true);
		fields.getParent().layout(true, true);
		validate();
	}

	private RunFile.Executor edited() {
		Map<String, String> settings = new LinkedHashMap<>();
		values.forEach((k, t) -> {
			if (!t.getText().isBlank()) {
				settings.put(k, t.getText().strip());
			}
		});
		return new RunFile.Executor(type.getText(), settings);
	}

	/** Asks the installed executor to accept the settings; a refusal is shown and blocks Apply. */
	private void validate() {
		RunFile.Executor e = edited();
		setErrorMessage(null);
		setMessage(null);
		setValid(true);
		if (e.isLocal()) {
			return;
		}
		Optional<CampaignExecutor> installed = installed(e.type());
		if (installed.isEmpty()) {
			setMessage("No '" + e.type() + "' executor is installed in this workbench; install its feature to run there. "
					+ "The settings are kept.", IMessageProvider.WARNING);
			return;
		}
		try {
			installed.get().configure(e.settings());
		} catch (IllegalArgumentException ex) {
			setErrorMessage(ex.getMessage());
			setValid(false);
		}
	}

	static Optional<CampaignExecutor> installed(String id) {
		return Services.registered(CampaignExecutor.class).stream().filter(e -> e.id().equals(id)).findFirst();
	}

	@Override
	protected void performDefaults() {
		type.setText(RunFile.Executor.LOCAL.type());
		showFields();
		super.performDefaults();
	}

	@Override
	public boolean performOk() {
		try {
			ExecutorPreferences.store(edited());
			return true;
		} catch (org.osgi.service.prefs.BackingStoreException e) {
			setErrorMessage("Could not save the preferences: " + e.getMessage());
			return false;
		}
	}
}
