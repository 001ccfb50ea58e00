package org.sbiworkbench.core.campaign;

/** One failed simulation: its row in the campaign, the kind of failure and the reason. */
public record Failure(long row, FailureKind kind, String reason) {
}
