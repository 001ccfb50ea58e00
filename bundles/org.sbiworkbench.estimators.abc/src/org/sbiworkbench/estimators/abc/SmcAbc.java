package org.sbiworkbench.estimators.abc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.random.CorrelatedRandomVectorGenerator;
import org.apache.commons.math3.random.GaussianRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.InferenceMethod;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.ProgressMonitor;
import org.sbiworkbench.core.SequentialInferenceMethod;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.SimulationSet;

/**
 * SMC-ABC: the adaptive population Monte Carlo ABC of Beaumont, Cornuet, Marin and Robert (2009), which
 * simulates as it goes for one observation x_o and spends a simulation budget on ever smaller thresholds ε. The
 * defaults follow sbibm's SMC-ABC runs (sbi's {@code SMCABC}, variant C, as sbibm configures it), whose C2ST
 * figures the benchmarks compare against.
 * <ol>
 * <li>Generation 0: {@code initial_population_factor} × N draws from the prior are simulated (at most half the
 * budget, at least N, as sbibm); the N nearest to x_o form the population, with equal weights, and ε₀ is the
 * largest of their distances. The distance scale s (per component of x) is taken from these prior-predictive
 * simulations and kept for all generations.</li>
 * <li>Generation t: ε_t follows from the previous population's distances by {@code epsilon_schedule} and
 * {@code epsilon_decay} (see {@link AbcSettings.EpsilonSchedule}); proposals pick a particle θ_j by weight and
 * perturb it with a Gaussian kernel K of covariance {@code kernel_scale} × the population's weighted covariance;
 * proposals outside the prior's support are redrawn (index and perturbation) without simulating; a proposal is
 * accepted when its simulation lies within ε_t. Proposals are simulated in batches of as many as particles are
 * still missing, so no simulation is spent after the N-th acceptance. Accepted particles get the importance
 * weights wᵢ ∝ p(θᵢ) / Σ_j w_j K(θᵢ | θ_j). With {@code ess_min} > 0 a population whose effective sample size
 * is below {@code ess_min} × N is resampled to equal weights (Sisson, Fan, Tanaka 2007).</li>
 * <li>It stops when the budget is spent; {@code last_population} says what a generation cut short becomes (see
 * {@link AbcSettings.LastPopulation}; by default, as sbi, it is filled up with the nearest particles of the
 * previous population). With {@code budget_aware_epsilon}, near the end the threshold is chosen so that the
 * remaining budget can complete the generation: when the last generation's acceptance rate (as a function of ε,
 * from all its simulations) predicts that a population at the scheduled ε_t cannot be completed, ε_t is raised to
 * the smallest value it predicts can be (with a 10% margin), provided that is still below the previous ε.</li>
 * </ol>
 * Simulations that throw, return NaN or infinite values or the wrong number of values are counted (they use
 * budget) and never accepted: the proposal is simply not kept, so the next one replaces it. Every simulation
 * i draws its randomness from its own stream {@code Seeds.forRow(seed, i)} and the algorithm from
 * {@code Seeds.forRow(seed, -1)}, so results do not depend on {@code threads}. Progress is reported in
 * simulations; cancellation is checked before every simulation and ends the run with a
 * {@link CancellationException}.
 * <p>
 * The returned {@link AbcPosterior} samples the final population through the same Gaussian KDE as rejection
 * ABC. By default ({@code kde_weights=false}, as in sbibm's runs) the particles count equally in it; with
 * {@code kde_weights=true} the importance weights enter the resampling, the covariance and (as effective sample
 * size) the bandwidth rule. The weights stay in {@link AbcPosterior#weights()} either way, and a collapsed
 * effective sample size is reported as a warning. Sampling
 * with the perturbation kernel instead would inflate the variance by 1 + {@code kernel_scale}.
 * <p>
 * Settings (sbibm's value in brackets where ours differs):
 * <ul>
 * <li>{@code population_size}: N; default as sbibm, 100 for budgets up to 10,000 and 1,000 above;</li>
 * <li>{@code initial_population_factor}: 5 (sbibm's {@code initial_round_factor});</li>
 * <li>{@code epsilon_schedule}: cumulative, quantile or constant; {@code epsilon_decay}: 0.2;</li>
 * <li>{@code kernel_scale}: 0.5 (sbibm's {@code kernel_variance_scale}; Beaumont et al. 2009 use 2);</li>
 * <li>{@code last_population}: fill, previous or partial; {@code budget_aware_epsilon}: false;
 * {@code ess_min}: 0 (never resample);</li>
 * <li>{@code distance_scale}: std [none], {@code regression_adjustment} (on the final population, weights w_i ×
 * the Epanechnikov kernel of d_i/ε) and {@code kde_bandwidth} (cv): as {@link RejectionAbc};
 * {@code kde_kernel}: diagonal [isotropic; {@link RejectionAbc}'s default is covariance]; {@code kde_weights}: false, as
 * sbibm (true collapses onto a few particles in ten dimensions: gaussian_linear at 10,000 simulations, C2ST 0.874
 * weighted and 0.809 without; docs/benchmarks/methods.md);</li>
 * <li>{@code threads}: simulations run in parallel on this many threads; default one per core.</li>
 * </ul>
 */
