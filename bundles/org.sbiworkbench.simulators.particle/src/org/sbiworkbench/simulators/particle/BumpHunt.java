package org.sbiworkbench.simulators.particle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code bump_hunt}: a resonance searched for as a bump in an invariant-mass
 * spectrum, in the manner of the LHC diphoton searches: a relativistic
 * Breit–Wigner line, smeared by the detector's mass resolution, on top of a
 * smoothly falling background, counted in bins.
 *
 * <h2>Observation</h2>
 * x_j, the number of events whose measured mass m lies in bin j of
 * [100, 180) GeV, 40 bins of 2 GeV (bin j = [m_j, m_{j+1}), m_j = 100 + 2j GeV);
 * shape [40], a spectrum. The x_j are independent Poisson counts,
 * x_j ~ Poisson(λ_j), with λ_j = s_j + β_j the expected signal plus background.
 *
 * <h2>Signal</h2>
 * The true mass t of a signal event follows the relativistic Breit–Wigner
 * distribution of a resonance of mass M and total width Γ,
 * <pre>
 *   f(t) = k / ((t² − M²)² + M²Γ²),   t ≥ 0,
 *   k = 2√2 M Γ γ / (π √(M² + γ)),   γ = M √(M² + Γ²),
 * </pre>
 * normalised to one over t ∈ [0, ∞). The detector measures m = t + ε with a
 * Gaussian error ε ~ N(0, σ(t)²) whose width grows with the mass,
 * <pre>
 *   σ(t) = σ₀ · t / 125 GeV,   σ₀ = 1.6 GeV,
 * </pre>
 * i.e. a constant relative resolution σ/m = 1.28 %, as for a calorimeter whose
 * constant term dominates (the LHC experiments' H → γγ mass resolution at
 * 125 GeV is typically 1.5–2 GeV). The measured line shape is therefore the convolution of the
 * Breit–Wigner with a Gaussian (a Voigt-like profile, exactly Voigt if σ were
 * constant and the Breit–Wigner non-relativistic). The expected signal in bin j is
 * <pre>
 *   s_j = μ · S · ∫₀^∞ f(t) [Φ((m_{j+1} − t)/σ(t)) − Φ((m_j − t)/σ(t))] dt,
 * </pre>
 * where Φ is the standard normal distribution function, S = 100 events is the
 * nominal expected signal yield (the whole line shape, all t) and μ the signal
 * strength. Events whose true or measured mass falls outside the window are
 * lost, as in an analysis window: for a resonance well inside the window,
 * Σ_j s_j = μS minus the Breit–Wigner tails beyond 100 and 180 GeV (about
 * (Γ/2π)(1/(M − 100 GeV) + 1/(180 GeV − M)) of it).
 *
 * <h2>Background</h2>
 * A falling exponential in the measured mass with slope b, normalised to a
 * fixed B = 5000 expected events in the window, so that b changes the shape
 * only:
 * <pre>
 *   dβ/dm = B · b e^{−b(m − 100 GeV)} / (1 − e^{−b · 80 GeV}),
 *   β_j  = B · (e^{−b(m_j − 100 GeV)} − e^{−b(m_{j+1} − 100 GeV)}) / (1 − e^{−b · 80 GeV}).
 * </pre>
 * The background function describes the measured spectrum (as the
 * functions fitted to data in the diphoton analyses do) and is not smeared
 * again. b = 0 is a flat background and b &lt; 0 a rising one; both are
 * accepted although only b &gt; 0 is physical here.
 *
 * <h2>Parameters and default prior</h2>
 * <ul>
 * <li>{@code mass} M [GeV] ~ U(110, 170): the peak lies at least 10 GeV
 * (more than 4 σ) inside the window, so it is seen whole with sidebands;</li>
 * <li>{@code width} Γ [GeV] ~ U(0.5, 8): from well below the resolution
 * (σ(125 GeV) = 1.6 GeV, where the width hardly shows, as for the Higgs boson)
 * to clearly resolved, Γ/M up to 7 %;</li>
 * <li>{@code signal_strength} μ ~ U(0, 3): from no signal (μ = 0, background
 * only) to three times the nominal yield; for a narrow resonance at 125 GeV,
 * μ = 1 is a local excess of about 4 σ;</li>
 * <li>{@code slope} b [1/GeV] ~ U(0.01, 0.05): the background falls by a
 * factor e^{0.8} (shallow) to e^{4} (steep) across the window.</li>
 * </ul>
 *
 * <h2>Default observation</h2>
 * "toy 1": one spectrum simulated at M = 125 GeV, Γ = 1 GeV, μ = 1.5,
 * b = 0.03 /GeV with {@code new Well19937c(125)}
 * ({@link #DEFAULT_OBSERVATION_SEED}); its counts are stored in the descriptor.
 *
 * <h2>Invalid parameters</h2>
 * θ with the wrong length, a non-finite component, M ≤ 0, Γ ≤ 0 or μ &lt; 0 is
 * refused with an {@link IllegalArgumentException} naming the parameter, which
 * a campaign records as a failed row. Widths below 10⁻⁶ GeV are computed as
 * 10⁻⁶ GeV: the Breit–Wigner tails then carry less than 10⁻⁶ of the signal
 * beyond ±1 GeV, so the smeared spectrum is that of Γ → 0 to that precision.
 *
 * <h2>Numerics</h2>
 * The t integral runs over [100 GeV (1 − 10r), 180 GeV / (1 − 10r)],
 * r = σ₀/125 GeV, outside which an event moves into the window with
 * probability below Φ(−10); it is a composite 8-point Gauss–Legendre rule
 * (Commons Math) on panels no wider than σ(t) nor half the distance to the
 * pole, max(|t − M|, Γ/2)/2, so that both the Breit–Wigner core and the
 * Gaussian edges are resolved. Compared with a 16-times finer rule, bin
 * contents agree to 10⁻¹⁰ of the signal yield. The background bins are
 * integrated analytically. A spectrum takes about 0.2 ms, half of it the
 * Poisson draws (Commons Math's {@link PoissonDistribution}).
 */
@Component(service = Simulator.class)
public final class BumpHunt implements Simulator {

	public static final String ID = "bump_hunt";
	/** Lower edge of the mass window [GeV]. */
	public static final double MASS_LOW = 100;
	/** Upper edge of the mass window [GeV]. */
	public static final double MASS_HIGH = 180;
	/** Bins of the default spectrum. */
	public static final int BINS = 40;
	/** σ₀, the mass resolution at {@link #REFERENCE_MASS} [GeV]. */
	public static final double RESOLUTION = 1.6;
	/** The mass at which the resolution is quoted [GeV]. */
	public static final double REFERENCE_MASS = 125;
	/** S, the expected number of signal events for μ = 1 (the whole line shape). */
	public static final double NOMINAL_SIGNAL = 100;
	/** B, the expected number of background events in the window. */
	public static final double BACKGROUND = 5000;
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 125;
	/** θ of the default observation: M, Γ, μ, b. */
	static final double[] DEFAULT_TRUE_PARAMETERS = { 125, 1.0, 1.5, 0.03 };

	/** Smaller widths are computed as this one [GeV]. */
	static final double MIN_WIDTH = 1e-6;
	/** The largest relative resolution σ₀/125 GeV the integration limits allow. */
	private static final double MAX_RELATIVE_RESOLUTION = 0.05;

	private static final List<Parameter> PARAMETERS = List.of(new Parameter("mass", "GeV"),
			new Parameter("width", "GeV"), Parameter.of("signal_strength"), new Parameter("slope", "1/GeV"));

	/** Counts of the default observation, drawn as the class comment says. */
	private static final double[] DEFAULT_COUNTS = { 339, 314, 287, 282, 289, 237, 205, 181, 199, 170, 178, 205, 211, 188,
			142, 141, 131, 125, 119, 99, 113, 96, 77, 73, 69, 81, 52, 51, 73, 47, 70, 55, 55, 49, 57, 45, 31, 33, 30, 25 };

	private static final double[] GAUSS_POINTS;
	private static final double[] GAUSS_WEIGHTS;

	static {
		GaussIntegrator rule = new GaussIntegratorFactory().legendre(8);
		GAUSS_POINTS = new double[rule.getNumberOfPoints()];
		GAUSS_WEIGHTS = new double[rule.getNumberOfPoints()];
		for (int i = 0; i < GAUSS_POINTS.length; i++) {
			GAUSS_POINTS[i] = rule.getPoint(i);
			GAUSS_WEIGHTS[i] = rule.getWeight(i);
		}
	}

	private final double resolution;
	private final double relativeResolution;
	private final int bins;
	private final double binWidth;
	private final double[] edges;
	private final double trueMassLow;
	private final double trueMassHigh;
	private final SimulatorDescriptor descriptor;

	/** The simulator as registered: σ₀ = 1.6 GeV, 40 bins of 2 GeV. */
	public BumpHunt() {
		this(RESOLUTION, BINS);
	}

	/**
	 * The same physics with another detector: mass resolution σ₀ at 125 GeV and
	 * number of equal bins over [100, 180) GeV. Only the default configuration
	 * carries the default observation.
	 *
	 * @param resolution σ₀ [GeV], positive and at most 6.25 GeV (5 % of 125 GeV)
	 * @param bins       number of bins, at least 1
	 */
	public BumpHunt(double resolution, int bins) {
		if (!(resolution > 0 && resolution <= MAX_RELATIVE_RESOLUTION * REFERENCE_MASS)) {
			throw new IllegalArgumentException("The mass resolution at 125 GeV must lie in (0, "
					+ MAX_RELATIVE_RESOLUTION * REFERENCE_MASS + "] GeV, got " + resolution);
		}
		if (bins < 1) {
			throw new IllegalArgumentException("A spectrum needs at least one bin, got " + bins);
		}
		this.resolution = resolution;
		this.relativeResolution = resolution / REFERENCE_MASS;
		this.bins = bins;
		this.binWidth = (MASS_HIGH - MASS_LOW) / bins;
		this.edges = new double[bins + 1];
		for (int j = 0; j <= bins; j++) {
			edges[j] = j == bins ? MASS_HIGH : MASS_LOW + j * binWidth;
		}
		// Beyond these true masses an event lands in the window with probability below Φ(−10).
		this.trueMassLow = MASS_LOW * (1 - 10 * relativeResolution);
		this.trueMassHigh = MASS_HIGH / (1 - 10 * relativeResolution);
		boolean standard = resolution == RESOLUTION && bins == BINS;
		List<Observation> observations = standard
				? List.of(new Observation("toy 1", DEFAULT_COUNTS, DEFAULT_TRUE_PARAMETERS))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "Resonance bump hunt", Domain.PARTICLE_PHYSICS, "1.0",
				"A diphoton-like invariant-mass spectrum, 100-180 GeV in " + bins + " bins: a relativistic Breit-Wigner "
						+ "resonance smeared by a mass-proportional Gaussian resolution over a falling exponential "
						+ "background, with Poisson counts per bin.",
				PARAMETERS, observationNames(edges), prior(), observations,
				List.of("ATLAS Collaboration. Observation of a new particle in the search for the Standard Model Higgs boson "
						+ "with the ATLAS detector at the LHC. Phys. Lett. B 716 (2012) 1.",
						"CMS Collaboration. Observation of a new boson at a mass of 125 GeV with the CMS experiment at the LHC. "
								+ "Phys. Lett. B 716 (2012) 30.",
						"Particle Data Group, S. Navas et al. Review of Particle Physics. Phys. Rev. D 110 (2024) 030001 "
								+ "(kinematics: the relativistic Breit-Wigner).",
						"Cranmer, Brehmer, Louppe. The frontier of simulation-based inference. PNAS 117 (2020) 30055."),
				List.of(bins));
	}

	private static BoxUniformPrior prior() {
		return new BoxUniformPrior(PARAMETERS, new double[] { 110, 0.5, 0, 0.01 }, new double[] { 170, 8, 3, 0.05 });
	}

	/** n_100_102, n_102_104, ...: the counts in [100, 102) GeV, [102, 104) GeV, ... */
	private static List<String> observationNames(double[] edges) {
		List<String> names = new ArrayList<>();
		for (int j = 0; j + 1 < edges.length; j++) {
			names.add("n_" + format(edges[j]) + "_" + format(edges[j + 1]));
		}
		return names;
	}

	private static String format(double v) {
		if (v == Math.rint(v)) {
			return Long.toString((long) v);
		}
		return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	/** σ(t) = σ₀ · t / 125 GeV, the mass resolution for true mass t [GeV]. */
	public double resolution(double mass) {
		return relativeResolution * mass;
	}

	/** σ₀, the resolution at 125 GeV [GeV]. */
	public double resolutionAtReference() {
		return resolution;
	}

	/** The bin edges m_0 = 100, ..., m_n = 180 GeV. */
	public double[] binEdges() {
		return edges.clone();
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		double[] lambda = expectedCounts(theta);
		double[] x = new double[bins];
		for (int j = 0; j < bins; j++) {
			x[j] = lambda[j] > 0 ? new PoissonDistribution(random, lambda[j], PoissonDistribution.DEFAULT_EPSILON,
					PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample() : 0;
		}
		return x;
	}

	/** λ_j = s_j + β_j, the expected counts per bin for θ = (M, Γ, μ, b). */
	public double[] expectedCounts(double[] theta) {
		double[] s = expectedSignal(theta);
		double[] b = expectedBackground(theta);
		for (int j = 0; j < bins; j++) {
			s[j] += b[j];
		}
		return s;
	}

	/** β_j, the expected background per bin (depends on b only). */
	public double[] expectedBackground(double[] theta) {
		check(theta);
		double slope = theta[3];
		double range = MASS_HIGH - MASS_LOW;
		double[] beta = new double[bins];
		for (int j = 0; j < bins; j++) {
			double lo = edges[j];
			double hi = edges[j + 1];
			double fraction;
			if (slope > 0) {
				// e^{−b(m_j − 100)} (1 − e^{−b w}) / (1 − e^{−b L}), without cancellation for small b.
				fraction = Math.exp(-slope * (lo - MASS_LOW)) * Math.expm1(-slope * (hi - lo)) / Math.expm1(-slope * range);
			} else if (slope < 0) {
				// A rising background, measured from the upper edge so that nothing overflows.
				fraction = Math.exp(slope * (MASS_HIGH - hi)) * Math.expm1(slope * (hi - lo)) / Math.expm1(slope * range);
			} else {
				fraction = (hi - lo) / range;
			}
			beta[j] = BACKGROUND * fraction;
		}
		return beta;
	}

	/** s_j, the expected signal per bin (zero for μ = 0). */
	public double[] expectedSignal(double[] theta) {
		check(theta);
		double mass = theta[0];
		double width = Math.max(theta[1], MIN_WIDTH);
		double strength = theta[2];
		double[] signal = new double[bins];
		if (strength == 0) {
			return signal;
		}
		double[] cumulative = lineShapeCdfAtEdges(mass, width);
		double yield = strength * NOMINAL_SIGNAL;
		for (int j = 0; j < bins; j++) {
			signal[j] = yield * (cumulative[j + 1] - cumulative[j]);
		}
		return signal;
	}

	/**
	 * C(m_k) = ∫ f(t) Φ((m_k − t)/σ(t)) dt at every bin edge m_k, restricted to
	 * the true masses that can reach the window; the probability of the smeared
	 * line shape in bin j is C(m_{j+1}) − C(m_j).
	 */
	private double[] lineShapeCdfAtEdges(double mass, double width) {
		double gamma = mass * Math.sqrt(mass * mass + width * width);
		double k = 2 * Math.sqrt(2) * mass * width * gamma / (Math.PI * Math.sqrt(mass * mass + gamma));
		double m2g2 = mass * mass * width * width;
		double[] cumulative = new double[bins + 1];
		// above[k] collects the weight of nodes for which every edge from k up is beyond +8.5σ (Φ = 1).
		double[] above = new double[bins + 2];
		double start = Math.min(Math.max(mass, trueMassLow), trueMassHigh);
		for (int direction = -1; direction <= 1; direction += 2) {
			double t = start;
			double end = direction > 0 ? trueMassHigh : trueMassLow;
			while (direction > 0 ? t < end : t > end) {
				double step = Math.min(resolution(t), 0.5 * Math.max(Math.abs(t - mass), 0.5 * width));
				double next = direction > 0 ? Math.min(t + step, end) : Math.max(t - step, end);
				double mid = 0.5 * (t + next);
				double half = 0.5 * Math.abs(next - t);
				for (int q = 0; q < GAUSS_POINTS.length; q++) {
					double u = mid + half * GAUSS_POINTS[q];
					double d = u * u - mass * mass;
					double weight = half * GAUSS_WEIGHTS[q] * k / (d * d + m2g2);
					double sigma = resolution(u);
					int first = Math.max(0, (int) Math.ceil((u - NormalCdf.RANGE * sigma - MASS_LOW) / binWidth));
					int last = Math.min(bins, (int) Math.floor((u + NormalCdf.RANGE * sigma - MASS_LOW) / binWidth));
					for (int e = first; e <= last; e++) {
						cumulative[e] += weight * NormalCdf.cdf((edges[e] - u) / sigma);
					}
					above[Math.max(last + 1, 0)] += weight;
				}
				t = next;
			}
		}
		double sum = 0;
		for (int e = 0; e <= bins; e++) {
			sum += above[e];
			cumulative[e] += sum;
		}
		return cumulative;
	}

	private void check(double[] theta) {
		if (theta == null || theta.length != PARAMETERS.size()) {
			throw new IllegalArgumentException(ID + " takes 4 parameters (mass [GeV], width [GeV], signal_strength, slope [1/GeV]), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
		for (int i = 0; i < theta.length; i++) {
			if (!Double.isFinite(theta[i])) {
				throw new IllegalArgumentException(ID + ": " + PARAMETERS.get(i).name() + " must be finite, got " + theta[i]);
			}
		}
		if (!(theta[0] > 0)) {
			throw new IllegalArgumentException(ID + ": the resonance mass must be positive, got " + theta[0] + " GeV");
		}
		if (!(theta[1] > 0)) {
			throw new IllegalArgumentException(ID + ": the resonance width must be positive, got " + theta[1] + " GeV");
		}
		if (!(theta[2] >= 0)) {
			throw new IllegalArgumentException(ID + ": the signal strength must be non-negative, got " + theta[2]);
		}
	}
}
