package org.sbiworkbench.simulators.moleculardynamics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.moleculardynamics.tests.Statistics.Z;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.simulators.moleculardynamics.LennardJonesSystem;
import org.sbiworkbench.simulators.moleculardynamics.RadialDistribution;

/**
 * The physics of the 2-D Lennard-Jones engine in reduced units (σ₀, ε₀,
 * m = 1, τ₀, k_B = 1): forces against the potential, cell lists against all
 * pairs, conservation laws of the dynamics without the thermostat,
 * equipartition with it, and the structure of the fluid. Systems are the
 * simulator's: N = 100 at ρ = 0.5 σ₀⁻² (L = √200 σ₀).
 */
class LennardJonesSystemTest {

	private static final int N = 100;
	private static final double BOX = Math.sqrt(200);

	/** A fluid equilibrated from the lattice by BAOAB (Δt = 0.005 τ₀, γ = 1/τ₀). */
	private static LennardJonesSystem fluid(int n, double box, double epsilon, double sigma, double temperature, long seed,
			int steps) {
		Well19937c random = new Well19937c(seed);
		LennardJonesSystem system = new LennardJonesSystem(n, box, epsilon, sigma);
		system.setMaxwellVelocities(temperature, random);
		for (int s = 0; s < steps; s++) {
			system.step(0.005, 1, temperature, random);
		}
		return system;
	}

	/**
	 * The pair potential is 4ε[(σ/r)¹² − (σ/r)⁶] shifted by u_LJ(2.5σ) =
	 * −0.016316ε, zero at and beyond r_c = 2.5σ and continuous there; its
	 * minimum at 2^{1/6}σ is −ε + 0.016316ε.
	 */
	@Test
	void thePairPotentialIsTruncatedAndShiftedAtTwoAndAHalfSigma() {
		double eps = 1.3;
		double sigma = 0.9;
		double shift = 4 * eps * (Math.pow(2.5, -12) - Math.pow(2.5, -6));
		assertEquals(-0.016316 * eps, shift, 1e-6 * eps);
		assertEquals(-eps - shift, LennardJonesSystem.pairPotential(Math.pow(2, 1.0 / 6) * sigma, eps, sigma), 1e-12);
		assertEquals(-shift, LennardJonesSystem.pairPotential(sigma, eps, sigma), 1e-12, "u_LJ(σ) = 0 before the shift");
		assertEquals(0, LennardJonesSystem.pairPotential(2.5 * sigma, eps, sigma), 0);
		assertEquals(0, LennardJonesSystem.pairPotential(3 * sigma, eps, sigma), 0);
		assertEquals(0, LennardJonesSystem.pairPotential(2.5 * sigma * (1 - 1e-9), eps, sigma), 1e-9 * eps,
				"continuous at the cut-off");
	}

