package org.sbiworkbench.ui.internal;

import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.sbiworkbench.ui.SbiPerspective;

final class SbiWorkbenchAdvisor extends WorkbenchAdvisor {

	@Override
	public void initialize(org.eclipse.ui.application.IWorkbenchConfigurer configurer) {
		super.initialize(configurer);
		// Runs are long user jobs: by default they run in the background (Progress view, status bar) instead of
		// opening a modal progress dialog, as in the Eclipse IDE. A user's own choice (instance scope) still wins.
		org.eclipse.core.runtime.preferences.DefaultScope.INSTANCE.getNode("org.eclipse.ui.workbench").putBoolean("RUN_IN_BACKGROUND", true);
	}

	@Override
	public String getInitialWindowPerspectiveId() {
		return SbiPerspective.ID;
	}

	@Override
	public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
		return new WorkbenchWindowAdvisor(configurer) {
			@Override
			public void preWindowOpen() {
				IWorkbenchWindowConfigurer c = getWindowConfigurer();
				c.setInitialSize(new Point(1280, 800));
				c.setShowCoolBar(false);
				c.setShowStatusLine(true);
				c.setShowProgressIndicator(true);
				c.setShowPerspectiveBar(true);
				c.setTitle("SBI Workbench");
			}
		};
	}
}
