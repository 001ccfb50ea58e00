package org.sbiworkbench.core.campaign;

import java.util.SplittableRandom;

import org.apache.commons.math3.random.BitsStreamGenerator;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Per-row random streams: row i of a campaign with seed s always gets the
 * same stream, whichever thread runs it and in whatever order, so the same
 * seed gives the same numbers whatever the thread count.
 */
public final class Seeds {

	private Seeds() {
	}

	/** The generator for row {@code row} of a campaign seeded with {@code seed}. */
	public static RandomGenerator forRow(long seed, long row) {
		return new SplitMixGenerator(mix(seed ^ mix(row + 0x9E3779B97F4A7C15L)));
	}

	/** Stafford's variant 13 of the MurmurHash3 finaliser, as used by SplitMix64. */
	static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/** Commons Math's generator interface over the JDK's SplitMix64. Not thread-safe: one per row. */
	static final class SplitMixGenerator extends BitsStreamGenerator {

		private static final long serialVersionUID = 1L;
		private SplittableRandom random;

		SplitMixGenerator(long seed) {
			random = new SplittableRandom(seed);
		}

		@Override
		public void setSeed(int seed) {
			random = new SplittableRandom(seed);
			clear();
		}

		@Override
		public void setSeed(int[] seed) {
			long s = 0;
			for (int v : seed) {
				s = mix(s ^ v);
			}
			random = new SplittableRandom(s);
			clear();
		}

		@Override
		public void setSeed(long seed) {
			random = new SplittableRandom(seed);
			clear();
		}

		@Override
		protected int next(int bits) {
			return (int) (random.nextLong() >>> (64 - bits));
		}

		@Override
		public double nextDouble() {
			return random.nextDouble();
		}

		@Override
		public long nextLong() {
			return random.nextLong();
		}
	}
}
