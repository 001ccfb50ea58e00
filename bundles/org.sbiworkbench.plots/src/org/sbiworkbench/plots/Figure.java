package org.sbiworkbench.plots;

import java.util.List;
import java.util.Objects;

/**
 * A figure: panels laid out in a grid of {@code columns} columns, row by row. This is the one plot model that
 * the headless report and the workbench views both draw, so a diagnostic describes its plot once.
 *
 * @param title   shown above the panels; may be empty
 * @param panels  the panels in reading order; {@code null} entries leave a cell empty (e.g. a pairplot's
 *                upper triangle)
 * @param columns how many panels per row
 */
public record Figure(String title, List<Panel> panels, int columns) {

	public Figure {
		Objects.requireNonNull(title, "title");
		panels = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(panels));
		if (columns < 1) {
			throw new IllegalArgumentException("a figure needs at least one column, not " + columns);
		}
	}

	/** A figure of one panel. */
	public static Figure of(Panel panel) {
		return new Figure("", List.of(panel), 1);
	}

	public int rows() {
		return (panels.size() + columns - 1) / columns;
	}
}
