package org.sbiworkbench.simulators.moleculardynamics.tests;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.simulators.moleculardynamics.LennardJones2D;
import org.sbiworkbench.simulators.moleculardynamics.OrnsteinUhlenbeck;

/**
 * Simulations per second of each molecular-dynamics simulator on one thread,
 * with θ drawn from the default prior; not a test (it only measures). It
 * prints wall-clock rates and the thread's CPU time per simulation, which is
 * the better guide on a shared, loaded machine. Run
 * from the bundle folders after a build, e.g.
 * <pre>
 * java -cp target/classes:../org.sbiworkbench.simulators.moleculardynamics/target/classes:\
 *   ../org.sbiworkbench.core/target/classes:$HOME/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar \
 *   org.sbiworkbench.simulators.moleculardynamics.tests.SimulationSpeed [seconds per simulator]
 * </pre>
 */
public final class SimulationSpeed {

	private SimulationSpeed() {
	}

	public static void main(String[] args) {
		double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (Simulator simulator : new Simulator[] { new OrnsteinUhlenbeck(), new LennardJones2D() }) {
			Prior prior = simulator.descriptor().defaultPrior();
			Well19937c random = new Well19937c(1);
			// Warm-up: let the JIT compile the hot loops.
			long warm = System.nanoTime();
			while (System.nanoTime() - warm < 0.2 * seconds * 1e9) {
				simulator.simulate(prior.sample(random), random);
			}
			long start = System.nanoTime();
			long cpuStart = threads.getCurrentThreadCpuTime();
			int count = 0;
			while (System.nanoTime() - start < seconds * 1e9) {
				simulator.simulate(prior.sample(random), random);
				count++;
			}
			double elapsed = (System.nanoTime() - start) / 1e9;
			double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
			System.out.printf(Locale.ROOT,
					"%-20s %10.1f simulations/s wall (%.3f ms each, %d in %.1f s); %.3f ms CPU each = %.1f /s per busy core%n",
					simulator.descriptor().id(), count / elapsed, 1e3 * elapsed / count, count, elapsed, 1e3 * cpu / count,
					count / cpu);
		}
	}
}
