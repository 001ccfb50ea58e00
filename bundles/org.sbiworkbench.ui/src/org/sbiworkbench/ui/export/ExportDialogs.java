package org.sbiworkbench.ui.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.sbiworkbench.plots.Figure;

/**
 * The Save As part of the views' exports: a file dialog chooses the file and format, a {@link Job} writes it with
 * {@link Exports}, and the outcome goes to a {@link Feedback} on the UI thread (or, without one, an error dialog
 * when it failed). Nothing is written on the UI thread.
 */
public final class ExportDialogs {

	/** Told on the UI thread how an export went. */
	@FunctionalInterface
	public interface Feedback {
		void done(String message, boolean error);
	}

	private ExportDialogs() {
	}

	/**
	 * Asks where to save the figure ({@code name}.png or .svg proposed) and writes it there. {@code figure} is
	 * called in the Job (it may compute the figure).
	 */
	public static void plot(Shell shell, String name, Supplier<Figure> figure, Feedback feedback) {
		Path file = askPlotFile(shell, name);
		if (file != null) {
			run(shell.getDisplay(), "Exporting the plot to " + file, feedback, () -> {
				Exports.writePlot(figure.get(), file);
				return "Plot saved to " + file + ".";
			});
		}
	}

	/**
	 * Asks where to save a plot that a run kept only as {@code folder/stem.png} (and maybe {@code .svg}), and copies
	 * the file of the chosen format there.
	 */
	public static void keptPlot(Shell shell, Path folder, String stem, Feedback feedback) {
		Path file = askPlotFile(shell, stem);
		if (file != null) {
			run(shell.getDisplay(), "Exporting " + stem + " to " + file, feedback, () -> {
				Exports.copyPlot(folder, stem, file);
				return "Plot saved to " + file + ".";
			});
		}
	}

	/** Asks where to save the samples (CSV or .npy) and writes them there. */
	public static void samples(Shell shell, String name, List<String> parameters, double[][] samples, Feedback feedback) {
		FileDialog dialog = new FileDialog(shell, SWT.SAVE);
		dialog.setText("Export posterior samples");
		dialog.setFilterExtensions(new String[] { "*.csv", "*.npy" });
		dialog.setFilterNames(new String[] { "CSV, a header of parameter names (*.csv)", "NumPy array (*.npy)" });
		dialog.setFileName(name + ".csv");
		dialog.setOverwrite(true);
		String chosen = dialog.open();
		if (chosen == null) {
			return;
		}
		Path file = Exports.withExtension(chosen, dialog.getFilterIndex() == 1 ? ".npy" : ".csv", ".csv", ".npy");
		run(shell.getDisplay(), "Exporting posterior samples to " + file, feedback, () -> {
			Exports.writeSamples(parameters, samples, file);
			return String.format(Locale.ROOT, "%,d samples saved to %s.", samples.length, file);
		});
	}

	private static Path askPlotFile(Shell shell, String name) {
		FileDialog dialog = new FileDialog(shell, SWT.SAVE);
		dialog.setText("Export plot");
		dialog.setFilterExtensions(new String[] { "*.png", "*.svg" });
		dialog.setFilterNames(new String[] { "PNG image (*.png)", "SVG drawing (*.svg)" });
		dialog.setFileName(name + ".png");
		dialog.setOverwrite(true);
		String chosen = dialog.open();
		return chosen == null ? null : Exports.withExtension(chosen, dialog.getFilterIndex() == 1 ? ".svg" : ".png", ".png", ".svg");
	}

	/** The work that writes a file and says what it wrote. */
	@FunctionalInterface
	private interface Work {
		String write() throws IOException;
	}

	private static void run(Display display, String name, Feedback feedback, Work work) {
		Job job = Job.create(name, monitor -> {
			String message;
			boolean error;
			try {
				message = work.write();
				error = false;
			} catch (IOException | RuntimeException e) {
				message = "Could not export: " + e.getMessage();
				error = true;
			}
			String m = message;
			boolean failed = error;
			display.asyncExec(() -> {
				if (feedback != null) {
					feedback.done(m, failed);
				} else if (failed) {
					Shell shell = display.getActiveShell();
					MessageDialog.openError(shell, "Export", m);
				}
			});
			return Status.OK_STATUS;
		});
		job.setUser(false);
		job.schedule();
	}
}
