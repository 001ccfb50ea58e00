/**
 * Markov chain Monte Carlo for any log-density: adaptive Metropolis–Hastings,
 * slice sampling, Hamiltonian Monte Carlo and Gibbs sampling, all running many
 * chains at once, with split-R̂ and effective sample sizes to judge the result.
 * <p>
 * A {@link org.sbiworkbench.mcmc.LogDensity target} is evaluated for all chains
 * in one batched call, because the targets of NLE and NRE are neural networks
 * that cost little more for 20 points than for one. A run is
 * {@code Samplers.byId("slice").sample(target, Initialiser.fromPrior(prior),
 * McmcSettings.defaults(), seed, monitor)}; the same seed gives the same draws.
 */
package org.sbiworkbench.mcmc;
