package org.sbiworkbench.simulators.moleculardynamics;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.util.FastMath;
import org.sbiworkbench.simulators.moleculardynamics.internal.ZigguratNormal;

/**
 * The state and dynamics of N Lennard-Jones particles in a periodic square box
 * in two dimensions: positions, velocities, forces by cell lists, and the
 * BAOAB Langevin integrator. {@link LennardJones2D} runs it as a simulator;
 * tests and studies can drive it step by step.
 *
 * <h2>Units</h2>
 * Reduced units of a reference fluid: lengths in σ₀, energies in ε₀, mass in
 * m (every particle has mass 1), time in τ₀ = σ₀ √(m/ε₀), temperature in
 * ε₀/k_B (k_B = 1). The pair parameters ε and σ are given in these units, so
 * that they can differ from the reference (ε = σ = 1 is the reference fluid).
 *
 * <h2>Potential</h2>
 * The truncated and shifted Lennard-Jones pair potential
 * <pre>
 *   u(r) = 4ε [(σ/r)¹² − (σ/r)⁶] − u_LJ(r_c)   for r &lt; r_c = 2.5σ,   0 beyond,
 * </pre>
 * continuous at r_c (the shift is u_LJ(2.5σ) = −0.0163ε); its force jumps
 * there by 0.039 ε/σ. Without the thermostat each crossing of r_c then adds
 * an energy error of O(Δt) with a random sign: at Δt = 0.005 τ₀ the O(Δt²)
 * fluctuation of velocity Verlet still dominates (halving Δt from 0.01 τ₀
 * divides it by 3.5–4.2), below about 0.003 τ₀ the crossings do (halving
 * from 0.0025 τ₀ divides it by only 2.7–3). U = Σ_{i&lt;j} u(|r_i − r_j|) with the minimum-image convention,
 * which needs r_c ≤ L/2.
 *
 * <h2>Forces by cell lists</h2>
 * The box is divided into n_c × n_c cells of side L/n_c ≥ r_c,
 * n_c = ⌊L/r_c⌋ (at most {@value #MAX_CELLS_PER_SIDE}); each particle is linked
 * into its cell, and pairs are searched in the own cell and in four of the
 * eight neighbours (a half stencil, so each pair once, with Newton's third
 * law applied exactly: Σ_i F_i = 0 to rounding). That needs n_c ≥ 3; for
 * smaller boxes (relative to r_c) all pairs are summed instead. The cost is
 * O(N) per force evaluation instead of O(N²).
 *
 * <h2>Integrator: BAOAB</h2>
 * The Langevin equation m dv = F dt − γ m v dt + √(2γ m k_BT) dW, dx = v dt,
 * split as Leimkuhler and Matthews recommend:
 * <pre>
 *   B: v ← v + (Δt/2) F(x)/m
 *   A: x ← x + (Δt/2) v
 *   O: v ← c₁ v + √((1 − c₁²) k_BT/m) ξ,   c₁ = e^{−γΔt},  ξ ~ N(0, 1) per component
 *   A: x ← x + (Δt/2) v
 *   B: v ← v + (Δt/2) F(x)/m   (with the new forces)
 * </pre>
 * (ξ drawn by the ziggurat method from the generator passed in.)
 * The O step is the exact solution of the friction and noise part, so BAOAB
 * samples configurations with an error of O(Δt²) that is particularly small
 * (superconvergent in the high-friction limit). With γ = 0 the O step is the
 * identity and BAOAB is velocity Verlet: symplectic and time-reversible, the
 * total energy fluctuates by O(Δt²) without systematic drift (up to the
 * cut-off's force jump, above).
 *
 * <h2>Coordinates</h2>
 * Positions are kept unwrapped (a particle leaving the box is not put back),
 * so that displacements over any time are the true ones; they are wrapped
 * into [0, L) only to find cells and distances. The class is not
 * thread-safe; a simulator makes one per simulation.
 */
public final class LennardJonesSystem {

	/** The cut-off radius in units of σ. */
	public static final double CUTOFF = 2.5;
	/** More cells per side would only cost memory: cells then hold about one particle or none. */
	public static final int MAX_CELLS_PER_SIDE = 64;

	private final int n;
	private final double box;
	private final double epsilon;
	private final double sigma;
	private final double cutoff;
	private final double cutoff2;
	private final double sigma2;
	private final double shift;
	private final int cellsPerSide;
	private final double cellSize;

