package org.sbiworkbench.app.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.app.SbiwCommandLine;
import org.sbiworkbench.core.Simulator;

class SimulatorsCommandTest {

	private final StringWriter out = new StringWriter();
	private final StringWriter err = new StringWriter();

	private int run(List<Simulator> simulators, String... args) {
		return new SbiwCommandLine(() -> simulators).execute(args, new PrintWriter(out), new PrintWriter(err));
	}

	private static List<Simulator> registered() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(SimulatorsCommandTest.class).getBundleContext();
		List<Simulator> list = new ArrayList<>();
		for (ServiceReference<Simulator> ref : context.getServiceReferences(Simulator.class, null)) {
			list.add(context.getService(ref));
		}
		return list;
	}

	@Test
	void listsTwoMoonsWithIdFirstThenParameters() throws Exception {
		assertEquals(0, run(registered(), "simulators"), err.toString());
		String line = out.toString().lines().filter(l -> l.startsWith("two_moons ")).findFirst()
				.orElseThrow(() -> new AssertionError("no line starting with two_moons in:\n" + out));
		assertEquals("two_moons  theta_1 ~ U(-1, 1), theta_2 ~ U(-1, 1)  ->  x_1, x_2  (Two moons; Benchmark)", line);
	}

	@Test
	void noSimulatorsIsAnErrorThatSaysWhatToCheck() {
		assertEquals(1, run(List.of(), "simulators"));
		assertTrue(err.toString().contains("org.apache.felix.scr"), err.toString());
	}

	@Test
	void anUnknownCommandIsRejectedWithCode2AndNamed() {
		assertEquals(2, run(List.of(), "simulatorz"));
		assertTrue(err.toString().contains("simulatorz"), err.toString());
	}

	@Test
	void helpListsTheCommands() {
		assertEquals(0, run(List.of(), "--help"));
		assertTrue(out.toString().contains("simulators"), out.toString());
	}
}
