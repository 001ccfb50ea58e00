package org.sbiworkbench.core.run;

/**
 * A run file, manifest or prior specification that cannot be used. The
 * message names the file, the field and the fix.
 */
public class RunFileException extends Exception {

	private static final long serialVersionUID = 1L;

	public RunFileException(String message) {
		super(message);
	}

	public RunFileException(String message, Throwable cause) {
		super(message, cause);
	}
}
