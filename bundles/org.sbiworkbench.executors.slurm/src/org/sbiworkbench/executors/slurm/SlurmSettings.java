package org.sbiworkbench.executors.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.sbiworkbench.core.run.Suggestions;

/**
 * How a campaign runs on a Slurm cluster. Every setting has a key, used on the
 * command line ({@code --executor-setting key=value}), in run files
 * ({@code "executor": {"type": "slurm", key: value}}), in the workbench's
 * preferences and in the campaign folder's {@code executor.json}.
 *
 * @param partition     {@code partition}: the partition (queue); null = the cluster's default
 * @param timeLimit     {@code time-limit}: wall time of one array task in Slurm's format (e.g. 00:30:00, 1-12:00:00); null = the partition's default
 * @param memory        {@code memory}: memory per array task, as sbatch --mem takes it (e.g. 2G, 500M); null = the partition's default
 * @param cpusPerTask   {@code cpus-per-task}: CPUs per array task; the task simulates on as many threads
 * @param setupLines    {@code setup}: shell lines the batch script runs first (e.g. {@code module load java/17}); one per line
 * @param maxConcurrent {@code max-concurrent}: at most this many array tasks at once (sbatch --array=...%N); 0 = no limit
 * @param chunkSize     {@code chunk-size}: simulations per array task, a multiple of the campaign's chunk size; null = one chunk per task
 * @param retries       {@code retries}: how often an array task that ends without its chunks is resubmitted before its simulations are recorded as lost
 * @param launcher      {@code launcher}: the sbiw launcher compute nodes run, on storage they see; null = this installation's
 * @param slurmBin      {@code slurm-bin}: the folder holding sbatch, squeue, scontrol and scancel; null = found on the PATH
 * @param account       {@code account}: the account to charge (sbatch --account); null = the user's default
 * @param extraOptions  {@code sbatch-options}: further sbatch options, one per line (e.g. {@code --qos=short}), written as #SBATCH lines
 * @param pollSeconds   {@code poll-seconds}: how often the submitter looks at the queue and the folder
 */
