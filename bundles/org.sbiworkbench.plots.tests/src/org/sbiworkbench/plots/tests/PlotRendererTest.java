package org.sbiworkbench.plots.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.Layer;
import org.sbiworkbench.plots.Layer.Role;
import org.sbiworkbench.plots.Panel;
import org.sbiworkbench.plots.PlotRenderer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Draws figures and looks at the pixels and the SVG: the colours of the roles appear where their data is, the
 * layout follows the figure, files are whole or absent, and bad input is refused with a message.
 * <p>
 * Colours are recognised by hue: a translucent layer over the white background keeps the hue of its role's
 * colour (mixing with white moves every channel towards 255 in proportion) and only loses saturation.
 */
class PlotRendererTest {

	private static final int W = 900, H = 760;
	private final PlotRenderer renderer = new PlotRenderer();

	@Test
	void everyLayerKindRendersWithTheRoleColoursWhereTheirDataIs() throws IOException {
		Figure figure = Figures.everyLayer();
		BufferedImage image = renderer.render(figure, W, H);
		assertEquals(W, image.getWidth());
		assertEquals(H, image.getHeight());
		assertArrayEquals(image.getRGB(0, 0, W, H, null, 0, W), renderer.render(Figures.everyLayer(), W, H).getRGB(0, 0, W, H, null, 0, W),
				"the same figure gives different pixels");
		assertTrue(nonWhiteFraction(image, 0, 0, W, H) > 0.05, "the figure is nearly blank");

		// The cells of the 2 × 2 grid, leaving out the figure title on top and a few pixels at the seams.
		int[][] cells = { { 4, 45, W / 2 - 4, H / 2 }, { W / 2 + 4, 45, W - 4, H / 2 }, { 4, H / 2 + 30, W / 2 - 4, H - 4 },
				{ W / 2 + 4, H / 2 + 30, W - 4, H - 4 } };
		// marginal: estimate bars, truth marker; no MAP, no secondary
		assertColour(image, cells[0], Role.ESTIMATE, 2000);
		assertColour(image, cells[0], Role.TRUTH, 150);
		assertNoColour(image, cells[0], Role.MAP);
		assertNoColour(image, cells[0], Role.SECONDARY);
		// joint: heatmap of the estimate, truth crosshair, the MAP point
		assertColour(image, cells[1], Role.ESTIMATE, 5000);
		assertColour(image, cells[1], Role.TRUTH, 300);
		assertColour(image, cells[1], Role.MAP, 10);
		assertNoColour(image, cells[1], Role.SECONDARY);
		// predictive: band and median of the estimate, observed points
		assertColour(image, cells[2], Role.ESTIMATE, 3000);
		assertColour(image, cells[2], Role.TRUTH, 100);
		assertNoColour(image, cells[2], Role.MAP);
		assertNoColour(image, cells[2], Role.SECONDARY);
		// training: two loss curves
		assertColour(image, cells[3], Role.ESTIMATE, 300);
		assertColour(image, cells[3], Role.SECONDARY, 200);
		assertNoColour(image, cells[3], Role.TRUTH);
		assertNoColour(image, cells[3], Role.MAP);

		String samples = System.getProperty("sbiw.plots.samples");
		if (samples != null) {
			renderer.writePng(figure, Path.of(samples, "every-layer.png"), W, H);
			renderer.writeSvg(figure, Path.of(samples, "every-layer.svg"), W, H);
		}
	}

	@Test
	void aTruthMarkerAtZeroOnASymmetricAxisIsInTheMiddleOfThePlotArea() {
		BufferedImage image = renderer.render(Figures.everyLayer(), W, H);
		int x0 = 4, x1 = W / 2 - 4, y0 = 45, y1 = H / 2;
		// The marker is the column with the most red pixels; it spans the plot area from top to bottom.
		int[] red = new int[x1 - x0];
		for (int x = x0; x < x1; x++) {
			for (int y = y0; y < y1; y++) {
				red[x - x0] += is(image.getRGB(x, y), Role.TRUTH) ? 1 : 0;
			}
		}
		int best = 0;
		for (int i = 0; i < red.length; i++) {
			best = red[i] > red[best] ? i : best;
		}
		double sum = 0, weight = 0;
		for (int i = Math.max(0, best - 3); i <= Math.min(red.length - 1, best + 3); i++) {
			if (red[i] >= red[best] / 2) {
				sum += (i + x0) * (double) red[i];
				weight += red[i];
			}
		}
		double markerX = sum / weight;
		int top = -1, bottom = -1, column = best + x0;
		for (int y = y0; y < y1; y++) {
			if (is(image.getRGB(column, y), Role.TRUTH)) {
				top = top < 0 ? y : top;
				bottom = y;
			}
		}
		assertTrue(bottom - top > 0.5 * (y1 - y0), "the marker spans " + (bottom - top) + " px, not the plot's height");
		// The histogram spans [-2.5, 2.5]: its extent inside the plot area is centred on x = 0.
		int left = Integer.MAX_VALUE, right = -1;
		for (int y = top + 3; y <= bottom - 3; y++) {
			for (int x = x0; x < x1; x++) {
				if (is(image.getRGB(x, y), Role.ESTIMATE)) {
					left = Math.min(left, x);
					right = Math.max(right, x);
				}
			}
		}
		double middle = 0.5 * (left + right);
		assertEquals(middle, markerX, 2.0, "marker at " + markerX + ", histogram from " + left + " to " + right);
		// and the bars cover 5/6 of the axis [-3, 3]: the plot area is about 6/5 of their width
		assertTrue(right - left > 0.6 * (x1 - x0), "the histogram is " + (right - left) + " px wide");
	}

