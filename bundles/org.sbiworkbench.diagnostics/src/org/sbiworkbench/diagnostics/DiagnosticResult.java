package org.sbiworkbench.diagnostics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.plots.Figure;

/**
 * What a diagnostic found.
 *
 * @param id       the diagnostic's id
 * @param label    its name for people
 * @param headline one line for terminals and the report, e.g. "calibrated (largest deviation 0.04)"
 * @param figures  numbers for {@code summary.json}: numbers, strings, lists and maps of them
 * @param warnings what a user must know before trusting the posterior; empty when the check passes
 * @param plots    figures by file stem, e.g. {@code coverage} → coverage.png
 */
public record DiagnosticResult(String id, String label, String headline, Map<String, Object> figures, List<String> warnings,
		Map<String, Figure> plots) {

	public DiagnosticResult {
		figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
		warnings = List.copyOf(warnings);
		plots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plots));
	}

	public boolean passed() {
		return warnings.isEmpty();
	}
}
