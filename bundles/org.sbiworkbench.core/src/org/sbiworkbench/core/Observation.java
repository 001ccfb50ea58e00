package org.sbiworkbench.core;

import java.util.Objects;
import java.util.Optional;

/**
 * An observed data vector x_o, optionally with the parameters θ that generated
 * it (known for benchmark tasks and synthetic data, used to check a posterior).
 */
public record Observation(String name, double[] values, double[] trueParameters) {

	public Observation {
		Objects.requireNonNull(name, "name");
		values = Objects.requireNonNull(values, "values").clone();
		trueParameters = trueParameters == null ? null : trueParameters.clone();
	}

	@Override
	public double[] values() {
		return values.clone();
	}

	public Optional<double[]> knownParameters() {
		return Optional.ofNullable(trueParameters).map(double[]::clone);
	}

	/** Records compare arrays by identity; observations compare by content. */
	@Override
	public boolean equals(Object o) {
		return o instanceof Observation other && name.equals(other.name)
				&& java.util.Arrays.equals(values, other.values)
				&& java.util.Arrays.equals(trueParameters, other.trueParameters);
	}

	@Override
	public int hashCode() {
		return Objects.hash(name, java.util.Arrays.hashCode(values), java.util.Arrays.hashCode(trueParameters));
	}

	@Override
	public String toString() {
		return "Observation[" + name + ", x=" + java.util.Arrays.toString(values)
				+ (trueParameters == null ? "" : ", θ=" + java.util.Arrays.toString(trueParameters)) + "]";
	}
}