@Component(service = { InferenceMethod.class, SequentialInferenceMethod.class })
public final class SmcAbc implements SequentialInferenceMethod {

	/** Beyond this many proposals outside the prior's support per one inside, the kernel is hopeless. */
	private static final int MAX_SUPPORT_REJECTIONS = 10_000;
	private static final int MAX_FAILURE_EXAMPLES = 5;

	@Override
	public String id() {
		return "smcabc";
	}

	@Override
	public String name() {
		return "Sequential Monte Carlo approximate Bayesian computation";
	}

	@Override
	public List<String> references() {
		return List.of("Beaumont, Cornuet, Marin, Robert. Adaptive approximate Bayesian computation. Biometrika 96(4), 2009.",
				"Sisson, Fan, Tanaka. Sequential Monte Carlo without likelihoods. PNAS 104(6), 2007.",
				"Toni, Welch, Strelkowa, Ipsen, Stumpf. Approximate Bayesian computation scheme for parameter inference and model "
						+ "selection in dynamical systems. Journal of the Royal Society Interface 6(31), 2009.",
				"Beaumont, Zhang, Balding. Approximate Bayesian computation in population genetics. Genetics 162(4), 2002.",
				"Lueckmann, Boelts, Greenberg, Gonçalves, Macke. Benchmarking simulation-based inference. AISTATS 2021.");
	}

	/** Always fails: SMC-ABC simulates as it goes, so it cannot learn from a finished campaign. */
	@Override
	public AmortizedPosterior train(SimulationSet.TrainingData simulations, Prior prior, SimulatorDescriptor simulator,
			Map<String, String> settings, long seed, ProgressMonitor monitor) {
		throw new UnsupportedOperationException("SMC-ABC simulates as it goes and needs the simulator, not a finished campaign: run it "
				+ "with 'sbiw infer --method smcabc' (SequentialInferenceMethod.infer), or use --method abc on these simulations");
	}

	/** Always fails: an SMC-ABC posterior belongs to one observation and is not saved as an estimator. */
	@Override
	public AmortizedPosterior load(Path dir) throws IOException {
		throw new IOException("SMC-ABC saves no estimator (its posterior is for one observation only); nothing to load from " + dir);
	}