	private final double[] x;
	private final double[] y;
	private final double[] vx;
	private final double[] vy;
	private final double[] fx;
	private final double[] fy;
	private final double[] wx;
	private final double[] wy;
	private final int[] head;
	private final int[] next;
	private double potential;
	private boolean forcesCurrent;

	/**
	 * N particles at rest on a square lattice filling the box (⌈√N⌉ sites per
	 * side, spacing L/⌈√N⌉, offset by half a spacing from the walls).
	 *
	 * @param particles N ≥ 2
	 * @param box       L, the side of the periodic box [σ₀]
	 * @param epsilon   ε, the well depth [ε₀], non-negative (0: an ideal gas)
	 * @param sigma     σ, the particle diameter [σ₀], positive, with r_c = 2.5σ ≤ L/2
	 */
	public LennardJonesSystem(int particles, double box, double epsilon, double sigma) {
		if (particles < 2) {
			throw new IllegalArgumentException("A Lennard-Jones system needs at least 2 particles, got " + particles);
		}
		if (!(box > 0 && Double.isFinite(box))) {
			throw new IllegalArgumentException("The box side must be positive and finite, got " + box);
		}
		if (!(epsilon >= 0 && Double.isFinite(epsilon))) {
			throw new IllegalArgumentException("The well depth epsilon must be non-negative and finite, got " + epsilon);
		}
		if (!(sigma > 0 && CUTOFF * sigma <= box / 2)) {
			throw new IllegalArgumentException("The particle diameter sigma must be positive with the cut-off 2.5 sigma at most "
					+ "half the box side (" + box / 2 + " sigma0), i.e. sigma <= " + box / (2 * CUTOFF) + ", got " + sigma);
		}
		this.n = particles;
		this.box = box;
		this.epsilon = epsilon;
		this.sigma = sigma;
		this.cutoff = CUTOFF * sigma;
		this.cutoff2 = cutoff * cutoff;
		this.sigma2 = sigma * sigma;
		double sc6 = FastMath.pow(1 / CUTOFF, 6);
		this.shift = 4 * epsilon * (sc6 * sc6 - sc6);
		this.cellsPerSide = (int) Math.min(MAX_CELLS_PER_SIDE, Math.floor(box / cutoff));
		this.cellSize = box / cellsPerSide;
		this.x = new double[n];
		this.y = new double[n];
		this.vx = new double[n];
		this.vy = new double[n];
		this.fx = new double[n];
		this.fy = new double[n];
		this.wx = new double[n];
		this.wy = new double[n];
		this.head = new int[cellsPerSide >= 3 ? cellsPerSide * cellsPerSide : 0];
		this.next = new int[n];
		int side = (int) Math.ceil(Math.sqrt(n));
		double spacing = box / side;
		for (int i = 0; i < n; i++) {
			x[i] = (i % side + 0.5) * spacing;
			y[i] = (i / side + 0.5) * spacing;
		}
	}

	/** An independent copy of the state (positions, velocities), e.g. to run it twice. */
	public LennardJonesSystem copy() {
		LennardJonesSystem c = new LennardJonesSystem(n, box, epsilon, sigma);
		System.arraycopy(x, 0, c.x, 0, n);
		System.arraycopy(y, 0, c.y, 0, n);
		System.arraycopy(vx, 0, c.vx, 0, n);
		System.arraycopy(vy, 0, c.vy, 0, n);
		c.forcesCurrent = false;
		return c;
	}

	/** u(r), the truncated and shifted pair potential [ε₀] at distance r [σ₀]. */
	public static double pairPotential(double r, double epsilon, double sigma) {
		if (r >= CUTOFF * sigma) {
			return 0;
		}
		double s6 = FastMath.pow(sigma / r, 6);
		double c6 = FastMath.pow(1 / CUTOFF, 6);
		return 4 * epsilon * ((s6 * s6 - s6) - (c6 * c6 - c6));
	}

	/** Draws every velocity component from the Maxwell distribution N(0, k_BT/m) at temperature T [ε₀/k_B]. */
	public void setMaxwellVelocities(double temperature, RandomGenerator random) {
		double sd = Math.sqrt(temperature);
		for (int i = 0; i < n; i++) {
			vx[i] = sd * ZigguratNormal.next(random);
			vy[i] = sd * ZigguratNormal.next(random);
		}
	}