	/**
	 * In an equilibrated fluid (T = 1.2, some pairs across the periodic
	 * boundary, some near the cut-off) every force component equals
	 * −∂U/∂x_i by central differences with h = 10⁻⁶ σ₀, to 10⁻⁶ ε₀/σ₀
	 * (truncation error O(h² U''') ≈ 10⁻¹⁰, rounding of U ≈ 10⁻¹³/h), and
	 * the two-particle force is −du/dr of {@link LennardJonesSystem#pairPotential}.
	 */
	@Test
	void forcesAreMinusTheGradientOfThePotential() {
		LennardJonesSystem system = fluid(N, BOX, 1, 1, 1.2, 1, 500);
		double h = 1e-6;
		double largest = 0;
		for (int i = 0; i < N; i += 3) {
			double x = system.x(i);
			double y = system.y(i);
			double fx = system.fx(i);
			double fy = system.fy(i);
			system.setPosition(i, x + h, y);
			double uxPlus = system.potentialEnergy();
			system.setPosition(i, x - h, y);
			double uxMinus = system.potentialEnergy();
			system.setPosition(i, x, y + h);
			double uyPlus = system.potentialEnergy();
			system.setPosition(i, x, y - h);
			double uyMinus = system.potentialEnergy();
			system.setPosition(i, x, y);
			assertEquals(-(uxPlus - uxMinus) / (2 * h), fx, 1e-6 * Math.max(1, Math.abs(fx)), "F_x of particle " + i);
			assertEquals(-(uyPlus - uyMinus) / (2 * h), fy, 1e-6 * Math.max(1, Math.abs(fy)), "F_y of particle " + i);
			largest = Math.max(largest, Math.hypot(fx, fy));
		}
		assertTrue(largest > 5, "the fluid has substantial forces to check: " + largest);

		// Two particles, straddling the periodic boundary, at distances through the well and near the cut-off.
		for (double r : new double[] { 0.95, 1.12, 1.5, 2.2, 2.49 }) {
			LennardJonesSystem pair = new LennardJonesSystem(2, 10, 0.8, 1.1);
			double d = r * 1.1;
			pair.setPosition(0, 0.1, 5);
			pair.setPosition(1, 0.1 - d, 5);
			double dudr = (LennardJonesSystem.pairPotential(d + h, 0.8, 1.1) - LennardJonesSystem.pairPotential(d - h, 0.8, 1.1))
					/ (2 * h);
			assertEquals(-dudr, pair.fx(0), 1e-6 * Math.max(1, Math.abs(dudr)), "r = " + r + "σ: the force pushes apart");
			assertEquals(dudr, pair.fx(1), 1e-6 * Math.max(1, Math.abs(dudr)), "Newton's third law");
			assertEquals(0, pair.fy(0), 1e-12);
			assertEquals(LennardJonesSystem.pairPotential(d, 0.8, 1.1), pair.potentialEnergy(), 1e-12);
		}
	}

	/**
	 * Cell lists give the all-pairs forces and energy to rounding (10⁻¹¹
	 * relative) for 6 × 6, 5 × 5 and 4 × 4 cells (σ = 0.85, 1, 1.15 at N =
	 * 100) and 11 × 11 cells (N = 400), also when coordinates are unwrapped by
	 * many box lengths; boxes with fewer than 3 cells per side sum all pairs.
	 * The total force vanishes (Newton's third law, pair by pair).
	 */
	@Test
	void cellListsGiveTheAllPairsForces() {
		record Case(int n, double box, double sigma, int cells) {
		}
		for (Case c : new Case[] { new Case(N, BOX, 0.85, 6), new Case(N, BOX, 1, 5), new Case(N, BOX, 1.15, 4),
				new Case(400, Math.sqrt(800), 1, 11) }) {
			LennardJonesSystem system = fluid(c.n(), c.box(), 1, c.sigma(), 1.0, 7, 300);
			assertEquals(c.cells(), system.cellsPerSide(), "cells per side for σ = " + c.sigma());
			// Move some particles by whole boxes: unwrapped coordinates must not matter.
			for (int i = 0; i < c.n(); i += 5) {
				system.setPosition(i, system.x(i) + 3 * c.box(), system.y(i) - 7 * c.box());
			}
			system.computeForces();
			double u = system.potentialEnergy();
			double[] fx = new double[c.n()];
			double[] fy = new double[c.n()];
			double sumX = 0;
			double sumY = 0;
			for (int i = 0; i < c.n(); i++) {
				fx[i] = system.fx(i);
				fy[i] = system.fy(i);
				sumX += fx[i];
				sumY += fy[i];
			}
			assertEquals(0, sumX, 1e-10, "Σ F_x");
			assertEquals(0, sumY, 1e-10, "Σ F_y");
			system.computeForcesAllPairs();
			assertEquals(system.potentialEnergy(), u, 1e-11 * Math.abs(u), "U, σ = " + c.sigma() + ", N = " + c.n());
			for (int i = 0; i < c.n(); i++) {
				double scale = Math.max(1, Math.hypot(fx[i], fy[i]));
				assertEquals(system.fx(i), fx[i], 1e-11 * scale, "F_x of " + i);
				assertEquals(system.fy(i), fy[i], 1e-11 * scale, "F_y of " + i);
			}
		}
		assertTrue(new LennardJonesSystem(N, BOX, 1, 2).cellsPerSide() < 3, "r_c = 5 σ₀ leaves 2 cells: all pairs");
		assertThrows(IllegalArgumentException.class, () -> new LennardJonesSystem(N, BOX, 1, 3), "r_c beyond L/2");
	}

