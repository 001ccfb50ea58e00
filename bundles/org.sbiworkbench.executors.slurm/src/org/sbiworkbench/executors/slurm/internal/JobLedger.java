package org.sbiworkbench.executors.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.sbiworkbench.core.storage.AtomicFiles;
import org.sbiworkbench.core.storage.CampaignStoreException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The submitter's state, {@code slurm/jobs.json} in the campaign folder: which
 * job arrays were submitted for which task groups, and how often each group
 * was submitted. A restarted submitter reads it to follow the jobs still
 * queued or running instead of submitting them again. Group g is the array
 * index g and holds chunks g·K .. g·K+K-1 (K chunks per task).
 */
public final class JobLedger {

	public static final String FILE = "jobs.json";
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	/** One sbatch call: a job array over some groups. */
	public record Submission(String jobId, List<Integer> groups, String submitted, boolean cancelled) {
	}

	private final Path file;
	private int chunksPerTask;
	private final List<Submission> submissions = new ArrayList<>();
	/** Submissions per group that ran (or still run) on their own: cancelled ones by this executor do not count. */
	private final TreeMap<Integer, Integer> attempts = new TreeMap<>();

	private JobLedger(Path file, int chunksPerTask) {
		this.file = file;
		this.chunksPerTask = chunksPerTask;
	}

	/** Reads the ledger in {@code slurmDir}, or starts an empty one with {@code chunksPerTask}. */
	public static JobLedger load(Path slurmDir, int chunksPerTask) throws IOException {
		Path file = slurmDir.resolve(FILE);
		JobLedger ledger = new JobLedger(file, chunksPerTask);
		if (!Files.exists(file)) {
			return ledger;
		}
		try {
			JsonNode n = JSON.readTree(Files.readAllBytes(file));
			if (n == null || !n.path("chunksPerTask").isInt() || !n.path("submissions").isArray()) {
				throw new CampaignStoreException(file + " is not a Slurm job ledger of SBI Workbench (no 'chunksPerTask' or 'submissions')");
			}
			ledger.chunksPerTask = n.get("chunksPerTask").asInt();
			for (JsonNode s : n.get("submissions")) {
				List<Integer> groups = new ArrayList<>();
				s.path("groups").forEach(g -> groups.add(g.asInt()));
				ledger.submissions.add(new Submission(s.path("jobId").asText(), List.copyOf(groups), s.path("submitted").asText(""),
						s.path("cancelled").asBoolean(false)));
			}
			for (var it = n.path("attempts").fields(); it.hasNext();) {
				var e = it.next();
				ledger.attempts.put(Integer.parseInt(e.getKey()), e.getValue().asInt());
			}
			return ledger;
		} catch (JsonProcessingException | NumberFormatException e) {
			throw new CampaignStoreException(file + " cannot be read (" + e.getMessage() + "); if no job of this campaign is "
					+ "queued or running any more, delete it and resume", e);
		}
	}

	public void save() throws IOException {
		ObjectNode n = JSON.createObjectNode();
		n.put("chunksPerTask", chunksPerTask);
		ArrayNode subs = n.putArray("submissions");
		for (Submission s : submissions) {
			ObjectNode o = subs.addObject();
			o.put("jobId", s.jobId());
			ArrayNode g = o.putArray("groups");
			s.groups().forEach(g::add);
			o.put("submitted", s.submitted());
			o.put("cancelled", s.cancelled());
		}
		ObjectNode a = n.putObject("attempts");
		attempts.forEach((k, v) -> a.put(Integer.toString(k), v));
		Files.createDirectories(file.getParent());
		AtomicFiles.write(file, JSON.writeValueAsBytes(n));
	}

	public int chunksPerTask() {
		return chunksPerTask;
	}

	public boolean isEmpty() {
		return submissions.isEmpty();
	}

	public List<Submission> submissions() {
		return List.copyOf(submissions);
	}

	public void add(String jobId, List<Integer> groups) {
		submissions.add(new Submission(jobId, List.copyOf(groups), Instant.now().toString(), false));
		for (int g : groups) {
			attempts.merge(g, 1, Integer::sum);
		}
	}

	/** The latest submission that covers {@code group} and was not cancelled by us, or null. */
	public Submission latest(int group) {
		for (int i = submissions.size() - 1; i >= 0; i--) {
			Submission s = submissions.get(i);
			if (s.groups().contains(group)) {
				return s.cancelled() ? null : s;
			}
		}
		return null;
	}

	public int attempts(int group) {
		return attempts.getOrDefault(group, 0);
	}

	/**
	 * Marks the submissions as cancelled by the executor: their groups still
	 * running ({@code interrupted}) do not count as attempts.
	 */
	public void cancelled(Map<String, List<Integer>> interrupted) {
		for (int i = 0; i < submissions.size(); i++) {
			Submission s = submissions.get(i);
			if (!s.cancelled()) {
				submissions.set(i, new Submission(s.jobId(), s.groups(), s.submitted(), true));
			}
		}
		interrupted.forEach((job, groups) -> groups.forEach(g -> attempts.computeIfPresent(g, (k, v) -> v > 1 ? v - 1 : null)));
	}

	/** Job ids not cancelled by us, oldest first. */
	public List<String> activeJobIds() {
		TreeSet<String> ids = new TreeSet<>((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
		for (Submission s : submissions) {
			if (!s.cancelled()) {
				ids.add(s.jobId());
			}
		}
		return new ArrayList<>(ids);
	}

	public Map<Integer, Integer> attempts() {
		return Map.copyOf(attempts);
	}
}
