package org.sbiworkbench.core.run;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean …?" for misspelt names in run files and descriptors. */
public final class Suggestions {

	/** Names at most this many edits away are offered as the likely intended one. */
	public static final int MAX_EDITS = 3;

	private Suggestions() {
	}

	/** The known name closest to {@code name}, if it is at most {@link #MAX_EDITS} edits away. */
	public static Optional<String> closest(String name, Collection<String> known) {
		return known.stream().min(Comparator.comparingInt(k -> editDistance(k, name))).filter(k -> editDistance(k, name) <= MAX_EDITS);
	}

	/** Levenshtein distance: insertions, deletions and substitutions that turn a into b. */
	public static int editDistance(String a, String b) {
		int[] prev = new int[b.length() + 1];
		int[] cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			prev[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
			}
			int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}
}
