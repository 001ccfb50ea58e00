/**
 * The plot model shared by the report and the workbench ({@link org.sbiworkbench.plots.Figure},
 * {@link org.sbiworkbench.plots.Panel}, {@link org.sbiworkbench.plots.Layer}), its rendering to PNG and SVG
 * with JFreeChart ({@link org.sbiworkbench.plots.PlotRenderer}) and its JSON file form, which a run keeps beside
 * the images so that views can draw the model again ({@link org.sbiworkbench.plots.FigureJson}).
 */
package org.sbiworkbench.plots;
