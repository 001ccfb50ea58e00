package org.sbiworkbench.ui.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.PlotRenderer;

/**
 * What the views' export actions write: a plot model as PNG or SVG (drawn by {@link PlotRenderer} at the size
 * the report uses), a plot a run kept only as files (older runs without figure JSON), and posterior samples as
 * CSV or NumPy {@code .npy}. The format follows the file name's extension. Every file is written atomically: it is
 * either complete or not there (an old file of that name stays until the new one is whole).
 * <p>
 * No SWT here, so this is what the tests check; the dialogs ({@link ExportDialogs}) only choose the file and run
 * these in a Job.
 */
public final class Exports {

	/** Formats a plot can be exported in. */
	public enum PlotFormat {
		PNG(".png"), SVG(".svg");

		private final String extension;

		PlotFormat(String extension) {
			this.extension = extension;
		}

		public String extension() {
			return extension;
		}
	}

	/** Formats samples can be exported in. */
	public enum SampleFormat {
		/** A header of parameter names, then one sample per line, numbers in Java's shortest exact form. */
		CSV(".csv"),
		/** A NumPy array of float64, shape (samples, parameters). */
		NPY(".npy");

		private final String extension;

		SampleFormat(String extension) {
			this.extension = extension;
		}

		public String extension() {
			return extension;
		}
	}

	private static final PlotRenderer RENDERER = new PlotRenderer();

	private Exports() {
	}

	/** The plot format of a file name: {@code .svg} (any case) is SVG, {@code .png} PNG; anything else is refused. */
	public static PlotFormat plotFormat(Path file) {
		String name = lowerName(file);
		if (name.endsWith(".svg")) {
			return PlotFormat.SVG;
		}
		if (name.endsWith(".png")) {
			return PlotFormat.PNG;
		}
		throw new IllegalArgumentException("cannot tell the plot format of " + file.getFileName() + ": name it .png or .svg");
	}

	/** The sample format of a file name: {@code .npy} or {@code .csv} (any case); anything else is refused. */
	public static SampleFormat sampleFormat(Path file) {
		String name = lowerName(file);
		if (name.endsWith(".npy")) {
			return SampleFormat.NPY;
		}
		if (name.endsWith(".csv")) {
			return SampleFormat.CSV;
		}
		throw new IllegalArgumentException("cannot tell the sample format of " + file.getFileName() + ": name it .csv or .npy");
	}

	/**
	 * The file a Save As dialog chose, with {@code extension} added when its name has none of {@code known} (the
	 * dialog's filter says which format was meant, a typed name may not).
	 */
	public static Path withExtension(String chosen, String extension, String... known) {
		String lower = chosen.toLowerCase(Locale.ROOT);
		for (String k : known) {
			if (lower.endsWith(k.toLowerCase(Locale.ROOT))) {
				return Path.of(chosen);
			}
		}
		return Path.of(chosen + extension);
	}

	/** The pixel size the report draws a figure at: 800 × 600 for one panel, 160–320-pixel cells in a grid. */
	public static int[] size(Figure figure) {
		int columns = figure.columns(), rows = Math.max(1, figure.rows());
		boolean single = columns == 1 && rows == 1;
		int cell = single ? 600 : Math.max(160, Math.min(320, 1800 / columns));
		return new int[] { single ? 800 : cell * columns, cell * rows + (figure.title().isEmpty() ? 0 : 40) };
	}

	/** Draws the figure into {@code file} as PNG or SVG (by its extension) at {@link #size(Figure)}. */
	public static void writePlot(Figure figure, Path file) throws IOException {
		PlotFormat format = plotFormat(file);
		int[] size = size(figure);
		if (format == PlotFormat.SVG) {
			RENDERER.writeSvg(figure, file, size[0], size[1]);
		} else {
			RENDERER.writePng(figure, file, size[0], size[1]);
		}
	}

	/**
	 * Exports a plot that a run kept only as files ({@code stem.png}, maybe {@code stem.svg} in {@code folder}):
	 * copies the one in the format {@code file} asks for.
	 *
	 * @throws IOException naming the missing file when the run did not keep the plot in that format
	 */
	public static void copyPlot(Path folder, String stem, Path file) throws IOException {
		PlotFormat format = plotFormat(file);
		Path source = folder.resolve(stem + format.extension());
		if (!Files.isRegularFile(source)) {
			throw new IOException("the run kept this plot only as " + stem + (format == PlotFormat.SVG ? ".png" : ".svg") + ", not as "
					+ source.getFileName() + " (in " + folder + "); export it as " + (format == PlotFormat.SVG ? "PNG" : "SVG")
					+ " instead");
		}
		write(file, Files.readAllBytes(source));
	}

	/**
	 * Writes samples (one row each, {@code names.size()} columns) as CSV or {@code .npy}, by the file's extension.
	 *
	 * @throws IllegalArgumentException when a row does not have one value per name
	 */
	public static void writeSamples(List<String> names, double[][] samples, Path file) throws IOException {
		SampleFormat format = sampleFormat(file);
		int d = names.size();
		for (int i = 0; i < samples.length; i++) {
			if (samples[i].length != d) {
				throw new IllegalArgumentException("sample " + i + " has " + samples[i].length + " values for " + d + " parameters " + names);
			}
		}
		byte[] bytes = format == SampleFormat.NPY ? Npy.toBytes(samples, d) : csv(names, samples).getBytes(StandardCharsets.UTF_8);
		write(file, bytes);
	}

	/** Atomically, into a folder made if missing. */
	private static void write(Path file, byte[] bytes) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		AtomicFiles.write(file, bytes);
	}

	/** The CSV text: a header of names (quoted where they need it), then one line per sample. */
	public static String csv(List<String> names, double[][] samples) {
		StringBuilder out = new StringBuilder(32 + samples.length * names.size() * 20);
		for (int j = 0; j < names.size(); j++) {
			out.append(j == 0 ? "" : ",").append(csvField(names.get(j)));
		}
		out.append('\n');
		for (double[] row : samples) {
			for (int j = 0; j < row.length; j++) {
				out.append(j == 0 ? "" : ",").append(row[j]); // Double.toString: exact, locale-free; NaN and Infinity as words
			}
			out.append('\n');
		}
		return out.toString();
	}

	private static String csvField(String s) {
		if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
			return "\"" + s.replace("\"", "\"\"") + "\"";
		}
		return s;
	}

	private static String lowerName(Path file) {
		Path name = file.getFileName();
		return name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
	}
}
