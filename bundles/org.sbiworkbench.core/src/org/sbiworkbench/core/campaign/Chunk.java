package org.sbiworkbench.core.campaign;

import java.util.List;

/**
 * One finished chunk of a campaign: rows {@code firstRow .. firstRow + rows - 1}.
 * Failed rows keep their θ; their x is NaN and their status is the failure's code.
 */
public record Chunk(int index, long firstRow, double[][] theta, double[][] x, byte[] status, List<Failure> failures) {

	public int rows() {
		return theta.length;
	}
}
