package org.sbiworkbench.mcmc.tests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.mcmc.ConditionalSampler;
import org.sbiworkbench.mcmc.Gibbs;
import org.sbiworkbench.mcmc.InitStrategy;
import org.sbiworkbench.mcmc.McmcResult;
import org.sbiworkbench.mcmc.McmcSettings;
import org.sbiworkbench.mcmc.Samplers;
import org.sbiworkbench.mcmc.tests.MomentCheck.Error;
import org.sbiworkbench.mcmc.tests.Targets.Target;

/**
 * Every sampler against targets with exact moments.
 * <p>
 * Each mean, variance and covariance must lie within {@value #TOLERANCE}
 * Monte Carlo standard errors of the truth (see {@link MomentCheck}), and
 * every coordinate's rank-normalised split-R̂ must be below
 * {@value #MAX_R_HAT}. For a correct sampler and a reliable MCSE an error
 * beyond 4.5 MCSE has probability 7·10⁻⁶ per quantity; with about 130
 * quantities checked here a failure means a bias, or an ESS (hence an MCSE)
 * that is overestimated. The run lengths are chosen per sampler so that the
 * slowest-mixing coordinate still has a bulk ESS of a few thousand, which R̂ <
 * 1.01 needs with 10 chains (R̂ − 1 shrinks like the number of chains over
 * the ESS, so 10 chains need half the draws 20 would). Warm-up is 1,000
 * rather than the default 200 so that adaptation is not what is tested.
 * Seeds are fixed, so the tests are deterministic; with eight other sets of
 * seeds the largest error was 3.5 MCSE and the largest R̂ 1.008.
 * <p>
 * The banana is a mild one (a = 1, b = 0.5). With a = 1.5, b = 0.5 the
 * estimate of Var θ2 is a mean of a heavy-tailed quantity whose error is
 * skewed, and normal-theory MCSE bounds fail now and then even for slice
 * sampling (4.6 MCSE in one of eight seeds), and HMC with the default target
 * acceptance 0.8 underestimated Var θ2 by 9–15% (up to 4.8 MCSE) in three of
 * four seeds: its step size suits the body and is too long for the narrow
 * arms. With a target acceptance of 0.95 its errors stayed within 3 MCSE.
 */
class SamplerAccuracyTest {

	static final double TOLERANCE = 4.5;
	static final double MAX_R_HAT = 1.01;
	static final int CHAINS = 10;
	static final int WARMUP = 1000;

	/**
	 * Samples per run: more for the samplers whose draws are more correlated
	 * (Metropolis-within-Gibbs on correlated coordinates, random-walk
	 * Metropolis), and for HMC where hard walls force short trajectories.
	 */
	static int samplesFor(String sampler, Target target) {
		return switch (sampler) {
		case "hmc" -> target.name().startsWith("truncated") ? 200_000 : 20_000;
		case "slice" -> 60_000;
		case "mh" -> 60_000;
		default -> 200_000;
		};
	}

	/** Runs every sampler on the target and checks all moments and R̂ of all of them. */
	private static void checkAllSamplers(Target target, InitStrategy init, long seed) {
		List<Executable> checks = new ArrayList<>();
		for (String id : Samplers.IDS) {
			McmcSettings settings = McmcSettings.defaults().withChains(CHAINS).withWarmup(WARMUP)
					.withSamples(samplesFor(id, target)).withInit(init);
			McmcResult result = Samplers.byId(id).sample(target.density(), target.init(), settings, seed,
					ProgressMonitor.NULL);
			checks.addAll(checks(target, result));
		}
		assertAll(target.name(), checks);
	}

	static List<Executable> checks(Target target, McmcResult result) {
		List<Error> errors = MomentCheck.errors(result, target.mean(), target.covariance());
		System.out.println(target.name() + " | " + result + " | R-hat " + Arrays.toString(result.rHat())
				+ " | worst " + MomentCheck.worst(errors));
		List<Executable> checks = new ArrayList<>();
		for (Error e : errors) {
			checks.add(() -> assertTrue(e.inMcse() <= TOLERANCE, result.samplerId() + " " + e));
		}
		for (int j = 0; j < result.dimension(); j++) {
			int fj = j;
			checks.add(() -> assertTrue(result.rHat()[fj] < MAX_R_HAT,
					result.samplerId() + ": R-hat of coordinate " + fj + " is " + result.rHat()[fj]));
		}
		return checks;
	}

