/**
 * ND4J with native OpenBLAS as an optional accelerator for heavy matrix work.
 * No ND4J type crosses this API: callers pass {@code float[]} buffers.
 */
package org.sbiworkbench.nd4j;
