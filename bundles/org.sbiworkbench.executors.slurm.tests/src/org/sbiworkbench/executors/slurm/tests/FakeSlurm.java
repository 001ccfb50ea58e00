package org.sbiworkbench.executors.slurm.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.storage.Campaigns;

/**
 * Slurm's client commands as small shell scripts over a state folder, and a
 * thread that plays the cluster: it takes each submitted array, and per task
 * either simulates its chunks into the campaign folder (as {@code sbiw
 * simulate-chunks} on a node would) or lets it end FAILED / CANCELLED without
 * them, as the test's {@link Fate} says.
 */
final class FakeSlurm implements AutoCloseable {

	enum Fate {
		RUN, FAIL, CANCEL, /** stays in the queue (pending) until the test ends */ PEND,
		/** pending and held, as Slurm holds a task whose launch failed, until it is scancelled */ HOLD
	}

	interface Policy {
		Fate fate(String jobId, int task, int submission);
	}

	final Path bin;
	final Path state;
	final Path campaign;
	final Simulator simulator;
	final int chunksPerTask;
	final Policy policy;
	/** Submitted arrays in order: job id → the --array argument. */
	final Map<String, String> submitted = new LinkedHashMap<>();
	final Map<String, String> live = new ConcurrentHashMap<>();
	private final Set<String> held = ConcurrentHashMap.newKeySet();
	private final Thread thread;
	private volatile boolean stop;
	private volatile Throwable failure;

	FakeSlurm(Path tmp, Path campaign, Simulator simulator, int chunksPerTask, Policy policy) throws IOException {
		this.bin = Files.createDirectories(tmp.resolve("bin"));
		this.state = Files.createDirectories(tmp.resolve("state"));
		this.campaign = campaign;
		this.simulator = simulator;
		this.chunksPerTask = chunksPerTask;
		this.policy = policy;
		script("sbatch", """
				d=$(dirname "$0")/../state
				n=$(( $(cat "$d/next" 2>/dev/null || echo 100) + 1 )); echo $n > "$d/next"
				for a in "$@"; do case $a in --array=*) arr=${a#--array=};; esac; done
				echo "$@" > "$d/args.$n"
				echo "$arr" > "$d/submitted.$n.tmp"; mv "$d/submitted.$n.tmp" "$d/submitted.$n"
				echo $n
				""");
		script("squeue", """
				cat "$(dirname "$0")/../state/live" 2>/dev/null; true
				""");
		script("scontrol", """
				f="$(dirname "$0")/../state/show.$4"
				if [ -f "$f" ]; then cat "$f"; else echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; fi
				""");
		script("scancel", """
				echo "$@" >> "$(dirname "$0")/../state/cancelled"
				""");
		writeLive();
		thread = new Thread(this::play, "fake-slurm");
		thread.setDaemon(true);
	}

	FakeSlurm start() {
		thread.start();
		return this;
	}

	private void script(String name, String body) throws IOException {
		Path p = bin.resolve(name);
		Files.writeString(p, "#!/bin/bash\n" + body, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/** A job already in the queue before the executor starts (e.g. submitted by a submitter that was killed). */
	void preexisting(String jobId, List<Integer> tasks) throws IOException {
		for (int t : tasks) {
			live.put(jobId + "_" + t, "RUNNING");
		}
		writeLive();
		pending.add(Map.entry(jobId, tasks));
	}

	private final List<Map.Entry<String, List<Integer>>> pending = new ArrayList<>();

	private void play() {
		try {
			Map<Integer, Integer> submissions = new LinkedHashMap<>();
			while (!stop) {
				List<Map.Entry<String, List<Integer>>> work = new ArrayList<>(pending);
				pending.clear();
				try (var files = Files.list(state)) {
					for (Path p : files.filter(f -> f.getFileName().toString().matches("submitted\\.\\d+")).sorted().toList()) {
						String job = p.getFileName().toString().substring("submitted.".length());
						if (submitted.containsKey(job)) {
							continue;
						}
						String array = Files.readString(p).strip();
						synchronized (submitted) {
							submitted.put(job, array);
						}
						List<Integer> tasks = expand(array);
						for (int t : tasks) {
							live.put(job + "_" + t, "PENDING");
						}
						writeLive();
						work.add(Map.entry(job, tasks));
					}
				}
				for (var w : work) {
					for (int t : w.getValue()) {
						int n = submissions.merge(t, 1, Integer::sum);
						Fate fate = policy.fate(w.getKey(), t, n);
						String id = w.getKey() + "_" + t;
						if (fate == Fate.PEND) {
							continue;
						}
						if (fate == Fate.HOLD) {
							live.put(id, "PENDING launch failed requeued held");
							writeLive();
							held.add(id);
							continue;
						}
						if (fate == Fate.RUN) {
							Set<Integer> chunks = new java.util.TreeSet<>();
							for (int k = t * chunksPerTask; k < (t + 1) * chunksPerTask; k++) {
								chunks.add(k);
							}
							int count = chunkCount();
							chunks.removeIf(k -> k >= count);
							Campaigns.simulateChunks(campaign, chunks, s -> s.equals(simulator.descriptor().id()) ? Optional.of(simulator) : Optional.empty(),
									1, ProgressMonitor.NULL);
							show(id, "JobState=COMPLETED Reason=None ExitCode=0:0");
						} else if (fate == Fate.FAIL) {
							show(id, "JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0");
						} else {
							show(id, "JobState=CANCELLED Reason=None ExitCode=0:15");
						}
						live.remove(id);
						writeLive();
					}
				}
				for (String id : List.copyOf(held)) {
					if (cancelled().stream().anyMatch(line -> List.of(line.split(" ")).contains(id))) {
						held.remove(id);
						show(id, "JobState=CANCELLED Reason=None ExitCode=0:15");
						live.remove(id);
						writeLive();
					}
				}
				Thread.sleep(10);
			}
		} catch (Throwable t) {
			failure = t;
		}
	}

	private int chunkCount() throws IOException {
		try (var s = org.sbiworkbench.core.storage.CampaignStore.openForChunks(campaign)) {
			return s.manifest().chunkCount();
		}
	}

	private void show(String id, String text) throws IOException {
		Files.writeString(state.resolve("show." + id), "JobId=1 ArrayJobId=" + id.substring(0, id.indexOf('_')) + " " + text + "\n");
	}

	private synchronized void writeLive() throws IOException {
		StringBuilder s = new StringBuilder();
		live.forEach((k, v) -> s.append(k).append(' ').append(v).append('\n'));
		Path tmp = state.resolve("live.tmp");
		Files.writeString(tmp, s.toString());
		Files.move(tmp, state.resolve("live"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	List<String> cancelled() throws IOException {
		Path p = state.resolve("cancelled");
		return Files.exists(p) ? Files.readAllLines(p) : List.of();
	}

	List<String> arrays() {
		synchronized (submitted) {
			return new ArrayList<>(submitted.values());
		}
	}

	static List<Integer> expand(String array) {
		String a = array.contains("%") ? array.substring(0, array.indexOf('%')) : array;
		List<Integer> out = new ArrayList<>();
		for (String part : a.split(",")) {
			if (part.contains("-")) {
				for (int i = Integer.parseInt(part.split("-")[0]); i <= Integer.parseInt(part.split("-")[1]); i++) {
					out.add(i);
				}
			} else {
				out.add(Integer.parseInt(part));
			}
		}
		return out;
	}

	@Override
	public void close() throws Exception {
		stop = true;
		thread.join(10_000);
		if (failure != null) {
			throw new AssertionError("the fake cluster failed", failure);
		}
	}
}