	/**
	 * Without the thermostat (γ = 0: velocity Verlet) over 20 τ₀ from an
	 * equilibrated fluid at k_BT ≈ 1: the total energy H = K + U fluctuates
	 * by O(Δt²) — halving Δt from 0.01 to 0.005 τ₀ reduces its standard
	 * deviation about fourfold (between 3 and 5.5) — and neither its
	 * fluctuation nor its drift (last quarter against first quarter) exceeds,
	 * per particle, (ωΔt)²/8 · k_BT, the relative energy error of velocity
	 * Verlet for a harmonic mode of the fluid's typical frequency ω, with
	 * ω² = Σ|F_i|²/(2N k_BT m) (for a harmonic mode ⟨F²⟩ = mω²k_BT); the
	 * modes' errors add with random phases, so this bounds the total from
	 * above. The momentum is conserved to rounding (10⁻¹⁰).
	 */
	@Test
	void withoutTheThermostatEnergyIsConservedToOrderTimeStepSquaredAndMomentumExactly() {
		LennardJonesSystem start = fluid(N, BOX, 1, 1, 1.0, 5, 2000);
		double kT = start.kineticTemperature();
		double forces2 = 0;
		for (int i = 0; i < N; i++) {
			forces2 += start.fx(i) * start.fx(i) + start.fy(i) * start.fy(i);
		}
		double omega2 = forces2 / (2 * N * kT);
		double[] sd = new double[2];
		double[] dts = { 0.01, 0.005 };
		for (int k = 0; k < 2; k++) {
			double dt = dts[k];
			LennardJonesSystem system = start.copy();
			double[] p0 = system.momentum();
			int steps = (int) Math.round(20 / dt);
			double[] energy = new double[steps];
			for (int s = 0; s < steps; s++) {
				system.step(dt, 0, 0, null);
				energy[s] = system.kineticEnergy() + system.potentialEnergy();
			}
			sd[k] = Math.sqrt(Statistics.meanAndVariance(energy)[1]);
			int q = steps / 4;
			double first = Statistics.meanAndVariance(java.util.Arrays.copyOfRange(energy, 0, q))[0];
			double last = Statistics.meanAndVariance(java.util.Arrays.copyOfRange(energy, steps - q, steps))[0];
			double bound = omega2 * dt * dt / 8 * kT;
			assertTrue(sd[k] / N < bound, "Δt = " + dt + ": energy fluctuation per particle " + sd[k] / N + " ε₀ against "
					+ bound);
			assertTrue(Math.abs(last - first) / N < bound, "Δt = " + dt + ": energy drift per particle " + (last - first) / N
					+ " ε₀ against " + bound);
			double[] p = system.momentum();
			assertEquals(p0[0], p[0], 1e-10, "P_x conserved");
			assertEquals(p0[1], p[1], 1e-10, "P_y conserved");
		}
		double ratio = sd[0] / sd[1];
		assertTrue(ratio > 3 && ratio < 5.5, "halving Δt divides the energy fluctuation by " + ratio + ", O(Δt²) gives 4");
	}

