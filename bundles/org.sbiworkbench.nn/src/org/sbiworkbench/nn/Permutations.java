package org.sbiworkbench.nn;

import org.apache.commons.math3.random.RandomGenerator;

/** Seeded Fisher–Yates shuffles, shared by training, flows and classifiers so one seed gives one order everywhere. */
public final class Permutations {

	private Permutations() {
	}

	/** A uniformly random permutation of 0..n−1. */
	public static int[] random(int n, RandomGenerator random) {
		int[] p = new int[n];
		for (int i = 0; i < n; i++) {
			p[i] = i;
		}
		shuffle(p, random);
		return p;
	}

	/** Shuffles {@code a} in place. */
	public static void shuffle(int[] a, RandomGenerator random) {
		for (int i = a.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}
}