	@Override
	public AbcPosterior infer(Simulator simulator, Prior prior, double[] observation, long budget, Map<String, String> settings,
			long seed, ProgressMonitor monitor) {
		AbcSettings.Smc s = AbcSettings.smc(settings);
		SimulatorDescriptor descriptor = simulator.descriptor();
		int k = descriptor.observationDimension();
		int dim = prior.dimension();
		if (observation.length != k) {
			throw new IllegalArgumentException("The observation has " + observation.length + " values; " + descriptor.id() + " produces " + k);
		}
		for (int j = 0; j < k; j++) {
			if (!Double.isFinite(observation[j])) {
				throw new IllegalArgumentException("Component " + j + " of the observation is " + observation[j]);
			}
		}
		if (dim != descriptor.parameterDimension()) {
			throw new IllegalArgumentException("The prior is over " + dim + " parameters; " + descriptor.id() + " takes "
					+ descriptor.parameterDimension());
		}
		int n = s.populationSize(budget);
		if (n < 2) {
			throw new IllegalArgumentException("SMC-ABC needs a budget and population_size of at least 2 simulations, got budget " + budget
					+ " and population " + n);
		}
		long initial = Math.round(s.initialPopulationFactor() * n);
		initial = Math.max(n, Math.min(initial, Math.max(budget / 2, n)));
		RandomGenerator random = Seeds.forRow(seed, -1);
		monitor.begin("SMC-ABC on " + descriptor.id() + ": " + budget + " simulations", budget);
		try (Runner runner = new Runner(simulator, seed, k, s.threads(), budget, monitor)) {
			// Generation 0: the nearest N of the initial draws from the prior.
			List<double[]> theta0 = new ArrayList<>();
			List<double[]> x0 = new ArrayList<>();
			while (theta0.size() < initial && runner.remaining() > 0) {
				int b = (int) Math.min(initial - theta0.size(), runner.remaining());
				double[][] t = prior.sample(b, random);
				double[][] xs = runner.simulate(t);
				for (int i = 0; i < b; i++) {
					if (xs[i] != null) {
						theta0.add(t[i]);
						x0.add(xs[i]);
					}
				}
				if (theta0.isEmpty()) {
					break; // every simulation failed: do not spend the rest of the budget finding out again
				}
			}
			if (theta0.size() < n) {
				throw new IllegalStateException("Only " + theta0.size() + " of " + runner.used + " simulations from the prior succeeded, "
						+ "fewer than the population of " + n + runner.failureText());
			}
			double[][] xAll = x0.toArray(double[][]::new);
			double[] scale = AbcMath.scales(xAll, s.scale());
			double[] d0 = AbcMath.distances(xAll, observation, scale);
			int[] keep = AbcMath.nearest(d0, n);
			double[][] th = new double[n][];
			double[][] xs = new double[n][];
			double[] ds = new double[n];
			for (int i = 0; i < n; i++) {
				th[i] = theta0.get(keep[i]);
				xs[i] = xAll[keep[i]];
				ds[i] = d0[keep[i]];
			}
			double[] w = new double[n];
			Arrays.fill(w, 1.0 / n);
			Population pop = new Population(th, xs, ds, w, ds[n - 1]);
			List<Map<String, Object>> generations = new ArrayList<>();
			generations.add(generation(0, pop, runner.used, n, "complete"));
			String finalGeneration = "complete";
			// Distances of every successful simulation of the last perturbation generation, and how many it ran: its
			// acceptance rate as a function of ε, from which the budget-aware threshold is predicted. (Generation 0
			// drew from the prior, far wider than any later proposal, so it predicts nothing useful.)
			double[] lastDistances = new double[0];
			long lastSimulations = 0;

			while (runner.remaining() > 0) {
				double epsilon = nextEpsilon(s, pop);
				if (s.budgetAwareEpsilon()) {
					double affordable = affordableEpsilon(lastDistances, lastSimulations, runner.remaining(), n);
					if (affordable > epsilon && affordable < pop.epsilon) {
						epsilon = affordable;
					}
				}
				double[][] covariance = AbcMath.weightedCovariance(pop.theta, pop.weights);
				for (double[] row : covariance) {
					for (int b = 0; b < dim; b++) {
						row[b] *= s.kernelScale();
					}
				}
				double[][] lower = AbcMath.cholesky(covariance);
				double[][] regularised = new double[dim][dim];
				for (int a = 0; a < dim; a++) {
					for (int b = 0; b < dim; b++) {
						for (int c = 0; c <= Math.min(a, b); c++) {
							regularised[a][b] += lower[a][c] * lower[b][c];
						}
					}
				}
				CorrelatedRandomVectorGenerator kernel = new CorrelatedRandomVectorGenerator(new double[dim],
						new Array2DRowRealMatrix(regularised, false), 0, new GaussianRandomGenerator(random));
				double[] cumulative = new double[pop.theta.length];
				double c = 0;
				for (int j = 0; j < pop.theta.length; j++) {
					c += pop.weights[j];
					cumulative[j] = c;
				}
				List<double[]> newTheta = new ArrayList<>();
				List<double[]> newX = new ArrayList<>();
				List<Double> newD = new ArrayList<>();
				long start = runner.used;
				List<Double> simulatedDistances = new ArrayList<>();
				while (newTheta.size() < n && runner.remaining() > 0) {
					// As many proposals as particles are still missing (as sbi), so that no simulation is spent past the
					// N-th acceptance (and batches do not depend on the thread count).
					int b = (int) Math.min(runner.remaining(), n - newTheta.size());
					double[][] proposals = new double[b][];
					for (int i = 0; i < b; i++) {
						proposals[i] = propose(pop.theta, cumulative, kernel, prior, random);
					}
					double[][] sim = runner.simulate(proposals);
					for (int i = 0; i < b; i++) {
						if (sim[i] != null) {
							double dist = AbcMath.distance(sim[i], observation, scale);
							simulatedDistances.add(dist);
							if (dist <= epsilon && newTheta.size() < n) {
								newTheta.add(proposals[i]);
								newX.add(sim[i]);
								newD.add(dist);
							}
						}
					}
				}
				int accepted = newTheta.size();
				String status = "complete";
				if (accepted < n) {
					boolean keepPrevious = accepted == 0 || switch (s.lastPopulation()) {
					case PREVIOUS -> true;
					case PARTIAL -> accepted < (n + 1) / 2;
					case FILL -> false;
					};
					if (keepPrevious) {
						finalGeneration = "previous (the budget ran out after " + accepted + " of " + n + " particles of generation "
								+ generations.size() + ")";
						break;
					}
					if (s.lastPopulation() == AbcSettings.LastPopulation.FILL) {
						// sbi's use_last_pop_samples: complete the population with the previous one's nearest particles,
						// weighted below like the new ones, as if this generation's kernel had proposed them.
						int[] nearest = AbcMath.nearest(pop.distances, n - accepted);
						for (int j : nearest) {
							newTheta.add(pop.theta[j]);
							newX.add(pop.x[j]);
							newD.add(pop.distances[j]);
						}
						status = "filled (the budget ran out after " + accepted + " of " + n + " particles; " + (n - accepted)
								+ " nearest of the previous population added)";
					} else {
						status = "partial (the budget ran out after " + accepted + " of " + n + " particles)";
					}
					finalGeneration = status;
				}
				int size = newTheta.size();
				double[][] nt = newTheta.toArray(double[][]::new);
				double[] logW = new double[size];
				double[] logOld = new double[pop.theta.length];
				for (int j = 0; j < logOld.length; j++) {
					logOld[j] = pop.weights[j] > 0 ? Math.log(pop.weights[j]) : Double.NEGATIVE_INFINITY;
				}
				// Importance weights of population Monte Carlo (Beaumont et al. 2009): prior over the mixture proposal.
				for (int i = 0; i < size; i++) {
					double max = Double.NEGATIVE_INFINITY;
					double[] terms = new double[logOld.length];
					double[] diff = new double[dim];
					for (int j = 0; j < logOld.length; j++) {
						for (int a = 0; a < dim; a++) {
							diff[a] = nt[i][a] - pop.theta[j][a];
						}
						terms[j] = logOld[j] - 0.5 * AbcMath.mahalanobis2(lower, diff);
						max = Math.max(max, terms[j]);
					}
					double sum = 0;
					for (int j = 0; j < logOld.length; j++) {
						sum += Math.exp(terms[j] - max);
					}
					logW[i] = prior.logProb(nt[i]) - (max + Math.log(sum));
				}
				double[] dd = newD.stream().mapToDouble(Double::doubleValue).toArray();
				pop = new Population(nt, newX.toArray(double[][]::new), dd, AbcMath.fromLog(logW), epsilon);
				if (s.essMin() > 0 && AbcMath.effectiveSampleSize(pop.weights) < s.essMin() * size) {
					// Sisson et al. 2007: resample by weight to equal weights when the ESS has collapsed.
					pop = resample(pop, random);
					status += ", resampled";
				}
				generations.add(generation(generations.size(), pop, runner.used - start, accepted, status));
				lastDistances = simulatedDistances.stream().mapToDouble(Double::doubleValue).toArray();
				lastSimulations = runner.used - start;
				if (accepted < n) {
					break;
				}
			}

			// Particles filled in from the previous population may lie beyond the last threshold: the posterior's ε is
			// the largest distance it holds.
			double finalEpsilon = pop.epsilon;
			for (double v : pop.distances) {
				finalEpsilon = Math.max(finalEpsilon, v);
			}
			double[][] particles = pop.theta;
			double[] weights = pop.weights;
			// sbibm's kde_sample_weights = false: the KDE draws the particles without their importance weights.
			double[] sampling = new double[weights.length];
			Arrays.fill(sampling, 1.0);
			if (s.regressionAdjustment()) {
				double[] kern = AbcMath.epanechnikov(pop.distances, finalEpsilon);
				double[] rw = new double[weights.length];
				for (int i = 0; i < rw.length; i++) {
					rw[i] = weights[i] * kern[i];
				}
				particles = AbcMath.regressionAdjust(pop.theta, pop.x, observation, scale, rw);
				weights = rw;
				sampling = kern;
			}
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("method", "smcabc");
			summary.put("budget", budget);
			summary.put("simulations", runner.used);
			summary.put("failed_simulations", runner.failed);
			summary.put("failure_examples", List.copyOf(runner.examples));
			summary.put("generations", List.copyOf(generations));
			summary.put("final_generation", finalGeneration);
			summary.put("epsilons", generations.stream().map(g -> g.get("epsilon")).toList());
			summary.put("settings", s.toMap(budget));
			summary.put("distance_scale_values", scale.clone());
			return new AbcPosterior(descriptor.parameters(), prior, observation, particles, weights, s.kdeWeights() ? null : sampling,
					pop.distances, finalEpsilon,
					s.bandwidth(), s.kernel(), summary);
		} finally {
			monitor.done();
		}
	}

