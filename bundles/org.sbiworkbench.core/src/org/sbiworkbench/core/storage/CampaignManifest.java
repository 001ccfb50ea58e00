package org.sbiworkbench.core.storage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.sbiworkbench.core.campaign.FailureKind;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a campaign's {@code manifest.json} says: provenance (simulator id and
 * version, prior, seed, timestamps), shape, status and failure counts.
 *
 * @param prior the prior as JSON ({@link org.sbiworkbench.core.run.PriorSpecs}), or the text "default"
 */
public record CampaignManifest(String simulatorId, String simulatorVersion, List<String> parameters,
		List<String> observations, JsonNode prior, String priorDescription, long seed, long simulations,
		int chunkSize, Long timeoutMillis, String created, String updated, String status,
		Map<FailureKind, Long> failureCounts, int storedChunks) {

	public int chunkCount() {
		return (int) ((simulations + chunkSize - 1) / chunkSize);
	}

	public boolean usesDefaultPrior() {
		return prior.isTextual() && prior.asText().equals("default");
	}

	public long failures() {
		return failureCounts.values().stream().mapToLong(Long::longValue).sum();
	}

	CampaignManifest with(String status, String updated, Map<FailureKind, Long> counts, int stored) {
		return new CampaignManifest(simulatorId, simulatorVersion, parameters, observations, prior, priorDescription, seed,
				simulations, chunkSize, timeoutMillis, created, updated, status, java.util.Collections.unmodifiableMap(new EnumMap<>(counts)), stored);
	}

	/** Checks every field; a missing or malformed one gives an error naming the file and the field. */
	static CampaignManifest parse(JsonNode m, String file) throws CampaignStoreException {
		String format = m.path("format").asText("");
		if (!CampaignStore.FORMAT.equals(format)) {
			throw new CampaignStoreException(file + " is not an SBI Workbench campaign manifest (format '" + format
					+ "', expected '" + CampaignStore.FORMAT + "')");
		}
		int version = integer(m, "formatVersion", file);
		if (version > CampaignStore.FORMAT_VERSION) {
			throw new CampaignStoreException(file + " was written by a newer SBI Workbench (format version " + version
					+ "); update SBI Workbench to read it");
		}
		JsonNode sim = m.get("simulator");
		if (sim == null || !sim.path("id").isTextual() || !sim.path("version").isTextual()) {
			throw new CampaignStoreException(file + ": 'simulator' must give the simulator's 'id' and 'version'");
		}
		List<String> parameters = new ArrayList<>();
		for (JsonNode p : array(m, "parameters", file)) {
			if (!p.path("name").isTextual()) {
				throw new CampaignStoreException(file + ": every entry of 'parameters' needs a 'name'");
			}
			parameters.add(p.get("name").asText());
		}
		List<String> observations = new ArrayList<>();
		for (JsonNode o : array(m, "observations", file)) {
			if (!o.isTextual()) {
				throw new CampaignStoreException(file + ": 'observations' must be a list of names");
			}
			observations.add(o.asText());
		}
		if (parameters.isEmpty() || observations.isEmpty()) {
			throw new CampaignStoreException(file + ": 'parameters' and 'observations' must not be empty");
		}
		JsonNode prior = m.get("prior");
		if (prior == null || !(prior.isObject() || prior.isTextual() && prior.asText().equals("default"))) {
			throw new CampaignStoreException(file + ": 'prior' must be a prior specification or \"default\"");
		}
		long seed = longValue(m, "seed", file);
		long simulations = longValue(m, "simulations", file);
		int chunkSize = integer(m, "chunkSize", file);
		if (simulations <= 0 || chunkSize <= 0) {
			throw new CampaignStoreException(file + ": 'simulations' and 'chunkSize' must be positive");
		}
		Long timeout = m.path("timeoutMillis").isNull() || m.path("timeoutMillis").isMissingNode() ? null
				: longValue(m, "timeoutMillis", file);
		String status = m.path("status").asText("");
		if (!List.of("running", "complete", "cancelled").contains(status)) {
			throw new CampaignStoreException(file + ": 'status' must be running, complete or cancelled, got '" + status + "'");
		}
		Map<FailureKind, Long> counts = new EnumMap<>(FailureKind.class);
		JsonNode fc = m.path("failureCounts");
		for (var it = fc.fields(); it.hasNext();) {
			var e = it.next();
			try {
				counts.put(FailureKind.ofId(e.getKey()), e.getValue().asLong());
			} catch (IllegalArgumentException ex) {
				throw new CampaignStoreException(file + ": unknown failure kind '" + e.getKey() + "' in 'failureCounts'");
			}
		}
		if ((simulations + chunkSize - 1) / chunkSize > Integer.MAX_VALUE) {
			throw new CampaignStoreException(file + ": 'simulations' / 'chunkSize' gives too many chunks");
		}
		int chunks = m.path("storedChunks").asInt(0);
		return new CampaignManifest(sim.get("id").asText(), sim.get("version").asText(), List.copyOf(parameters),
				List.copyOf(observations), prior, m.path("priorDescription").asText(""), seed, simulations, chunkSize,
				timeout, m.path("created").asText(""), m.path("updated").asText(""), status, counts, chunks);
	}

	private static JsonNode array(JsonNode m, String field, String file) throws CampaignStoreException {
		JsonNode a = m.get(field);
		if (a == null || !a.isArray()) {
			throw new CampaignStoreException(file + ": '" + field + "' must be a list");
		}
		return a;
	}

	private static long longValue(JsonNode m, String field, String file) throws CampaignStoreException {
		JsonNode v = m.get(field);
		if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
			throw new CampaignStoreException(file + ": '" + field + "' must be an integer");
		}
		return v.asLong();
	}

	private static int integer(JsonNode m, String field, String file) throws CampaignStoreException {
		JsonNode v = m.get(field);
		if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
			throw new CampaignStoreException(file + ": '" + field + "' must be an integer");
		}
		return v.asInt();
	}
}
