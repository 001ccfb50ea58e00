package org.sbiworkbench.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link Simulator} is: its identity, the parameters θ it takes (with
 * units and a default prior), the observations x it produces, and the
 * literature it implements.
 *
 * @param id               stable identifier used in run files and on the command line, e.g. {@code two_moons}
 * @param name             human-readable name
 * @param domain           the field it belongs to
 * @param version          the simulator's own version; recorded with every simulation campaign
 * @param description      one or two sentences on what it simulates
 * @param parameters       θ_1..θ_d with units
 * @param observationNames names of the components of x, in order
 * @param defaultPrior     the prior to use when a run names none; over exactly {@code parameters}
 * @param defaultObservations observations shipped with the simulator (may be empty)
 * @param references       literature the simulator implements, as citations
 * @param observationShape the shape of x before it is flattened into {@code observationNames} order
 *                         (C order), e.g. [160, 40] for 160 time steps of 40 variables; [d] for a plain vector
 */
public record SimulatorDescriptor(String id, String name, Domain domain, String version, String description,
		List<Parameter> parameters, List<String> observationNames, Prior defaultPrior,
		List<Observation> defaultObservations, List<String> references, List<Integer> observationShape) {

	private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

	public SimulatorDescriptor {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(domain, "domain");
		Objects.requireNonNull(version, "version");
		Objects.requireNonNull(description, "description");
		Objects.requireNonNull(defaultPrior, "defaultPrior");
		parameters = List.copyOf(parameters);
		observationNames = List.copyOf(observationNames);
		defaultObservations = List.copyOf(defaultObservations);
		references = List.copyOf(references);
		observationShape = List.copyOf(observationShape);
		if (!ID.matcher(id).matches()) {
			throw new IllegalArgumentException("Simulator id '" + id
					+ "' must start with a lower-case letter and use only a-z, 0-9 and '_' (e.g. two_moons)");
		}
		if (parameters.isEmpty()) {
			throw new IllegalArgumentException("Simulator '" + id + "' declares no parameters");
		}
		if (observationNames.isEmpty()) {
			throw new IllegalArgumentException("Simulator '" + id + "' declares no observation components");
		}
		if (!defaultPrior.parameters().equals(parameters)) {
			throw new IllegalArgumentException("The default prior of '" + id + "' is over "
					+ defaultPrior.parameters() + " but the simulator takes " + parameters);
		}
		if (new HashSet<>(parameters.stream().map(Parameter::name).toList()).size() != parameters.size()) {
			throw new IllegalArgumentException("Simulator '" + id + "' has duplicate parameter names: " + parameters);
		}
		long size = 1;
		for (int n : observationShape) {
			if (n <= 0) {
				throw new IllegalArgumentException("Simulator '" + id + "' has an observation shape with a non-positive size: " + observationShape);
			}
			size *= n;
		}
		if (observationShape.isEmpty() || size != observationNames.size()) {
			throw new IllegalArgumentException("Simulator '" + id + "' declares the observation shape " + observationShape
					+ " (" + size + " values) but names " + observationNames.size() + " observation components");
		}
		int d = parameters.size();
		for (Observation o : defaultObservations) {
			if (o.values().length != observationNames.size()) {
				throw new IllegalArgumentException("Observation '" + o.name() + "' of '" + id + "' has "
						+ o.values().length + " values; the simulator produces " + observationNames.size());
			}
			if (o.knownParameters().map(t -> t.length != d).orElse(false)) {
				throw new IllegalArgumentException("Observation '" + o.name() + "' of '" + id
						+ "' gives true parameters of the wrong length");
			}
		}
	}

	/** A descriptor whose observation is a plain vector (shape [number of observation names]). */
	public SimulatorDescriptor(String id, String name, Domain domain, String version, String description,
			List<Parameter> parameters, List<String> observationNames, Prior defaultPrior,
			List<Observation> defaultObservations, List<String> references) {
		this(id, name, domain, version, description, parameters, observationNames, defaultPrior, defaultObservations,
				references, List.of(observationNames.size()));
	}

	public int parameterDimension() {
		return parameters.size();
	}

	public int observationDimension() {
		return observationNames.size();
	}
}
