/**
 * Diagnostics of posteriors: classifier two-sample tests (C2ST) now; PPC,
 * expected coverage, SBC and misspecification checks follow.
 */
package org.sbiworkbench.diagnostics;
