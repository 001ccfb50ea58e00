/** The "Simulation-Based Inference" perspective and the ids other bundles may refer to. */
package org.sbiworkbench.ui;
