package org.sbiworkbench.core.storage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.campaign.FailurePolicy;

/**
 * The simulations of a campaign, failed rows included: θ for every row, x
 * (NaN where failed), the status of each row and the failures with reasons.
 */
public record SimulationSet(CampaignManifest manifest, double[][] theta, double[][] x, byte[] status, long[] rowIndex,
		List<Failure> failures) {

	public int size() {
		return theta.length;
	}

	public Map<FailureKind, Long> failureCounts() {
		Map<FailureKind, Long> counts = new EnumMap<>(FailureKind.class);
		for (Failure f : failures) {
			counts.merge(f.kind(), 1L, Long::sum);
		}
		return counts;
	}

	/** The pairs (θ, x) inference may train on. */
	public record TrainingData(double[][] theta, double[][] x, int excluded) {
	}

	/**
	 * The successful rows, under an explicit policy: {@link FailurePolicy#EXCLUDE}
	 * drops failed rows (their number is returned), {@link FailurePolicy#REQUIRE_ALL}
	 * refuses when any failed.
	 */
	public TrainingData training(FailurePolicy policy) {
		if (policy == FailurePolicy.REQUIRE_ALL && !failures.isEmpty()) {
			throw new IllegalStateException(failures.size() + " of " + size() + " simulations failed " + failureCounts()
					+ " and the failure policy requires all; fix the simulator or use the policy EXCLUDE");
		}
		List<double[]> t = new ArrayList<>();
		List<double[]> xs = new ArrayList<>();
		for (int i = 0; i < theta.length; i++) {
			if (status[i] == FailureKind.OK) {
				t.add(theta[i]);
				xs.add(x[i]);
			}
		}
		return new TrainingData(t.toArray(double[][]::new), xs.toArray(double[][]::new), theta.length - t.size());
	}
}
