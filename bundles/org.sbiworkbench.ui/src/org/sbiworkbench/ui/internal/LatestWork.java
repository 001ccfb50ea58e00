package org.sbiworkbench.ui.internal;

import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IWorkbenchPartSite;
import org.eclipse.ui.progress.IWorkbenchSiteProgressService;

/**
 * A view's background work where only the latest request counts: each {@link #start} cancels the one before,
 * runs in a {@link Job} (shown busy on the part), and hands its result to the UI thread only if no newer request
 * came meanwhile and the view is still open. The UI thread never waits on it.
 */
public final class LatestWork {

	/** Work done off the UI thread. */
	@FunctionalInterface
	public interface Work<T> {
		T run(IProgressMonitor monitor) throws Exception;
	}

	private final IWorkbenchPartSite site;
	private final Control owner;
	private int generation;
	private Job job;

	/** @param owner a control of the view; once it is disposed, results are dropped */
	public LatestWork(IWorkbenchPartSite site, Control owner) {
		this.site = site;
		this.owner = owner;
	}

	/** Forgets the running work, if any: its result will not be delivered. Call on the UI thread. */
	public void reset() {
		generation++;
		if (job != null) {
			job.cancel();
			job = null;
		}
	}

	/**
	 * Replaces the running work with {@code work}; {@code onResult} or {@code onError} then runs on the UI thread
	 * unless {@link #reset} or another start came first. Call on the UI thread.
	 */
	public <T> void start(String name, Work<T> work, Consumer<T> onResult, Consumer<Exception> onError) {
		reset();
		int mine = generation;
		var display = owner.getDisplay();
		job = Job.create(name, monitor -> {
			T result;
			try {
				result = work.run(monitor);
			} catch (Exception e) {
				display.asyncExec(() -> {
					if (current(mine)) {
						onError.accept(e);
					}
				});
				return Status.OK_STATUS;
			}
			if (monitor.isCanceled()) {
				return Status.CANCEL_STATUS;
			}
			display.asyncExec(() -> {
				if (current(mine)) {
					onResult.accept(result);
				}
			});
			return Status.OK_STATUS;
		});
		IWorkbenchSiteProgressService progress = site.getService(IWorkbenchSiteProgressService.class);
		if (progress != null) {
			progress.schedule(job);
		} else {
			job.schedule();
		}
	}

	private boolean current(int mine) {
		return mine == generation && !owner.isDisposed();
	}
}
