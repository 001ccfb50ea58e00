package org.sbiworkbench.ui.runs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds run folders under a root folder. Reads files: call it off the UI thread.
 * <p>
 * A run folder is one holding {@code summary.json} (complete) or {@code simulations/manifest.json} (simulations
 * only, e.g. an interrupted {@code sbiw infer} or a run file without a method); a bare campaign folder of
 * {@code sbiw simulate} (its own {@code manifest.json}) is listed as simulations only too. The root itself and
 * folders down to {@value #DEPTH} levels below it are searched; a run's own {@code simulations/} and
 * {@code estimator/} folders are not searched.
 */
public final class RunFolders {

	public static final String SUMMARY = "summary.json";
	public static final String SAMPLES_NPY = "posterior_samples.npy";
	public static final String ESTIMATOR = "estimator";
	public static final String CAMPAIGN = "simulations";
	public static final String MANIFEST = "manifest.json";
	static final int DEPTH = 4;
	private static final ObjectMapper JSON = new ObjectMapper();

	private RunFolders() {
	}

	/** The run folders under {@code root}, sorted by their name relative to it. */
	public static List<RunFolder> scan(Path root) throws IOException {
		List<RunFolder> found = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			throw new IOException(root + " is not a folder");
		}
		Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), DEPTH, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
				boolean summary = Files.isRegularFile(dir.resolve(SUMMARY));
				boolean campaign = Files.isRegularFile(dir.resolve(CAMPAIGN).resolve(MANIFEST));
				boolean bareCampaign = Files.isRegularFile(dir.resolve(MANIFEST)) && !dir.getFileName().toString().equals(CAMPAIGN);
				if (summary || campaign || bareCampaign) {
					found.add(read(root, dir));
					return FileVisitResult.SKIP_SUBTREE; // its simulations/ and estimator/ are part of it
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException e) {
				return FileVisitResult.CONTINUE; // an unreadable sub-folder does not hide the others
			}
		});
		found.sort(Comparator.comparing(RunFolder::name));
		return found;
	}

	/** What the Runs view shows of one folder; a folder that cannot be read is {@link RunFolder#UNREADABLE}. */
	public static RunFolder read(Path root, Path dir) {
		String name = root.equals(dir) ? String.valueOf(dir.getFileName()) : root.relativize(dir).toString();
		Path summaryFile = dir.resolve(SUMMARY);
		if (Files.isRegularFile(summaryFile)) {
			try {
				JsonNode s = JSON.readTree(summaryFile.toFile());
				if (s == null || !s.isObject()) {
					return new RunFolder(dir, name, "", "", RunFolder.UNREADABLE, -1, summaryFile + " is not a JSON object");
				}
				return new RunFolder(dir, name, s.path("simulator").asText(""), s.path("method").asText(""), RunFolder.COMPLETE,
						s.path("warnings").isArray() ? s.path("warnings").size() : 0, "");
			} catch (IOException e) {
				return new RunFolder(dir, name, "", "", RunFolder.UNREADABLE, -1, e.getMessage());
			}
		}
		Path manifest = Files.isRegularFile(dir.resolve(CAMPAIGN).resolve(MANIFEST)) ? dir.resolve(CAMPAIGN).resolve(MANIFEST)
				: dir.resolve(MANIFEST);
		try {
			JsonNode m = JSON.readTree(manifest.toFile());
			String state = m.path("status").asText("");
			String status = RunFolder.SIMULATIONS_ONLY + (state.isEmpty() || state.equals("complete") ? "" : " (" + state + ")");
			return new RunFolder(dir, name, m.path("simulator").path("id").asText(""), "", status, -1, "");
		} catch (IOException e) {
			return new RunFolder(dir, name, "", "", RunFolder.UNREADABLE, -1, e.getMessage());
		}
	}
}
