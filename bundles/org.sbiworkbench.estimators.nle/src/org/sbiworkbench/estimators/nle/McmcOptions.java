package org.sbiworkbench.estimators.nle;

import java.util.List;
import java.util.Locale;

import org.sbiworkbench.mcmc.InitStrategy;
import org.sbiworkbench.mcmc.McmcSettings;
import org.sbiworkbench.mcmc.Sampler;
import org.sbiworkbench.mcmc.Samplers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a posterior known up to a constant (NLE, NRE) is sampled: by MCMC on its
 * potential, with the defaults of sbi v0.27's MCMC posterior — vectorised slice
 * sampling, 20 chains, 200 warm-up iterations, chains started by importance
 * resampling of prior draws ("resample").
 * <p>
 * Setting names, as methods take them: {@code sampler} (slice, mh, hmc or
 * gibbs; default slice), {@code mcmc_chains} (20), {@code warmup} (200),
 * {@code thin} (1), {@code init} (resample, prior or best_of_n; default
 * resample), {@code init_candidates} (1,000 prior draws to resample from).
 *
 * @param sampler        an id of {@link Samplers#byId}
 * @param chains         chains run side by side, all evaluated in one batch
 * @param warmup         iterations per chain spent tuning and discarded
 * @param thin           keep every thin-th iteration after warm-up
 * @param init           how chains start
 * @param initCandidates prior draws the starts are chosen among
 */
public record McmcOptions(String sampler, int chains, int warmup, int thin, InitStrategy init, int initCandidates) {

	/** sbi's: slice, 20 chains, 200 warm-up, no thinning, resampling of 1,000 prior draws. */
	public static final McmcOptions DEFAULT = new McmcOptions(Samplers.defaultSampler().id(), McmcSettings.DEFAULT_CHAINS,
			McmcSettings.DEFAULT_WARMUP, 1, InitStrategy.RESAMPLE, McmcSettings.DEFAULT_INIT_CANDIDATES);

	/** The setting names {@link #with} understands. */
	public static final List<String> NAMES = List.of("sampler", "mcmc_chains", "warmup", "thin", "init", "init_candidates");

	public McmcOptions {
		sampler = sampler == null ? null : sampler.toLowerCase(Locale.ROOT);
		Samplers.byId(sampler); // names the valid ids when wrong
		if (init == null) {
			throw new IllegalArgumentException("init must be one of resample, prior, best_of_n");
		}
		// McmcSettings checks the ranges and says what is wrong.
		new McmcSettings(chains, warmup, 1, thin, init, initCandidates);
	}

	/** The MCMC settings of one run of {@code samples} draws. */
	public McmcSettings settings(int samples) {
		return new McmcSettings(chains, warmup, samples, thin, init, initCandidates);
	}

	public Sampler newSampler() {
		return Samplers.byId(sampler);
	}

	public static boolean isSetting(String name) {
		return NAMES.contains(name);
	}

	/**
	 * These options with one setting changed.
	 *
	 * @param method names the method in messages, e.g. "NLE"
	 * @throws IllegalArgumentException for an unknown name or a bad value, saying which and why
	 */
	public McmcOptions with(String name, String value, String method) {
		if (!isSetting(name)) {
			throw new IllegalArgumentException("Unknown " + method + " MCMC setting '" + name + "'; known: " + String.join(", ", NAMES));
		}
		try {
			return switch (name) {
			case "sampler" -> new McmcOptions(value, chains, warmup, thin, init, initCandidates);
			case "mcmc_chains" -> new McmcOptions(sampler, Integer.parseInt(value.trim()), warmup, thin, init, initCandidates);
			case "warmup" -> new McmcOptions(sampler, chains, Integer.parseInt(value.trim()), thin, init, initCandidates);
			case "thin" -> new McmcOptions(sampler, chains, warmup, Integer.parseInt(value.trim()), init, initCandidates);
			case "init" -> new McmcOptions(sampler, chains, warmup, thin, parseInit(value), initCandidates);
			case "init_candidates" -> new McmcOptions(sampler, chains, warmup, thin, init, Integer.parseInt(value.trim()));
			default -> throw new IllegalStateException(name);
			};
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(method + " setting '" + name + "' must be a whole number, got '" + value + "'");
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(method + " setting '" + name + "': " + e.getMessage(), e);
		}
	}

	/** resample (sbi's "resample", also "sir"), prior (sbi's "proposal") or best_of_n. */
	static InitStrategy parseInit(String value) {
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
		case "resample", "sir" -> InitStrategy.RESAMPLE;
		case "prior", "proposal" -> InitStrategy.PRIOR;
		case "best_of_n" -> InitStrategy.BEST_OF_N;
		default -> throw new IllegalArgumentException("unknown chain initialisation '" + value + "'; valid: resample, prior, best_of_n");
		};
	}

	/** The options by their setting names, for reports. */
	public java.util.Map<String, Object> summary() {
		java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
		m.put("sampler", sampler);
		m.put("mcmc_chains", chains);
		m.put("warmup", warmup);
		m.put("thin", thin);
		m.put("init", init.name().toLowerCase(Locale.ROOT));
		m.put("init_candidates", initCandidates);
		return java.util.Collections.unmodifiableMap(m);
	}

	public ObjectNode toJson() {
		ObjectNode o = JsonNodeFactory.instance.objectNode();
		o.put("sampler", sampler);
		o.put("chains", chains);
		o.put("warmup", warmup);
		o.put("thin", thin);
		o.put("init", init.name().toLowerCase(Locale.ROOT));
		o.put("initCandidates", initCandidates);
		return o;
	}

	/** Reads {@link #toJson()}; missing fields take the defaults. */
	public static McmcOptions fromJson(JsonNode o) {
		if (o == null || o.isMissingNode() || o.isNull()) {
			return DEFAULT;
		}
		return new McmcOptions(o.path("sampler").asText(DEFAULT.sampler), o.path("chains").asInt(DEFAULT.chains),
				o.path("warmup").asInt(DEFAULT.warmup), o.path("thin").asInt(DEFAULT.thin),
				o.has("init") ? parseInit(o.get("init").asText()) : DEFAULT.init, o.path("initCandidates").asInt(DEFAULT.initCandidates));
	}
}
