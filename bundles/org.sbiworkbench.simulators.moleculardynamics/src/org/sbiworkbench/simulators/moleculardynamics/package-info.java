/**
 * Molecular-dynamics simulators, each an OSGi Declarative Services component
 * offering {@link org.sbiworkbench.core.Simulator}:
 * {@link org.sbiworkbench.simulators.moleculardynamics.OrnsteinUhlenbeck}
 * ({@code ornstein_uhlenbeck}, the Langevin equation of a particle in a
 * harmonic trap, sampled exactly, with its exact likelihood) and
 * {@link org.sbiworkbench.simulators.moleculardynamics.LennardJones2D}
 * ({@code lennard_jones_2d}, a two-dimensional Lennard-Jones fluid under
 * Langevin dynamics, summarised by g(r), the mean squared displacement and the
 * potential energy). The engine of the latter,
 * {@link org.sbiworkbench.simulators.moleculardynamics.LennardJonesSystem}, and
 * {@link org.sbiworkbench.simulators.moleculardynamics.RadialDistribution} are
 * exported so that tests and studies can run the dynamics step by step.
 * Everything is in reduced units, stated in each class.
 */
package org.sbiworkbench.simulators.moleculardynamics;