	/**
	 * With the Langevin thermostat, equipartition in two dimensions:
	 * ⟨K⟩ = N k_B T, i.e. ⟨K⟩/N = T, within Z batch-means standard errors
	 * (20 batches of 5 τ₀ over 100 τ₀, against a kinetic-energy correlation
	 * time of 1/(2γ) = 0.5 τ₀), and the velocities are Maxwellian in their
	 * fourth moment, ⟨v_x⁴⟩ = 3 (k_BT/m)². BAOAB's own kinetic bias,
	 * O((ωΔt)²) ≈ 10⁻³, is below the resolution.
	 */
	@Test
	void theThermostatHoldsTheKineticTemperatureAtT() {
		for (double temperature : new double[] { 0.8, 2.0 }) {
			Well19937c random = new Well19937c(31);
			LennardJonesSystem system = fluid(N, BOX, 1, 1, temperature, 32, 1000);
			int steps = 20_000;
			double[] kinetic = new double[steps];
			double[] fourth = new double[steps];
			for (int s = 0; s < steps; s++) {
				system.step(0.005, 1, temperature, random);
				kinetic[s] = system.kineticTemperature();
				double sum = 0;
				for (int i = 0; i < N; i++) {
					double vx = system.vx(i);
					double vy = system.vy(i);
					sum += vx * vx * vx * vx + vy * vy * vy * vy;
				}
				fourth[s] = sum / (2 * N);
			}
			double[] k = Statistics.batchMeans(kinetic, 20);
			assertEquals(temperature, k[0], Z * k[1], "⟨K⟩/N at T = " + temperature + " (± " + k[1] + ")");
			assertTrue(k[1] < 0.02 * temperature, "the check resolves 2 % of T: SE " + k[1]);
			double[] f = Statistics.batchMeans(fourth, 20);
			assertEquals(3 * temperature * temperature, f[0], Z * f[1], "⟨v_x⁴⟩ at T = " + temperature + " (± " + f[1] + ")");
		}
	}

	/**
	 * g(r) of the fluid at ε = σ = 1, T = 1.2 in bins of 0.05 σ₀ out to L/2
	 * over 40 τ₀: zero inside the core, r &lt; 0.8σ (the Boltzmann factor
	 * there is below e^{−43/1.2}); its highest peak between σ and 1.25σ,
	 * around the potential's minimum 2^{1/6}σ = 1.12σ, and above 2; and → 1
	 * at large r: its mean over [4.5, 7) σ₀ within 0.03 of 1 (the finite-N
	 * correction is of order 1/N).
	 */
	@Test
	void theRadialDistributionIsZeroInTheCorePeaksAtTheWellAndTendsToOne() {
		Well19937c random = new Well19937c(41);
		LennardJonesSystem system = fluid(N, BOX, 1, 1, 1.2, 42, 2000);
		RadialDistribution rdf = new RadialDistribution(0, 7, 140, BOX, N);
		for (int s = 1; s <= 8000; s++) {
			system.step(0.005, 1, 1.2, random);
			if (s % 20 == 0) {
				rdf.add(system);
			}
		}
		assertEquals(400, rdf.frames());
		double[] g = rdf.g();
		double[] edges = rdf.edges();
		int peak = 0;
		double tail = 0;
		int tailBins = 0;
		for (int j = 0; j < g.length; j++) {
			if (edges[j + 1] <= 0.8) {
				assertEquals(0, g[j], 0, "no pairs at r in [" + edges[j] + ", " + edges[j + 1] + ")");
			}
			if (g[j] > g[peak]) {
				peak = j;
			}
			if (edges[j] >= 4.5) {
				tail += g[j];
				tailBins++;
			}
		}
		double rPeak = 0.5 * (edges[peak] + edges[peak + 1]);
		assertTrue(rPeak > 1.0 && rPeak < 1.25, "first peak at r = " + rPeak);
		assertTrue(g[peak] > 2, "a liquid's first peak: g = " + g[peak]);
		assertEquals(1, tail / tailBins, 0.03, "g(r) at large r");
	}
}
