package org.sbiworkbench.nn;

import java.util.List;

/** Anything with trainable weights. */
public interface Module {

	/** Every trainable variable, in a fixed order (used for saving and loading). */
	List<Variable> variables();

	default int parameterCount() {
		return variables().stream().mapToInt(Variable::size).sum();
	}
}