	@Test
	void theSvgIsWellFormedWithOneGroupPerPanel() throws Exception {
		String svg = renderer.toSvg(Figures.everyLayer(), W, H);
		Document doc = parse(svg);
		Element root = doc.getDocumentElement();
		assertEquals("svg", root.getLocalName());
		assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
		assertEquals(W, Double.parseDouble(root.getAttribute("width")));
		assertEquals(H, Double.parseDouble(root.getAttribute("height")));
		assertEquals(List.of("panel-0", "panel-1", "panel-2", "panel-3"), panelGroups(doc));
		NodeList groups = doc.getElementsByTagNameNS("*", "g");
		for (int i = 0; i < groups.getLength(); i++) {
			Element g = (Element) groups.item(i);
			if (g.getAttribute("id").startsWith("panel-")) {
				int elements = g.getElementsByTagNameNS("*", "*").getLength();
				assertTrue(elements > 100, g.getAttribute("id") + " has only " + elements + " elements");
			}
		}
		assertEquals(svg, renderer.toSvg(Figures.everyLayer(), W, H), "the same figure gives different SVG");
		assertFalse(svg.contains("<!DOCTYPE"), "a DOCTYPE makes XML readers fetch the DTD from the web");
		Set<String> texts = texts(doc);
		assertTrue(texts.contains("Posterior for two_moons, observation 1"), "figure title missing: " + texts);
		assertTrue(texts.contains("θ₁ marginal"), "panel title missing: " + texts);
		assertTrue(texts.contains("validation"), "legend missing: " + texts);
	}

	@Test
	void aPairplotWithAnEmptyUpperTriangleRenders() throws Exception {
		Figure pairplot = Figures.pairplot();
		int size = 600, cell = size / 3;
		BufferedImage image = renderer.render(pairplot, size, size);
		for (int row = 0; row < 3; row++) {
			for (int col = 0; col < 3; col++) {
				double ink = nonWhiteFraction(image, col * cell + 2, row * cell + 2, (col + 1) * cell - 2, (row + 1) * cell - 2);
				if (col > row) {
					assertEquals(0.0, ink, "cell " + row + "," + col + " should be empty");
				} else {
					assertTrue(ink > 0.03, "cell " + row + "," + col + " is nearly blank: " + ink);
					assertColour(image, new int[] { col * cell, row * cell, (col + 1) * cell, (row + 1) * cell }, Role.TRUTH, 20);
				}
			}
		}
		assertEquals(List.of("panel-0", "panel-3", "panel-4", "panel-6", "panel-7", "panel-8"),
				panelGroups(parse(renderer.toSvg(pairplot, size, size))));
		String samples = System.getProperty("sbiw.plots.samples");
		if (samples != null) {
			renderer.writePng(pairplot, Path.of(samples, "pairplot.png"), size, size);
		}
	}

