package org.sbiworkbench.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.jfree.svg.ViewBox;
import org.sbiworkbench.plots.Layer.Role;

/**
 * Draws a {@link Figure} with JFreeChart, to an image, a PNG file or an SVG document. Each {@link Panel} becomes
 * one JFreeChart {@link XYPlot}; the figure's title goes on top and the panels fill a grid of equal cells below
 * it. PNG and SVG come from the same drawing code (a {@link BufferedImage}'s or JFreeSVG's {@link Graphics2D}).
 * In the SVG, panel {@code i} (its index in {@link Figure#panels()}) is the group {@code <g id="panel-i">}.
 * <p>
 * Values that are not finite (NaN, ±∞) are left out: a line or band is interrupted there, a point or bar is not
 * drawn, a heatmap cell stays empty. Markers outside the data extend an axis that the panel does not fix, so the
 * true parameters stay visible even when the estimate is far from them. Stateless and thread-safe; works without
 * a display.
 */
public final class PlotRenderer {

	static {
		headlessWithoutDisplay();
	}

	private static final String FONT = "SansSerif";
	private static final Font FIGURE_TITLE_FONT = new Font(FONT, Font.BOLD, 16);
	private static final Font PANEL_TITLE_FONT = new Font(FONT, Font.BOLD, 13);
	private static final Font LABEL_FONT = new Font(FONT, Font.PLAIN, 12);
	private static final Font TICK_FONT = new Font(FONT, Font.PLAIN, 10);
	private static final Font LEGEND_FONT = new Font(FONT, Font.PLAIN, 11);
	private static final Color GRID = new Color(0xE3E3E3);
	private static final Color OUTLINE = new Color(0xA0A0A0);
	private static final Color TEXT = new Color(0x262626);

	private static final float LINE_WIDTH = 1.8f;
	private static final float BAND_ALPHA = 0.25f;
	private static final int BAR_ALPHA = 140;
	/** Stands for the prefix of SVG definition ids until the document is complete; see {@link #toSvg}. */
	private static final String DEFS_PLACEHOLDER = "sbiw-defs-4f1c9e-";

	/** Renders figures; it keeps no state, so one instance may serve any number of threads. */
	public PlotRenderer() {
	}

	/** The colour of a role, the same in every view and report. */
	public static Color color(Role role) {
		return switch (role) {
		case ESTIMATE -> new Color(0x1F77B4); // blue
		case REFERENCE -> new Color(0x4D4D4D); // dark grey
		case TRUTH -> new Color(0xD62728); // red
		case MAP -> new Color(0xFF7F0E); // orange
		case SECONDARY -> new Color(0x2CA02C); // green
		};
	}

	/** The figure drawn on a white image of {@code width} × {@code height} pixels. */
	public BufferedImage render(Figure figure, int width, int height) {
		checkSize(width, height);
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g2 = image.createGraphics();
		try {
			draw(figure, g2, width, height);
		} finally {
			g2.dispose();
		}
		return image;
	}

	/** Writes the figure as a PNG file, atomically: {@code file} is either absent, its old self, or complete. */
	public void writePng(Figure figure, Path file, int width, int height) throws IOException {
		BufferedImage image = render(figure, width, height);
		ByteArrayOutputStream png = new ByteArrayOutputStream(64 * 1024);
		if (!ImageIO.write(image, "png", png)) {
			throw new IOException("no PNG writer available in this Java runtime");
		}
		AtomicWrite.write(file, png.toByteArray());
	}

