package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.ui.tests.UiTestSupport.screenshot;
import static org.sbiworkbench.ui.tests.UiTestSupport.settle;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.ui.SbiPerspective;
import org.sbiworkbench.ui.views.SimulatorsView;

/** Opens the SBI perspective as a user would and finds two_moons in the Simulators view. */
class SbiPerspectiveTest {

	@Test
	void perspectiveShowsTwoMoonsInTheSimulatorsView() throws Exception {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		assertNotNull(window, "a workbench window is open");
		Shell shell = window.getShell();
		shell.setBounds(0, 0, 1280, 800);
		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(SbiPerspective.ID, window);
		assertEquals("Simulation-Based Inference", page.getPerspective().getLabel());

		IViewPart view = page.findView(SimulatorsView.ID);
		assertNotNull(view, "the perspective shows the Simulators view");
		assertEquals("Simulators", view.getTitle());

		Display display = shell.getDisplay();
		Table table = findTable(shell);
		TableItem twoMoons = waitForRow(display, table, "two_moons", 10_000);
		assertNotNull(twoMoons, "two_moons listed in the Simulators view; rows: " + rows(table));
		assertEquals("Two moons", twoMoons.getText(1));
		assertEquals("Benchmark", twoMoons.getText(2));
		assertTrue(twoMoons.getText(3).contains("theta_1 ~ U(-1, 1)"), twoMoons.getText(3));

		table.setSelection(twoMoons);
		table.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
		settle(display);
		screenshot(shell, "sbi-perspective.png");
	}

	private static Table findTable(Composite root) {
		List<Table> found = new ArrayList<>();
		collect(root, found);
		for (Table t : found) {
			if (t.getColumnCount() > 0 && t.getColumn(0).getText().equals("Id")) {
				return t;
			}
		}
		throw new AssertionError("no simulators table among " + found.size() + " tables");
	}

	private static void collect(Control c, List<Table> found) {
		if (c instanceof Table t) {
			found.add(t);
		}
		if (c instanceof Composite composite) {
			for (Control child : composite.getChildren()) {
				collect(child, found);
			}
		}
	}

	private static TableItem waitForRow(Display display, Table table, String id, long timeoutMs) {
		long end = System.currentTimeMillis() + timeoutMs;
		while (System.currentTimeMillis() < end) {
			for (TableItem item : table.getItems()) {
				if (item.getText(0).equals(id)) {
					return item;
				}
			}
			if (!display.readAndDispatch()) {
				display.timerExec(50, () -> { });
				display.sleep();
			}
		}
		return null;
	}

	private static List<String> rows(Table table) {
		List<String> r = new ArrayList<>();
		for (TableItem item : table.getItems()) {
			r.add(item.getText(0));
		}
		return r;
	}

}