	@Test
	void nonFiniteValuesAreSkippedNotDrawnAsZero() {
		double nan = Double.NaN;
		double[] x = Figures.linspace(0, 20, 21);
		double[] y = new double[21];
		java.util.Arrays.fill(y, 10);
		y[10] = nan;
		double[] px = x.clone(), py = y.clone();
		py[3] = Double.POSITIVE_INFINITY;
		px[15] = nan;
		Panel panel = new Panel("", "", "", List.of(new Layer.Line("level", Role.ESTIMATE, x, y, false),
				new Layer.Points("", Role.ESTIMATE, px, py)), new double[] { 0, 20 }, new double[] { -1, 11 });
		int w = 420, h = 300;
		BufferedImage image = renderer.render(Figure.of(panel), w, h);
		int left = Integer.MAX_VALUE, right = -1, blue = 0;
		for (int yy = 0; yy < h; yy++) {
			for (int xx = 0; xx < w; xx++) {
				if (is(image.getRGB(xx, yy), Role.ESTIMATE)) {
					assertTrue(yy < h / 3, "a value drawn at the bottom (" + xx + ", " + yy + "): NaN taken for 0?");
					left = Math.min(left, xx);
					right = Math.max(right, xx);
					blue++;
				}
			}
		}
		assertTrue(blue > 200, "the line is missing");
		// x = 0 and x = 20 are the ends of the fixed axis; the NaN at x = 10 leaves a gap in the middle of the line.
		int middle = (left + right) / 2;
		for (int xx = middle - 4; xx <= middle + 4; xx++) {
			for (int yy = 0; yy < h; yy++) {
				assertFalse(is(image.getRGB(xx, yy), Role.ESTIMATE), "the line is drawn through the NaN at column " + xx);
			}
		}
		// a panel with nothing finite in it still renders
		Panel empty = new Panel("nothing", "x", "y", List.of(new Layer.Line("all NaN", Role.ESTIMATE, new double[] { nan, 1 },
				new double[] { 1, nan }, true)));
		assertNotNull(renderer.render(Figure.of(empty), 200, 150));
	}

	@Test
	void theLegendAppearsOnlyForMoreThanOneNamedLayer() throws Exception {
		double[] x = { 0, 1, 2 }, y = { 1, 3, 2 };
		Panel one = new Panel("", "", "", List.of(new Layer.Line("alpha curve", Role.ESTIMATE, x, y, false),
				new Layer.Points("", Role.TRUTH, x, y), new Layer.Marker("", Role.MAP, 1, true)));
		Set<String> texts = texts(parse(renderer.toSvg(Figure.of(one), 400, 300)));
		assertFalse(texts.contains("alpha curve"), "a legend for a single named layer: " + texts);

		Panel two = new Panel("", "", "", List.of(new Layer.Line("beta & <curve>", Role.ESTIMATE, x, y, false),
				new Layer.Marker("gamma mark", Role.TRUTH, 1.5, true)));
		texts = texts(parse(renderer.toSvg(Figure.of(two), 400, 300)));
		assertTrue(texts.contains("beta & <curve>"), "legend missing: " + texts);
		assertTrue(texts.contains("gamma mark"), "legend missing: " + texts);
	}

	@Test
	void filesAreWrittenWholeWithNoTemporaryFileLeft(@TempDir Path dir) throws Exception {
		Figure figure = Figures.everyLayer();
		Path png = dir.resolve("plots/every-layer.png"), svg = dir.resolve("plots/every-layer.svg");
		renderer.writePng(figure, png, 640, 480);
		renderer.writeSvg(figure, svg, 640, 480);
		renderer.writePng(figure, png, 320, 240); // replaces the first
		assertEquals(List.of("every-layer.png", "every-layer.svg"), list(dir.resolve("plots")));
		BufferedImage back = ImageIO.read(png.toFile());
		assertNotNull(back, "not a PNG");
		assertEquals(320, back.getWidth());
		assertEquals(240, back.getHeight());
		assertEquals(List.of("panel-0", "panel-1", "panel-2", "panel-3"), panelGroups(parse(Files.readString(svg))));

		// Bad input fails before anything is written.
		Figure bad = Figure.of(new Panel("", "", "", List.of(new Layer.Heatmap("h", Role.ESTIMATE, new double[] { 0, 1, 3 },
				new double[] { 0, 1 }, new double[][] { { 1 }, { 2 } }))));
		assertThrows(IllegalArgumentException.class, () -> renderer.writePng(bad, dir.resolve("bad.png"), 100, 100));
		assertThrows(IllegalArgumentException.class, () -> renderer.writeSvg(bad, dir.resolve("bad.svg"), 100, 100));
		assertEquals(List.of("plots"), list(dir));
	}

