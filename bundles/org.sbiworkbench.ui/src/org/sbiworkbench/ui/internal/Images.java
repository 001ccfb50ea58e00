package org.sbiworkbench.ui.internal;

import java.awt.image.BufferedImage;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;

/** AWT images into SWT image data. Device-independent: safe off the UI thread. */
public final class Images {

	private Images() {
	}

	/** The pixels of {@code image} (alpha dropped) as 24-bit direct-colour image data. */
	public static ImageData toImageData(BufferedImage image) {
		int w = image.getWidth(), h = image.getHeight();
		ImageData data = new ImageData(w, h, 24, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
		int[] row = new int[w];
		for (int y = 0; y < h; y++) {
			image.getRGB(0, y, w, 1, row, 0, w);
			for (int x = 0; x < w; x++) {
				row[x] &= 0xFFFFFF;
			}
			data.setPixels(0, y, w, row, 0);
		}
		return data;
	}

	/** How many pixels differ from the top-left one (the background): 0 for a blank image. */
	public static int drawnPixels(ImageData data) {
		int background = data.getPixel(0, 0);
		int n = 0;
		int[] row = new int[data.width];
		for (int y = 0; y < data.height; y++) {
			data.getPixels(0, y, data.width, row, 0);
			for (int p : row) {
				if (p != background) {
					n++;
				}
			}
		}
		return n;
	}
}
