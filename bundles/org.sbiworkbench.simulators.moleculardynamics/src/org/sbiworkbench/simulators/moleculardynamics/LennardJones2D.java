package org.sbiworkbench.simulators.moleculardynamics;

import java.util.ArrayList;
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
 * {@code lennard_jones_2d}: a two-dimensional Lennard-Jones fluid in contact
 * with a heat bath, simulated by Langevin molecular dynamics, observed through
 * the summaries an experiment or a simulation study would report: the radial
 * distribution function, the mean squared displacement and the potential
 * energy.
 *
 * <h2>Units</h2>
 * Reduced units of a reference fluid: lengths in σ₀, energies in ε₀, the
 * particle mass m = 1, time in τ₀ = σ₀ √(m/ε₀), temperature in ε₀/k_B
 * (k_B = 1). For argon, σ₀ = 0.34 nm, ε₀/k_B = 120 K and τ₀ = 2.2 ps.
 *
 * <h2>System</h2>
 * N = 100 particles of mass m in a periodic square box of side
 * L = √(N/ρ) = 14.14 σ₀ at the fixed number density ρ = 0.5 σ₀⁻², interacting
 * through the Lennard-Jones pair potential truncated at r_c = 2.5σ and shifted
 * to zero there,
 * <pre>
 *   u(r) = 4ε [(σ/r)¹² − (σ/r)⁶] − u_LJ(r_c),   r &lt; r_c,
 * </pre>
 * with forces found by cell lists ({@link LennardJonesSystem}). The particles
 * obey the Langevin equation
 * <pre>
 *   m dv_i = F_i dt − γ m v_i dt + √(2γ m k_B T) dW_i,   dx_i = v_i dt,
 * </pre>
 * with friction γ = 1/τ₀, integrated with the BAOAB splitting (Leimkuhler &amp;
 * Matthews 2013) at Δt = 0.005 τ₀.
 *
 * <h2>Protocol</h2>
 * The particles start on a 10 × 10 square lattice (spacing 1.41 σ₀, so no two
 * overlap anywhere in the prior) with Maxwell velocities at T; 2,000 steps
 * (10 τ₀, ten velocity relaxation times, in which the lattice melts and the
 * local structure settles) are discarded as equilibration; the next 8,000
 * steps (40 τ₀) are measured.
 *
 * <h2>Observation: 17 summaries, shape [17]</h2>
 * <ol>
 * <li>x₀ … x₁₁: g(r), the radial distribution function
 * ({@link RadialDistribution}) in 12 bins of 0.2 σ₀ over r ∈ [0.6, 3.0) σ₀,
 * averaged over 400 frames 0.1 τ₀ apart; named {@code g_0.6_0.8} …
 * {@code g_2.8_3.0}. It is ≈ 0 inside the repulsive core (r ≲ 0.9σ), peaks
 * near r = 2^{1/6} σ and tends to 1 at large r; its shape is set by
 * ρσ² and k_BT/ε and its scale in r by σ.</li>
 * <li>x₁₂ … x₁₅: the mean squared displacement
 * MSD(τ) = ⟨|r_i(t + τ) − r_i(t)|²⟩ [σ₀²] at lags τ = 0.1, 0.5, 2.5 and 10 τ₀,
 * averaged over the particles and over all time origins t of the measured run
 * (frames 0.05 τ₀ apart, unwrapped coordinates, centre-of-mass motion
 * included); named {@code msd_0.1} … {@code msd_10}. The shortest lag is
 * nearly ballistic, MSD ≈ 2 (k_BT/m) τ², the longest diffusive, MSD ≈ 4Dτ.</li>
 * <li>x₁₆: {@code u_pot}, the mean potential energy per particle ⟨U⟩/N
 * [ε₀], U of the truncated and shifted potential (no tail correction),
 * averaged over every step of the measured run.</li>
 * </ol>
 * Together they identify all three parameters: σ through the position of the
 * g(r) peak, k_BT/ε through the structure, ε (the energy scale) through
 * ⟨U⟩/N, and T through the ballistic MSD.
 *
 * <h2>Parameters and default prior</h2>
 * <ul>
 * <li>{@code epsilon} ε [ε₀] ~ U(0.6, 1.4): the well depth;</li>
 * <li>{@code sigma} σ [σ₀] ~ U(0.85, 1.15): the particle diameter (zero of
 * u_LJ), so the reduced density ρσ² lies in [0.36, 0.66];</li>
 * <li>{@code temperature} T [ε₀/k_B] ~ U(0.8, 2.0): the heat bath.</li>
 * </ul>
 * The reduced temperature k_BT/ε then lies in [0.57, 3.3]: above the
 * gas–liquid critical point of the two-dimensional Lennard-Jones fluid
 * (k_BT_c ≈ 0.5ε, lower still when the potential is truncated and shifted;
 * Smit &amp; Frenkel 1991) and below the freezing density (ρσ² ≈ 0.8 and more at
 * these temperatures), so the whole prior is one dense-to-moderate fluid
 * phase, with no phase coexistence that 50 τ₀ could not equilibrate. The
 * ranges are those over which a liquid's structure and dynamics change
 * markedly, from a strongly structured dense liquid (ε = 1.4, σ = 1.15,
 * T = 0.8) to a hot, weakly structured fluid.
 *
 * <h2>Default observation</h2>
 * "run 1": simulated at ε = 1 ε₀, σ = 1 σ₀, T = 1.2 ε₀/k_B (ρσ² = 0.5,
 * k_BT/ε = 1.2, a dense supercritical fluid) with {@code new Well19937c(1L)}
 * ({@link #DEFAULT_OBSERVATION_SEED}, a {@code long}); its 17 summaries are stored in the
 * descriptor.
 *
 * <h2>Cost and accuracy</h2>
 * One simulation is 10,000 steps of 100 particles: about 0.15 s of CPU time
 * (6–7 simulations per second per core; measured on a shared 2-core
 * machine with {@code SimulationSpeed} in the tests bundle). A step costs
 * about 14 µs: 8 µs for the forces (the 5 × 5 cells at σ = 1 halve the
 * all-pairs cost of 16 µs; 4 × 4 to 6 × 6 cells over the prior) and 6 µs for
 * the 200 normal deviates of the thermostat (ziggurat method; Box–Muller
 * would double that); g(r) adds 5 %. Halving the measured steps halves the
 * time and raises the noise of the summaries by about √2 (most visibly of the
 * MSD at 10 τ₀, whose time-origin average then covers only 10 τ₀). The
 * potential energy settles within 2–3 τ₀ of the lattice start even at the
 * cold, dense corner of the prior, so 10 τ₀ of equilibration leaves a
 * margin; shortening it much further would let the start leak into the
 * summaries. The time step Δt = 0.005 τ₀ is the usual Lennard-Jones step; it
 * is at most 0.007 of the particles' own time unit σ√(m/ε) over the prior,
 * and BAOAB's configurational error at that step is far below the
 * statistical noise of one run.
 *
 * <h2>Invalid parameters</h2>
 * ε = 0 is allowed: it is the ideal gas (free Langevin particles), where
 * g(r) = 1, ⟨U⟩/N = 0 and MSD(τ) = 4 (k_BT/(mγ²)) (γτ − 1 + e^{−γτ}) exactly.
 * θ with the wrong length, a non-finite component, ε &lt; 0, σ ≤ 0, T ≤ 0, or a
 * σ so large that the cut-off 2.5σ exceeds half the box (σ &gt; 2.83 σ₀) is
 * refused with an {@link IllegalArgumentException} naming the parameter. Far
 * outside the prior (σ above about 1.3 σ₀, where the lattice start overlaps
 * and the fluid would be a solid) a run may become unstable; a non-finite
 * result is reported as an {@link IllegalStateException}. A campaign records
 * both as failed rows.
 */
@Component(service = Simulator.class)
public final class LennardJones2D implements Simulator {

	public static final String ID = "lennard_jones_2d";
	/** Seed of the {@code Well19937c} that drew the default observation. */
	public static final long DEFAULT_OBSERVATION_SEED = 1;
	/** θ of the default observation: ε [ε₀], σ [σ₀], T [ε₀/k_B]. */
	static final double[] DEFAULT_TRUE_PARAMETERS = { 1, 1, 1.2 };

	/** g(r) bins: [{@value #G_MIN}, {@value #G_MAX}) σ₀ in {@value #G_BINS} bins. */
	public static final double G_MIN = 0.6;
	public static final double G_MAX = 3.0;
	public static final int G_BINS = 12;
	/** The lags of the mean squared displacement [τ₀]. */
	private static final double[] MSD_LAGS = { 0.1, 0.5, 2.5, 10 };
	/** Time between stored frames for the MSD [τ₀]; g(r) uses every second frame. */
	public static final double FRAME_INTERVAL = 0.05;

	private static final List<Parameter> PARAMETERS = List.of(new Parameter("epsilon", "epsilon0"),
			new Parameter("sigma", "sigma0"), new Parameter("temperature", "epsilon0/k_B"));

	/** The summaries of the default observation, drawn as the class comment says. */
	private static final double[] DEFAULT_SUMMARIES = {
			0.0, 0.19827383482828712, 1.9992286905652739, 1.4577455082884718, 0.944908791764105, 0.7973350580388096,
			0.8151508355913444, 1.0506216637773809, 1.1368359999640447, 1.0434776814352287, 0.9780616059480048,
			0.9546247640243755, 0.021292901534714973, 0.28758718544523487, 2.0856633553778, 9.159907452828786,
			-1.1814918294799654 };

	/**
	 * How the fluid is set up and run.
	 *
	 * @param particles          N, at least 4
	 * @param density            ρ = N/L² [σ₀⁻²]; L/2 must be at least 3 σ₀ (the g(r) range)
	 * @param timeStep           Δt [τ₀]
	 * @param friction           γ [1/τ₀], positive
	 * @param equilibrationSteps steps discarded before measuring
	 * @param productionSteps    steps measured; they must span the longest MSD lag (10 τ₀) and more
	 */
	public record Settings(int particles, double density, double timeStep, double friction, int equilibrationSteps,
			int productionSteps) {

		/** The registered simulator's: N = 100, ρ = 0.5 σ₀⁻², Δt = 0.005 τ₀, γ = 1/τ₀, 2,000 + 8,000 steps. */
		public static final Settings DEFAULT = new Settings(100, 0.5, 0.005, 1.0, 2000, 8000);

		public Settings {
			if (particles < 4) {
				throw new IllegalArgumentException("The fluid needs at least 4 particles, got " + particles);
			}
			if (!(density > 0 && Double.isFinite(density)) || Math.sqrt(particles / density) / 2 < G_MAX) {
				throw new IllegalArgumentException("The density must be positive and leave a box of side at least " + 2 * G_MAX
						+ " sigma0 for g(r), got " + density + " for " + particles + " particles");
			}
			if (!(timeStep > 0 && timeStep <= FRAME_INTERVAL)) {
				throw new IllegalArgumentException("The time step must lie in (0, " + FRAME_INTERVAL + "] tau0, got " + timeStep);
			}
			if (!(friction > 0 && Double.isFinite(friction))) {
				throw new IllegalArgumentException("The friction must be positive and finite, got " + friction);
			}
			if (equilibrationSteps < 0) {
				throw new IllegalArgumentException("Negative equilibration: " + equilibrationSteps);
			}
			int frameSteps = (int) Math.max(1, Math.round(FRAME_INTERVAL / timeStep));
			if (productionSteps / frameSteps <= lagFrames(frameSteps * timeStep)[MSD_LAGS.length - 1]) {
				throw new IllegalArgumentException("The measured run must be longer than the longest MSD lag ("
						+ MSD_LAGS[MSD_LAGS.length - 1] + " tau0), got " + productionSteps + " steps of " + timeStep + " tau0");
			}
		}

		/** L = √(N/ρ) [σ₀]. */
		public double box() {
			return Math.sqrt(particles / density);
		}
	}

	private final Settings settings;
	private final int frameSteps;
	private final int[] lagFrames;
	private final SimulatorDescriptor descriptor;

	/** The simulator as registered ({@link Settings#DEFAULT}). */
	public LennardJones2D() {
		this(Settings.DEFAULT);
	}

	/** The same physics run otherwise; only the default settings carry the default observation. */
	public LennardJones2D(Settings settings) {
		this.settings = settings;
		this.frameSteps = (int) Math.max(1, Math.round(FRAME_INTERVAL / settings.timeStep()));
		this.lagFrames = lagFrames(frameSteps * settings.timeStep());
		boolean standard = settings.equals(Settings.DEFAULT);
		List<Observation> observations = standard
				? List.of(new Observation("run 1", DEFAULT_SUMMARIES, DEFAULT_TRUE_PARAMETERS))
				: List.of();
		this.descriptor = new SimulatorDescriptor(ID, "2-D Lennard-Jones fluid", Domain.MOLECULAR_DYNAMICS, "1.0",
				settings.particles() + " Lennard-Jones particles (cut-off 2.5 sigma, shifted) in a periodic square box at density "
						+ settings.density() + " sigma0^-2, Langevin dynamics (BAOAB) in a heat bath at temperature T; "
						+ "observed: g(r) in 12 bins, the mean squared displacement at 4 lags, the potential energy per particle. "
						+ "Reduced units (sigma0, epsilon0, tau0).",
				PARAMETERS, observationNames(), prior(), observations,
				List.of("J. E. Lennard-Jones. On the determination of molecular fields. Proc. R. Soc. Lond. A 106 (1924) 463.",
						"B. Leimkuhler, C. Matthews. Rational construction of stochastic numerical methods for molecular "
								+ "sampling. Appl. Math. Res. Express 2013 (2013) 34.",
						"M. P. Allen, D. J. Tildesley. Computer Simulation of Liquids, 2nd ed. Oxford University Press (2017) "
								+ "(cell lists, g(r), mean squared displacement).",
						"B. Smit, D. Frenkel. Vapor-liquid equilibria of the two-dimensional Lennard-Jones fluid(s). "
								+ "J. Chem. Phys. 94 (1991) 5663."),
				List.of(observationNames().size()));
	}

	private static int[] lagFrames(double frameTime) {
		int[] frames = new int[MSD_LAGS.length];
		for (int k = 0; k < frames.length; k++) {
			frames[k] = (int) Math.max(1, Math.round(MSD_LAGS[k] / frameTime));
		}
		return frames;
	}

	private static BoxUniformPrior prior() {
		return new BoxUniformPrior(PARAMETERS, new double[] { 0.6, 0.85, 0.8 }, new double[] { 1.4, 1.15, 2.0 });
	}

	/** g_0.6_0.8 … g_2.8_3.0, msd_0.1 … msd_10, u_pot. */
	private static List<String> observationNames() {
		List<String> names = new ArrayList<>();
		double width = (G_MAX - G_MIN) / G_BINS;
		for (int j = 0; j < G_BINS; j++) {
			names.add("g_" + format(G_MIN + j * width) + "_" + format(G_MIN + (j + 1) * width));
		}
		for (double lag : MSD_LAGS) {
			names.add("msd_" + format(lag));
		}
		names.add("u_pot");
		return names;
	}

	private static String format(double v) {
		String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
		return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return descriptor;
	}

	public Settings settings() {
		return settings;
	}

	/** The MSD lags actually measured: whole numbers of frames [τ₀]. */
	public double[] msdLags() {
		double[] lags = new double[lagFrames.length];
		for (int k = 0; k < lags.length; k++) {
			lags[k] = lagFrames[k] * frameSteps * settings.timeStep();
		}
		return lags;
	}

	/**
	 * The fluid for θ = (ε, σ, T) as it starts: particles on the square lattice
	 * with Maxwell velocities at T drawn from the generator.
	 */
	public LennardJonesSystem initialSystem(double[] theta, RandomGenerator random) {
		check(theta);
		LennardJonesSystem system = new LennardJonesSystem(settings.particles(), settings.box(), theta[0], theta[1]);
		system.setMaxwellVelocities(theta[2], random);
		return system;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		return measure(theta, random).summaries();
	}

	/**
	 * One run's result: the summaries x, and the MSD of each particle
	 * separately (time-averaged over all origins), from which error bars of
	 * the MSD summaries follow.
	 *
	 * @param summaries            x, as {@link #simulate} returns it
	 * @param msdPerParticle       [lag][particle]: ⟨|r_i(t + τ) − r_i(t)|²⟩_t [σ₀²]; x₁₂₊ₖ is the mean of row k
	 * @param kineticTemperature   ⟨K⟩/N over the measured run [ε₀/k_B], T by equipartition
	 */
	public record Measurement(double[] summaries, double[][] msdPerParticle, double kineticTemperature) {
	}

	/** Runs the protocol of the class comment for θ = (ε, σ, T) and returns the summaries with details. */
	public Measurement measure(double[] theta, RandomGenerator random) {
		LennardJonesSystem system = initialSystem(theta, random);
		double temperature = theta[2];
		double dt = settings.timeStep();
		double friction = settings.friction();
		for (int s = 0; s < settings.equilibrationSteps(); s++) {
			system.step(dt, friction, temperature, random);
		}
		int n = settings.particles();
		int frames = settings.productionSteps() / frameSteps;
		int steps = frames * frameSteps;
		double[][] px = new double[frames][n];
		double[][] py = new double[frames][n];
		RadialDistribution rdf = new RadialDistribution(G_MIN, G_MAX, G_BINS, settings.box(), n);
		double energy = 0;
		double kinetic = 0;
		int frame = 0;
		for (int s = 1; s <= steps; s++) {
			system.step(dt, friction, temperature, random);
			energy += system.potentialEnergy();
			kinetic += system.kineticEnergy();
			if (s % frameSteps == 0) {
				system.copyPositions(px[frame], py[frame]);
				if (frame % 2 == 0) {
					rdf.add(px[frame], py[frame]);
				}
				frame++;
			}
		}
		double[] x = new double[G_BINS + MSD_LAGS.length + 1];
		System.arraycopy(rdf.g(), 0, x, 0, G_BINS);
		double[][] msd = new double[lagFrames.length][];
		for (int k = 0; k < lagFrames.length; k++) {
			msd[k] = meanSquaredDisplacements(px, py, lagFrames[k]);
			double sum = 0;
			for (double v : msd[k]) {
				sum += v;
			}
			x[G_BINS + k] = sum / n;
		}
		x[x.length - 1] = energy / steps / n;
		for (double v : x) {
			if (!Double.isFinite(v)) {
				throw new IllegalStateException(ID + ": the dynamics became unstable at epsilon = " + theta[0] + ", sigma = "
						+ theta[1] + ", T = " + theta[2] + " (non-finite summaries)");
			}
		}
		return new Measurement(x, msd, kinetic / steps / n);
	}

	/** Per particle i: ⟨|r_i(t + lag) − r_i(t)|²⟩ over all origins t, from unwrapped frames [frame][particle]. */
	static double[] meanSquaredDisplacements(double[][] x, double[][] y, int lag) {
		int frames = x.length;
		int n = x[0].length;
		double[] sum = new double[n];
		for (int t = 0; t + lag < frames; t++) {
			double[] x0 = x[t];
			double[] y0 = y[t];
			double[] x1 = x[t + lag];
			double[] y1 = y[t + lag];
			for (int i = 0; i < n; i++) {
				double dx = x1[i] - x0[i];
				double dy = y1[i] - y0[i];
				sum[i] += dx * dx + dy * dy;
			}
		}
		for (int i = 0; i < n; i++) {
			sum[i] /= frames - lag;
		}
		return sum;
	}

	private void check(double[] theta) {
		if (theta == null || theta.length != PARAMETERS.size()) {
			throw new IllegalArgumentException(ID + " takes 3 parameters (epsilon [epsilon0], sigma [sigma0], temperature "
					+ "[epsilon0/k_B]), got " + (theta == null ? "null" : Integer.toString(theta.length)));
		}
		for (int i = 0; i < theta.length; i++) {
			if (!Double.isFinite(theta[i])) {
				throw new IllegalArgumentException(ID + ": " + PARAMETERS.get(i).name() + " must be finite, got " + theta[i]);
			}
		}
		if (!(theta[0] >= 0)) {
			throw new IllegalArgumentException(ID + ": the well depth epsilon must be non-negative, got " + theta[0] + " epsilon0");
		}
		double maxSigma = settings.box() / (2 * LennardJonesSystem.CUTOFF);
		if (!(theta[1] > 0 && theta[1] <= maxSigma)) {
			throw new IllegalArgumentException(ID + ": the particle diameter sigma must lie in (0, " + maxSigma
					+ "] sigma0 (the cut-off 2.5 sigma within half the box), got " + theta[1] + " sigma0");
		}
		if (!(theta[2] > 0)) {
			throw new IllegalArgumentException(ID + ": the temperature must be positive, got " + theta[2] + " epsilon0/k_B");
		}
	}
}
