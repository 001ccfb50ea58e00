package org.sbiworkbench.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.sbiworkbench.ui.views.DiagnosticsView;
import org.sbiworkbench.ui.views.PosteriorView;
import org.sbiworkbench.ui.views.RunsView;
import org.sbiworkbench.ui.views.SimulatorsView;
import org.sbiworkbench.ui.views.TrainingView;

/**
 * The "Simulation-Based Inference" perspective: runs and simulators on the left, the selected run's posterior,
 * diagnostics and training stacked on the right.
 */
public final class SbiPerspective implements IPerspectiveFactory {

	public static final String ID = "org.sbiworkbench.ui.perspective";
	/** The folder holding the Posterior, Diagnostics and Training views. */
	public static final String RESULTS_FOLDER = "org.sbiworkbench.ui.results";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editor = layout.getEditorArea();
		// The editor area stays, below the results: run files open there in the run editor.
		layout.setEditorAreaVisible(true);
		layout.addView(RunsView.ID, IPageLayout.LEFT, 0.32f, editor);
		layout.addView(SimulatorsView.ID, IPageLayout.BOTTOM, 0.55f, RunsView.ID);
		IFolderLayout results = layout.createFolder(RESULTS_FOLDER, IPageLayout.TOP, 0.85f, editor);
		results.addView(PosteriorView.ID);
		results.addView(DiagnosticsView.ID);
		results.addView(TrainingView.ID);
		for (String view : new String[] { RunsView.ID, SimulatorsView.ID, PosteriorView.ID, DiagnosticsView.ID, TrainingView.ID }) {
			layout.addShowViewShortcut(view);
		}
		layout.addPerspectiveShortcut(ID);
	}
}
