package org.sbiworkbench.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;
import org.sbiworkbench.ui.export.Exports;

/** What the views' export actions write, without any dialog: plots as PNG/SVG, kept plot files, samples as CSV/.npy. */
class ExportsTest {

	private static final List<String> NAMES = List.of("theta_1", "mass, GeV", "say \"hi\"");
	private static final double[][] SAMPLES = { { 0.1, -2.5e-7, 3 }, { 0.1 + 0.2, Double.MIN_VALUE, -0.0 }, { Math.PI, 1e300, -42 } };

	@Test
	void samplesAsCsvReadBackExactlyWithAHeaderOfNames(@TempDir Path dir) throws IOException {
		Path csv = dir.resolve("samples.CSV");
		Exports.writeSamples(NAMES, SAMPLES, csv);
		List<String> lines = Files.readAllLines(csv);
		assertEquals(SAMPLES.length + 1, lines.size());
		assertEquals("theta_1,\"mass, GeV\",\"say \"\"hi\"\"\"", lines.get(0), "names with commas and quotes are quoted");
		for (int i = 0; i < SAMPLES.length; i++) {
			double[] back = Arrays.stream(lines.get(i + 1).split(",")).mapToDouble(Double::parseDouble).toArray();
			assertEquals(SAMPLES[i].length, back.length);
			for (int j = 0; j < back.length; j++) {
				assertEquals(Double.doubleToLongBits(SAMPLES[i][j]), Double.doubleToLongBits(back[j]), "sample " + i + ", column " + j);
			}
		}
	}

	@Test
	void samplesAsNpyAreAFloat64ArrayOfShapeSamplesByParameters(@TempDir Path dir) throws IOException {
		Path npy = dir.resolve("samples.npy");
		Exports.writeSamples(NAMES, SAMPLES, npy);
		NpyArray array = Npy.read(npy);
		assertEquals(2, array.ndim());
		assertEquals(SAMPLES.length, array.rows());
		assertEquals(NAMES.size(), array.columns());
		for (int i = 0; i < SAMPLES.length; i++) {
			assertArrayEquals(SAMPLES[i], array.toRows()[i], 0.0);
		}
	}

	@Test
	void samplesOfTheWrongShapeOrAnUnknownFormatAreRefused(@TempDir Path dir) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> Exports.writeSamples(List.of("a", "b"), new double[][] { { 1, 2 }, { 3 } }, dir.resolve("s.csv")));
		assertTrue(e.getMessage().contains("sample 1 has 1 values for 2 parameters"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> Exports.writeSamples(NAMES, SAMPLES, dir.resolve("s.xlsx")));
		assertTrue(e.getMessage().contains("s.xlsx") && e.getMessage().contains(".csv or .npy"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("s.csv")));
	}

	@Test
	void plotsAreDrawnFromTheModelAtTheReportsSize(@TempDir Path dir) throws IOException {
		Figure one = Figure.of(new Panel("Coverage", "credibility level", "empirical coverage", List.of(
				new Layer.Line("NPE", Role.ESTIMATE, new double[] { 0, 0.5, 1 }, new double[] { 0, 0.45, 1 }, false),
				new Layer.Line("ideal", Role.REFERENCE, new double[] { 0, 1 }, new double[] { 0, 1 }, true))));
		Path png = dir.resolve("coverage.PNG"), svg = dir.resolve("coverage.svg");
		Exports.writePlot(one, png);
		Exports.writePlot(one, svg);
		BufferedImage image = ImageIO.read(png.toFile());
		assertEquals(800, image.getWidth());
		assertEquals(600, image.getHeight());
		String text = Files.readString(svg);
		assertTrue(text.startsWith("<?xml") && text.contains("<svg") && text.contains("Coverage"), text.substring(0, 200));

		Figure grid = new Figure("Pairplot", Arrays.asList(one.panels().get(0), null, one.panels().get(0), one.panels().get(0)), 2);
		assertArrayEquals(new int[] { 640, 680 }, Exports.size(grid), "320-pixel cells and 40 pixels for the title");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exports.writePlot(one, dir.resolve("plot.jpg")));
		assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(2, files.count(), "only the two plots; no temporary or refused files");
		}
	}

	@Test
	void aPlotKeptOnlyAsFilesIsCopiedInTheFormatAskedForOrRefusedSayingWhy(@TempDir Path dir) throws IOException {
		Path run = Files.createDirectories(dir.resolve("run"));
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
		Files.write(run.resolve("sbc.png"), png);
		Path out = dir.resolve("out/sbc.png");
		Exports.copyPlot(run, "sbc", out);
		assertArrayEquals(png, Files.readAllBytes(out));
		IOException e = assertThrows(IOException.class, () -> Exports.copyPlot(run, "sbc", dir.resolve("out/sbc.svg")));
		assertTrue(e.getMessage().contains("only as sbc.png") && e.getMessage().contains("export it as PNG"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("out/sbc.svg")));
	}

	@Test
	void theDialogsChoiceGetsTheExtensionOfTheChosenFilter() {
		assertEquals(Path.of("/tmp/a.png"), Exports.withExtension("/tmp/a", ".png", ".png", ".svg"));
		assertEquals(Path.of("/tmp/a.SVG"), Exports.withExtension("/tmp/a.SVG", ".png", ".png", ".svg"));
		assertEquals(Path.of("/tmp/a.b.npy"), Exports.withExtension("/tmp/a.b", ".npy", ".csv", ".npy"));
		assertEquals(Exports.PlotFormat.SVG, Exports.plotFormat(Path.of("x.Svg")));
		assertEquals(Exports.SampleFormat.NPY, Exports.sampleFormat(Path.of("x.NPY")));
	}
}
