/**
 * Climate simulators, each an OSGi Declarative Services component offering
 * {@link org.sbiworkbench.core.Simulator}:
 * {@link org.sbiworkbench.simulators.climate.Lorenz96} ({@code lorenz96}, the
 * stochastically parametrised Lorenz-96 weather model with closure parameters,
 * as in the likelihood-free inference literature) and
 * {@link org.sbiworkbench.simulators.climate.TwoLayerEbm} ({@code two_layer_ebm},
 * a two-layer energy-balance model of global warming after an abrupt
 * quadrupling of CO₂, with stochastic forcing). The classes are exported so
 * that tests and studies can reach the raw series, the integrators and the
 * analytic time scales besides the {@code Simulator} interface.
 */
package org.sbiworkbench.simulators.climate;
