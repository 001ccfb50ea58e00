package org.sbiworkbench.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the amortized estimator a run saved in {@code estimator/} with the installed {@link InferenceMethod}
 * service whose id matches the {@code format} in {@code estimator.json} ("sbiworkbench-npe" → "npe"). Methods
 * are tracked as services, so one installed later is found. Loaded estimators are kept (per folder and file
 * time) so a second observation costs no second load. Reads files: call {@link #load} off the UI thread.
 */
public final class Estimators implements AutoCloseable {

	public static final String FILE = "estimator.json";
	private static final String PREFIX = "sbiworkbench-";
	private static final ObjectMapper JSON = new ObjectMapper();

	private final ServiceTracker<InferenceMethod, InferenceMethod> methods;
	private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

	private record Loaded(long modified, AmortizedPosterior estimator) {
	}

	/** A problem a user can fix or understand (no estimator, method not installed...), shown as a message. */
	public static final class Unavailable extends Exception {
		private static final long serialVersionUID = 1L;

		Unavailable(String message) {
			super(message);
		}
	}

	public Estimators(BundleContext context) {
		methods = new ServiceTracker<>(context, InferenceMethod.class, null);
		methods.open();
	}

	/** The method id an estimator format stands for: "sbiworkbench-npe" → "npe". */
	public static String methodId(String format) {
		return format.startsWith(PREFIX) ? format.substring(PREFIX.length()) : format;
	}

	/** The estimator saved in {@code runFolder/estimator}, loaded by the method its format names. */
	public AmortizedPosterior load(Path runFolder) throws Unavailable, IOException {
		Path dir = runFolder.resolve("estimator");
		Path file = dir.resolve(FILE);
		if (!Files.isRegularFile(file)) {
			throw new Unavailable("This run has no saved estimator (" + runFolder.relativize(file)
					+ "): its method is not amortized (e.g. a sequential method) or the run did not finish training. "
					+ "Run the inference again to condition on a new observation.");
		}
		long modified = Files.getLastModifiedTime(file).toMillis();
		Loaded cached = cache.get(dir);
		if (cached != null && cached.modified() == modified) {
			return cached.estimator();
		}
		JsonNode json = JSON.readTree(file.toFile());
		String format = json == null ? "" : json.path("format").asText("");
		if (format.isEmpty()) {
			throw new Unavailable(file + " names no 'format', so no inference method can load it");
		}
		String id = methodId(format);
		InferenceMethod method = find(id);
		if (method == null) {
			throw new Unavailable("The estimator's format '" + format + "' needs the inference method '" + id
					+ "', which is not installed; installed: " + installed());
		}
		AmortizedPosterior estimator = method.load(dir);
		cache.put(dir, new Loaded(modified, estimator));
		return estimator;
	}

	private InferenceMethod find(String id) {
		InferenceMethod[] all = methods.getServices(new InferenceMethod[0]);
		for (InferenceMethod m : all) {
			if (m.id().equals(id)) {
				return m;
			}
		}
		return null;
	}

	private String installed() {
		TreeSet<String> ids = new TreeSet<>();
		for (InferenceMethod m : methods.getServices(new InferenceMethod[0])) {
			ids.add(m.id());
		}
		return ids.isEmpty() ? "none" : String.join(", ", ids);
	}

	@Override
	public void close() {
		methods.close();
		cache.clear();
	}
}
