package org.sbiworkbench.core.campaign;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.math3.random.RandomGenerator;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;

/**
 * Runs N simulations θ_i ~ prior, x_i ~ simulator(θ_i) on worker threads and
 * hands finished chunks to a {@link ChunkSink}.
 * <p>
 * Row i draws θ_i and x_i from {@link Seeds#forRow(long, long)} alone, so the
 * numbers do not depend on the thread count or on which chunks were done in
 * an earlier, interrupted run. Every failure (exception, NaN/Inf, wrong shape,
 * timeout) is kept as a row with its θ and reason. A simulation running past
 * the timeout is abandoned: its thread is interrupted and replaced (a Java
 * thread cannot be killed), so one hung simulation never stalls the campaign.
 */
public final class CampaignRunner {

	/** Above this many abandoned (hung) threads the campaign stops: the simulator is broken. */
	static final int MAX_ABANDONED_THREADS = 64;
	private static final long POLL_MILLIS = 20;

	private final Simulator simulator;
	private final Prior prior;
	private final CampaignSettings settings;
	private final int observationDimension;

	public enum Outcome {
		COMPLETED, CANCELLED
	}

	public CampaignRunner(Simulator simulator, Prior prior, CampaignSettings settings) {
		this.simulator = simulator;
		this.prior = prior;
		this.settings = settings;
		this.observationDimension = simulator.descriptor().observationDimension();
		if (prior.dimension() != simulator.descriptor().parameterDimension()) {
			throw new IllegalArgumentException("The prior is over " + prior.dimension() + " parameters but "
					+ simulator.descriptor().id() + " takes " + simulator.descriptor().parameterDimension());
		}
	}

	/**
	 * Simulates every chunk not in {@code done}.
	 *
	 * @return COMPLETED when all chunks reached the sink, CANCELLED when the
	 *         monitor asked to stop (chunks finished before that were written)
	 * @throws IOException from the sink; the campaign stops
	 */
	public Outcome run(Set<Integer> done, ChunkSink sink, ProgressMonitor monitor) throws IOException {
		int[] todo = java.util.stream.IntStream.range(0, settings.chunkCount()).filter(k -> !done.contains(k)).toArray();
		long rowsTodo = 0;
		for (int k : todo) {
			rowsTodo += settings.rowsInChunk(k);
		}
		monitor.begin("Simulating " + simulator.descriptor().id(), rowsTodo);
		try {
			if (todo.length == 0) {
				return Outcome.COMPLETED;
			}
			return new Execution(todo, rowsTodo, sink, monitor).run();
		} finally {
			monitor.done();
		}
	}

