package org.sbiworkbench.mcmc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Warm-up windows that double in length, as in Stan's adaptation: each
 * estimate of the target's scale comes from the latest window only, so the
 * early draws, still far from the typical set, are forgotten, while the last
 * window (stretched to the end) is the longest and gives the final estimate.
 */
final class Windows {

	private Windows() {
	}

	/**
	 * The iterations, in [start, end), after which a window closes; the last is
	 * {@code end}. A window is stretched to {@code end} when the next one, twice
	 * as long, would not fit.
	 */
	static List<Integer> ends(int start, int end, int firstLength) {
		List<Integer> ends = new ArrayList<>();
		if (end <= start) {
			return ends;
		}
		int s = start, length = Math.max(1, firstLength);
		while (true) {
			if (s + length + 2 * length > end) {
				ends.add(end);
				return ends;
			}
			ends.add(s + length);
			s += length;
			length *= 2;
		}
	}
}
