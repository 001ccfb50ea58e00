package org.sbiworkbench.plots.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.FigureJson;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;
import org.sbiworkbench.plots.PlotRenderer;

/**
 * Figures written as JSON and read back: every layer kind, role, title, label, range and number survives exactly
 * (also NaN, ±∞, −0 and doubles with no short decimal form), and damaged, truncated, foreign or newer files are
 * refused with a message naming the file.
 */
class FigureJsonTest {

	@Test
	void everyLayerKindRoundTripsExactly(@TempDir Path dir) throws IOException {
		for (Figure figure : List.of(Figures.everyLayer(), Figures.pairplot(), awkward())) {
			Path file = dir.resolve("figure" + FigureJson.SUFFIX);
			FigureJson.write(figure, file);
			Figure back = FigureJson.read(file);
			assertSameFigure(figure, back);
			assertEquals(FigureJson.toJson(figure), FigureJson.toJson(back), "writing the figure read back gives the same text");
		}
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of("figure.figure.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
		}
	}

	@Test
	void theFigureReadBackDrawsTheSamePixels(@TempDir Path dir) throws IOException {
		Figure figure = Figures.everyLayer();
		Path file = FigureJson.file(dir, "every-layer");
		assertEquals(dir.resolve("every-layer.figure.json"), file);
		FigureJson.write(figure, file);
		PlotRenderer renderer = new PlotRenderer();
		BufferedImage a = renderer.render(figure, 640, 480), b = renderer.render(FigureJson.read(file), 640, 480);
		assertArrayEquals(a.getRGB(0, 0, 640, 480, null, 0, 640), b.getRGB(0, 0, 640, 480, null, 0, 640));
	}

	@Test
	void theFileSaysWhatItIs() {
		String json = FigureJson.toJson(Figure.of(new Panel("p", "x", "y", List.of())));
		assertTrue(json.contains("\"format\" : \"sbiworkbench-figure\""), json);
		assertTrue(json.contains("\"version\" : 1"), json);
		assertTrue(json.contains("\"x_range\" : null"), json);
	}

	@Test
	void aTruncatedFileIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("coverage.figure.json");
		FigureJson.write(Figures.everyLayer(), file);
		byte[] whole = Files.readAllBytes(file);
		Files.write(file, Arrays.copyOf(whole, whole.length / 2));
		IOException e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
		assertTrue(e.getMessage().contains("truncated"), e.getMessage());

