package org.sbiworkbench.mcmc;

import java.util.List;

/** The samplers by id, for settings and command lines that name one. */
public final class Samplers {

	/** The ids {@link #byId} knows, the default first. */
	public static final List<String> IDS = List.of(SliceSampler.ID, MetropolisHastings.ID, Hmc.ID, Gibbs.ID);

	private Samplers() {
	}

	/** The default for NLE and NRE: slice sampling, as in sbi. */
	public static Sampler defaultSampler() {
		return new SliceSampler();
	}

	/**
	 * A sampler with default settings: "slice", "mh", "hmc" or "gibbs"
	 * (Metropolis-within-Gibbs for every coordinate).
	 *
	 * @throws IllegalArgumentException for any other id, listing the valid ones
	 */
	public static Sampler byId(String id) {
		if (id != null) {
			switch (id) {
			case SliceSampler.ID:
				return new SliceSampler();
			case MetropolisHastings.ID:
				return new MetropolisHastings();
			case Hmc.ID:
				return new Hmc();
			case Gibbs.ID:
				return new Gibbs();
			default:
				break;
			}
		}
		throw new IllegalArgumentException(
				"Unknown MCMC sampler '" + id + "'; valid ids are: " + String.join(", ", IDS));
	}
}
