package org.sbiworkbench.runs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.diagnostics.Diagnostic;
import org.sbiworkbench.diagnostics.DiagnosticContext;
import org.sbiworkbench.diagnostics.DiagnosticResult;
import org.sbiworkbench.plots.Figure;
import org.sbiworkbench.plots.FigureJson;
import org.sbiworkbench.plots.PlotRenderer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The diagnostics and plots of one run: runs the requested diagnostic services, writes every figure as PNG and
 * SVG into the output folder, and records figures, headlines and warnings in {@code summary.json}.
 */
public final class Report {

	private static final ObjectMapper JSON = new ObjectMapper();
	private final Path out;
	private final PrintWriter stdout;
	private final List<String> plots = new ArrayList<>();

	Report(Path out, PrintWriter stdout) {
		this.out = out;
		this.stdout = stdout;
	}

	/** The requested diagnostics in order, or an error naming the unknown ids and the installed ones. */
	public static List<Diagnostic> resolve(List<String> ids, List<Diagnostic> installed) {
		Map<String, Diagnostic> byId = new LinkedHashMap<>();
		installed.forEach(d -> byId.put(d.id(), d));
		List<Diagnostic> out = new ArrayList<>();
		List<String> unknown = new ArrayList<>();
		for (String id : ids) {
			if (byId.containsKey(id)) {
				out.add(byId.get(id));
			} else {
				unknown.add(id);
			}
		}
		if (!unknown.isEmpty()) {
			throw new IllegalArgumentException("unknown diagnostic" + (unknown.size() > 1 ? "s " : " ") + unknown + "; installed: "
					+ new java.util.TreeSet<>(byId.keySet()) + " (or 'none')");
		}
		return out;
	}

	/** Parses a list of diagnostics as {@code sbiw infer --diagnostics} takes it: comma-separated ids, or "none". */
	public static List<String> parse(String value) {
		if (value == null || value.isBlank() || value.strip().equals("none")) {
			return List.of();
		}
		return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
	}

	/** Writes {@code stem.png} and {@code stem.svg}, and the plot model as {@code stem.figure.json} for the workbench to redraw. */
	void plot(String stem, Figure figure) throws IOException {
		int columns = figure.columns();
		int rows = figure.rows();
		int cell = columns == 1 && rows == 1 ? 600 : Math.max(160, Math.min(320, 1800 / columns));
		int width = columns == 1 && rows == 1 ? 800 : cell * columns;
		int height = cell * rows + (figure.title().isEmpty() ? 0 : 40);
		PlotRenderer renderer = new PlotRenderer();
		renderer.writePng(figure, out.resolve(stem + ".png"), width, height);
		renderer.writeSvg(figure, out.resolve(stem + ".svg"), width, height);
		FigureJson.write(figure, FigureJson.file(out, stem));
		plots.add(stem + ".png");
	}

	List<String> plots() {
		return List.copyOf(plots);
	}

	/**
	 * Runs the diagnostics into {@code summary.diagnostics}, adding their warnings to {@code warnings}. A
	 * diagnostic that cannot run here is recorded as skipped with the reason; one that fails is recorded with its
	 * error and the others still run.
	 */
	void runDiagnostics(List<Diagnostic> diagnostics, DiagnosticContext context, ObjectNode summary, ArrayNode warnings,
			ProgressMonitor monitor) throws IOException {
		ObjectNode all = summary.putObject("diagnostics");
		for (Diagnostic d : diagnostics) {
			ObjectNode node = all.putObject(d.id());
			node.put("label", d.label());
			var reason = d.unavailableReason(context);
			if (reason.isPresent()) {
				node.put("status", "skipped");
				node.put("reason", reason.get());
				stdout.printf("  %-17s skipped: %s%n", d.id(), reason.get());
				continue;
			}
			long t0 = System.nanoTime();
			DiagnosticResult r;
			try {
				r = d.run(context, monitor);
			} catch (CancellationException e) {
				throw e;
			} catch (RuntimeException e) {
				node.put("status", "failed");
				node.put("error", String.valueOf(e.getMessage()));
				warnings.add(d.label() + " could not run: " + e.getMessage());
				stdout.printf("  %-17s FAILED: %s%n", d.id(), e.getMessage());
				continue;
			}
			node.put("status", r.passed() ? "passed" : "warning");
			node.put("headline", r.headline());
			r.figures().forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
			r.warnings().forEach(warnings::add);
			ArrayNode files = node.putArray("plots");
			for (var p : r.plots().entrySet()) {
				plot(p.getKey(), p.getValue());
				files.add(p.getKey() + ".png");
			}
			node.put("seconds", (System.nanoTime() - t0) / 1e9);
			stdout.printf("  %-17s %s%n", d.id(), r.headline());
			stdout.flush();
		}
	}