	/** ε_t from the previous population, by the schedule of the settings. */
	private static double nextEpsilon(AbcSettings.Smc s, Population pop) {
		return switch (s.schedule()) {
		case QUANTILE -> AbcMath.quantile(pop.distances, s.epsilonDecay());
		case CONSTANT -> s.epsilonDecay() * pop.epsilon;
		case CUMULATIVE -> AbcMath.cumulativeDistanceQuantile(pop.distances, s.epsilonDecay());
		};
	}

	/** n particles drawn by weight (multinomially), with equal weights. */
	private static Population resample(Population pop, RandomGenerator random) {
		int n = pop.theta.length;
		double[] cumulative = new double[n];
		double c = 0;
		for (int j = 0; j < n; j++) {
			c += pop.weights[j];
			cumulative[j] = c;
		}
		double[][] theta = new double[n][];
		double[][] x = new double[n][];
		double[] d = new double[n];
		for (int i = 0; i < n; i++) {
			int j = pick(cumulative, random);
			theta[i] = pop.theta[j];
			x[i] = pop.x[j];
			d[i] = pop.distances[j];
		}
		double[] w = new double[n];
		Arrays.fill(w, 1.0 / n);
		return new Population(theta, x, d, w, pop.epsilon);
	}

	private static int pick(double[] cumulative, RandomGenerator random) {
		double u = random.nextDouble() * cumulative[cumulative.length - 1];
		int j = Arrays.binarySearch(cumulative, u);
		return Math.min(j >= 0 ? j + 1 : -j - 1, cumulative.length - 1);
	}

