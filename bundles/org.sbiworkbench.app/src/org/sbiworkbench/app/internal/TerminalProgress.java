package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.sbiworkbench.core.ProgressMonitor;

/**
 * Progress on the terminal (a line every few seconds) and cancellation by
 * Ctrl-C: the interrupt asks the work to stop at its next batch boundary, and
 * the process exits once the work has saved what it finished.
 */
final class TerminalProgress implements ProgressMonitor, AutoCloseable {

	private static final long INTERVAL_NANOS = 2_000_000_000L;

	private final PrintWriter err;
	private final Thread hook;
	private final CountDownLatch finished = new CountDownLatch(1);
	private volatile boolean canceled;
	private String task = "";
	private long total;
	private long done;
	private long started;
	private long lastPrint;

	TerminalProgress(PrintWriter err) {
		this.err = err;
		this.hook = new Thread(() -> {
			canceled = true;
			try {
				// Let the work write its finished chunks and the manifest before the JVM goes.
				finished.await(30, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "sbiw-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	@Override
	public synchronized void begin(String task, long totalWork) {
		this.task = task;
		this.total = totalWork;
		this.done = 0;
		this.started = System.nanoTime();
		this.lastPrint = started;
	}

	@Override
	public synchronized void worked(long work) {
		done += work;
		long now = System.nanoTime();
		if (now - lastPrint >= INTERVAL_NANOS) {
			lastPrint = now;
			double seconds = (now - started) / 1e9;
			double rate = done / Math.max(seconds, 1e-9);
			long eta = rate > 0 ? Math.round((total - done) / rate) : -1;
			err.printf("%s: %d/%d (%.0f%%), %.0f/s%s%n", task, done, total, 100.0 * done / Math.max(total, 1), rate,
					eta >= 0 ? ", about " + eta + " s left" : "");
			err.flush();
		}
	}

	@Override
	public boolean isCanceled() {
		return canceled;
	}

	@Override
	public void done() {
	}

	@Override
	public void close() {
		finished.countDown();
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException e) {
			// Already shutting down: the hook is running and now returns.
		}
	}
}
