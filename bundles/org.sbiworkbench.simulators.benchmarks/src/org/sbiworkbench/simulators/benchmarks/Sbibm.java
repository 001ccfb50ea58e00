package org.sbiworkbench.simulators.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;

/** Helpers shared by the sbibm tasks of this bundle. */
final class Sbibm {

	static final String PAPER = "Lueckmann, Boelts, Greenberg, Gonçalves, Macke. Benchmarking simulation-based inference. AISTATS 2021.";

	private Sbibm() {
	}

	/** Dimensionless parameters {@code prefix_1 .. prefix_n}. */
	static List<Parameter> parameters(String prefix, int n) {
		List<Parameter> ps = new ArrayList<>();
		for (int i = 1; i <= n; i++) {
			ps.add(Parameter.of(prefix + "_" + i));
		}
		return List.copyOf(ps);
	}

	/** Names {@code prefix_1 .. prefix_n}. */
	static List<String> names(String prefix, int n) {
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= n; i++) {
			names.add(prefix + "_" + i);
		}
		return List.copyOf(names);
	}

	/** sbibm's observations as {x_o, θ_true} pairs, named "sbibm 1" .. "sbibm 10". */
	static List<Observation> observations(double[][][] xAndTheta) {
		List<Observation> observations = new ArrayList<>();
		for (int k = 0; k < xAndTheta.length; k++) {
			observations.add(new Observation("sbibm " + (k + 1), xAndTheta[k][0], xAndTheta[k][1]));
		}
		return List.copyOf(observations);
	}

	/** Throws when θ does not have the task's number of parameters; the message names the task. */
	static void checkParameters(String task, List<Parameter> parameters, double[] theta) {
		if (theta == null || theta.length != parameters.size()) {
			throw new IllegalArgumentException(task + " takes " + parameters.size() + " parameters ("
					+ parameters.get(0).name() + ", ..., " + parameters.get(parameters.size() - 1).name() + "), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
	}

	/** Throws when x_o does not have the task's number of components or is not finite. */
	static void checkObservation(String task, int dimension, double[] observation) {
		if (observation == null || observation.length != dimension) {
			throw new IllegalArgumentException(task + " observations have " + dimension + " components, got "
					+ (observation == null ? "null" : Integer.toString(observation.length)));
		}
		for (double v : observation) {
			if (!Double.isFinite(v)) {
				throw new IllegalArgumentException(task + " observations must be finite, got " + java.util.Arrays.toString(observation));
			}
		}
	}
}
