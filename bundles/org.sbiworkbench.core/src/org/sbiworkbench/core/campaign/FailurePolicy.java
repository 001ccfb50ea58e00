package org.sbiworkbench.core.campaign;

/**
 * What inference does with failed simulations. Failed rows are always kept in
 * the campaign with their reasons; the policy only decides whether training
 * may go on without them.
 */
public enum FailurePolicy {
	/** Train on the successful rows; failures are counted and reported. The default. */
	EXCLUDE,
	/** Refuse to train if any simulation failed. */
	REQUIRE_ALL
}
