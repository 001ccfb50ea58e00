package org.sbiworkbench.ui.views;

import org.eclipse.swt.SWT;
import org.eclipse.swt.events.PaintEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * Shows an image scaled to fit (aspect ratio kept, centred, never enlarged more than twice), or a message
 * instead. The SWT image is made from the {@link ImageData} when first painted and disposed when replaced or when
 * the canvas is disposed. Image data may be prepared off the UI thread; the setters are UI-thread only.
 */
public class ImageCanvas extends Canvas {

	private static final double MAX_ENLARGEMENT = 2.0;
	private ImageData data;
	private Image image;
	private String message = "";

	public ImageCanvas(Composite parent, int style) {
		super(parent, style | SWT.DOUBLE_BUFFERED);
		setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
		addPaintListener(this::paint);
		addDisposeListener(e -> disposeImage());
	}

	/** Shows {@code data} (null: nothing) instead of the current image or message. */
	public void setImageData(ImageData data) {
		checkWidget();
		disposeImage();
		this.data = data;
		this.message = "";
		redraw();
	}

	/** The image data shown, or null. */
	public ImageData getImageData() {
		checkWidget();
		return data;
	}

	/** Shows {@code message} instead of an image. */
	public void setMessage(String message) {
		checkWidget();
		disposeImage();
		this.data = null;
		this.message = message == null ? "" : message;
		redraw();
	}

	/** The message shown instead of an image, or "". */
	public String getMessage() {
		checkWidget();
		return message;
	}

	private void disposeImage() {
		if (image != null) {
			image.dispose();
			image = null;
		}
	}

	private void paint(PaintEvent e) {
		Rectangle area = getClientArea();
		GC gc = e.gc;
		if (data != null) {
			if (image == null) {
				image = new Image(getDisplay(), data);
			}
			double scale = Math.min(MAX_ENLARGEMENT, Math.min((double) area.width / data.width, (double) area.height / data.height));
			int w = Math.max(1, (int) Math.round(data.width * scale));
			int h = Math.max(1, (int) Math.round(data.height * scale));
			int x = area.x + (area.width - w) / 2, y = area.y + (area.height - h) / 2;
			if (w == data.width && h == data.height) {
				gc.drawImage(image, x, y);
			} else {
				gc.setAntialias(SWT.ON);
				gc.setInterpolation(SWT.HIGH);
				gc.drawImage(image, 0, 0, data.width, data.height, x, y, w, h);
			}
		} else if (!message.isEmpty()) {
			gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
			int y = area.y + 12;
			for (String line : wrap(gc, message, Math.max(80, area.width - 24))) {
				gc.drawText(line, area.x + 12, y, true);
				y += gc.getFontMetrics().getHeight() + 2;
			}
		}
	}

	private static java.util.List<String> wrap(GC gc, String text, int width) {
		java.util.List<String> lines = new java.util.ArrayList<>();
		for (String paragraph : text.split("\n")) {
			StringBuilder line = new StringBuilder();
			for (String word : paragraph.split(" ")) {
				String candidate = line.length() == 0 ? word : line + " " + word;
				Point extent = gc.textExtent(candidate);
				if (extent.x > width && line.length() > 0) {
					lines.add(line.toString());
					line = new StringBuilder(word);
				} else {
					line = new StringBuilder(candidate);
				}
			}
			lines.add(line.toString());
		}
		return lines;
	}
}
