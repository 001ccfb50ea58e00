package org.sbiworkbench.ui.views;

import java.awt.image.BufferedImage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.PlotRenderer;
import org.sbiworkbench.ui.export.ExportDialogs;
import org.sbiworkbench.ui.internal.Images;

/**
 * A plot-model {@link Figure} drawn to fit the canvas. The figure (whose computation, e.g. a pairplot's
 * histograms, may be costly) is computed once, off the UI thread; it is drawn with {@link PlotRenderer} in a
 * {@link Job} at the canvas's size whenever the figure or the size changes (resizes are coalesced), and only the
 * finished image is handed to the UI thread with {@link Display#asyncExec}. Until then the previous image is
 * shown scaled. A result for an older figure or size is dropped.
 * <p>
 * Its context menu exports the figure as PNG or SVG, drawn again from the model (not the picture on screen).
 */
public class PlotCanvas extends ImageCanvas {

	private static final PlotRenderer RENDERER = new PlotRenderer();
	private static final int MIN_SIZE = 60;
	private static final long RESIZE_DELAY_MS = 150;
	private final AtomicLong generation = new AtomicLong();
	private Supplier<Figure> figure;
	private double aspect;
	private Job job;
	private int renderedWidth = -1, renderedHeight = -1;
	private String exportName = "plot";

	public PlotCanvas(Composite parent, int style) {
		super(parent, style);
		addListener(SWT.Resize, e -> render(RESIZE_DELAY_MS));
		Menu menu = new Menu(this);
		MenuItem export = new MenuItem(menu, SWT.PUSH);
		export.setText("Export Plot as PNG or SVG…");
		export.addListener(SWT.Selection, e -> exportPlot(null));
		menu.addListener(SWT.Show, e -> export.setEnabled(figure != null));
		setMenu(menu);
		addDisposeListener(e -> {
			generation.incrementAndGet();
			if (job != null) {
				job.cancel();
			}
		});
	}

	/**
	 * Draws the figure {@code figure} gives (called once, off the UI thread); null clears the canvas. A figure
	 * that cannot be computed or drawn shows its error as a message.
	 */
	public void setFigure(Supplier<Figure> figure) {
		setFigure(figure, 0);
	}

	/**
	 * As {@link #setFigure(Supplier)}, drawn in the largest box of width / height {@code aspect} that fits (e.g. 1
	 * for a pairplot, whose cells should be square); {@code aspect <= 0} fills the canvas.
	 */
	public void setFigure(Supplier<Figure> figure, double aspect) {
		checkWidget();
		this.figure = figure == null ? null : memoize(figure);
		this.aspect = aspect;
		renderedWidth = renderedHeight = -1;
		if (figure == null) {
			generation.incrementAndGet();
			setImageData(null);
		} else {
			render(0);
		}
	}

	/** The figure shown (memoized: computing it again costs nothing once drawn), or null. For exports. */
	public Supplier<Figure> figure() {
		checkWidget();
		return figure;
	}

	/** The file name (without extension) an export proposes, e.g. "coverage". */
	public void setExportName(String name) {
		checkWidget();
		exportName = name == null || name.isBlank() ? "plot" : name;
	}

	/**
	 * Asks for a PNG or SVG file and writes the figure shown there, in a Job; {@code feedback} (null: an error
	 * dialog on failure) hears how it went. Does nothing but report when there is no figure.
	 */
	public void exportPlot(ExportDialogs.Feedback feedback) {
		checkWidget();
		Supplier<Figure> f = figure;
		if (f == null) {
			if (feedback != null) {
				feedback.done("There is no plot to export.", true);
			}
			return;
		}
		ExportDialogs.plot(getShell(), exportName, f, feedback);
	}

	@Override
	public void setMessage(String message) {
		generation.incrementAndGet(); // a render in flight must not replace the message
		figure = null;
		super.setMessage(message);
	}

	private void render(long delayMs) {
		if (figure == null || isDisposed()) {
			return;
		}
		Rectangle area = getClientArea();
		if (area.width < MIN_SIZE || area.height < MIN_SIZE || (area.width == renderedWidth && area.height == renderedHeight)) {
			return;
		}
		int width = area.width, height = area.height;
		if (aspect > 0) {
			width = Math.min(area.width, (int) Math.round(area.height * aspect));
			height = Math.min(area.height, (int) Math.round(width / aspect));
		}
		int w = width, h = height;
		long mine = generation.incrementAndGet();
		Supplier<Figure> f = figure;
		Display display = getDisplay();
		if (job != null) {
			job.cancel();
		}
		job = Job.create("Drawing plot", monitor -> {
			ImageData data;
			String error = null;
			try {
				Figure fig = f.get();
				if (monitor.isCanceled() || generation.get() != mine) {
					return Status.CANCEL_STATUS;
				}
				BufferedImage image = RENDERER.render(fig, w, h);
				data = Images.toImageData(image);
			} catch (RuntimeException e) {
				data = null;
				error = "Could not draw the plot: " + e.getMessage();
			}
			if (monitor.isCanceled() || generation.get() != mine) {
				return Status.CANCEL_STATUS;
			}
			ImageData result = data;
			String problem = error;
			display.asyncExec(() -> {
				if (isDisposed() || generation.get() != mine) {
					return;
				}
				if (problem != null) {
					super.setMessage(problem);
				} else {
					setImageData(result);
					renderedWidth = area.width;
					renderedHeight = area.height;
				}
			});
			return Status.OK_STATUS;
		});
		job.setSystem(true);
		job.setPriority(Job.SHORT);
		job.schedule(delayMs);
	}

	private static <T> Supplier<T> memoize(Supplier<T> supplier) {
		return new Supplier<>() {
			private T value;

			@Override
			public synchronized T get() {
				if (value == null) {
					value = supplier.get();
				}
				return value;
			}
		};
	}
}
