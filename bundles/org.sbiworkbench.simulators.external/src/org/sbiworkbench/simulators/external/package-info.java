/**
 * Simulators that are external programs, in any language, described by a small
 * JSON file: {@link org.sbiworkbench.simulators.external.ExternalSimulatorSpec}
 * reads and checks a descriptor,
 * {@link org.sbiworkbench.simulators.external.ExternalSimulator} runs the
 * program once per simulation (never through a shell, with a timeout that
 * kills the whole process tree), and
 * {@link org.sbiworkbench.simulators.external.SimulatorFolder} reads a folder of
 * descriptors. This bundle registers every descriptor in the folder named by the
 * system property {@code sbiworkbench.external.dir} or the environment variable
 * {@code SBIW_EXTERNAL_SIMULATORS} as a {@link org.sbiworkbench.core.Simulator}
 * service. The format is documented in {@code examples/external-simulator/README.md}.
 */
package org.sbiworkbench.simulators.external;
