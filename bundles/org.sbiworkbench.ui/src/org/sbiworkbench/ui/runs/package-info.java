/**
 * Run folders as the views see them: what {@code sbiw infer}, {@code sbiw run} and {@code sbiw simulate} wrote
 * ({@code summary.json}, {@code posterior_samples.npy}, the plots, {@code estimator/}, {@code simulations/}), and
 * the run selected in a workbench window.
 */
package org.sbiworkbench.ui.runs;
