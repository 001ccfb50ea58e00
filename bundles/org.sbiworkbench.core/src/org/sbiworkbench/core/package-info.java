/**
 * The API every SBI Workbench bundle speaks: {@link org.sbiworkbench.core.Prior priors},
 * the {@link org.sbiworkbench.core.Simulator simulator SPI} with its
 * {@link org.sbiworkbench.core.SimulatorDescriptor descriptor}, and
 * {@link org.sbiworkbench.core.Posterior posteriors}.
 * <p>
 * Plain Java only ({@code double[]}, records, Commons Math types): a simulator
 * bundle needs nothing but this package. Randomness is always passed in
 * explicitly, so the same seed gives the same numbers.
 */
package org.sbiworkbench.core;
