package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.util.Objects;

/**
 * The bytes given to {@link Npy#read} are not a well-formed {@code .npy} file
 * this reader can read. The message is {@code "<source>: <problem>"}: it names
 * the file (or the name given with the bytes), says what is wrong and, where
 * there is one, how to fix it.
 */
public class NpyFormatException extends IOException {

	private static final long serialVersionUID = 1L;

	private final String source;
	private final String problem;

	/**
	 * @param source  the file or name the bytes came from
	 * @param problem what is wrong, and the fix where there is one
	 */
	public NpyFormatException(String source, String problem) {
		this(source, problem, null);
	}

	public NpyFormatException(String source, String problem, Throwable cause) {
		super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(problem, "problem"), cause);
		this.source = source;
		this.problem = problem;
	}

	/** The file (or the name given with the bytes) that could not be read. */
	public String source() {
		return source;
	}

	/** The message without the source prefix. */
	public String problem() {
		return problem;
	}
}
