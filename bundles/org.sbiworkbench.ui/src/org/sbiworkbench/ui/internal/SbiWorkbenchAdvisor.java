package org.sbiworkbench.ui.internal;

import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;
import org.sbiworkbench.ui.SbiPerspective;

final class SbiWorkbenchAdvisor extends WorkbenchAdvisor {

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
