/**
 * The plot model shared by the report and the workbench ({@link org.sbiworkbench.plots.Figure},
 * {@link org.sbiworkbench.plots.Panel}, {@link org.sbiworkbench.plots.Layer}) and its rendering to PNG and SVG
 * with JFreeChart ({@link org.sbiworkbench.plots.PlotRenderer}).
 */
package org.sbiworkbench.plots;