	/**
	 * Writes {@code index.html}: the posterior table, warnings, each diagnostic's headline, every plot, and the
	 * run's settings, seeds, versions and timings — one page to read or send.
	 */
	void writeIndex(ObjectNode summary) throws IOException {
		StringBuilder h = new StringBuilder();
		String title = summary.path("method").asText().toUpperCase(java.util.Locale.ROOT) + " on " + summary.path("simulator").asText();
		h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n");
		h.append("<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}table{border-collapse:collapse}"
				+ "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}.warn{background:#fff3cd;"
				+ "border:1px solid #e0c36a;padding:8px;margin:4px 0}.ok{color:#2a7a2a}.bad{color:#b00}img{max-width:100%;"
				+ "border:1px solid #eee;margin:8px 0}pre{background:#f8f8f8;padding:8px;overflow:auto}</style></head><body>\n");
		h.append("<h1>").append(esc(title)).append("</h1>\n");
		JsonNodes warnings = new JsonNodes(summary.path("warnings"));
		if (warnings.size() == 0) {
			h.append("<p class=\"ok\">No warnings.</p>\n");
		}
		for (var w : warnings) {
			h.append("<div class=\"warn\">&#9888; ").append(esc(w.asText())).append("</div>\n");
		}
		h.append("<h2>Posterior</h2>\n<table><tr><th>parameter</th><th>mean</th><th>std</th><th>median</th><th>95% interval</th>"
				+ "<th>MAP</th><th>true</th></tr>\n");
		for (int j = 0; j < summary.path("parameters").size(); j++) {
			h.append("<tr><th>").append(esc(summary.path("parameters").get(j).asText())).append("</th>");
			h.append(td(summary.path("mean").get(j))).append(td(summary.path("std").get(j))).append(td(summary.path("median").get(j)));
			h.append("<td>[").append(num(summary.path("ci95").get(j).get(0))).append(", ").append(num(summary.path("ci95").get(j).get(1)))
					.append("]</td>");
			h.append(td(summary.path("map").isArray() ? summary.path("map").get(j) : null));
			h.append(td(summary.path("true_parameters").isArray() ? summary.path("true_parameters").get(j) : null)).append("</tr>\n");
		}
		h.append("</table>\n");
		if (summary.has("diagnostics")) {
			h.append("<h2>Diagnostics</h2>\n<table><tr><th>check</th><th>result</th></tr>\n");
			summary.path("diagnostics").fields().forEachRemaining(e -> {
				String status = e.getValue().path("status").asText();
				String text = e.getValue().has("headline") ? e.getValue().path("headline").asText() : e.getValue().path("reason").asText(
						e.getValue().path("error").asText());
				h.append("<tr><th>").append(esc(e.getKey())).append("</th><td style=\"text-align:left\" class=\"")
						.append(status.equals("passed") ? "ok" : status.equals("skipped") ? "" : "bad").append("\">").append(esc(text))
						.append("</td></tr>\n");
			});
			h.append("</table>\n");
		}
		h.append("<h2>Plots</h2>\n");
		for (String p : plots) {
			String stem = p.substring(0, p.length() - 4);
			h.append("<h3>").append(esc(stem)).append("</h3><a href=\"").append(esc(stem)).append(".svg\"><img src=\"").append(esc(p))
					.append("\" alt=\"").append(esc(stem)).append("\"></a>\n");
		}
		h.append("<h2>Run</h2>\n<p>Seed ").append(summary.path("seed").asText()).append(", ").append(summary.path("samples").asText())
				.append(" posterior samples (<a href=\"posterior_samples.csv\">CSV</a>, <a href=\"posterior_samples.npy\">.npy</a>), "
						+ "full numbers in <a href=\"summary.json\">summary.json</a>.</p>\n");
		h.append("<h3>Settings</h3><pre>").append(esc(summary.path("settings").toPrettyString())).append("</pre>\n");
		h.append("<h3>Timings (s)</h3><pre>").append(esc(summary.path("timings").toPrettyString())).append("</pre>\n");
		h.append("<h3>Observation</h3><pre>").append(esc(summary.path("observation").toString())).append("</pre>\n");
		ObjectNode training = summary.path("training").deepCopy();
		training.remove("training_loss");
		training.remove("validation_loss");
		h.append("<h3>Training</h3><pre>").append(esc(training.toPrettyString())).append("</pre>\n");
		if (summary.has("inference")) {
			h.append("<h3>Inference</h3><pre>").append(esc(summary.path("inference").toPrettyString())).append("</pre>\n");
		}
		h.append("<h3>Versions</h3><pre>").append(esc(summary.path("versions").toPrettyString())).append("</pre>\n");
		h.append("</body></html>\n");
		org.sbiworkbench.core.storage.AtomicFiles.write(out.resolve("index.html"), h.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Iterable view of a JSON array that is empty for a missing node. */
	private record JsonNodes(com.fasterxml.jackson.databind.JsonNode node) implements Iterable<com.fasterxml.jackson.databind.JsonNode> {
		int size() {
			return node.isArray() ? node.size() : 0;
		}

		@Override
		public java.util.Iterator<com.fasterxml.jackson.databind.JsonNode> iterator() {
			return node.isArray() ? node.elements() : java.util.Collections.emptyIterator();
		}
	}

	private static String td(com.fasterxml.jackson.databind.JsonNode v) {
		return "<td>" + (v == null || v.isNull() || v.isMissingNode() ? "–" : num(v)) + "</td>";
	}

	private static String num(com.fasterxml.jackson.databind.JsonNode v) {
		return String.format(java.util.Locale.ROOT, "%.4g", v.asDouble());
	}

	static String esc(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