		Files.write(file, new byte[0]);
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("empty"), e.getMessage());
	}

	@Test
	void aDamagedFileIsRefusedNamingTheFileAndWhere(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("sbc.figure.json");
		FigureJson.write(Figures.everyLayer(), file);
		String text = Files.readString(file);

		// Bytes overwritten in the middle: no longer JSON.
		int middle = text.length() / 2;
		Files.writeString(file, text.substring(0, middle) + "}}#@!" + text.substring(middle + 5));
		IOException e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().startsWith(file + " is damaged") && e.getMessage().contains("line"), e.getMessage());

		// Valid JSON, but a line lost a number.
		Files.writeString(file, FigureJson.toJson(new Figure("t", List.of(new Panel("p", "x", "y",
				List.of(new Layer.Line("a", Role.ESTIMATE, new double[] { 1, 2 }, new double[] { 3, 4 }, false)))), 1))
				.replace("\"y\" : [ 3.0, 4.0 ]", "\"y\" : [ 3.0 ]"));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("panels[0].layers[0]")
				&& e.getMessage().contains("differ in length"), e.getMessage());

		// A number that is not one.
		Files.writeString(file, FigureJson.toJson(Figure.of(new Panel("p", "x", "y",
				List.of(new Layer.Marker("m", Role.TRUTH, 2.5, true))))).replace("2.5", "\"two and a half\""));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("panels[0].layers[0].value") && e.getMessage().contains("must be a number"), e.getMessage());

		// An unknown layer kind or role.
		String one = FigureJson.toJson(Figure.of(new Panel("p", "x", "y", List.of(new Layer.Marker("m", Role.TRUTH, 2.5, true)))));
		Files.writeString(file, one.replace("\"marker\"", "\"violin\""));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("'violin'") && e.getMessage().contains("layer kinds"), e.getMessage());
		Files.writeString(file, one.replace("\"truth\"", "\"fuchsia\""));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("role") && e.getMessage().contains("'fuchsia'"), e.getMessage());

		// Trailing bytes after a complete figure (two writes run together).
		Files.writeString(file, one + one);
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().startsWith(file + " is damaged"), e.getMessage());
	}

	@Test
	void otherJsonAndNewerVersionsAreRefused(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("x.figure.json");
		Files.writeString(file, "{\"simulator\": \"two_moons\"}");
		IOException e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a figure file"), e.getMessage());

		Files.writeString(file, "[1, 2, 3]");
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());

		String json = FigureJson.toJson(Figure.of(new Panel("p", "x", "y", List.of())));
		Files.writeString(file, json.replace("\"version\" : 1", "\"version\" : 7"));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("newer"), e.getMessage());

		Files.writeString(file, json.replace("\"columns\" : 1", "\"columns\" : 0"));
		e = assertThrows(IOException.class, () -> FigureJson.read(file));
		assertTrue(e.getMessage().contains("columns"), e.getMessage());

		Path missing = dir.resolve("missing.figure.json");
		assertThrows(NoSuchFileException.class, () -> FigureJson.read(missing));
	}

	@Test
	void aFailedWriteLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
		Path blocked = dir.resolve("blocked.figure.json");
		Files.createDirectories(blocked); // a folder in the way: the final rename fails
		IOException e = assertThrows(IOException.class, () -> FigureJson.write(Figures.pairplot(), blocked));
		assertTrue(Files.isDirectory(blocked), "the folder in the way is untouched: " + e);
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of("blocked.figure.json"), files.map(p -> p.getFileName().toString()).toList(),
					"a temporary file was left behind");
		}
	}

	/** Names and numbers that are easy to get wrong: null names, non-finite values, −0, long decimals, unicode. */
	private static Figure awkward() {
		double[] x = { -0.0, 0.1 + 0.2, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, Math.PI, Double.NaN, Double.POSITIVE_INFINITY,
				Double.NEGATIVE_INFINITY };
		double[] y = x.clone();
		for (int i = 0; i < y.length; i++) {
			y[i] = -y[i] / 3;
		}
		Panel a = new Panel("\"quoted\" \\ θ₁ — ünïcødé\n2nd line", "x [m/s²]", "", List.of(
				new Layer.Line(null, Role.MAP, x, y, true),
				new Layer.Points("", Role.SECONDARY, y, x),
				new Layer.Band("band", Role.REFERENCE, x, y, x),
				new Layer.Marker(null, Role.TRUTH, Double.NaN, false),
				new Layer.Bars("empty", Role.ESTIMATE, new double[] { 0 }, new double[0]),
				new Layer.Heatmap("one cell", Role.ESTIMATE, new double[] { 0, 1 }, new double[] { 0, 2 }, new double[][] { { Double.NaN } })),
				new double[] { -1e-9, 1e-9 }, new double[] { 0.1, 0.30000000000000004 });
		return new Figure("", Arrays.asList(null, a, null), 3);
	}

	// ------------------------------------------------------------------ comparing figures field by field

	static void assertSameFigure(Figure expected, Figure actual) {
		assertEquals(expected.title(), actual.title(), "figure title");
		assertEquals(expected.columns(), actual.columns(), "columns");
		assertEquals(expected.panels().size(), actual.panels().size(), "panels");
		for (int i = 0; i < expected.panels().size(); i++) {
			Panel e = expected.panels().get(i), a = actual.panels().get(i);
			String where = "panel " + i;
			if (e == null) {
				assertNull(a, where + " is empty");
				continue;
			}
			assertEquals(e.title(), a.title(), where + " title");
			assertEquals(e.xLabel(), a.xLabel(), where + " x label");
			assertEquals(e.yLabel(), a.yLabel(), where + " y label");
			assertBits(e.xRange(), a.xRange(), where + " x range");
			assertBits(e.yRange(), a.yRange(), where + " y range");
			assertEquals(e.layers().size(), a.layers().size(), where + " layers");
			for (int k = 0; k < e.layers().size(); k++) {
				assertSameLayer(e.layers().get(k), a.layers().get(k), where + " layer " + k);
			}
		}
	}

	private static void assertSameLayer(Layer e, Layer a, String where) {
		assertEquals(e.getClass(), a.getClass(), where + " kind");
		assertEquals(e.name(), a.name(), where + " name");
		assertEquals(e.role(), a.role(), where + " role");
		if (e instanceof Layer.Line l) {
			Layer.Line m = (Layer.Line) a;
			assertBits(l.x(), m.x(), where + " x");
			assertBits(l.y(), m.y(), where + " y");
			assertEquals(l.dashed(), m.dashed(), where + " dashed");
		} else if (e instanceof Layer.Band b) {
			Layer.Band c = (Layer.Band) a;
			assertBits(b.x(), c.x(), where + " x");
			assertBits(b.lower(), c.lower(), where + " lower");
			assertBits(b.upper(), c.upper(), where + " upper");
		} else if (e instanceof Layer.Bars b) {
			Layer.Bars c = (Layer.Bars) a;
			assertBits(b.edges(), c.edges(), where + " edges");
			assertBits(b.heights(), c.heights(), where + " heights");
		} else if (e instanceof Layer.Points p) {
			Layer.Points q = (Layer.Points) a;
			assertBits(p.x(), q.x(), where + " x");
			assertBits(p.y(), q.y(), where + " y");
		} else if (e instanceof Layer.Marker m) {
			Layer.Marker n = (Layer.Marker) a;
			assertBits(new double[] { m.value() }, new double[] { n.value() }, where + " value");
			assertEquals(m.vertical(), n.vertical(), where + " vertical");
		} else if (e instanceof Layer.Heatmap h) {
			Layer.Heatmap g = (Layer.Heatmap) a;
			assertBits(h.xEdges(), g.xEdges(), where + " x edges");
			assertBits(h.yEdges(), g.yEdges(), where + " y edges");
			assertEquals(h.z().length, g.z().length, where + " z columns");
			for (int i = 0; i < h.z().length; i++) {
				assertBits(h.z()[i], g.z()[i], where + " z[" + i + "]");
			}
		}
	}

	/** Equal bit for bit (NaN equals NaN; 0 and −0 differ). */
	private static void assertBits(double[] e, double[] a, String what) {
		if (e == null) {
			assertNull(a, what);
			return;
		}
		assertEquals(e.length, a.length, what + " length");
		for (int i = 0; i < e.length; i++) {
			assertEquals(Double.doubleToLongBits(e[i]), Double.doubleToLongBits(a[i]), what + "[" + i + "]: " + e[i] + " read back as " + a[i]);
		}
	}
}
