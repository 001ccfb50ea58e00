package org.sbiworkbench.executors.slurm.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's client commands (sbatch, squeue, scontrol, scancel) run as
 * processes, never through a shell. Accounting may be off (no sacct), so the
 * state of a job comes from squeue while it is queued or running and from
 * scontrol for a while after it ended.
 */
public final class SlurmClient {

	static final List<String> COMMANDS = List.of("sbatch", "squeue", "scontrol", "scancel");
	private static final long TIMEOUT_SECONDS = 120;

	private final Path bin;

	/** @param bin the folder holding the commands, or null to find them on the PATH */
	public SlurmClient(Path bin) {
		this.bin = bin;
	}

	/** The output of one command. */
	public record Result(int exitCode, String out, String err) {
	}

	/** The state of one array task as scontrol shows it. */
	public record TaskState(String state, String exitCode, String reason) {
		public boolean ended() {
			return !List.of("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD",
					"REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD").contains(state);
		}
	}

	/** Checks that every command is there; the message says what is needed and how to point at them. */
	public void check() throws IOException {
		for (String c : COMMANDS) {
			resolve(c);
		}
	}

	Path resolve(String command) throws IOException {
		if (bin != null) {
			Path p = bin.resolve(command);
			if (Files.isExecutable(p)) {
				return p;
			}
			throw new IOException("Slurm's client command '" + command + "' is not in " + bin
					+ " (the 'slurm-bin' setting); point it at the folder that holds sbatch, squeue, scontrol and scancel");
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
					return Path.of(dir, command);
				}
			}
		}
		throw new IOException("Slurm's client commands (sbatch, squeue, scontrol, scancel) are needed on this machine to run "
				+ "a campaign on a cluster, but '" + command + "' is not on the PATH. Run SBI Workbench on a machine that "
				+ "submits to the cluster (a login node), or give their folder with the setting slurm-bin "
				+ "(sbiw simulate ... --executor-setting slurm-bin=/opt/slurm/bin)");
	}

	public Result run(String command, List<String> args) throws IOException {
		List<String> cmd = new ArrayList<>();
		cmd.add(resolve(command).toString());
		cmd.addAll(args);
		Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
		CompletableFuture<String> out = read(p.getInputStream());
		CompletableFuture<String> err = read(p.getErrorStream());
		try {
			if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IOException(command + " did not answer within " + TIMEOUT_SECONDS + " s; is the Slurm controller reachable?");
			}
			return new Result(p.exitValue(), out.join(), err.join());
		} catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException(command + " was interrupted", e);
		}
	}

	private static CompletableFuture<String> read(InputStream in) {
		return CompletableFuture.supplyAsync(() -> {
			try (in) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			} catch (IOException e) {
				return "";
			}
		});
	}

	/**
	 * Submits {@code script} as a job array over {@code indices}.
	 *
	 * @return the job id of the array
	 */
	public String submitArray(Path script, Collection<Integer> indices, int maxConcurrent) throws IOException {
		String array = ranges(indices) + (maxConcurrent > 0 ? "%" + maxConcurrent : "");
		Result r = run("sbatch", List.of("--parsable", "--array=" + array, script.toString()));
		String out = r.out().strip();
		// --parsable prints "jobid" or "jobid;cluster"
		String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
		if (r.exitCode() != 0 || !id.matches("\\d+")) {
			throw new IOException("sbatch refused the job array " + array + " of " + script + " (exit " + r.exitCode() + "): "
					+ (r.err().isBlank() ? out : r.err().strip()));
		}
		return id;
	}

	/**
	 * The array tasks of these jobs still queued or running, as "job_task" →
	 * state and reason (e.g. "PENDING Resources"). squeue shows jobs until they end.
	 */
	public Map<String, String> liveTasks(Collection<String> jobIds) throws IOException {
		Map<String, String> live = new LinkedHashMap<>();
		if (jobIds.isEmpty()) {
			return live;
		}
		Result r = run("squeue", List.of("--noheader", "--array", "--jobs=" + String.join(",", jobIds), "--format=%i %T %r"));
		if (r.exitCode() != 0) {
			if (r.err().contains("Invalid job id")) {
				return live; // every one of them has ended and been forgotten
			}
			throw new IOException("squeue failed (exit " + r.exitCode() + "): " + r.err().strip());
		}
		for (String line : r.out().split("\\R")) {
			String[] f = line.strip().split("\\s+", 3);
			if (f.length < 2 || !f[0].contains("_")) {
				continue;
			}
			String state = f.length > 2 ? f[1] + " " + f[2] : f[1]; // the reason, e.g. "launch failed requeued held"
			String job = f[0].substring(0, f[0].indexOf('_'));
			String tasks = f[0].substring(f[0].indexOf('_') + 1);
			for (int t : expand(tasks)) {
				live.put(job + "_" + t, state);
			}
		}
		return live;
	}

	/**
	 * Whether a queued task will never start by itself: Slurm holds a task whose launch failed
	 * (e.g. "PENDING launch failed requeued held") or that an administrator held.
	 */
	public static boolean held(String stateAndReason) {
		String s = stateAndReason.toLowerCase(java.util.Locale.ROOT);
		return s.startsWith("requeue_hold") || s.startsWith("pending") && (s.contains("held") || s.contains("jobheld"));
	}

	/** How an array task ended, or null when the controller has forgotten it. */
	public TaskState show(String jobId, int task) throws IOException {
		Result r = run("scontrol", List.of("--oneliner", "show", "job", jobId + "_" + task));
		if (r.exitCode() != 0) {
			return null;
		}
		Map<String, String> f = new LinkedHashMap<>();
		for (String token : r.out().strip().split("\\s+")) {
			int eq = token.indexOf('=');
			if (eq > 0) {
				f.putIfAbsent(token.substring(0, eq), token.substring(eq + 1));
			}
		}
		if (!f.containsKey("JobState")) {
			return null;
		}
		return new TaskState(f.get("JobState"), f.getOrDefault("ExitCode", "?"), f.getOrDefault("Reason", "None"));
	}

	/** Cancels these jobs (whole arrays or single tasks "job_task"). */
	public void cancel(Collection<String> ids) throws IOException {
		if (ids.isEmpty()) {
			return;
		}
		List<String> args = new ArrayList<>(ids);
		Result r = run("scancel", args);
		if (r.exitCode() != 0 && !r.err().contains("Invalid job id")) {
			throw new IOException("scancel " + String.join(" ", ids) + " failed (exit " + r.exitCode() + "): " + r.err().strip());
		}
	}

	/** "0-3,7,9-10" for 0,1,2,3,7,9,10. */
	public static String ranges(Collection<Integer> indices) {
		List<Integer> sorted = new ArrayList<>(new java.util.TreeSet<>(indices));
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < sorted.size();) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
				j++;
			}
			if (s.length() > 0) {
				s.append(',');
			}
			s.append(sorted.get(i));
			if (j > i) {
				s.append('-').append(sorted.get(j));
			}
			i = j + 1;
		}
		return s.toString();
	}

	/** Task indices of "4", "[4-7%2]", "[1,3,5-6]". */
	public static List<Integer> expand(String tasks) {
		String t = tasks.replace("[", "").replace("]", "");
		if (t.contains("%")) {
			t = t.substring(0, t.indexOf('%'));
		}
		List<Integer> out = new ArrayList<>();
		for (String part : t.split(",")) {
			if (part.matches("\\d+")) {
				out.add(Integer.parseInt(part));
			} else if (part.matches("\\d+-\\d+")) {
				int a = Integer.parseInt(part.substring(0, part.indexOf('-')));
				int b = Integer.parseInt(part.substring(part.indexOf('-') + 1));
				for (int i = a; i <= b; i++) {
					out.add(i);
				}
			}
		}
		return out;
	}
}