	/** {@link #run} for sinks that cannot fail (e.g. collecting chunks in memory). */
	public Outcome runUnchecked(Set<Integer> done, ChunkSink sink, ProgressMonitor monitor) {
		try {
			return run(done, sink, monitor);
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** Simulates one row; never throws for a failing simulation. */
	RowResult simulateRow(long row, java.util.function.Consumer<double[]> thetaDrawn) {
		RandomGenerator random = Seeds.forRow(settings.seed(), row);
		double[] theta = prior.sample(random);
		thetaDrawn.accept(theta);
		try {
			double[] x = simulator.simulate(theta.clone(), random);
			if (x == null) {
				return RowResult.failed(theta, FailureKind.WRONG_SHAPE, "the simulator returned null");
			}
			if (x.length != observationDimension) {
				return RowResult.failed(theta, FailureKind.WRONG_SHAPE, "the simulator returned " + x.length
						+ " values; its descriptor declares " + observationDimension);
			}
			for (int j = 0; j < x.length; j++) {
				if (!Double.isFinite(x[j])) {
					return RowResult.failed(theta, FailureKind.NON_FINITE,
							simulator.descriptor().observationNames().get(j) + " = " + x[j]);
				}
			}
			return new RowResult(theta, x.clone(), FailureKind.OK, null);
		} catch (OutOfMemoryError e) {
			throw e;
		} catch (RuntimeException | Error e) {
			return RowResult.failed(theta, FailureKind.EXCEPTION, e.toString());
		}
	}

	record RowResult(double[] theta, double[] x, byte status, String reason) {
		static RowResult failed(double[] theta, FailureKind kind, String reason) {
			return new RowResult(theta, null, kind.code(), reason);
		}
	}

	/** Rows of one chunk as they arrive from the workers. */
	private final class ChunkBuffer {
		final int index;
		final long firstRow;
		final double[][] theta;
		final double[][] x;
		final byte[] status;
		final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
		final AtomicInteger remaining;

		ChunkBuffer(int index) {
			this.index = index;
			this.firstRow = (long) index * settings.chunkSize();
			int rows = settings.rowsInChunk(index);
			theta = new double[rows][];
			x = new double[rows][];
			status = new byte[rows];
			remaining = new AtomicInteger(rows);
		}

		/** @return true when this was the last row of the chunk */
		boolean put(long row, RowResult r) {
			int i = (int) (row - firstRow);
			theta[i] = r.theta();
			status[i] = r.status();
			if (r.x() != null) {
				x[i] = r.x();
			} else {
				double[] nan = new double[observationDimension];
				Arrays.fill(nan, Double.NaN);
				x[i] = nan;
				failures.add(new Failure(row, FailureKind.ofCode(r.status()), r.reason()));
			}
			return remaining.decrementAndGet() == 0;
		}

		Chunk toChunk() {
			List<Failure> sorted = new ArrayList<>(failures);
			sorted.sort((a, b) -> Long.compare(a.row(), b.row()));
			return new Chunk(index, firstRow, theta, x, status, List.copyOf(sorted));
		}
	}

	private final class Execution {
		final int[] todo;
		final long rowsTodo;
		final ChunkSink sink;
		final ProgressMonitor monitor;
		final AtomicLong nextClaim = new AtomicLong();
		final AtomicLong rowsDone = new AtomicLong();
		/** Chunks handed to the sink; workers stay at most {@link #window} chunks ahead, bounding memory. */
		final AtomicInteger chunksWritten = new AtomicInteger();
		final int window = 2 * settings.effectiveThreads() + 2;
		final Map<Integer, ChunkBuffer> buffers = new ConcurrentHashMap<>();
		final BlockingQueue<ChunkBuffer> finished = new LinkedBlockingQueue<>();
		final List<Worker> workers = Collections.synchronizedList(new ArrayList<>());
		final AtomicReference<Throwable> fatal = new AtomicReference<>();
		volatile boolean stop;
		int abandoned;

		Execution(int[] todo, long rowsTodo, ChunkSink sink, ProgressMonitor monitor) {
			this.todo = todo;
			this.rowsTodo = rowsTodo;
			this.sink = sink;
			this.monitor = monitor;
		}

		/** The k-th pending row, or -1 when none is left. */
		long claim() {
			long k = nextClaim.getAndIncrement();
			if (k >= rowsTodo || stop) {
				return -1;
			}
			// Chunks are equal-sized except the very last, which is always last in todo.
			int c = (int) (k / settings.chunkSize());
			while (c >= chunksWritten.get() + window && !stop) {
				java.util.concurrent.locks.LockSupport.parkNanos(200_000); // the sink is behind: wait for it
			}
			if (stop) {
				return -1;
			}
			return (long) todo[c] * settings.chunkSize() + k % settings.chunkSize();
		}

		void deliver(long row, RowResult r) {
			int chunk = (int) (row / settings.chunkSize());
			ChunkBuffer b = buffers.computeIfAbsent(chunk, ChunkBuffer::new);
			if (b.put(row, r)) {
				buffers.remove(chunk);
				finished.add(b);
			}
			rowsDone.incrementAndGet();
		}

		Outcome run() throws IOException {
			int threads = settings.effectiveThreads();
			for (int t = 0; t < threads; t++) {
				startWorker();
			}
			long reported = 0;
			int written = 0;
			try {
				while (written < todo.length) {
					ChunkBuffer b = finished.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
					if (b != null) {
						sink.accept(b.toChunk());
						written++;
						chunksWritten.incrementAndGet();
					}
					Throwable f = fatal.get();
					if (f != null) {
						throw new IllegalStateException("A simulation worker died: " + f, f);
					}
					checkTimeouts();
					long now = rowsDone.get();
					if (now > reported) {
						monitor.worked(now - reported);
						reported = now;
					}
					if (monitor.isCanceled()) {
						stop = true;
						// Chunks that finished anyway are kept: less to redo on resume.
						joinWorkers();
						for (ChunkBuffer rest; (rest = finished.poll()) != null;) {
							sink.accept(rest.toChunk());
						}
						return Outcome.CANCELLED;
					}
				}
				return Outcome.COMPLETED;
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				stop = true;
				return Outcome.CANCELLED;
			} finally {
				stop = true;
			}
		}

		private void joinWorkers() {
			List<Worker> copy;
			synchronized (workers) {
				copy = new ArrayList<>(workers);
			}
			for (Worker w : copy) {
				long timeoutMillis = settings.timeout() == null ? Long.MAX_VALUE : settings.timeout().toMillis() + 1000;
				try {
					w.join(Math.min(timeoutMillis, 600_000));
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private void checkTimeouts() {
			if (settings.timeout() == null) {
				return;
			}
			long limit = settings.timeout().toNanos();
			long now = System.nanoTime();
			List<Worker> copy;
			synchronized (workers) {
				copy = new ArrayList<>(workers);
			}
			for (Worker w : copy) {
				long row = w.currentRow.get();
				if (row >= 0 && now - w.startedNanos > limit && w.currentRow.compareAndSet(row, -1)) {
					// The worker lost the race to finish: its row is a timeout, it is abandoned.
					workers.remove(w);
					w.interrupt();
					double[] theta = w.currentTheta;
					if (theta == null) { // timed out before θ was drawn: redraw it, the stream is the row's own
						theta = prior.sample(Seeds.forRow(settings.seed(), row));
					}
					deliver(row, RowResult.failed(theta, FailureKind.TIMEOUT,
							"still running after " + settings.timeout().toMillis() + " ms; abandoned"));
					if (++abandoned > MAX_ABANDONED_THREADS) {
						throw new IllegalStateException(abandoned + " simulations hung past the timeout of "
								+ settings.timeout().toMillis() + " ms; stopping: check the simulator or raise the timeout");
					}
					startWorker();
				}
			}
		}

		private void startWorker() {
			Worker w = new Worker(this);
			workers.add(w);
			w.start();
		}
	}

	private final class Worker extends Thread {
		private static final AtomicInteger COUNT = new AtomicInteger();
		final Execution execution;
		/** The row being simulated, or -1. Finishing and timing out race for it by CAS. */
		final AtomicLong currentRow = new AtomicLong(-1);
		volatile long startedNanos;
		volatile double[] currentTheta;

		Worker(Execution execution) {
			super("sbiw-simulation-" + COUNT.incrementAndGet());
			this.execution = execution;
			setDaemon(true); // a hung simulation must not keep the JVM alive
		}

		@Override
		public void run() {
			try {
				for (long row; (row = execution.claim()) >= 0;) {
					startedNanos = System.nanoTime();
					currentTheta = null;
					currentRow.set(row);
					RowResult r = simulateRow(row, theta -> currentTheta = theta);
					if (!currentRow.compareAndSet(row, -1)) {
						return; // timed out meanwhile: the row is recorded, this thread is abandoned
					}
					execution.deliver(row, r);
				}
			} catch (Throwable t) {
				execution.fatal.compareAndSet(null, t);
			}
		}
	}
}