public record SlurmSettings(String partition, String timeLimit, String memory, int cpusPerTask, List<String> setupLines,
		int maxConcurrent, Integer chunkSize, int retries, Path launcher, Path slurmBin, String account,
		List<String> extraOptions, double pollSeconds) {

	public static final String PARTITION = "partition";
	public static final String TIME_LIMIT = "time-limit";
	public static final String MEMORY = "memory";
	public static final String CPUS_PER_TASK = "cpus-per-task";
	public static final String SETUP = "setup";
	public static final String MAX_CONCURRENT = "max-concurrent";
	public static final String CHUNK_SIZE = "chunk-size";
	public static final String RETRIES = "retries";
	public static final String LAUNCHER = "launcher";
	public static final String SLURM_BIN = "slurm-bin";
	public static final String ACCOUNT = "account";
	public static final String SBATCH_OPTIONS = "sbatch-options";
	public static final String POLL_SECONDS = "poll-seconds";

	/** Every key {@link #fromMap} accepts. */
	public static final List<String> KEYS = List.of(PARTITION, TIME_LIMIT, MEMORY, CPUS_PER_TASK, SETUP, MAX_CONCURRENT,
			CHUNK_SIZE, RETRIES, LAUNCHER, SLURM_BIN, ACCOUNT, SBATCH_OPTIONS, POLL_SECONDS);

	public static final int DEFAULT_RETRIES = 2;
	public static final double DEFAULT_POLL_SECONDS = 2;

	/** Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds. */
	private static final Pattern TIME = Pattern.compile("\\d+(:\\d{1,2}){0,2}|\\d+-\\d+(:\\d{1,2}){0,2}|(?i:unlimited|infinite)");
	private static final Pattern MEM = Pattern.compile("\\d+[KMGT]?", Pattern.CASE_INSENSITIVE);
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.,+-]+");

	public SlurmSettings {
		setupLines = List.copyOf(setupLines);
		extraOptions = List.copyOf(extraOptions);
		if (partition != null && !NAME.matcher(partition).matches()) {
			throw new IllegalArgumentException("Slurm setting '" + PARTITION + "': '" + partition
					+ "' is not a partition name (letters, digits, _ . , + -); 'sinfo -s' lists the cluster's partitions");
		}
		if (account != null && !NAME.matcher(account).matches()) {
			throw new IllegalArgumentException("Slurm setting '" + ACCOUNT + "': '" + account + "' is not an account name");
		}
		if (timeLimit != null && !TIME.matcher(timeLimit).matches()) {
			throw new IllegalArgumentException("Slurm setting '" + TIME_LIMIT + "': '" + timeLimit
					+ "' is not a Slurm time; write minutes (30), hours:minutes:seconds (02:00:00) or days-hours:minutes:seconds (1-12:00:00)");
		}
		if (memory != null && !MEM.matcher(memory).matches()) {
			throw new IllegalArgumentException("Slurm setting '" + MEMORY + "': '" + memory
					+ "' is not a memory size; write a number with an optional unit K, M, G or T, e.g. 2G or 500M");
		}
		if (cpusPerTask < 1) {
			throw new IllegalArgumentException("Slurm setting '" + CPUS_PER_TASK + "' must be at least 1, got " + cpusPerTask);
		}
		if (maxConcurrent < 0) {
			throw new IllegalArgumentException("Slurm setting '" + MAX_CONCURRENT + "' must be 0 (no limit) or positive, got " + maxConcurrent);
		}
		if (chunkSize != null && chunkSize < 1) {
			throw new IllegalArgumentException("Slurm setting '" + CHUNK_SIZE + "' must be positive, got " + chunkSize);
		}
		if (retries < 0) {
			throw new IllegalArgumentException("Slurm setting '" + RETRIES + "' must be 0 or more, got " + retries);
		}
		if (!(pollSeconds > 0) || pollSeconds > 3600) {
			throw new IllegalArgumentException("Slurm setting '" + POLL_SECONDS + "' must be between 0 and 3600 seconds, got " + pollSeconds);
		}
		if (launcher != null && !launcher.isAbsolute()) {
			throw new IllegalArgumentException("Slurm setting '" + LAUNCHER + "': " + launcher
					+ " is not an absolute path; compute nodes start it from their own working folder");
		}
		for (String line : setupLines) {
			if (line.contains("\n") || line.contains("\r")) {
				throw new IllegalArgumentException("Slurm setting '" + SETUP + "': give one line per entry");
			}
		}
		for (String option : extraOptions) {
			if (!option.startsWith("-") || option.contains("\n")) {
				throw new IllegalArgumentException("Slurm setting '" + SBATCH_OPTIONS + "': '" + option
						+ "' is not an sbatch option; write one per line, e.g. --qos=short");
			}
		}
	}

	/** Everything at its default: the cluster's default partition, limits and account; one CPU; two retries. */
	public static SlurmSettings defaults() {
		return new SlurmSettings(null, null, null, 1, List.of(), 0, null, DEFAULT_RETRIES, null, null, null, List.of(),
				DEFAULT_POLL_SECONDS);
	}

	/**
	 * Settings from keys and text values (command line, run file, preferences,
	 * the campaign folder); missing keys take their defaults, blank values count
	 * as missing.
	 *
	 * @throws IllegalArgumentException for an unknown key (with the closest known one) or a bad value
	 */
	public static SlurmSettings fromMap(Map<String, String> map) {
		for (String key : map.keySet()) {
			if (!KEYS.contains(key)) {
				String hint = Suggestions.closest(key, KEYS).map(k -> "; did you mean '" + k + "'?").orElse("");
				throw new IllegalArgumentException("Unknown Slurm setting '" + key + "'" + hint + " The settings are " + KEYS);
			}
		}
		SlurmSettings d = defaults();
		return new SlurmSettings(text(map, PARTITION), text(map, TIME_LIMIT), text(map, MEMORY),
				integer(map, CPUS_PER_TASK, d.cpusPerTask()), lines(map, SETUP), integer(map, MAX_CONCURRENT, d.maxConcurrent()),
				text(map, CHUNK_SIZE) == null ? null : integer(map, CHUNK_SIZE, 0), integer(map, RETRIES, d.retries()),
				text(map, LAUNCHER) == null ? null : Path.of(text(map, LAUNCHER)),
				text(map, SLURM_BIN) == null ? null : Path.of(text(map, SLURM_BIN)), text(map, ACCOUNT),
				lines(map, SBATCH_OPTIONS), number(map, POLL_SECONDS, d.pollSeconds()));
	}

	/** The settings that differ from the defaults, as {@link #fromMap} reads them. */
	public Map<String, String> toMap() {
		Map<String, String> m = new LinkedHashMap<>();
		SlurmSettings d = defaults();
		put(m, PARTITION, partition);
		put(m, TIME_LIMIT, timeLimit);
		put(m, MEMORY, memory);
		if (cpusPerTask != d.cpusPerTask()) {
			m.put(CPUS_PER_TASK, Integer.toString(cpusPerTask));
		}
		if (!setupLines.isEmpty()) {
			m.put(SETUP, String.join("\n", setupLines));
		}
		if (maxConcurrent != d.maxConcurrent()) {
			m.put(MAX_CONCURRENT, Integer.toString(maxConcurrent));
		}
		put(m, CHUNK_SIZE, chunkSize);
		if (retries != d.retries()) {
			m.put(RETRIES, Integer.toString(retries));
		}
		put(m, LAUNCHER, launcher);
		put(m, SLURM_BIN, slurmBin);
		put(m, ACCOUNT, account);
		if (!extraOptions.isEmpty()) {
			m.put(SBATCH_OPTIONS, String.join("\n", extraOptions));
		}
		if (pollSeconds != d.pollSeconds()) {
			m.put(POLL_SECONDS, Double.toString(pollSeconds));
		}
		return m;
	}

	/** Memory in megabytes as sbatch reads {@link #memory} (no unit = megabytes), or -1 when not set. */
	public long memoryMegabytes() {
		if (memory == null) {
			return -1;
		}
		char unit = Character.toUpperCase(memory.charAt(memory.length() - 1));
		if (Character.isDigit(unit)) {
			return Long.parseLong(memory);
		}
		long n = Long.parseLong(memory.substring(0, memory.length() - 1));
		return switch (unit) {
		case 'K' -> Math.max(1, n / 1024);
		case 'G' -> n * 1024;
		case 'T' -> n * 1024 * 1024;
		default -> n;
		};
	}

	private static void put(Map<String, String> m, String key, Object value) {
		if (value != null) {
			m.put(key, value.toString());
		}
	}

	private static String text(Map<String, String> map, String key) {
		String v = map.get(key);
		return v == null || v.isBlank() ? null : v.strip();
	}

	private static List<String> lines(Map<String, String> map, String key) {
		String v = map.get(key);
		List<String> lines = new ArrayList<>();
		if (v != null) {
			for (String line : v.split("\\R")) {
				if (!line.isBlank()) {
					lines.add(line.strip());
				}
			}
		}
		return lines;
	}

	private static int integer(Map<String, String> map, String key, int fallback) {
		String v = text(map, key);
		if (v == null) {
			return fallback;
		}
		try {
			return Integer.parseInt(v);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("Slurm setting '" + key + "' must be a whole number, got '" + v + "'");
		}
	}

	private static double number(Map<String, String> map, String key, double fallback) {
		String v = text(map, key);
		if (v == null) {
			return fallback;
		}
		try {
			return Double.parseDouble(v);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("Slurm setting '" + key + "' must be a number, got '" + v + "'");
		}
	}
}
