package org.sbiworkbench.estimators.abc.tests;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.MultivariateGaussianPrior;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Prior;
import org.sbiworkbench.core.Simulator;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.core.storage.SimulationSet;

/**
 * The conjugate Gaussian test problem: θ ~ N(0, I₂), x = θ + N(0, 0.5² I₂). Its posterior is
 * N(0.8·x_o, 0.2·I), and x's prior predictive is N(0, 1.25·I).
 * <p>
 * ABC with threshold ε on the scaled distance ‖(x − x_o)/s‖ targets p(θ | x ∈ B), B the ellipse
 * {x_o + u : Σ (u_j/s_j)² ≤ ε²}. Since θ | x ~ N(0.8x, 0.2 I), that is a mixture with
 * mean 0.8·E[x | B] and variance 0.2 + 0.64·Var(x_j | B) per component, which {@link #abcMoments} computes by
 * quadrature. Two bounds follow without quadrature (r = ε·max s_j, the largest |u| in B):
 * <ul>
 * <li>mean bias: B is symmetric under u → −u, and pairing u with −u gives
 * E[u | B] = E[−tanh(x_o·u/1.25)·u] over B under the symmetrised density, so
 * |E[u_j | B]| ≤ r·tanh(|x_o|·r/1.25), and the θ-mean is off by at most 0.8 times that;</li>
 * <li>variance inflation: 0 ≤ Var(x_j | B) ≤ E[u_j² | B] ≤ (ε s_j)², so the ABC std lies in
 * [√0.2, √(0.2 + 0.64 (ε s_j)²)].</li>
 * </ul>
 */
final class ConjugateGaussian {

	static final List<Parameter> P = List.of(Parameter.of("a"), Parameter.of("b"));
	static final double NOISE = 0.5;
	static final double SHRINK = 1 / (1 + NOISE * NOISE); // 0.8
	static final double POST_VAR = NOISE * NOISE / (1 + NOISE * NOISE); // 0.2
	static final double PRED_VAR = 1 + NOISE * NOISE; // 1.25
	static final Prior PRIOR = MultivariateGaussianPrior.isotropic(P, new double[2], 1.0);
	static final SimulatorDescriptor DESCRIPTOR = descriptor(PRIOR);

	private ConjugateGaussian() {
	}

	static SimulatorDescriptor descriptor(Prior prior) {
		return new SimulatorDescriptor("conjugate", "Conjugate Gaussian", Domain.BENCHMARK, "1", "test", P, List.of("x1", "x2"), prior,
				List.of(), List.of());
	}

	static double[] simulate(double[] theta, RandomGenerator r) {
		return new double[] { theta[0] + NOISE * r.nextGaussian(), theta[1] + NOISE * r.nextGaussian() };
	}

	static Simulator simulator() {
		return new Simulator() {
			@Override
			public SimulatorDescriptor descriptor() {
				return DESCRIPTOR;
			}

			@Override
			public double[] simulate(double[] theta, RandomGenerator random) {
				return ConjugateGaussian.simulate(theta, random);
			}
		};
	}

	static SimulationSet.TrainingData simulations(Prior prior, int n, long seed) {
		RandomGenerator r = new Well19937c(seed);
		double[][] theta = prior.sample(n, r);
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = simulate(theta[i], r);
		}
		return new SimulationSet.TrainingData(theta, x, 0);
	}

	/** Weighted means and standard deviations (weights normalised here; null = equal), per component. */
	record Moments(double[] mean, double[] std) {
		static Moments of(double[][] s, double[] w) {
			int d = s[0].length;
			double total = 0;
			for (int i = 0; i < s.length; i++) {
				total += w == null ? 1 : w[i];
			}
			double[] m = new double[d];
			double[] v = new double[d];
			for (int i = 0; i < s.length; i++) {
				double wi = (w == null ? 1 : w[i]) / total;
				for (int j = 0; j < d; j++) {
					m[j] += wi * s[i][j];
				}
			}
			for (int i = 0; i < s.length; i++) {
				double wi = (w == null ? 1 : w[i]) / total;
				for (int j = 0; j < d; j++) {
					v[j] += wi * (s[i][j] - m[j]) * (s[i][j] - m[j]);
				}
			}
			for (int j = 0; j < d; j++) {
				v[j] = Math.sqrt(v[j]);
			}
			return new Moments(m, v);
		}
	}

	/** The exact mean and std of the ε-ABC posterior p(θ | ‖(x − x_o)/s‖ ≤ ε), by quadrature over the ellipse. */
	static Moments abcMoments(double[] xo, double[] s, double epsilon) {
		int nr = 400;
		int nphi = 720;
		double z = 0;
		double[] m1 = new double[2];
		double[] m2 = new double[2];
		for (int a = 0; a < nr; a++) {
			double rho = (a + 0.5) * epsilon / nr;
			for (int b = 0; b < nphi; b++) {
				double phi = (b + 0.5) * 2 * Math.PI / nphi;
				double u0 = s[0] * rho * Math.cos(phi);
				double u1 = s[1] * rho * Math.sin(phi);
				double x0 = xo[0] + u0;
				double x1 = xo[1] + u1;
				double w = rho * Math.exp(-(x0 * x0 + x1 * x1) / (2 * PRED_VAR));
				z += w;
				m1[0] += w * x0;
				m1[1] += w * x1;
				m2[0] += w * x0 * x0;
				m2[1] += w * x1 * x1;
			}
		}
		double[] mean = new double[2];
		double[] std = new double[2];
		for (int j = 0; j < 2; j++) {
			double ex = m1[j] / z;
			double vx = m2[j] / z - ex * ex;
			mean[j] = SHRINK * ex;
			std[j] = Math.sqrt(POST_VAR + SHRINK * SHRINK * vx);
		}
		return new Moments(mean, std);
	}

	/** The bound on |E_ABC[θ_j] − 0.8 x_oj| from the class comment. */
	static double meanBiasBound(double[] xo, double[] s, double epsilon) {
		double r = epsilon * Math.max(s[0], s[1]);
		return SHRINK * r * Math.tanh(Math.hypot(xo[0], xo[1]) * r / PRED_VAR);
	}

	/** The largest ABC std of component j that ε can explain, √(0.2 + 0.64 (ε s_j)²). */
	static double maxStd(double[] s, double epsilon, int j) {
		double u = epsilon * s[j];
		return Math.sqrt(POST_VAR + SHRINK * SHRINK * u * u);
	}
}
