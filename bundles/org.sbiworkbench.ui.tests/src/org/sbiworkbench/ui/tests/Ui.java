package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Widget;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.ui.views.ImageCanvas;

/**
 * What the UI tests do with widgets: find them by their "name", wait while the event loop runs, fire the events a
 * user's click or choice fires, count a canvas's drawn pixels, and save screenshots (as RunViewsTest takes them).
 */
final class Ui {

	static final long TIMEOUT_MS = 60_000;

	private Ui() {
	}

	static <T extends Control> T named(Composite root, Class<T> type, String name) {
		for (T c : all(root, type)) {
			if (name.equals(c.getData("name"))) {
				return c;
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " named " + name);
	}

	static Table table(Composite root, String firstColumn) {
		for (Table t : all(root, Table.class)) {
			if (t.getColumnCount() > 0 && t.getColumn(0).getText().equals(firstColumn)) {
				return t;
			}
		}
		throw new AssertionError("no table whose first column is " + firstColumn);
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
		ImageData data = canvas.getImageData();
		if (data == null) {
			return 0;
		}
		int background = data.getPixel(0, 0), n = 0;
		for (int y = 0; y < data.height; y += 2) {
			for (int x = 0; x < data.width; x += 2) {
				if (data.getPixel(x, y) != background) {
					n++;
				}
			}
		}
		return 4 * n;
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

	/** Runs the event loop until {@code condition} holds; fails naming {@code what} after {@code timeoutMs}. */
	static void waitUntil(Display display, long timeoutMs, BooleanSupplier condition, Supplier<String> what) {
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

	static void waitUntil(Display display, BooleanSupplier condition, Supplier<String> what) {
		waitUntil(display, TIMEOUT_MS, condition, what);
	}

	/** Lets pending repaints and deferred work run for a moment. */
	static void settle(Display display) {
		long end = System.currentTimeMillis() + 700;
		while (System.currentTimeMillis() < end) {
			if (!display.readAndDispatch()) {
				display.timerExec(20, () -> { });
				display.sleep();
			}
		}
	}

	static void screenshot(Shell shell, String name) {
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
		} finally {
			gc.dispose();
			image.dispose();
		}
	}

	/** The services of {@code type} registered now. */
	static <T> List<T> services(Class<T> type) {
		BundleContext context = FrameworkUtil.getBundle(Ui.class).getBundleContext();
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
}
