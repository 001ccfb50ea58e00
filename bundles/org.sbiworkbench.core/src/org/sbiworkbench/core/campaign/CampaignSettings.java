package org.sbiworkbench.core.campaign;

import java.time.Duration;

/**
 * How a simulation campaign runs.
 *
 * @param simulations number of simulations N
 * @param seed        the campaign seed; row i always uses the stream {@link Seeds#forRow(long, long) forRow(seed, i)}
 * @param chunkSize   rows per stored chunk; a killed run loses at most the chunks in flight
 * @param threads     worker threads (0 = one per core)
 * @param timeout     a simulation running longer is abandoned and recorded as a timeout (null = no limit)
 */
public record CampaignSettings(long simulations, long seed, int chunkSize, int threads, Duration timeout) {

	public static final int DEFAULT_CHUNK_SIZE = 1000;

	public CampaignSettings {
		if (simulations <= 0) {
			throw new IllegalArgumentException("The number of simulations must be positive, got " + simulations);
		}
		if (chunkSize <= 0) {
			throw new IllegalArgumentException("The chunk size must be positive, got " + chunkSize);
		}
		if (threads < 0) {
			throw new IllegalArgumentException("The thread count must be 0 (one per core) or positive, got " + threads);
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("The simulation timeout must be positive, got " + timeout);
		}
		if ((simulations + chunkSize - 1) / chunkSize > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("Too many chunks: raise the chunk size");
		}
	}

	public static CampaignSettings of(long simulations, long seed) {
		return new CampaignSettings(simulations, seed, DEFAULT_CHUNK_SIZE, 0, null);
	}

	public int chunkCount() {
		return (int) ((simulations + chunkSize - 1) / chunkSize);
	}

	/** Rows in chunk k (the last one may be short). */
	public int rowsInChunk(int k) {
		long first = (long) k * chunkSize;
		return (int) Math.min(chunkSize, simulations - first);
	}

	public int effectiveThreads() {
		return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
	}

	public CampaignSettings withThreads(int n) {
		return new CampaignSettings(simulations, seed, chunkSize, n, timeout);
	}

	public CampaignSettings withChunkSize(int n) {
		return new CampaignSettings(simulations, seed, n, threads, timeout);
	}

	public CampaignSettings withTimeout(Duration t) {
		return new CampaignSettings(simulations, seed, chunkSize, threads, t);
	}
}
