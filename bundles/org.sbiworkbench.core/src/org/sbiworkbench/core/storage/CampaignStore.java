package org.sbiworkbench.core.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.campaign.CampaignSettings;
import org.sbiworkbench.core.campaign.Chunk;
import org.sbiworkbench.core.campaign.ChunkSink;
import org.sbiworkbench.core.campaign.Failure;
import org.sbiworkbench.core.campaign.FailureKind;
import org.sbiworkbench.core.run.PriorSpecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A simulation campaign on disk: a folder of append-only chunks and one
 * {@code manifest.json}.
 * <p>
 * Chunk k is four files, {@code theta_k.npy} (rows × parameters),
 * {@code x_k.npy} (rows × observations, NaN where the simulation failed),
 * {@code status_k.npy} (rows × 1: 0 = ok, else the {@link FailureKind} code) and
 * {@code failures_k.json} (each failure's row, kind and reason), then its commit
 * record {@code chunk_k.json} with the SHA-256 of each. Every file is written
 * atomically and the commit record last: a chunk exists only once its record
 * does, so a killed process loses at most the chunks in flight, and a file that
 * was damaged later is detected when the campaign is read. One small record per
 * chunk keeps the cost of a chunk constant however long the campaign. The
 * manifest holds the provenance and is rewritten at start, at the end and every
 * few seconds with the status and failure counts. The folder is the state:
 * {@link #open(Path)} and a runner continue where it stopped.
 * <p>
 * One process owns a campaign (the {@code .lock} file lock): it writes the
 * manifest and decides what is left to do. Other processes, e.g. the tasks of
 * a cluster job array, write chunks into the same folder through
 * {@link #openForChunks(Path)}, which takes no lock and never touches the
 * manifest; the owner sees their chunks with {@link #refresh()}. Row results
 * depend on the seed alone, so two writers of one chunk write the same numbers:
 * a writer skips a chunk whose commit record exists, and every file is
 * replaced by an atomic rename, so the loser of a race leaves nothing behind.
 */
public final class CampaignStore implements ChunkSink, AutoCloseable {

	public static final String MANIFEST = "manifest.json";
	public static final String FORMAT = "sbiworkbench-campaign";
	public static final int FORMAT_VERSION = 1;
	private static final String LOCK = ".lock";
	/** Which executor runs the campaign and with which settings, so a resume continues with it. */
	public static final String EXECUTOR = "executor.json";
	private static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("chunk_(\\d{5,})\\.json");
	private static final long MANIFEST_INTERVAL_NANOS = 5_000_000_000L;

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private final Path dir;
	private final ObjectNode manifest;
	private final CampaignManifest header;
	private final TreeMap<Integer, JsonNode> commits = new TreeMap<>();
	/** Null for a chunk writer ({@link #openForChunks(Path)}). */
	private final FileChannel lockChannel;
	private final FileLock lock;
	private long lastManifestWrite = System.nanoTime();

	private CampaignStore(Path dir, ObjectNode manifest, FileChannel lockChannel, FileLock lock) throws IOException {
		this.dir = dir;
		this.manifest = manifest;
		this.header = CampaignManifest.parse(manifest, dir.resolve(MANIFEST).toString());
		this.lockChannel = lockChannel;
		this.lock = lock;
		refresh();
	}

	/**
	 * Reads the commit records that appeared since the last look, e.g. chunks
	 * written by other processes; each new record is checked, a bad one is named.
	 *
	 * @return the indices of the chunks found now
	 */
	public synchronized Set<Integer> refresh() throws IOException {
		Set<Integer> found = new TreeSet<>();
		try (var files = Files.list(dir)) {
			for (Path p : (Iterable<Path>) files.sorted()::iterator) {
				var match = COMMIT.matcher(p.getFileName().toString());
				if (!match.matches()) {
					continue;
				}
				if (match.group(1).length() <= 9 && commits.containsKey(Integer.parseInt(match.group(1)))) {
					continue;
				}
				String problem = null;
				JsonNode c = null;
				try {
					c = JSON.readTree(Files.readAllBytes(p));
				} catch (JsonProcessingException e) {
					problem = "is not valid JSON (" + e.getOriginalMessage() + ")";
				}
				int k = -1;
				if (problem == null) {
					k = Integer.parseInt(match.group(1).length() > 9 ? "-1" : match.group(1));
					long expectedRows = k < 0 || k >= header.chunkCount() ? -1 : Math.min(header.chunkSize(), header.simulations() - (long) k * header.chunkSize());
					if (c == null || !c.isObject() || !c.path("index").isInt() || c.get("index").asInt() != k) {
						problem = "does not record chunk " + match.group(1);
					} else if (expectedRows < 0) {
						problem = "is for a chunk beyond the campaign's " + header.chunkCount() + " chunks";
					} else if (!c.path("rows").isInt() || c.get("rows").asInt() != expectedRows) {
						problem = "claims " + c.path("rows") + " rows; chunk " + k + " has " + expectedRows;
					} else if (!c.path("sha256").isObject() || c.get("sha256").size() != 4) {
						problem = "lacks the SHA-256 of its four files";
					} else if (!c.path("failures").isObject()) {
						problem = "lacks its failure counts";
					} else {
						for (var it = c.get("failures").fields(); it.hasNext() && problem == null;) {
							var e = it.next();
							try {
								FailureKind.ofId(e.getKey());
							} catch (IllegalArgumentException ex) {
								problem = "names an unknown failure kind '" + e.getKey() + "'";
							}
							if (problem == null && (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0)) {
								problem = "has a bad failure count for '" + e.getKey() + "'";
							}
						}
					}
				}
				if (problem != null) {
					throw new CampaignStoreException(p + " " + problem + "; it was damaged or not written by SBI Workbench. "
							+ "Delete it to simulate that chunk again with 'sbiw resume " + dir + "'");
				}
				commits.put(k, c);
				found.add(k);
			}
		}
		return found;
	}

	/**
	 * Starts a new campaign in {@code dir} (created if needed; must not hold a campaign already).
	 *
	 * @param defaultPrior true when {@code prior} is the simulator's default prior (recorded as such)
	 */
	public static CampaignStore create(Path dir, Simulator simulator, Prior prior, boolean defaultPrior,
			CampaignSettings settings) throws IOException {
		Files.createDirectories(dir);
		if (Files.exists(dir.resolve(MANIFEST))) {
			throw new CampaignStoreException(dir + " already holds a campaign (" + MANIFEST
					+ "); continue it with 'sbiw resume " + dir + "' or choose an empty folder");
		}
		ObjectNode m = JSON.createObjectNode();
		m.put("format", FORMAT);
		m.put("formatVersion", FORMAT_VERSION);
		ObjectNode sim = m.putObject("simulator");
		sim.put("id", simulator.descriptor().id());
		sim.put("version", simulator.descriptor().version());
		ArrayNode ps = m.putArray("parameters");
		simulator.descriptor().parameters().forEach(p -> ps.addObject().put("name", p.name()).put("unit", p.unit()));
		ArrayNode os = m.putArray("observations");
		simulator.descriptor().observationNames().forEach(os::add);
		ArrayNode shape = m.putArray("observationShape");
		simulator.descriptor().observationShape().forEach(shape::add);
		if (defaultPrior || !PriorSpecs.isWritable(prior)) {
			if (!defaultPrior) {
				throw new IllegalArgumentException("This prior cannot be recorded in a manifest: " + prior);
			}
			m.put("prior", "default");
		} else {
			m.set("prior", PriorSpecs.toJson(prior));
		}
		m.put("priorDescription", prior.toString());
		m.put("seed", settings.seed());
		m.put("simulations", settings.simulations());
		m.put("chunkSize", settings.chunkSize());
		if (settings.timeout() != null) {
			m.put("timeoutMillis", settings.timeout().toMillis());
		} else {
			m.putNull("timeoutMillis");
		}
		String now = Instant.now().toString();
		m.put("created", now);
		m.put("updated", now);
		m.put("status", "running");
		m.putObject("failureCounts");
		m.put("storedChunks", 0);
		FileChannel channel = lockFile(dir);
		try {
			FileLock lock = acquire(channel, dir);
			CampaignStore store = new CampaignStore(dir, m, channel, lock);
			store.writeManifest();
			return store;
		} catch (IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	/** Opens an existing campaign for reading and for resuming. */
	public static CampaignStore open(Path dir) throws IOException {
		ObjectNode node = readManifest(dir);
		FileChannel channel = lockFile(dir);
		try {
			FileLock lock = acquire(channel, dir);
			AtomicFiles.deleteLeftovers(dir);
			return new CampaignStore(dir, node, channel, lock);
		} catch (IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	/**
	 * Opens an existing campaign to write some of its chunks from another
	 * process while the owner holds the campaign's lock (e.g. a task of a
	 * cluster job array). Takes no lock, never writes the manifest, and skips
	 * chunks already stored.
	 */
	public static CampaignStore openForChunks(Path dir) throws IOException {
		return new CampaignStore(dir, readManifest(dir), null, null);
	}

	private static ObjectNode readManifest(Path dir) throws IOException {
		Path file = dir.resolve(MANIFEST);
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (NoSuchFileException e) {
			throw new CampaignStoreException(dir + " is not a campaign folder: it has no " + MANIFEST
					+ " (start a campaign with 'sbiw simulate ... --out " + dir + "')");
		}
		JsonNode node;
		try {
			node = JSON.readTree(bytes);
		} catch (JsonProcessingException e) {
			throw new CampaignStoreException(file + " is not valid JSON (" + e.getOriginalMessage()
					+ "); it was damaged or not written by SBI Workbench", e);
		}
		if (node == null || !node.isObject()) {
			throw new CampaignStoreException(file + " is not a campaign manifest: expected a JSON object");
		}
		return (ObjectNode) node;
	}

	/** True for a store opened with {@link #openForChunks(Path)}. */
	public boolean isChunkWriter() {
		return lock == null;
	}

	/** The executor a campaign runs with, as recorded in {@value #EXECUTOR}. */
	public record ExecutorRecord(String id, Map<String, String> settings) {
	}

	/** Records the executor and its settings, so that a resume continues with them. */
	public synchronized void recordExecutor(String id, Map<String, String> settings) throws IOException {
		requireOwner();
		ObjectNode e = JSON.createObjectNode();
		e.put("type", id);
		ObjectNode s = e.putObject("settings");
		new TreeMap<>(settings).forEach(s::put);
		AtomicFiles.write(dir.resolve(EXECUTOR), JSON.writeValueAsBytes(e));
	}

	/** The recorded executor; the local one when none was recorded (campaigns from before executors). */
	public ExecutorRecord executor() throws IOException {
		Path file = dir.resolve(EXECUTOR);
		if (!Files.exists(file)) {
			return new ExecutorRecord("local", Map.of());
		}
		try {
			JsonNode e = JSON.readTree(Files.readAllBytes(file));
			if (e == null || !e.path("type").isTextual() || !e.path("settings").isObject()) {
				throw new CampaignStoreException(file + " must give the executor's 'type' and 'settings'");
			}
			Map<String, String> settings = new LinkedHashMap<>();
			for (var it = e.get("settings").fields(); it.hasNext();) {
				var f = it.next();
				settings.put(f.getKey(), f.getValue().asText());
			}
			return new ExecutorRecord(e.get("type").asText(), Collections.unmodifiableMap(settings));
		} catch (JsonProcessingException ex) {
			throw new CampaignStoreException(file + " is not valid JSON (" + ex.getOriginalMessage() + ")", ex);
		}
	}

	private void requireOwner() {
		if (lock == null) {
			throw new IllegalStateException("The campaign in " + dir + " was opened to write chunks only; its owner writes the manifest");
		}
	}

	private static FileChannel lockFile(Path dir) throws IOException {
		return FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
	}

	/** One writer per campaign, also across processes (e.g. two resumes of one folder). */
	private static FileLock acquire(FileChannel channel, Path dir) throws IOException {
		try {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new CampaignStoreException("Another process is using the campaign in " + dir + "; wait for it to finish");
			}
			return lock;
		} catch (OverlappingFileLockException e) {
			throw new CampaignStoreException("The campaign in " + dir + " is already open in this process", e);
		}
	}

	public Path folder() {
		return dir;
	}

	/** The manifest's provenance, with status, stored chunks and failure counts as the chunks on disk say. */
	public synchronized CampaignManifest manifest() {
		Map<FailureKind, Long> counts = new EnumMap<>(FailureKind.class);
		for (JsonNode c : commits.values()) {
			for (var it = c.get("failures").fields(); it.hasNext();) {
				var e = it.next();
				counts.merge(FailureKind.ofId(e.getKey()), e.getValue().asLong(), Long::sum);
			}
		}
		return header.with(manifest.path("status").asText(), manifest.path("updated").asText(), counts, commits.size());
	}

	/** The settings the campaign was started with, so a resume continues it exactly. */
	public CampaignSettings settings(int threads) {
		CampaignManifest m = manifest();
		return new CampaignSettings(m.simulations(), m.seed(), m.chunkSize(), threads,
				m.timeoutMillis() == null ? null : Duration.ofMillis(m.timeoutMillis()));
	}

	public synchronized Set<Integer> completedChunks() {
		return new TreeSet<>(commits.keySet());
	}

	@Override
	public synchronized void accept(Chunk chunk) throws IOException {
		CampaignManifest m = manifest();
		if (commits.containsKey(chunk.index())) {
			return; // another writer stored it meanwhile; its numbers are the same
		}
		if (Files.exists(dir.resolve(name("chunk", chunk.index(), "json")))) {
			refresh(); // written by another process since the last look
			if (commits.containsKey(chunk.index())) {
				return;
			}
		}
		Map<String, byte[]> files = new LinkedHashMap<>();
		// Leftovers of an interrupted write of this chunk are simply overwritten.
		files.put(name("theta", chunk.index(), "npy"), npy(chunk.theta(), m.parameters().size()));
		files.put(name("x", chunk.index(), "npy"), npy(chunk.x(), m.observations().size()));
		double[][] status = new double[chunk.rows()][1];
		for (int i = 0; i < status.length; i++) {
			status[i][0] = chunk.status()[i];
		}
		files.put(name("status", chunk.index(), "npy"), npy(status, 1));
		ArrayNode failures = JSON.createArrayNode();
		Map<FailureKind, Long> counts = new EnumMap<>(FailureKind.class);
		for (Failure f : chunk.failures()) {
			failures.addObject().put("row", f.row()).put("kind", f.kind().id()).put("reason", f.reason());
			counts.merge(f.kind(), 1L, Long::sum);
		}
		files.put(name("failures", chunk.index(), "json"), JSON.writeValueAsBytes(failures));

		ObjectNode entry = JSON.createObjectNode();
		entry.put("index", chunk.index());
		entry.put("rows", chunk.rows());
		entry.put("completed", Instant.now().toString());
		ObjectNode sums = entry.putObject("sha256");
		for (Map.Entry<String, byte[]> f : files.entrySet()) {
			AtomicFiles.write(dir.resolve(f.getKey()), f.getValue());
			sums.put(f.getKey(), AtomicFiles.sha256(f.getValue()));
		}
		ObjectNode chunkCounts = entry.putObject("failures");
		counts.forEach((k, v) -> chunkCounts.put(k.id(), v));
		// Only now does the chunk exist: its commit record is written last.
		AtomicFiles.write(dir.resolve(name("chunk", chunk.index(), "json")), JSON.writeValueAsBytes(entry));
		commits.put(chunk.index(), entry);
		if (lock != null && System.nanoTime() - lastManifestWrite > MANIFEST_INTERVAL_NANOS) {
			writeManifest();
		}
	}

	/** Records how the run ended: "complete" when every chunk is stored, else "cancelled". */
	public synchronized void finish(boolean completed) throws IOException {
		requireOwner();
		refresh();
		boolean all = commits.size() == header.chunkCount();
		manifest.put("status", completed && all ? "complete" : "cancelled");
		writeManifest();
	}

	public synchronized void markRunning() throws IOException {
		requireOwner();
		manifest.put("status", "running");
		writeManifest();
	}

	/** Rewrites the manifest with the chunks stored so far (the owner does it every few seconds anyway). */
	public synchronized void writeProgress() throws IOException {
		requireOwner();
		writeManifest();
	}

	private void writeManifest() throws IOException {
		CampaignManifest now = manifest();
		ObjectNode counts = manifest.putObject("failureCounts");
		now.failureCounts().forEach((k, v) -> counts.put(k.id(), v));
		manifest.put("storedChunks", commits.size());
		manifest.put("updated", Instant.now().toString());
		lastManifestWrite = System.nanoTime();
		AtomicFiles.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
	}

	static String name(String kind, int index, String ext) {
		return String.format("%s_%05d.%s", kind, index, ext);
	}

	private static byte[] npy(double[][] rows, int columns) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Npy.write(out, rows, columns);
		return out.toByteArray();
	}

	/**
	 * Reads every stored chunk, in row order, checking each file against the
	 * manifest's checksum and shape.
	 *
	 * @throws CampaignStoreException naming the file when one is missing, damaged or of the wrong shape
	 */
	public synchronized SimulationSet load() throws IOException {
		CampaignManifest m = manifest();
		int d = m.parameters().size();
		int e = m.observations().size();
		List<double[]> theta = new ArrayList<>();
		List<double[]> x = new ArrayList<>();
		List<Byte> status = new ArrayList<>();
		List<Long> rowIndex = new ArrayList<>();
		List<Failure> failures = new ArrayList<>();
		for (JsonNode c : commits.values()) {
			int k = c.get("index").asInt();
			int rows = c.get("rows").asInt();
			double[][] t = readChunkArray(c, name("theta", k, "npy"), rows, d);
			double[][] xs = readChunkArray(c, name("x", k, "npy"), rows, e);
			double[][] st = readChunkArray(c, name("status", k, "npy"), rows, 1);
			byte[] fj = readVerified(c, name("failures", k, "json"));
			long first = (long) k * m.chunkSize();
			for (int i = 0; i < rows; i++) {
				theta.add(t[i]);
				x.add(xs[i]);
				double s = st[i][0];
				if (s != 0 && (s != Math.rint(s) || s < 1 || s > FailureKind.values().length)) {
					throw new CampaignStoreException(dir.resolve(name("status", k, "npy")) + ": row " + i + " has unknown status " + s);
				}
				status.add((byte) s);
				rowIndex.add(first + i);
			}
			try {
				for (JsonNode f : JSON.readTree(fj)) {
					failures.add(new Failure(f.get("row").asLong(), FailureKind.ofId(f.get("kind").asText()), f.get("reason").asText()));
				}
			} catch (RuntimeException | IOException ex) {
				throw new CampaignStoreException(dir.resolve(name("failures", k, "json")) + " cannot be read: " + ex.getMessage(), ex);
			}
		}
		byte[] st = new byte[status.size()];
		for (int i = 0; i < st.length; i++) {
			st[i] = status.get(i);
		}
		return new SimulationSet(m, theta.toArray(double[][]::new), x.toArray(double[][]::new), st,
				rowIndex.stream().mapToLong(Long::longValue).toArray(), Collections.unmodifiableList(failures));
	}

	private double[][] readChunkArray(JsonNode chunk, String file, int rows, int columns) throws IOException {
		byte[] bytes = readVerified(chunk, file);
		NpyArray a = Npy.read(bytes, dir.resolve(file).toString());
		if (a.rows() != rows || a.columns() != columns) {
			throw new CampaignStoreException(dir.resolve(file) + " holds " + a.rows() + "×" + a.columns()
					+ " values; the manifest expects " + rows + "×" + columns);
		}
		return a.toRows();
	}

	private byte[] readVerified(JsonNode chunk, String file) throws IOException {
		Path path = dir.resolve(file);
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(path);
		} catch (NoSuchFileException ex) {
			throw new CampaignStoreException(path + " is missing, though " + name("chunk", chunk.get("index").asInt(), "json")
					+ " lists it; the campaign folder was damaged. Delete that record to simulate the chunk again");
		}
		String expected = chunk.path("sha256").path(file).asText(null);
		if (expected == null) {
			throw new CampaignStoreException(dir.resolve(name("chunk", chunk.get("index").asInt(), "json")) + " gives no checksum for " + file);
		}
		if (!expected.equals(AtomicFiles.sha256(bytes))) {
			throw new CampaignStoreException(path + " does not match its SHA-256 in " + name("chunk", chunk.get("index").asInt(), "json")
					+ ": the file was changed or damaged after it was written; restore it, or delete that record and resume to simulate the chunk again");
		}
		return bytes;
	}

	@Override
	public void close() throws IOException {
		if (lock == null) {
			return;
		}
		try {
			if (lock.isValid()) {
				lock.release();
			}
		} finally {
			lockChannel.close();
		}
	}

	/** Names of chunk files left by an interrupted write that no commit record lists (safe to overwrite). */
	public synchronized List<String> strayFiles() throws IOException {
		Set<String> listed = new TreeSet<>();
		for (JsonNode c : commits.values()) {
			for (Iterator<String> it = c.path("sha256").fieldNames(); it.hasNext();) {
				listed.add(it.next());
			}
		}
		List<String> stray = new ArrayList<>();
		try (var files = Files.list(dir)) {
			files.map(p -> p.getFileName().toString())
					.filter(n -> n.matches("(theta|x|status|failures)_\\d{5}\\.(npy|json)") && !listed.contains(n)).sorted()
					.forEach(stray::add);
		}
		return stray;
	}
}
