package org.sbiworkbench.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.sbiworkbench.ui.views.SimulatorsView;

/** The "Simulation-Based Inference" perspective. */
public final class SbiPerspective implements IPerspectiveFactory {

	public static final String ID = "org.sbiworkbench.ui.perspective";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		// The editor area stays: run files open there (later issues add the run editor).
		layout.setEditorAreaVisible(true);
		layout.addView(SimulatorsView.ID, IPageLayout.LEFT, 0.6f, layout.getEditorArea());
		layout.addShowViewShortcut(SimulatorsView.ID);
		layout.addPerspectiveShortcut(ID);
	}
}
