package org.sbiworkbench.core.campaign;

/** Why a simulation produced no usable x. Codes are stored in the campaign's status arrays. */
public enum FailureKind {
	/** The simulator threw. */
	EXCEPTION(1, "exception"),
	/** x contains NaN or ±Infinity. */
	NON_FINITE(2, "non_finite"),
	/** x is null or its length differs from the simulator's observation dimension. */
	WRONG_SHAPE(3, "wrong_shape"),
	/** The simulation ran past the campaign's time limit and was abandoned. */
	TIMEOUT(4, "timeout"),
	/**
	 * The simulation never came back: the cluster job meant to run it failed,
	 * was cancelled or lost its node more often than the executor retries.
	 * θ is kept (it depends on the seed alone); the reason names the job and its log.
	 */
	LOST(5, "lost");

	/** The status code of a successful row. */
	public static final byte OK = 0;

	private final byte code;
	private final String id;

	FailureKind(int code, String id) {
		this.code = (byte) code;
		this.id = id;
	}

	public byte code() {
		return code;
	}

	/** The name used in manifests and reports, e.g. "non_finite". */
	public String id() {
		return id;
	}

	public static FailureKind ofCode(int code) {
		for (FailureKind k : values()) {
			if (k.code == code) {
				return k;
			}
		}
		throw new IllegalArgumentException("Unknown failure code " + code);
	}

	public static FailureKind ofId(String id) {
		for (FailureKind k : values()) {
			if (k.id.equals(id)) {
				return k;
			}
		}
		throw new IllegalArgumentException("Unknown failure kind '" + id + "'");
	}
}
