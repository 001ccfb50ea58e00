package org.sbiworkbench.simulators.particle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * {@code weinberg}: the angular distribution of muon pairs in e⁺e⁻ → μ⁺μ⁻
 * near the Z pole, the "Weinberg" problem of the simulation-based inference
 * literature, with the Fermi constant's scale G_f as the parameter. (The name
 * is the weak mixing angle's: in the Standard Model this asymmetry measures
 * it; the toy's parameter is G_f.)
 *
 * <h2>Physics, as the literature defines the simulator</h2>
 * For a collision at centre-of-mass energy √s = 2 E_beam, the polar angle θ
 * of the μ⁻ with respect to the incoming e⁻ has the differential cross section
 * <pre>
 *   dσ/dcos θ ∝ (1 + cos²θ) + A(√s, G_f) cos θ,
 *   A(√s, G_f) = 2 tanh(10 (√s − M_Z) / M_Z) · G_f / G_F,nom,
 * </pre>
 * with M_Z = 90 GeV and G_F,nom = 1 (G_f is measured in units of the nominal
 * Fermi constant; the measured Z mass is 91.19 GeV, the literature's toy uses
 * 90). Normalised on cos θ = c ∈ [−1, 1] the density is
 * <pre>
 *   p(c) = 3 (1 + c² + A c) / 8,
 * </pre>
 * so ⟨cos θ⟩ = A/4, ⟨cos²θ⟩ = 2/5, and the forward–backward asymmetry is
 * <pre>
 *   A_FB = (σ_F − σ_B) / (σ_F + σ_B) = 3A/8
 * </pre>
 * (σ_F: cos θ &gt; 0). The symmetric (1 + cos²θ) term is that of pure
 * photon exchange; the asymmetric term stands for the γ–Z interference,
 * which in the Standard Model at lowest order makes A_FB negative below the
 * Z pole and positive above it, with a size set by the weak coupling, i.e.
 * proportional to G_F. The toy
 * keeps exactly these features (sign change at √s = M_Z, magnitude ∝ G_f,
 * saturation away from the pole) with a tanh in place of the Standard Model
 * expression; it is a caricature for inference studies, not a precision
 * electroweak prediction. A is the coefficient the reference code calls
 * {@code a_fb}; the asymmetry proper is 3A/8.
 *
 * <h2>The experiment simulated here</h2>
 * 100 events at each of four beam energies, E_beam = 43, 44, 46 and 47 GeV
 * (√s = 86, 88, 92, 94 GeV), histogrammed in 10 equal bins of cos θ over
 * [−1, 1]. x is the counts, shape [10, 4] (cos θ bins × beam energies,
 * flattened bin by bin: {@code cos_bin01_E43, cos_bin01_E44, ...}), so a 1-D
 * convolutional embedding runs along cos θ with the beam energies as channels.
 * At E_beam = 45 GeV the toy's asymmetry vanishes for every G_f (no
 * information), hence energies just below and above it; 43 and 47 GeV are the
 * example energies of the original notebooks.
 *
 * <h2>Parameter and default prior</h2>
 * {@code G_f} (dimensionless, G_f / G_F,nom) ~ U(0.25, 2), the literature's
 * prior. The density is non-negative only for |A| ≤ 2; at these beam energies
 * |A| ≤ 0.835 G_f ≤ 1.67 over the whole prior. The configuration of the
 * Weinberg benchmark in the code accompanying Hermans et al. (E_beam = 40 GeV,
 * 20 events per observation) reaches |A| = 3.2 at G_f = 2, where the
 * formula's density is negative near cos θ = 1; the reference
 * rejection sampler then samples max(p, 0) renormalised, a different model.
 * Its acceptance test also divides by the density's maximum twice, which
 * flattens the sampled distribution wherever that maximum is below 1
 * (|A| &lt; 2/3). Here the stated density is sampled exactly, at energies
 * where it is valid.
 *
 * <h2>Sampling</h2>
 * Exactly, without rejection: with a = |A|/2 ≤ 1 and s = sign A,
 * 1 + c² + A c = (1 − a)(1 + c²) + a (1 + s c)², a mixture of two densities
 * with the same integral 8/3 (u below is uniform on [0, 1)). (1 + c)² is
 * drawn by inverting its distribution function (1 + c)³/8, c = 2u^{1/3} − 1,
 * and (1 − c)² as its mirror image; 1 + c² is itself the mixture of a uniform
 * (weight 3/4) and (3/2)c² (weight 1/4, c = (2u − 1)^{1/3}).
 *
 * <h2>Default observation</h2>
 * "toy 1": simulated at G_f = 1 (the literature's true value) with
 * {@code new Well19937c(1)} ({@link #DEFAULT_OBSERVATION_SEED}); its counts are
 * stored in the descriptor.
 *
 * <h2>Invalid parameters</h2>
 * θ with the wrong length, a non-finite or negative G_f, or a G_f for which
 * |A| &gt; 2 at some beam energy (the cross section would be negative; G_f &gt;
 * 2.396 here) is refused with an {@link IllegalArgumentException}, which a
 * campaign records as a failed row.
 */
@Component(service = Simulator.class)
public final class Weinberg implements Simulator {

	public static final String ID = "weinberg";
	/** M_Z as the literature's simulator sets it [GeV]. */
	public static final double Z_MASS = 90;
	/** G_F,nom, the unit of G_f. */
	public static final double NOMINAL_FERMI_CONSTANT = 1;
	/** Events per beam energy. */
	public static final int EVENTS = 100;
	/** Bins of cos θ over [−1, 1]. */
	public static final int BINS = 10;
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 1;
	/** G_f of the default observation. */
	static final double DEFAULT_TRUE_FERMI_CONSTANT = 1;

	private static final double[] BEAM_ENERGIES = { 43, 44, 46, 47 };
	private static final List<Parameter> PARAMETERS = List.of(Parameter.of("G_f"));

	/** Counts of the default observation, drawn as the class comment says, in observation-name order. */
	private static final double[] DEFAULT_COUNTS = { 21, 21, 7, 11, 17, 14, 10, 10, 13, 11, 11, 6, 8, 8, 7, 4, 10, 6, 12, 4,
			3, 9, 6, 7, 6, 10, 11, 5, 8, 6, 9, 17, 4, 5, 12, 15, 10, 10, 15, 21 };

	private final double[] beamEnergies;
	private final int events;
	private final int bins;
	private final SimulatorDescriptor descriptor;

	/** The simulator as registered: 100 events at 43, 44, 46, 47 GeV, 10 bins. */
	public Weinberg() {
		this(BEAM_ENERGIES, EVENTS, BINS);
	}

	/**
	 * The same physics in another experiment. Only the default configuration
	 * carries the default observation.
	 *
	 * @param beamEnergies E_beam of each run [GeV], positive
	 * @param events       events per run, at least 1
	 * @param bins         equal bins of cos θ over [−1, 1], at least 1
	 */
	public Weinberg(double[] beamEnergies, int events, int bins) {
		if (beamEnergies.length == 0) {
			throw new IllegalArgumentException("The experiment needs at least one beam energy");
		}
		for (double e : beamEnergies) {
			if (!(e > 0 && Double.isFinite(e))) {
				throw new IllegalArgumentException("Beam energies must be positive, got " + e + " GeV");
			}
		}
		if (events < 1 || bins < 1) {
			throw new IllegalArgumentException("Each run needs at least one event and one bin, got " + events
					+ " events and " + bins + " bins");
		}
		this.beamEnergies = beamEnergies.clone();
		this.events = events;
		this.bins = bins;
		boolean standard = Arrays.equals(this.beamEnergies, BEAM_ENERGIES) && events == EVENTS && bins == BINS;
		List<Observation> observations = standard
				? List.of(new Observation("toy 1", DEFAULT_COUNTS, new double[] { DEFAULT_TRUE_FERMI_CONSTANT }))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "Weinberg: forward-backward asymmetry in e+e- -> mu+mu-",
				Domain.PARTICLE_PHYSICS, "1.0",
				"Angular distribution of e+e- -> mu+mu- near the Z pole (the SBI literature's Weinberg toy): "
						+ "histograms of cos(theta) of " + events + " events at each of " + this.beamEnergies.length
						+ " beam energies; the forward-backward asymmetry scales with the Fermi constant G_f.",
				PARAMETERS, observationNames(this.beamEnergies, bins),
				new BoxUniformPrior(PARAMETERS, new double[] { 0.25 }, new double[] { 2 }), observations,
				List.of("Louppe, Hermans, Cranmer. Adversarial variational optimization of non-differentiable simulators. "
						+ "AISTATS 2019, PMLR 89 (arXiv:1707.07113).",
						"Hermans, Delaunoy, Rozet, Wehenkel, Begy, Louppe. A trust crisis in simulation-based inference? "
								+ "Your posterior approximations can be unfaithful. TMLR 2022 (arXiv:2110.06581).",
						"Heinrich, Cranmer. Weinberg simulator in github.com/cranmer/active_sciencing, as packaged in "
								+ "hypothesis.benchmark.weinberg (github.com/montefiore-ai/hypothesis).",
						"Halzen, Martin. Quarks and Leptons: An Introductory Course in Modern Particle Physics. Wiley 1984 "
								+ "(e+e- -> mu+mu- and the forward-backward asymmetry)."),
				List.of(bins, this.beamEnergies.length));
	}

	/** cos_bin01_E43, cos_bin01_E44, ...: bin-major, so that the shape is [bins, energies]. */
	private static List<String> observationNames(double[] energies, int bins) {
		List<String> names = new ArrayList<>();
		int digits = Integer.toString(bins).length();
		for (int k = 0; k < bins; k++) {
			for (double e : energies) {
				String energy = e == Math.rint(e) ? Long.toString((long) e)
						: String.format(Locale.ROOT, "%.3f", e).replaceAll("0+$", "");
				names.add(String.format(Locale.ROOT, "cos_bin%0" + Math.max(2, digits) + "d_E%s", k + 1, energy));
			}
		}
		return names;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	/** E_beam of each run [GeV], in the order of the observation's channels. */
	public double[] beamEnergies() {
		return beamEnergies.clone();
	}

	/** A(√s, G_f) = 2 tanh(10 (2 E_beam − M_Z)/M_Z) · G_f / G_F,nom, the coefficient of cos θ. */
	public static double angularCoefficient(double beamEnergy, double fermiConstant) {
		double sqrtS = 2 * beamEnergy;
		return 2 * Math.tanh(10 * (sqrtS - Z_MASS) / Z_MASS) * fermiConstant / NOMINAL_FERMI_CONSTANT;
	}

	/** A_FB = 3A/8, the forward–backward asymmetry. */
	public static double forwardBackwardAsymmetry(double beamEnergy, double fermiConstant) {
		return 3 * angularCoefficient(beamEnergy, fermiConstant) / 8;
	}

	/**
	 * One cos θ from p(c) = 3 (1 + c² + A c)/8 on [−1, 1], exactly (see the
	 * class comment).
	 *
	 * @param a A, with |A| ≤ 2
	 */
	public static double sampleCosTheta(double a, RandomGenerator random) {
		if (!(Math.abs(a) <= 2)) {
			throw new IllegalArgumentException("dσ/dcosθ ∝ 1 + cos²θ + A cosθ is negative somewhere unless |A| ≤ 2, got A = " + a);
		}
		double mix = Math.abs(a) / 2;
		if (random.nextDouble() < mix) {
			double c = 2 * Math.cbrt(random.nextDouble()) - 1;
			return a > 0 ? c : -c;
		}
		if (random.nextDouble() < 0.75) {
			return 2 * random.nextDouble() - 1;
		}
		return Math.cbrt(2 * random.nextDouble() - 1);
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		double[] a = coefficients(theta);
		int energies = beamEnergies.length;
		double[] x = new double[bins * energies];
		for (int r = 0; r < energies; r++) {
			for (int n = 0; n < events; n++) {
				double c = sampleCosTheta(a[r], random);
				int k = Math.min((int) ((c + 1) / 2 * bins), bins - 1);
				x[k * energies + r]++;
			}
		}
		return x;
	}

	/** A at every beam energy, after checking θ. */
	private double[] coefficients(double[] theta) {
		if (theta == null || theta.length != 1) {
			throw new IllegalArgumentException(ID + " takes 1 parameter (G_f), got "
					+ (theta == null ? "null" : Integer.toString(theta.length)));
		}
		double g = theta[0];
		if (!(Double.isFinite(g) && g >= 0)) {
			throw new IllegalArgumentException(ID + ": G_f (the Fermi constant in units of its nominal value) must be "
					+ "finite and non-negative, got " + g);
		}
		double[] a = new double[beamEnergies.length];
		for (int r = 0; r < a.length; r++) {
			a[r] = angularCoefficient(beamEnergies[r], g);
			if (Math.abs(a[r]) > 2) {
				throw new IllegalArgumentException(String.format(Locale.ROOT,
						"%s: G_f = %s gives A = %.4f at E_beam = %s GeV; the cross section (1 + cos²θ) + A cosθ is "
								+ "negative unless |A| ≤ 2, i.e. G_f ≤ %.4f at this beam energy",
						ID, g, a[r], beamEnergies[r], 2 / Math.abs(angularCoefficient(beamEnergies[r], 1))));
			}
		}
		return a;
	}
}