	/** σ = (1, 3, 0.5), correlation 0.9 and −0.3: different scales and a strong correlation. */
	@Test
	void correlatedGaussian() {
		checkAllSamplers(Targets.correlatedGaussian(), InitStrategy.RESAMPLE, 101);
	}

	/** A curved target: the banana with a = 1, b = 0.5 (Var θ2 = 2a⁴b² + 1 = 1.5). */
	@Test
	void banana() {
		checkAllSamplers(Targets.banana(1, 0.5), InitStrategy.RESAMPLE, 102);
	}

	/**
	 * Two modes 4.5 standard deviations apart, weights 0.3 and 0.7: the chains
	 * start from prior draws all over [−10, 10]² and must cross between the
	 * modes for the weights (hence the mean and the covariance) to come out right.
	 */
	@Test
	void bimodalMixture() {
		checkAllSamplers(Targets.mixture(0.3, new double[] { -2, -1 }, new double[] { 2, 1 }), InitStrategy.PRIOR,
				103);
	}

	/**
	 * −∞ outside a box: two truncated normals (one with its mode outside the
	 * box) and a uniform coordinate. Every sampler must reject or shrink away
	 * from outside points and still reproduce the truncated moments.
	 */
	@Test
	void truncatedToABox() {
		checkAllSamplers(Targets.truncatedBox(), InitStrategy.PRIOR, 104);
	}

	/**
	 * Gibbs with exact full conditionals of the correlated Gaussian:
	 * θ_i | θ_−i ~ N(μ_i − Σ_j≠i Q_ij(θ_j − μ_j)/Q_ii, 1/Q_ii), Q = Σ⁻¹. All
	 * exact: every update is accepted; exact for the first coordinate only:
	 * the others get Metropolis steps, and both kinds mix correctly together.
	 */
	@Test
	void gibbsWithExactConditionals() {
		Target target = Targets.correlatedGaussian();
		double[][] q = Targets.inverse(target.covariance());
		double[] mu = target.mean();
		Map<Integer, ConditionalSampler> all = Map.of(0, conditional(0, q, mu), 1, conditional(1, q, mu), 2,
				conditional(2, q, mu));
		McmcSettings settings = McmcSettings.defaults().withChains(CHAINS).withWarmup(WARMUP).withSamples(40_000);
		McmcResult exact = new Gibbs(all).sample(target.density(), target.init(), settings, 105, ProgressMonitor.NULL);
		McmcResult mixed = new Gibbs(Map.of(0, conditional(0, q, mu))).sample(target.density(), target.init(),
				settings.withSamples(200_000), 106, ProgressMonitor.NULL);
		List<Executable> checks = new ArrayList<>(checks(target, exact));
		checks.add(() -> assertEquals(1.0, exact.acceptanceRate(), 0, "exact draws are always accepted"));
		checks.addAll(checks(target, mixed));
		checks.add(() -> assertTrue(mixed.acceptanceRate() > 0.4 && mixed.acceptanceRate() < 1,
				"exact draws for 1 of 3 coordinates, Metropolis at about 0.44 for the others: " + mixed.acceptanceRate()));
		assertAll("gibbs with exact conditionals", checks);
	}

	private static ConditionalSampler conditional(int i, double[][] q, double[] mu) {
		double sd = 1 / Math.sqrt(q[i][i]);
		return (double[] theta, RandomGenerator random) -> {
			double shift = 0;
			for (int j = 0; j < theta.length; j++) {
				if (j != i) {
					shift += q[i][j] * (theta[j] - mu[j]);
				}
			}
			return mu[i] - shift / q[i][i] + sd * random.nextGaussian();
		};
	}
}
