package org.sbiworkbench.core;

import java.util.Objects;

/**
 * A named model parameter θ_i, with its physical unit ("" for dimensionless).
 */
public record Parameter(String name, String unit) {

	public Parameter {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(unit, "unit");
		if (name.isBlank()) {
			throw new IllegalArgumentException("A parameter needs a non-blank name");
		}
	}

	/** A dimensionless parameter. */
	public static Parameter of(String name) {
		return new Parameter(name, "");
	}

	/** "name [unit]", or just the name when dimensionless. */
	public String label() {
		return unit.isEmpty() ? name : name + " [" + unit + "]";
	}
}
