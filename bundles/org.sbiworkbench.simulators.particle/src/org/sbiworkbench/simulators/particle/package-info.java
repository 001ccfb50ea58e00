/**
 * Particle-physics simulators, each an OSGi Declarative Services component
 * offering {@link org.sbiworkbench.core.Simulator}: {@link org.sbiworkbench.simulators.particle.BumpHunt}
 * ({@code bump_hunt}, a resonance in an invariant-mass spectrum) and
 * {@link org.sbiworkbench.simulators.particle.Weinberg} ({@code weinberg}, the
 * forward–backward asymmetry in e⁺e⁻ → μ⁺μ⁻). The classes are exported so that
 * tests and studies can reach their exact expectations (expected counts,
 * asymmetries) besides the {@code Simulator} interface.
 */
package org.sbiworkbench.simulators.particle;
