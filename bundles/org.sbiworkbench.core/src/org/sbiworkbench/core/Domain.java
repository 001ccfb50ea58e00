package org.sbiworkbench.core;

/** The field a simulator belongs to; the workbench groups simulators by it. */
public enum Domain {
	PARTICLE_PHYSICS("Particle physics"),
	MOLECULAR_DYNAMICS("Molecular dynamics"),
	CLIMATE("Climate"),
	BENCHMARK("Benchmark"),
	OTHER("Other");

	private final String displayName;

	Domain(String displayName) {
		this.displayName = displayName;
	}

	public String displayName() {
		return displayName;
	}
}
