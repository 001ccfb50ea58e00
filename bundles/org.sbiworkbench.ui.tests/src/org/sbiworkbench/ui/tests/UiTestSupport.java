package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Widget;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.ui.views.ImageCanvas;

/** Finding widgets by their "name" data, waiting while the UI keeps running, services and screenshots. */
final class UiTestSupport {

	static final long TIMEOUT_MS = 60_000;

	private UiTestSupport() {
	}

	static <T extends Control> T named(Composite root, Class<T> type, String name) {
		for (T c : all(root, type)) {
			if (name.equals(c.getData("name"))) {
				return c;
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " named " + name);
	}

	static <T extends Control> List<T> all(Control c, Class<T> type) {
		List<T> found = new ArrayList<>();
		collect(c, type, found);
		return found;
	}

	private static <T extends Control> void collect(Control c, Class<T> type, List<T> found) {
		if (type.isInstance(c)) {
			found.add(type.cast(c));
		}
		if (c instanceof Composite composite) {
			for (Control child : composite.getChildren()) {
				collect(child, type, found);
			}
		}
	}

	static Table table(Composite root, String firstColumn) {
		for (Table t : all(root, Table.class)) {
			if (t.getColumnCount() > 0 && t.getColumn(0).getText().equals(firstColumn)) {
				return t;
			}
		}
		throw new AssertionError("no table whose first column is " + firstColumn);
	}

	/** Chooses {@code item} in a read-only combo as a user does (selection event included). */
	static void choose(Combo combo, String item) {
		int i = combo.indexOf(item);
		assertTrue(i >= 0, item + " is offered; items: " + List.of(combo.getItems()));
		combo.select(i);
		combo.notifyListeners(SWT.Selection, new Event());
	}

	static void click(Widget widget) {
		widget.notifyListeners(SWT.Selection, new Event());
	}

	static int drawn(ImageCanvas canvas) {
		return drawn(canvas.getImageData());
	}

	static boolean isNumber(String s) {
		try {
			Double.parseDouble(s);
			return true;
		} catch (NumberFormatException e) {
			return false;
		}
	}

	static double[] column(Table table, int column) {
		double[] v = new double[table.getItemCount()];
		for (int i = 0; i < v.length; i++) {
			v[i] = Double.parseDouble(table.getItem(i).getText(column));
		}
		return v;
	}

	static List<String> rows(Table table) {
		List<String> r = new ArrayList<>();
		for (TableItem item : table.getItems()) {
			StringBuilder s = new StringBuilder();
			for (int c = 0; c < table.getColumnCount(); c++) {
				s.append(c == 0 ? "" : " | ").append(item.getText(c));
			}
			r.add(s.toString());
		}
		return r;
	}

	/** {@link #waitUntil(Display, BooleanSupplier, long, Supplier)} with the timeout first. */
	static void waitUntil(Display display, long timeoutMs, BooleanSupplier condition, Supplier<String> what) {
		waitUntil(display, condition, timeoutMs, what);
	}

	/** Runs the event loop until the condition holds; fails after {@link #TIMEOUT_MS} saying what was awaited. */
	static void waitUntil(Display display, BooleanSupplier condition, Supplier<String> what) {
		waitUntil(display, condition, TIMEOUT_MS, what);
	}

	static void waitUntil(Display display, BooleanSupplier condition, long timeoutMs, Supplier<String> what) {
		long end = System.currentTimeMillis() + timeoutMs;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > end) {
				throw new AssertionError("timed out waiting: " + what.get());
			}
			if (!display.readAndDispatch()) {
				display.timerExec(50, () -> { });
				display.sleep();
			}
		}
	}

	/** Lets pending paints and layouts happen (for screenshots; no test result depends on this time). */
	static void settle(Display display) {
		long end = System.currentTimeMillis() + 700;
		while (System.currentTimeMillis() < end) {
			if (!display.readAndDispatch()) {
				display.timerExec(20, () -> { });
				display.sleep();
			}
		}
	}

	/** Pixels that differ from the top-left one (the background). */
	static int drawn(ImageData data) {
		if (data == null) {
			return 0;
		}
		int background = data.getPixel(0, 0), n = 0;
		for (int y = 0; y < data.height; y++) {
			for (int x = 0; x < data.width; x++) {
				if (data.getPixel(x, y) != background) {
					n++;
				}
			}
		}
		return n;
	}

	static <T> List<T> services(Class<T> type) {
		BundleContext context = FrameworkUtil.getBundle(UiTestSupport.class).getBundleContext();
		List<T> found = new ArrayList<>();
		try {
			for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
				found.add(context.getService(ref));
			}
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e);
		}
		return found;
	}

	/**
	 * Runs sbiw command lines (in process, with the registered services) on a background thread while the UI keeps
	 * dispatching events; fails with their output when one fails. Returns the output.
	 */
	static String sbiw(Display display, String[]... commands) throws InterruptedException {
		StringWriter out = new StringWriter(), err = new StringWriter();
		AtomicInteger failed = new AtomicInteger(-1);
		Thread worker = new Thread(() -> {
			try {
				SbiwCommandLine cli = new SbiwCommandLine(() -> services(Simulator.class), () -> services(InferenceMethod.class),
						() -> services(Diagnostic.class));
				for (String[] command : commands) {
					int code = cli.execute(command, new PrintWriter(out), new PrintWriter(err));
					if (code != 0) {
						failed.set(code);
						return;
					}
				}
				failed.set(0);
			} catch (RuntimeException e) {
				e.printStackTrace(new PrintWriter(err));
				failed.set(99);
			}
		}, "sbiw");
		worker.start();
		waitUntil(display, () -> !worker.isAlive(), 5 * TIMEOUT_MS, () -> "sbiw finishes: " + out);
		worker.join(1);
		assertEquals(0, failed.get(), "sbiw failed:\n" + out + "\n" + err);
		return out.toString() + err;
	}

	/** Saves what the shell shows as target/screenshots/{@code name}. */
	static File screenshot(Shell shell, String name) {
		File dir = new File(System.getProperty("sbiw.screenshots", "target/screenshots"));
		dir.mkdirs();
		Rectangle bounds = shell.getBounds();
		Display display = shell.getDisplay();
		Image image = new Image(display, bounds.width, bounds.height);
		GC gc = new GC(display);
		try {
			gc.copyArea(image, bounds.x, bounds.y);
			ImageLoader loader = new ImageLoader();
			loader.data = new ImageData[] { image.getImageData() };
			File file = new File(dir, name);
			loader.save(file.getPath(), SWT.IMAGE_PNG);
			assertTrue(file.length() > 0, "screenshot written to " + file);
			return file;
		} finally {
			gc.dispose();
			image.dispose();
		}
	}
}