	@Test
	void withoutADisplayAwtIsToldToRunHeadless() {
		String display = System.getenv("DISPLAY");
		boolean windowsOrMac = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).matches(".*(win|mac).*");
		if ((display == null || display.isBlank()) && !windowsOrMac) {
			assertEquals("true", System.getProperty("java.awt.headless"));
			assertTrue(java.awt.GraphicsEnvironment.isHeadless());
		}
		assertNotNull(renderer.render(Figures.everyLayer(), 300, 200)); // with a display (CI's Xvfb) too
	}

	@Test
	void invalidInputIsRefusedWithAMessage() {
		double[] two = { 0, 1 }, three = { 0, 1, 2 };
		refused("differ in length", () -> new Layer.Line("l", Role.ESTIMATE, three, two, false));
		refused("differ in length", () -> new Layer.Points("p", Role.ESTIMATE, two, three));
		refused("differ in length", () -> new Layer.Band("b", Role.ESTIMATE, three, three, two));
		refused("one more edge than bars", () -> new Layer.Bars("h", Role.ESTIMATE, two, two));
		refused("x bins", () -> new Layer.Heatmap("m", Role.ESTIMATE, two, two, new double[][] { { 1 }, { 2 } }));
		refused("y bins", () -> new Layer.Heatmap("m", Role.ESTIMATE, three, two, new double[][] { { 1 }, { 2, 3 } }));
		refused("x range", () -> new Panel("", "", "", List.of(), new double[] { 1, 0 }, null));
		refused("y range", () -> new Panel("", "", "", List.of(), null, new double[] { 0, Double.NaN }));
		refused("y range", () -> new Panel("", "", "", List.of(), null, new double[] { 1 }));
		refused("x range", () -> new Panel("", "", "", List.of(), new double[] { 0, Double.POSITIVE_INFINITY }, null));
		refused("at least one column", () -> new Figure("", List.of(), 0));

		// What only drawing can check:
		Figure decreasing = Figure.of(new Panel("", "", "", List.of(new Layer.Bars("counts", Role.ESTIMATE,
				new double[] { 0, 2, 1 }, two))));
		refused("edges must increase", () -> renderer.render(decreasing, 100, 100));
		Figure uneven = Figure.of(new Panel("", "", "", List.of(new Layer.Heatmap("density", Role.ESTIMATE,
				new double[] { 0, 1, 3 }, two, new double[][] { { 1 }, { 2 } }))));
		refused("evenly spaced", () -> renderer.render(uneven, 100, 100));
		refused("positive size", () -> renderer.render(Figures.everyLayer(), 0, 100));
	}

	// ---------------------------------------------------------------------------------------------------------

	private static void refused(String message, Executable what) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, what);
		assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' does not say '" + message + "'");
	}

	/** Whether a pixel shows the role's colour, possibly mixed with white: same hue, some saturation. */
	private static boolean is(int rgb, Role role) {
		Color c = PlotRenderer.color(role);
		float[] target = Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null);
		float[] p = Color.RGBtoHSB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, null);
		if (p[1] < 0.12f || p[2] < 0.25f) {
			return false;
		}
		double d = Math.abs(p[0] - target[0]);
		return Math.min(d, 1 - d) < 0.025;
	}

	private static int count(BufferedImage image, int[] r, Role role) {
		int n = 0;
		for (int y = r[1]; y < r[3]; y++) {
			for (int x = r[0]; x < r[2]; x++) {
				n += is(image.getRGB(x, y), role) ? 1 : 0;
			}
		}
		return n;
	}

	private static void assertColour(BufferedImage image, int[] region, Role role, int atLeast) {
		int n = count(image, region, role);
		assertTrue(n >= atLeast, n + " pixels of " + role + " in " + java.util.Arrays.toString(region) + ", expected " + atLeast);
	}

	private static void assertNoColour(BufferedImage image, int[] region, Role role) {
		int n = count(image, region, role);
		assertTrue(n < 5, n + " pixels of " + role + " in " + java.util.Arrays.toString(region) + ", where it has no layer");
	}

	private static double nonWhiteFraction(BufferedImage image, int x0, int y0, int x1, int y1) {
		int n = 0;
		for (int y = y0; y < y1; y++) {
			for (int x = x0; x < x1; x++) {
				n += (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
			}
		}
		return n / (double) ((x1 - x0) * (y1 - y0));
	}

	private static Document parse(String svg) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		try (InputStream in = new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))) {
			return factory.newDocumentBuilder().parse(in);
		}
	}

	private static List<String> panelGroups(Document doc) {
		List<String> ids = new ArrayList<>();
		NodeList groups = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
		for (int i = 0; i < groups.getLength(); i++) {
			String id = ((Element) groups.item(i)).getAttribute("id");
			if (id.startsWith("panel-")) {
				ids.add(id);
			}
		}
		return ids;
	}

	private static Set<String> texts(Document doc) {
		Set<String> texts = new TreeSet<>();
		NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent().strip());
		}
		return texts;
	}

	private static List<String> list(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}
}
