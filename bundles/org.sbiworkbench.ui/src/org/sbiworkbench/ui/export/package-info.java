/**
 * Exports from the views: plots as PNG or SVG drawn again from their plot models, plots an older run kept only as
 * files, and posterior samples as CSV or NumPy {@code .npy} ({@link org.sbiworkbench.ui.export.Exports}, no SWT),
 * and the Save As dialogs that run them in a Job ({@link org.sbiworkbench.ui.export.ExportDialogs}).
 */
package org.sbiworkbench.ui.export;
