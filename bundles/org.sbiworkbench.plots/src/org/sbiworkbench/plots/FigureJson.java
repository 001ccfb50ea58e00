package org.sbiworkbench.plots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sbiworkbench.plots.Layer.Role;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A {@link Figure} as a JSON file, so that a run can keep its plot models beside their PNG and SVG and a view can
 * draw them again at any size. Everything in the model is kept: the figure's title and grid, empty cells, each
 * panel's title, axis labels and fixed ranges, every layer kind with its name, role and numbers. Reading a written
 * figure gives an equal figure, number for number ({@code double}s are written in their shortest exact decimal
 * form; NaN and ±∞, which JSON has no numbers for, as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}).
 * <p>
 * The format (version {@value #VERSION}):
 *
 * <pre>
 * {"format": "sbiworkbench-figure", "version": 1, "title": "…", "columns": 2,
 *  "panels": [null, {"title": "…", "x_label": "…", "y_label": "…", "x_range": [0, 1] or null, "y_range": …,
 *                    "layers": [{"kind": "line", "name": "…", "role": "estimate", "x": […], "y": […], "dashed": false},
 *                               {"kind": "band", …, "x", "lower", "upper"}, {"kind": "bars", …, "edges", "heights"},
 *                               {"kind": "points", …, "x", "y"}, {"kind": "marker", …, "value", "vertical"},
 *                               {"kind": "heatmap", …, "x_edges", "y_edges", "z": [[…], …]}]}]}
 * </pre>
 *
 * A file of a newer format version is refused with a message saying so, rather than read wrongly. Stateless and
 * thread-safe.
 */
public final class FigureJson {

	/** The value of the {@code "format"} field. */
	public static final String FORMAT = "sbiworkbench-figure";
	/** The format version this class writes and the newest it reads. */
	public static final int VERSION = 1;
	/** The file name ending of a figure file: a plot {@code coverage} is kept as {@code coverage.figure.json}. */
	public static final String SUFFIX = ".figure.json";

	private static final ObjectMapper JSON = new ObjectMapper()
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

	private FigureJson() {
	}

	/** The figure file of the plot {@code stem} in {@code folder}: {@code folder/stem.figure.json}. */
	public static Path file(Path folder, String stem) {
		return folder.resolve(stem + SUFFIX);
	}

	/** Writes the figure to {@code file} (UTF-8 JSON), atomically: the file is either absent, its old self, or complete. */
	public static void write(Figure figure, Path file) throws IOException {
		AtomicWrite.write(file, toBytes(figure));
	}

	/** The figure as a JSON document. */
	public static String toJson(Figure figure) {
		return new String(toBytes(figure), java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * Reads a figure file.
	 *
	 * @throws NoSuchFileException when there is no such file
	 * @throws IOException         naming the file and what is wrong when it is not a complete figure file of a
	 *                             version this class reads (damaged, truncated, another kind of JSON, a newer
	 *                             format)
	 */
	public static Figure read(Path file) throws IOException {
		byte[] bytes = Files.readAllBytes(file);
		return parse(bytes, file.toString());
	}

	/** A figure from its JSON document; {@code source} names it in error messages. */
	public static Figure fromJson(String json, String source) throws IOException {
		return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), source);
	}

	// ---------------------------------------------------------------------------------------------------------
	// Writing

	private static byte[] toBytes(Figure figure) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
		try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
			g.useDefaultPrettyPrinter();
			g.writeStartObject();
			g.writeStringField("format", FORMAT);
			g.writeNumberField("version", VERSION);
			g.writeStringField("title", figure.title());
			g.writeNumberField("columns", figure.columns());
			g.writeArrayFieldStart("panels");
			for (Panel panel : figure.panels()) {
				if (panel == null) {
					g.writeNull();
				} else {
					writePanel(g, panel);
				}
			}
			g.writeEndArray();
			g.writeEndObject();
		} catch (IOException e) {
			throw new UncheckedIOException("writing JSON to memory failed", e);
		}
		out.write('\n');
		return out.toByteArray();
	}

	private static void writePanel(JsonGenerator g, Panel panel) throws IOException {
		g.writeStartObject();
		g.writeStringField("title", panel.title());
		g.writeStringField("x_label", panel.xLabel());
		g.writeStringField("y_label", panel.yLabel());
		writeNumbers(g, "x_range", panel.xRange());
		writeNumbers(g, "y_range", panel.yRange());
		g.writeArrayFieldStart("layers");
		for (Layer layer : panel.layers()) {
			g.writeStartObject();
			g.writeStringField("kind", kind(layer));
			g.writeStringField("name", layer.name());
			g.writeStringField("role", layer.role() == null ? null : layer.role().name().toLowerCase(Locale.ROOT));
			if (layer instanceof Layer.Line line) {
				writeNumbers(g, "x", line.x());
				writeNumbers(g, "y", line.y());
				g.writeBooleanField("dashed", line.dashed());
			} else if (layer instanceof Layer.Band band) {
				writeNumbers(g, "x", band.x());
				writeNumbers(g, "lower", band.lower());
				writeNumbers(g, "upper", band.upper());
			} else if (layer instanceof Layer.Bars bars) {
				writeNumbers(g, "edges", bars.edges());
				writeNumbers(g, "heights", bars.heights());
			} else if (layer instanceof Layer.Points points) {
				writeNumbers(g, "x", points.x());
				writeNumbers(g, "y", points.y());
			} else if (layer instanceof Layer.Marker marker) {
				g.writeFieldName("value");
				writeNumber(g, marker.value());
				g.writeBooleanField("vertical", marker.vertical());
			} else if (layer instanceof Layer.Heatmap heatmap) {
				writeNumbers(g, "x_edges", heatmap.xEdges());
				writeNumbers(g, "y_edges", heatmap.yEdges());
				g.writeArrayFieldStart("z");
				for (double[] column : heatmap.z()) {
					writeNumbers(g, null, column);
				}
				g.writeEndArray();
			}
			g.writeEndObject();
		}
		g.writeEndArray();
		g.writeEndObject();
	}

	private static String kind(Layer layer) {
		if (layer instanceof Layer.Line) {
			return "line";
		} else if (layer instanceof Layer.Band) {
			return "band";
		} else if (layer instanceof Layer.Bars) {
			return "bars";
		} else if (layer instanceof Layer.Points) {
			return "points";
		} else if (layer instanceof Layer.Marker) {
			return "marker";
		} else if (layer instanceof Layer.Heatmap) {
			return "heatmap";
		}
		throw new IllegalArgumentException("unknown layer kind: " + layer.getClass().getName());
	}

	/** An array field (or, with a null name, an array element); a null array is written as null. */
	private static void writeNumbers(JsonGenerator g, String field, double[] values) throws IOException {
		if (field != null) {
			g.writeFieldName(field);
		}
		if (values == null) {
			g.writeNull();
			return;
		}
		g.writeStartArray();
		for (double v : values) {
			writeNumber(g, v);
		}
		g.writeEndArray();
	}

	private static void writeNumber(JsonGenerator g, double v) throws IOException {
		if (Double.isNaN(v)) {
			g.writeString("NaN");
		} else if (Double.isInfinite(v)) {
			g.writeString(v > 0 ? "Infinity" : "-Infinity");
		} else {
			g.writeNumber(v); // the shortest decimal that reads back as the same double
		}
	}

	// ---------------------------------------------------------------------------------------------------------
	// Reading

	private static Figure parse(byte[] bytes, String source) throws IOException {
		if (bytes.length == 0) {
			throw new IOException(source + " is empty: the figure file was truncated or never written; write it again (re-run the "
					+ "diagnostics or the report that made it)");
		}
		JsonNode root;
		try {
			root = JSON.readTree(bytes);
		} catch (JsonProcessingException e) {
			JsonLocation at = e.getLocation();
			String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
			boolean truncated = e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input");
			throw new IOException(source + " is " + (truncated ? "truncated" : "damaged") + ": not valid JSON" + where + " ("
					+ e.getOriginalMessage() + "); write it again (re-run the diagnostics or the report that made it)", e);
		}
		Reader r = new Reader(source);
		if (root == null || !root.isObject()) {
			throw r.problem("", "is not a JSON object, so not a figure file");
		}
		if (!FORMAT.equals(root.path("format").asText(null))) {
			throw r.problem("", "is not a figure file: it has no \"format\": \"" + FORMAT + "\"");
		}
		JsonNode version = root.get("version");
		if (version == null || !version.canConvertToExactIntegral() || version.asInt() < 1) {
			throw r.problem("version", "must be a whole number from 1, not " + version);
		}
		if (version.asInt() > VERSION) {
			throw r.problem("", "was written in figure format version " + version.asInt() + " by a newer SBI Workbench; this one reads "
					+ "versions up to " + VERSION + ": update SBI Workbench to show it");
		}
		String title = r.text(root, "title", false);
		JsonNode columns = root.get("columns");
		if (columns == null || !columns.canConvertToExactIntegral() || columns.asInt() < 1) {
			throw r.problem("columns", "must be a whole number from 1, not " + columns);
		}
		JsonNode panels = r.array(root, "panels", "panels");
		List<Panel> list = new ArrayList<>(panels.size());
		for (int i = 0; i < panels.size(); i++) {
			JsonNode p = panels.get(i);
			list.add(p.isNull() ? null : r.panel(p, "panels[" + i + "]"));
		}
		try {
			return new Figure(title, list, columns.asInt());
		} catch (IllegalArgumentException e) {
			throw r.problem("", "does not describe a valid figure: " + e.getMessage());
		}
	}

	/** Reads the parts of one document, naming the document and the JSON path in every error. */
	private static final class Reader {
		private final String source;

		Reader(String source) {
			this.source = source;
		}

		IOException problem(String path, String what) {
			return new IOException(source + (path.isEmpty() ? " " : ": " + path + " ") + what);
		}

		Panel panel(JsonNode p, String path) throws IOException {
			if (!p.isObject()) {
				throw problem(path, "must be a panel object or null, not " + p.getNodeType().name().toLowerCase(Locale.ROOT));
			}
			JsonNode layers = array(p, "layers", path + ".layers");
			List<Layer> list = new ArrayList<>(layers.size());
			for (int i = 0; i < layers.size(); i++) {
				list.add(layer(layers.get(i), path + ".layers[" + i + "]"));
			}
			try {
				return new Panel(text(p, "title", false), text(p, "x_label", false), text(p, "y_label", false), list,
						numbersOrNull(p, "x_range", path), numbersOrNull(p, "y_range", path));
			} catch (IllegalArgumentException e) {
				throw problem(path, "is not a valid panel: " + e.getMessage());
			}
		}

		Layer layer(JsonNode l, String path) throws IOException {
			if (!l.isObject()) {
				throw problem(path, "must be a layer object");
			}
			String kind = text(l, "kind", false);
			String name = text(l, "name", true);
			Role role = role(l, path);
			try {
				return switch (kind) {
				case "line" -> new Layer.Line(name, role, numbers(l, "x", path), numbers(l, "y", path), bool(l, "dashed", path));
				case "band" -> new Layer.Band(name, role, numbers(l, "x", path), numbers(l, "lower", path), numbers(l, "upper", path));
				case "bars" -> new Layer.Bars(name, role, numbers(l, "edges", path), numbers(l, "heights", path));
				case "points" -> new Layer.Points(name, role, numbers(l, "x", path), numbers(l, "y", path));
				case "marker" -> new Layer.Marker(name, role, number(l.get("value"), path + ".value"), bool(l, "vertical", path));
				case "heatmap" -> {
					JsonNode z = array(l, "z", path + ".z");
					double[][] grid = new double[z.size()][];
					for (int i = 0; i < grid.length; i++) {
						grid[i] = numbers(z.get(i), path + ".z[" + i + "]");
					}
					yield new Layer.Heatmap(name, role, numbers(l, "x_edges", path), numbers(l, "y_edges", path), grid);
				}
				default -> throw problem(path + ".kind", "is '" + kind
						+ "'; the layer kinds are line, band, bars, points, marker and heatmap (a newer SBI Workbench may know more)");
				};
			} catch (IllegalArgumentException e) {
				throw problem(path, "is not a valid " + kind + " layer: " + e.getMessage());
			}
		}

		Role role(JsonNode l, String path) throws IOException {
			JsonNode r = l.get("role");
			if (r == null || r.isNull()) {
				return null;
			}
			try {
				return Role.valueOf(r.asText().toUpperCase(Locale.ROOT));
			} catch (IllegalArgumentException e) {
				throw problem(path + ".role", "is '" + r.asText() + "'; the roles are estimate, reference, truth, map and secondary");
			}
		}

		String text(JsonNode node, String field, boolean nullable) throws IOException {
			JsonNode v = node.get(field);
			if (v == null || v.isNull()) {
				if (nullable) {
					return null;
				}
				throw problem(field, "is missing");
			}
			if (!v.isTextual()) {
				throw problem(field, "must be a string, not " + v);
			}
			return v.asText();
		}

		boolean bool(JsonNode node, String field, String path) throws IOException {
			JsonNode v = node.get(field);
			if (v == null || !v.isBoolean()) {
				throw problem(path + "." + field, v == null ? "is missing" : "must be true or false, not " + v);
			}
			return v.asBoolean();
		}

		JsonNode array(JsonNode node, String field, String path) throws IOException {
			JsonNode v = node.get(field);
			if (v == null || !v.isArray()) {
				throw problem(path, v == null ? "is missing" : "must be an array");
			}
			return v;
		}

		double[] numbers(JsonNode node, String field, String path) throws IOException {
			JsonNode v = node.get(field);
			if (v == null || v.isNull()) {
				throw problem(path + "." + field, "is missing");
			}
			return numbers(v, path + "." + field);
		}

		double[] numbersOrNull(JsonNode node, String field, String path) throws IOException {
			JsonNode v = node.get(field);
			return v == null || v.isNull() ? null : numbers(v, path + "." + field);
		}

		double[] numbers(JsonNode array, String path) throws IOException {
			if (array == null || !array.isArray()) {
				throw problem(path, "must be an array of numbers");
			}
			double[] out = new double[array.size()];
			for (int i = 0; i < out.length; i++) {
				out[i] = number(array.get(i), path + "[" + i + "]");
			}
			return out;
		}

		double number(JsonNode v, String path) throws IOException {
			if (v != null && v.isNumber()) {
				return v.doubleValue();
			}
			if (v != null && v.isTextual()) {
				switch (v.asText()) {
				case "NaN":
					return Double.NaN;
				case "Infinity":
					return Double.POSITIVE_INFINITY;
				case "-Infinity":
					return Double.NEGATIVE_INFINITY;
				default:
				}
			}
			throw problem(path, v == null ? "is missing" : "must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), not " + v);
		}
	}
}