	/** Subtracts the mean velocity, so that the total momentum is zero. */
	public void removeMomentum() {
		double px = 0;
		double py = 0;
		for (int i = 0; i < n; i++) {
			px += vx[i];
			py += vy[i];
		}
		px /= n;
		py /= n;
		for (int i = 0; i < n; i++) {
			vx[i] -= px;
			vy[i] -= py;
		}
	}

	/** N. */
	public int particles() {
		return n;
	}

	/** L [σ₀]. */
	public double box() {
		return box;
	}

	/** ε [ε₀]. */
	public double epsilon() {
		return epsilon;
	}

	/** σ [σ₀]. */
	public double sigma() {
		return sigma;
	}

	/** r_c = 2.5σ [σ₀]. */
	public double cutoff() {
		return cutoff;
	}

	/** n_c, the cells per side; below 3 the forces are summed over all pairs. */
	public int cellsPerSide() {
		return cellsPerSide;
	}

	/** The unwrapped x coordinate of particle i [σ₀]. */
	public double x(int i) {
		return x[i];
	}

	/** The unwrapped y coordinate of particle i [σ₀]. */
	public double y(int i) {
		return y[i];
	}

	public double vx(int i) {
		return vx[i];
	}

	public double vy(int i) {
		return vy[i];
	}

	/** F_x on particle i [ε₀/σ₀], for the current positions. */
	public double fx(int i) {
		ensureForces();
		return fx[i];
	}

	/** F_y on particle i [ε₀/σ₀], for the current positions. */
	public double fy(int i) {
		ensureForces();
		return fy[i];
	}

	/** Moves particle i to (x, y) [σ₀] (unwrapped coordinates are allowed). */
	public void setPosition(int i, double newX, double newY) {
		x[i] = newX;
		y[i] = newY;
		forcesCurrent = false;
	}

	public void setVelocity(int i, double newVx, double newVy) {
		vx[i] = newVx;
		vy[i] = newVy;
	}

	/** The unwrapped positions copied into the arrays given (length N each). */
	public void copyPositions(double[] intoX, double[] intoY) {
		System.arraycopy(x, 0, intoX, 0, n);
		System.arraycopy(y, 0, intoY, 0, n);
	}

	/** U = Σ_{i&lt;j} u(r_ij) [ε₀] for the current positions. */
	public double potentialEnergy() {
		ensureForces();
		return potential;
	}

	/** K = Σ_i m |v_i|²/2 [ε₀]. */
	public double kineticEnergy() {
		double sum = 0;
		for (int i = 0; i < n; i++) {
			sum += vx[i] * vx[i] + vy[i] * vy[i];
		}
		return 0.5 * sum;
	}

	/** K/N = k_B T_kin: in two dimensions equipartition gives ⟨K⟩ = N k_B T. */
	public double kineticTemperature() {
		return kineticEnergy() / n;
	}

	/** The total momentum (P_x, P_y) [m σ₀/τ₀]. */
	public double[] momentum() {
		double px = 0;
		double py = 0;
		for (int i = 0; i < n; i++) {
			px += vx[i];
			py += vy[i];
		}
		return new double[] { px, py };
	}

	private void ensureForces() {
		if (!forcesCurrent) {
			computeForces();
		}
	}

	/** Computes the forces and U with cell lists (or all pairs when n_c &lt; 3). */
	public void computeForces() {
		if (cellsPerSide < 3) {
			computeForcesAllPairs();
			return;
		}
		clearForces();
		int nc = cellsPerSide;
		java.util.Arrays.fill(head, -1);
		for (int i = 0; i < n; i++) {
			int cx = cellOf(wx[i]);
			int cy = cellOf(wy[i]);
			int c = cy * nc + cx;
			next[i] = head[c];
			head[c] = i;
		}
		double u = 0;
		for (int cy = 0; cy < nc; cy++) {
			int up = cy + 1 == nc ? 0 : cy + 1;
			for (int cx = 0; cx < nc; cx++) {
				int right = cx + 1 == nc ? 0 : cx + 1;
				int left = cx == 0 ? nc - 1 : cx - 1;
				int c = cy * nc + cx;
				// The half stencil: own cell, (+1, 0), (−1, +1), (0, +1), (+1, +1).
				int n1 = cy * nc + right;
				int n2 = up * nc + left;
				int n3 = up * nc + cx;
				int n4 = up * nc + right;
				for (int i = head[c]; i >= 0; i = next[i]) {
					for (int j = next[i]; j >= 0; j = next[j]) {
						u += pair(i, j);
					}
					for (int j = head[n1]; j >= 0; j = next[j]) {
						u += pair(i, j);
					}
					for (int j = head[n2]; j >= 0; j = next[j]) {
						u += pair(i, j);
					}
					for (int j = head[n3]; j >= 0; j = next[j]) {
						u += pair(i, j);
					}
					for (int j = head[n4]; j >= 0; j = next[j]) {
						u += pair(i, j);
					}
				}
			}
		}
		potential = u;
		forcesCurrent = true;
	}

