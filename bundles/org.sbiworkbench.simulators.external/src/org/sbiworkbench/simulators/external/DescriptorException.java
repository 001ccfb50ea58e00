package org.sbiworkbench.simulators.external;

import java.nio.file.Path;

/**
 * A simulator descriptor file that cannot be used. The message names the
 * file, the field and the fix, e.g.
 * {@code sims/gaussian.json: 'timeoutSeconds' must be a positive number of seconds, got -1}.
 */
public class DescriptorException extends Exception {

	private static final long serialVersionUID = 1L;

	private final transient Path file;

	public DescriptorException(Path file, String message) {
		super(message);
		this.file = file;
	}

	public DescriptorException(Path file, String message, Throwable cause) {
		super(message, cause);
		this.file = file;
	}

	/** The descriptor file the problem is in. */
	public Path file() {
		return file;
	}
}
