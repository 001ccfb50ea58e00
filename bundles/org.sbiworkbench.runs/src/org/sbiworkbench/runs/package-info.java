/**
 * Running a whole inference outside any user interface: {@link org.sbiworkbench.runs.InferenceRun} simulates,
 * trains, samples, runs the diagnostics and writes a run folder; the headless application and the workbench both
 * call it, from a run file ({@link org.sbiworkbench.runs.InferenceRun#of}) or from parts.
 */
package org.sbiworkbench.runs;
