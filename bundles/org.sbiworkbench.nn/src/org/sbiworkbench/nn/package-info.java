/**
 * The neural engine: batched float32 arrays on a {@link org.sbiworkbench.nn.Tape}
 * with reverse-mode differentiation, so a new network is written forward only;
 * layers, optimiser and training loop. Heavy products go through
 * {@link org.sbiworkbench.nn.Kernels}, with a pure-Java implementation always
 * present and faster ones (ND4J) plugged in where they measure faster.
 */
package org.sbiworkbench.nn;