	/** The figure as a standalone SVG document of {@code width} × {@code height} pixels. */
	public String toSvg(Figure figure, int width, int height) {
		checkSize(width, height);
		SVGGraphics2D g2 = new SVGGraphics2D(width, height);
		g2.setGeomDoubleConverter(PlotRenderer::hundredths); // a third of the size of full double precision
		g2.setDefsKeyPrefix(DEFS_PLACEHOLDER);
		draw(figure, g2, width, height);
		// No DOCTYPE (JFreeSVG's getSVGDocument() names the SVG 1.0 DTD, which XML parsers then fetch from the web);
		// a viewBox, so the drawing scales when a report gives it another size.
		String svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				+ g2.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null) + "\n";
		// JFreeSVG prefixes its clip-path ids with the clock; a prefix from the content instead keeps the ids of
		// different figures apart (several SVGs inlined in one HTML report) and makes the same figure the same bytes.
		return svg.replace(DEFS_PLACEHOLDER, "p" + sha256(svg).substring(0, 10) + "-");
	}

	/** Writes the figure as an SVG file (UTF-8), atomically like {@link #writePng}. */
	public void writeSvg(Figure figure, Path file, int width, int height) throws IOException {
		AtomicWrite.write(file, toSvg(figure, width, height).getBytes(StandardCharsets.UTF_8));
	}

	// ---------------------------------------------------------------------------------------------------------
	// The figure: title and grid

	private static void draw(Figure figure, Graphics2D g2, int width, int height) {
		// Build every chart first, so that invalid input fails before anything is drawn.
		List<Panel> panels = figure.panels();
		List<JFreeChart> charts = new ArrayList<>(panels.size());
		for (Panel panel : panels) {
			charts.add(panel == null ? null : chart(panel));
		}
		g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g2.setPaint(Color.WHITE);
		g2.fill(new Rectangle2D.Double(0, 0, width, height));

		double top = 0;
		if (!figure.title().isBlank()) {
			TextTitle title = new TextTitle(figure.title(), FIGURE_TITLE_FONT);
			title.setPaint(TEXT);
			title.setPadding(new RectangleInsets(8, 4, 2, 4));
			top = Math.min(height, title.arrange(g2).getHeight());
			title.draw(g2, new Rectangle2D.Double(0, 0, width, top));
		}
		int rows = figure.rows();
		if (rows == 0) {
			return;
		}
		double cellWidth = (double) width / figure.columns();
		double cellHeight = (height - top) / rows;
		for (int i = 0; i < charts.size(); i++) {
			JFreeChart chart = charts.get(i);
			if (chart == null) {
				continue;
			}
			Rectangle2D cell = new Rectangle2D.Double((i % figure.columns()) * cellWidth, top + (i / figure.columns()) * cellHeight,
					cellWidth, cellHeight);
			boolean svg = g2 instanceof SVGGraphics2D;
			if (svg) {
				Map<String, String> group = new LinkedHashMap<>();
				group.put("id", "panel-" + i);
				group.put("class", "panel");
				g2.setRenderingHint(SVGHints.KEY_BEGIN_GROUP, group);
			}
			Shape clip = g2.getClip();
			chart.draw(g2, cell);
			g2.setClip(clip);
			if (svg) {
				g2.setRenderingHint(SVGHints.KEY_END_GROUP, "panel-" + i);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// One panel: an XYPlot with one dataset and renderer per layer

	private static JFreeChart chart(Panel panel) {
		XYPlot plot = new XYPlot();
		plot.setDomainAxis(axis(panel.xLabel()));
		plot.setRangeAxis(axis(panel.yLabel()));
		plot.setBackgroundPaint(Color.WHITE);
		plot.setOutlinePaint(OUTLINE);
		plot.setDomainGridlinePaint(GRID);
		plot.setRangeGridlinePaint(GRID);
		plot.setDomainGridlineStroke(new BasicStroke(0.7f));
		plot.setRangeGridlineStroke(new BasicStroke(0.7f));
		plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
		// Bottom layer first: dataset 0 is drawn first, and so underneath the rest.
		plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
		plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);

		LegendItemCollection legend = new LegendItemCollection();
		List<ValueMarker> vertical = new ArrayList<>();
		List<ValueMarker> horizontal = new ArrayList<>();
		int index = 0;
		for (Layer layer : panel.layers()) {
			Color color = color(layer.role());
			String name = layer.name() == null ? "" : layer.name().strip();
			LegendItem item;
			if (layer instanceof Layer.Line line) {
				Stroke stroke = lineStroke(line.dashed());
				addLine(plot, index++, line, color, stroke);
				item = lineItem(name, color, stroke);
			} else if (layer instanceof Layer.Band band) {
				addBand(plot, index++, band, color);
				item = boxItem(name, translucent(color, Math.round(BAND_ALPHA * 255)), null);
			} else if (layer instanceof Layer.Bars bars) {
				addBars(plot, index++, bars, color);
				item = boxItem(name, translucent(color, BAR_ALPHA), color);
			} else if (layer instanceof Layer.Points points) {
				Shape dot = addPoints(plot, index++, points, color);
				item = new LegendItem(name, null, null, null, true, dot, true, color, false, color, new BasicStroke(0f), false,
						new Line2D.Double(), new BasicStroke(0f), color);
			} else if (layer instanceof Layer.Marker marker) {
				Stroke stroke = new BasicStroke(LINE_WIDTH);
				(marker.vertical() ? vertical : horizontal).add(marker(marker, name, color, stroke));
				item = lineItem(name, color, stroke);
			} else if (layer instanceof Layer.Heatmap heatmap) {
				addHeatmap(plot, index++, heatmap, color);
				item = boxItem(name, color, null);
			} else {
				throw new IllegalArgumentException("unknown layer kind: " + layer);
			}
			if (!name.isEmpty()) {
				legend.add(item);
			}
		}
		for (ValueMarker m : vertical) {
			plot.addDomainMarker(m, org.jfree.chart.ui.Layer.FOREGROUND);
		}
		for (ValueMarker m : horizontal) {
			plot.addRangeMarker(m, org.jfree.chart.ui.Layer.FOREGROUND);
		}
		fixRange(plot, plot.getDomainAxis(), panel.xRange(), vertical);
		fixRange(plot, plot.getRangeAxis(), panel.yRange(), horizontal);
		plot.setFixedLegendItems(legend);

		String title = panel.title().isBlank() ? null : panel.title();
		JFreeChart chart = new JFreeChart(title, PANEL_TITLE_FONT, plot, legend.getItemCount() > 1);
		chart.setBackgroundPaint(Color.WHITE);
		chart.setPadding(new RectangleInsets(4, 4, 4, 10));
		if (chart.getTitle() != null) {
			chart.getTitle().setPaint(TEXT);
		}
		LegendTitle legendTitle = chart.getLegend();
		if (legendTitle != null) {
			legendTitle.setItemFont(LEGEND_FONT);
			legendTitle.setItemPaint(TEXT);
			legendTitle.setFrame(BlockBorder.NONE);
			legendTitle.setBackgroundPaint(Color.WHITE);
			legendTitle.setPosition(RectangleEdge.BOTTOM);
		}
		return chart;
	}

	private static NumberAxis axis(String label) {
		NumberAxis axis = new NumberAxis(label.isBlank() ? null : label);
		axis.setAutoRangeIncludesZero(false);
		axis.setLabelFont(LABEL_FONT);
		axis.setLabelPaint(TEXT);
		axis.setTickLabelFont(TICK_FONT);
		axis.setTickLabelPaint(TEXT);
		axis.setAxisLinePaint(OUTLINE);
		axis.setTickMarkPaint(OUTLINE);
		return axis;
	}

	/**
	 * A range the panel fixes is used as given. Otherwise the axis fits the data, widened where needed so that
	 * every marker on it is visible.
	 */
	private static void fixRange(XYPlot plot, ValueAxis axis, double[] fixed, List<ValueMarker> markers) {
		if (fixed != null) {
			axis.setRange(fixed[0], fixed[1]);
			return;
		}
		Range data = plot.getDataRange(axis);
		Range all = data;
		for (ValueMarker m : markers) {
			if (Double.isFinite(m.getValue())) {
				all = Range.expandToInclude(all, m.getValue());
			}
		}
		if (all == null || all.equals(data)) {
			return; // the axis' own auto range is right
		}
		double length = all.getLength();
		if (length == 0) {
			double half = Math.max(Math.abs(all.getCentralValue()) * 0.1, 0.5);
			axis.setRange(all.getCentralValue() - half, all.getCentralValue() + half);
		} else {
			axis.setRange(Range.expand(all, 0.05, 0.05));
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Layers

	private static void addLine(XYPlot plot, int index, Layer.Line line, Color color, Stroke stroke) {
		XYSeriesCollection data = new XYSeriesCollection();
		for (int[] run : finiteRuns(line.x().length, i -> finite(line.x()[i], line.y()[i]))) {
			XYSeries series = new XYSeries("run" + data.getSeriesCount(), false, true);
			for (int i = run[0]; i < run[1]; i++) {
				series.add(line.x()[i], line.y()[i], false);
			}
			data.addSeries(series);
		}
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
		renderer.setDrawSeriesLineAsPath(true); // dashes run along the whole line instead of restarting per segment
		renderer.setAutoPopulateSeriesPaint(false);
		renderer.setAutoPopulateSeriesStroke(false);
		renderer.setDefaultPaint(color);
		renderer.setDefaultStroke(stroke);
		plot.setDataset(index, data);
		plot.setRenderer(index, renderer);
	}

	private static void addBand(XYPlot plot, int index, Layer.Band band, Color color) {
		YIntervalSeriesCollection data = new YIntervalSeriesCollection();
		double[] x = band.x(), lo = band.lower(), hi = band.upper();
		for (int[] run : finiteRuns(x.length, i -> finite(x[i], lo[i], hi[i]))) {
			YIntervalSeries series = new YIntervalSeries("run" + data.getSeriesCount(), false, true);
			for (int i = run[0]; i < run[1]; i++) {
				series.add(x[i], 0.5 * (lo[i] + hi[i]), Math.min(lo[i], hi[i]), Math.max(lo[i], hi[i]));
			}
			data.addSeries(series);
		}
		DeviationRenderer renderer = new DeviationRenderer(false, false);
		renderer.setAlpha(BAND_ALPHA);
		renderer.setAutoPopulateSeriesPaint(false);
		renderer.setAutoPopulateSeriesFillPaint(false);
		renderer.setDefaultPaint(color);
		renderer.setDefaultFillPaint(color);
		plot.setDataset(index, data);
		plot.setRenderer(index, renderer);
	}

	private static void addBars(XYPlot plot, int index, Layer.Bars bars, Color color) {
		double[] edges = bars.edges();
		checkEdges(edges, "histogram '" + bars.name() + "'");
		XYIntervalSeries series = new XYIntervalSeries("bars", false, true);
		for (int i = 0; i < bars.heights().length; i++) {
			double h = bars.heights()[i];
			if (Double.isFinite(h)) {
				series.add(0.5 * (edges[i] + edges[i + 1]), edges[i], edges[i + 1], h, Math.min(0, h), Math.max(0, h));
			}
		}
		XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
		data.addSeries(series);
		XYBarRenderer renderer = new XYBarRenderer(0.0);
		renderer.setUseYInterval(true); // bars from 0 to the height, and the axis includes 0
		renderer.setBarPainter(new StandardXYBarPainter());
		renderer.setShadowVisible(false);
		renderer.setDrawBarOutline(true);
		renderer.setAutoPopulateSeriesPaint(false);
		renderer.setAutoPopulateSeriesOutlinePaint(false);
		renderer.setAutoPopulateSeriesOutlineStroke(false);
		renderer.setDefaultPaint(translucent(color, BAR_ALPHA));
		renderer.setDefaultOutlinePaint(color);
		renderer.setDefaultOutlineStroke(new BasicStroke(0.8f));
		plot.setDataset(index, data);
		plot.setRenderer(index, renderer);
	}

	/** Adds the points and returns the shape they are drawn with. */
	private static Shape addPoints(XYPlot plot, int index, Layer.Points points, Color color) {
		XYSeries series = new XYSeries("points", false, true);
		for (int i = 0; i < points.x().length; i++) {
			if (finite(points.x()[i], points.y()[i])) {
				series.add(points.x()[i], points.y()[i], false);
			}
		}
		int n = series.getItemCount();
		// Many points: smaller and more transparent, so that their density shows instead of a solid blot.
		// A few points (an observation, a MAP estimate) are drawn large enough to find.
		double diameter = n > 2000 ? 2.5 : n > 200 ? 3.5 : n > 20 ? 5.0 : 7.0;
		int alpha = n > 2000 ? 70 : n > 200 ? 130 : n > 20 ? 200 : 255;
		Shape dot = new Ellipse2D.Double(-diameter / 2, -diameter / 2, diameter, diameter);
		XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
		renderer.setAutoPopulateSeriesPaint(false);
		renderer.setAutoPopulateSeriesShape(false);
		renderer.setDefaultPaint(translucent(color, alpha));
		renderer.setDefaultShape(dot);
		renderer.setDefaultShapesFilled(true);
		renderer.setDrawOutlines(false);
		renderer.setUseFillPaint(false);
		plot.setDataset(index, new XYSeriesCollection(series));
		plot.setRenderer(index, renderer);
		return new Ellipse2D.Double(-3, -3, 6, 6);
	}

	private static ValueMarker marker(Layer.Marker marker, String name, Color color, Stroke stroke) {
		ValueMarker m = new ValueMarker(marker.value(), color, stroke);
		if (!name.isEmpty()) {
			m.setLabel(name);
			m.setLabelFont(LEGEND_FONT);
			m.setLabelPaint(color);
			m.setLabelBackgroundColor(new Color(255, 255, 255, 0));
			m.setLabelOffset(new RectangleInsets(3, 3, 3, 3));
			if (marker.vertical()) {
				m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
				m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
			} else {
				m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
				m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
			}
		}
		return m;
	}

	private static void addHeatmap(XYPlot plot, int index, Layer.Heatmap heatmap, Color color) {
		String what = "heatmap '" + heatmap.name() + "'";
		double dx = uniformStep(heatmap.xEdges(), what, "x");
		double dy = uniformStep(heatmap.yEdges(), what, "y");
		double[][] z = heatmap.z();
		List<double[]> cells = new ArrayList<>();
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < z.length; i++) {
			for (int j = 0; j < z[i].length; j++) {
				double v = z[i][j];
				if (Double.isFinite(v)) {
					cells.add(new double[] { heatmap.xEdges()[i], heatmap.yEdges()[j], v });
					min = Math.min(min, v);
					max = Math.max(max, v);
				}
			}
		}
		double[][] series = new double[3][cells.size()];
		for (int k = 0; k < cells.size(); k++) {
			for (int c = 0; c < 3; c++) {
				series[c][k] = cells.get(k)[c];
			}
		}
		DefaultXYZDataset data = new DefaultXYZDataset();
		data.addSeries("cells", series);
		XYBlockRenderer renderer = new XYBlockRenderer();
		renderer.setBlockWidth(dx);
		renderer.setBlockHeight(dy);
		renderer.setBlockAnchor(RectangleAnchor.BOTTOM_LEFT); // (x, y) of a cell is its lower-left edge
		renderer.setPaintScale(cells.isEmpty() ? new WhiteTo(color, 0, 1) : new WhiteTo(color, min, max));
		plot.setDataset(index, data);
		plot.setRenderer(index, renderer);
	}

	/** A linear scale from white at its lower bound to a colour at its upper bound. */
	private static final class WhiteTo implements PaintScale {
		private final Color color;
		private final double lower, upper;

		WhiteTo(Color color, double lower, double upper) {
			this.color = color;
			this.lower = lower;
			this.upper = upper > lower ? upper : lower + 1;
		}

		@Override
		public double getLowerBound() {
			return lower;
		}

		@Override
		public double getUpperBound() {
			return upper;
		}

		@Override
		public Paint getPaint(double value) {
			double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
			return new Color(mix(color.getRed(), t), mix(color.getGreen(), t), mix(color.getBlue(), t));
		}

		private static int mix(int channel, double t) {
			return (int) Math.round(255 + t * (channel - 255));
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Helpers

	private static Stroke lineStroke(boolean dashed) {
		return dashed
				? new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] { 6f, 4f }, 0f)
				: new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
	}

	private static LegendItem lineItem(String name, Color color, Stroke stroke) {
		return new LegendItem(name, null, null, null, false, new Rectangle2D.Double(), false, color, false, color,
				new BasicStroke(0f), true, new Line2D.Double(-9, 0, 9, 0), stroke, color);
	}

	private static LegendItem boxItem(String name, Color fill, Color outline) {
		Shape box = new Rectangle2D.Double(-6, -5, 12, 10);
		return new LegendItem(name, null, null, null, true, box, true, fill, outline != null, outline == null ? fill : outline,
				new BasicStroke(0.8f), false, new Line2D.Double(), new BasicStroke(0f), fill);
	}

	private static Color translucent(Color c, int alpha) {
		return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
	}

	private static boolean finite(double... values) {
		for (double v : values) {
			if (!Double.isFinite(v)) {
				return false;
			}
		}
		return true;
	}

	/** The maximal runs [start, end) of consecutive indices that pass the test. */
	private static List<int[]> finiteRuns(int n, java.util.function.IntPredicate good) {
		List<int[]> runs = new ArrayList<>();
		int start = -1;
		for (int i = 0; i <= n; i++) {
			boolean ok = i < n && good.test(i);
			if (ok && start < 0) {
				start = i;
			} else if (!ok && start >= 0) {
				runs.add(new int[] { start, i });
				start = -1;
			}
		}
		return runs;
	}

	private static void checkEdges(double[] edges, String what) {
		for (int i = 0; i < edges.length; i++) {
			if (!Double.isFinite(edges[i])) {
				throw new IllegalArgumentException(what + ": edge " + i + " is " + edges[i] + "; edges must be finite");
			}
			if (i > 0 && !(edges[i] > edges[i - 1])) {
				throw new IllegalArgumentException(what + ": edges must increase, but edge " + i + " (" + edges[i]
						+ ") is not above edge " + (i - 1) + " (" + edges[i - 1] + ")");
			}
		}
	}

	/** The common width of the bins; XYBlockRenderer draws blocks of one size, so the edges must be uniform. */
	private static double uniformStep(double[] edges, String what, String axis) {
		checkEdges(edges, what + " " + axis);
		if (edges.length < 2) {
			return 1;
		}
		double step = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
		for (int i = 1; i < edges.length; i++) {
			double width = edges[i] - edges[i - 1];
			if (Math.abs(width - step) > 1e-6 * step) {
				throw new IllegalArgumentException(String.format(Locale.ROOT,
						"%s: the %s edges must be evenly spaced (bin %d is %.6g wide, the average bin %.6g); resample onto uniform edges",
						what, axis, i - 1, width, step));
			}
		}
		return step;
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", e);
		}
	}

	/** An SVG coordinate to 1/100 pixel, without trailing zeros and independent of the locale. */
	private static String hundredths(double v) {
		if (!Double.isFinite(v)) {
			return Double.toString(v);
		}
		return BigDecimal.valueOf(Math.round(v * 100), 2).stripTrailingZeros().toPlainString();
	}

	private static void checkSize(int width, int height) {
		if (width < 1 || height < 1) {
			throw new IllegalArgumentException("a plot needs a positive size, not " + width + " x " + height + " pixels");
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// The display

	/**
	 * Plots are drawn off-screen, so no display is needed. Where there is none (a Unix without {@code DISPLAY}) and
	 * nobody chose, AWT is told to run headless before anything touches it. With a display (an SWT workbench, or CI
	 * under Xvfb), or when {@code java.awt.headless} is already set, nothing is changed.
	 */
	private static void headlessWithoutDisplay() {
		if (System.getProperty("java.awt.headless") != null) {
			return;
		}
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		if (os.contains("win") || os.contains("mac")) {
			return;
		}
		String display = System.getenv("DISPLAY");
		if (display == null || display.isBlank()) {
			System.setProperty("java.awt.headless", "true");
		}
	}
}