	/** Computes the forces and U by summing over all N(N − 1)/2 pairs: the reference for the cell lists. */
	public void computeForcesAllPairs() {
		clearForces();
		double u = 0;
		for (int i = 0; i < n; i++) {
			for (int j = i + 1; j < n; j++) {
				u += pair(i, j);
			}
		}
		potential = u;
		forcesCurrent = true;
	}

	private void clearForces() {
		java.util.Arrays.fill(fx, 0);
		java.util.Arrays.fill(fy, 0);
		for (int i = 0; i < n; i++) {
			wx[i] = wrap(x[i]);
			wy[i] = wrap(y[i]);
		}
	}

	/** The coordinate wrapped into [0, L). */
	private double wrap(double c) {
		double w = c - box * Math.floor(c / box);
		return w < box ? w : 0;
	}

	private int cellOf(double w) {
		int c = (int) (w / cellSize);
		return c < cellsPerSide ? c : cellsPerSide - 1;
	}

	/** Adds the force of the pair (i, j) to both (Newton's third law) and returns its energy. */
	private double pair(int i, int j) {
		double dx = wx[i] - wx[j];
		double dy = wy[i] - wy[j];
		double half = 0.5 * box;
		if (dx > half) {
			dx -= box;
		} else if (dx < -half) {
			dx += box;
		}
		if (dy > half) {
			dy -= box;
		} else if (dy < -half) {
			dy += box;
		}
		double r2 = dx * dx + dy * dy;
		if (r2 >= cutoff2) {
			return 0;
		}
		double inv = 1 / r2;
		double s2 = sigma2 * inv;
		double s6 = s2 * s2 * s2;
		double s12 = s6 * s6;
		// F_i = −du/dr · r̂ = 24ε (2 (σ/r)¹² − (σ/r)⁶) / r² · (r_i − r_j)
		double f = 24 * epsilon * (2 * s12 - s6) * inv;
		double ffx = f * dx;
		double ffy = f * dy;
		fx[i] += ffx;
		fy[i] += ffy;
		fx[j] -= ffx;
		fy[j] -= ffy;
		return 4 * epsilon * (s12 - s6) - shift;
	}

	/**
	 * One BAOAB step of length Δt (see the class comment). With friction 0 it
	 * is a velocity-Verlet step and uses no random numbers.
	 *
	 * @param dt          Δt [τ₀]
	 * @param friction    γ [1/τ₀], non-negative
	 * @param temperature T [ε₀/k_B], used only when γ &gt; 0
	 * @param random      the noise of the O step (unused, may be null, when γ = 0)
	 */
	public void step(double dt, double friction, double temperature, RandomGenerator random) {
		ensureForces();
		double halfDt = 0.5 * dt;
		for (int i = 0; i < n; i++) {
			vx[i] += halfDt * fx[i];
			vy[i] += halfDt * fy[i];
			x[i] += halfDt * vx[i];
			y[i] += halfDt * vy[i];
		}
		if (friction > 0) {
			double c1 = FastMath.exp(-friction * dt);
			double c2 = Math.sqrt(-FastMath.expm1(-2 * friction * dt) * temperature);
			for (int i = 0; i < n; i++) {
				vx[i] = c1 * vx[i] + c2 * ZigguratNormal.next(random);
				vy[i] = c1 * vy[i] + c2 * ZigguratNormal.next(random);
			}
		}
		for (int i = 0; i < n; i++) {
			x[i] += halfDt * vx[i];
			y[i] += halfDt * vy[i];
		}
		computeForces();
		for (int i = 0; i < n; i++) {
			vx[i] += halfDt * fx[i];
			vy[i] += halfDt * fy[i];
		}
	}
}