	private static Map<String, Object> generation(int t, Population pop, long simulations, int accepted, String status) {
		Map<String, Object> g = new LinkedHashMap<>();
		g.put("generation", t);
		g.put("epsilon", pop.epsilon);
		g.put("simulations", simulations);
		g.put("accepted", accepted);
		g.put("acceptance_rate", simulations == 0 ? Double.NaN : accepted / (double) simulations);
		g.put("effective_sample_size", AbcMath.effectiveSampleSize(pop.weights));
		g.put("status", status);
		return g;
	}

	/** The predicted acceptance of the next generation is multiplied by this margin before it is relied on. */
	private static final double BUDGET_MARGIN = 1.1;

	/**
	 * The smallest ε at which the remaining budget is predicted to complete a population of n: the last
	 * generation accepted a share count(dᵢ ≤ ε)/simulations at ε, and proposals from the newer, narrower population
	 * are accepted at least as often, so the prediction errs on the safe side. +∞ when no ε would do.
	 */
	private static double affordableEpsilon(double[] distances, long simulations, long remaining, int n) {
		if (distances.length == 0 || remaining <= 0) {
			return Double.POSITIVE_INFINITY;
		}
		double needed = Math.ceil(BUDGET_MARGIN * n * simulations / (double) remaining);
		if (needed > distances.length) {
			return Double.POSITIVE_INFINITY;
		}
		double[] sorted = distances.clone();
		Arrays.sort(sorted);
		return sorted[Math.max(0, (int) needed - 1)];
	}

