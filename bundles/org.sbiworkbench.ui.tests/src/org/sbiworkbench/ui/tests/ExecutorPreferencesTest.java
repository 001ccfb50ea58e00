package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.ui.tests.UiTestSupport.named;
import static org.sbiworkbench.ui.tests.UiTestSupport.screenshot;
import static org.sbiworkbench.ui.tests.UiTestSupport.settle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.run.RunFile;
import org.sbiworkbench.ui.preferences.ExecutorPreferencePage;
import org.sbiworkbench.ui.preferences.ExecutorPreferences;

/** The workbench's executor preference: what run files without an "executor" section use, and its page. */
class ExecutorPreferencesTest {

	@AfterEach
	void backToThisMachine() throws Exception {
		ExecutorPreferences.store(RunFile.Executor.LOCAL);
	}

	@Test
	void runFilesWithoutAnExecutorUseThePreferenceAndTheirOwnSectionWins(@TempDir Path tmp) throws Exception {
		ExecutorPreferences.store(new RunFile.Executor("slurm", Map.of("partition", "short", "setup", "module load java/17")));
		RunFile.Executor stored = ExecutorPreferences.current();
		assertEquals("slurm", stored.type());
		assertEquals(Map.of("partition", "short", "setup", "module load java/17"), stored.settings());

		RunFile none = RunFile.read(write(tmp, "none.json", ""));
		assertEquals(stored, ExecutorPreferences.forRun(none), "no section: the preference");
		RunFile local = RunFile.read(write(tmp, "local.json", ", \"executor\": {\"type\": \"local\"}"));
		assertTrue(ExecutorPreferences.forRun(local).isLocal(), "an explicit local section is respected");
		RunFile own = RunFile.read(write(tmp, "own.json", ", \"executor\": {\"type\": \"slurm\", \"partition\": \"long\"}"));
		assertEquals(Map.of("partition", "long"), ExecutorPreferences.forRun(own).settings(), "the file's own settings win");

		ExecutorPreferences.store(RunFile.Executor.LOCAL);
		assertTrue(ExecutorPreferences.forRun(none).isLocal());
		ExecutorPreferences.store(new RunFile.Executor("slurm", Map.of("partition", "short")));
		assertEquals(Map.of("partition", "short"), ExecutorPreferences.current().settings(), "a setting left out is removed");
		ExecutorPreferences.store(new RunFile.Executor("slurm", Map.of("partition", "")));
		assertFalse(ExecutorPreferences.current().settings().containsKey("partition"), "a cleared field is removed");
	}

	@Test
	void thePageShowsEachSettingOfTheChosenExecutorAndStoresThem() throws Exception {
		Display display = PlatformUI.getWorkbench().getDisplay();
		Shell shell = new Shell(display);
		try {
			shell.setLayout(new FillLayout());
			shell.setSize(720, 560);
			ExecutorPreferencePage page = new ExecutorPreferencePage();
			page.init(PlatformUI.getWorkbench());
			page.createControl(shell);
			shell.open();
			Combo executor = named(shell, Combo.class, "executor");
			assertEquals("local", executor.getText());
			executor.setText("slurm");
			executor.notifyListeners(SWT.Selection, null);
			for (String key : RunFile.Executor.KNOWN.get("slurm")) {
				named(shell, Text.class, key); // one field per setting a run file can give
			}
			// This test runtime has no Slurm bundle: the page says so and still keeps the settings.
			assertTrue(String.valueOf(page.getMessage()).contains("No 'slurm' executor is installed"), page.getMessage());
			assertTrue(page.isValid());
			named(shell, Text.class, "partition").setText("short");
			named(shell, Text.class, "time-limit").setText("00:30:00");
			named(shell, Text.class, "setup").setText("module load java/17\nexport OMP_NUM_THREADS=1");
			settle(display);
			screenshot(shell, "preferences-executor.png");
			assertTrue(page.performOk());
			RunFile.Executor stored = ExecutorPreferences.current();
			assertEquals("slurm", stored.type());
			assertEquals("short", stored.settings().get("partition"));
			assertEquals("00:30:00", stored.settings().get("time-limit"));
			assertEquals("module load java/17\nexport OMP_NUM_THREADS=1", stored.settings().get("setup"));
			assertSame(null, stored.settings().get("memory"));
		} finally {
			shell.dispose();
		}
	}

	private static Path write(Path dir, String name, String executor) throws Exception {
		Path file = dir.resolve(name);
		Files.writeString(file, "{\"simulator\": \"two_moons\", \"simulations\": 100, \"seed\": 1, \"method\": \"npe\","
				+ " \"observation\": \"default\", \"output\": \"out\"" + executor + "}");
		return file;
	}
}