	/** A particle picked by weight and perturbed, redrawn (both) until it lies in the prior's support. */
	private static double[] propose(double[][] theta, double[] cumulative, CorrelatedRandomVectorGenerator kernel, Prior prior,
			RandomGenerator random) {
		for (int attempt = 0; attempt < MAX_SUPPORT_REJECTIONS; attempt++) {
			int j = pick(cumulative, random);
			double[] e = kernel.nextVector();
			double[] p = theta[j].clone();
			for (int a = 0; a < p.length; a++) {
				p[a] += e[a];
			}
			if (prior.inSupport(p)) {
				return p;
			}
		}
		throw new IllegalStateException("SMC-ABC's perturbation kernel put " + MAX_SUPPORT_REJECTIONS + " proposals in a row outside the "
				+ "prior's support; try a smaller kernel_scale");
	}

	/** One population: particles, their data, distances and normalised weights, at threshold epsilon. */
	private record Population(double[][] theta, double[][] x, double[] distances, double[] weights, double epsilon) {
	}

	/**
	 * Runs simulations within the budget, in parallel, each with its own random stream; counts failures and
	 * watches for cancellation.
	 */
	private static final class Runner implements AutoCloseable {
		private final Simulator simulator;
		private final long seed;
		private final int k;
		private final int threads;
		private final long budget;
		private final ProgressMonitor monitor;
		private final ExecutorService pool;
		private final AtomicBoolean cancelled = new AtomicBoolean();
		long used;
		long failed;
		final List<String> examples = new ArrayList<>();

		Runner(Simulator simulator, long seed, int k, int threads, long budget, ProgressMonitor monitor) {
			this.simulator = simulator;
			this.seed = seed;
			this.k = k;
			this.threads = threads;
			this.budget = budget;
			this.monitor = monitor;
			this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
				Thread t = new Thread(r, "smcabc-simulation");
				t.setDaemon(true);
				return t;
			}) : null;
		}

		long remaining() {
			return budget - used;
		}

		/** x for each θ, null where the simulation failed. */
		double[][] simulate(double[][] theta) {
			checkCancelled();
			int b = theta.length;
			double[][] x = new double[b][];
			String[] why = new String[b];
			long first = used;
			if (pool == null || b < 2) {
				run(theta, x, why, first, 0, b);
			} else {
				int chunks = Math.min(b, threads * 4);
				List<Future<?>> futures = new ArrayList<>();
				for (int c = 0; c < chunks; c++) {
					int from = (int) ((long) b * c / chunks);
					int to = (int) ((long) b * (c + 1) / chunks);
					futures.add(pool.submit(() -> run(theta, x, why, first, from, to)));
				}
				for (Future<?> f : futures) {
					try {
						f.get();
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
						futures.forEach(g -> g.cancel(true));
						throw new CancellationException("SMC-ABC was interrupted after " + used + " of " + budget + " simulations");
					} catch (ExecutionException e) {
						throw new IllegalStateException("A simulation worker failed: " + e.getCause(), e.getCause());
					}
				}
			}
			used += b;
			monitor.worked(b);
			for (int i = 0; i < b; i++) {
				if (why[i] != null) {
					failed++;
					if (examples.size() < MAX_FAILURE_EXAMPLES) {
						examples.add("simulation " + (first + i) + " at θ = " + Arrays.toString(theta[i]) + ": " + why[i]);
					}
				}
			}
			checkCancelled();
			return x;
		}

		private void run(double[][] theta, double[][] x, String[] why, long first, int from, int to) {
			for (int i = from; i < to; i++) {
				if (cancelled.get() || monitor.isCanceled()) {
					cancelled.set(true);
					why[i] = "not run: cancelled";
					continue;
				}
				try {
					double[] xi = simulator.simulate(theta[i], Seeds.forRow(seed, first + i));
					if (xi == null) {
						why[i] = "returned null";
					} else if (xi.length != k) {
						why[i] = "returned " + xi.length + " values, expected " + k;
					} else {
						for (double v : xi) {
							if (!Double.isFinite(v)) {
								why[i] = "returned " + v;
								break;
							}
						}
						if (why[i] == null) {
							x[i] = xi;
						}
					}
				} catch (VirtualMachineError e) {
					throw e;
				} catch (Throwable e) {
					why[i] = "threw " + e;
				}
			}
		}

		private void checkCancelled() {
			if (cancelled.get() || monitor.isCanceled()) {
				throw new CancellationException("SMC-ABC was cancelled after " + used + " of " + budget + " simulations");
			}
		}

		String failureText() {
			return failed == 0 ? "" : String.format(Locale.ROOT, "; %d failed, e.g. %s", failed, examples.get(0));
		}

		@Override
		public void close() {
			if (pool != null) {
				pool.shutdownNow();
			}
		}
	}
}
