package org.sbiworkbench.simulators.benchmarks;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;
import org.osgi.service.component.annotations.Component;
import org.sbiworkbench.core.BenchmarkTask;
import org.sbiworkbench.core.BoxUniformPrior;
import org.sbiworkbench.core.Domain;
import org.sbiworkbench.core.Parameter;
import org.sbiworkbench.core.Posterior;
import org.sbiworkbench.core.SimulatorDescriptor;

/**
 * sbibm's slcp task ("simple likelihood, complex posterior"): a Gaussian
 * likelihood whose posterior has four symmetric modes and sharp ridges.
 * <p>
 * Prior U[-3, 3]⁵. With m = (θ₁, θ₂), s₁ = θ₃², s₂ = θ₄², ρ = tanh θ₅ and
 * Σ = [[s₁² + ε, ρ s₁ s₂], [ρ s₁ s₂, s₂² + ε]], ε = 10⁻⁶ (sbibm adds ε to the
 * diagonal so Σ is always positive definite), x is four i.i.d. draws from
 * N(m, Σ), flattened point by point: x = (x1_1, x1_2, x2_1, x2_2, ..., x4_2).
 * <p>
 * The likelihood is tractable and invariant under θ₃ → −θ₃ and θ₄ → −θ₄;
 * {@link #referencePosterior(double[])} samples the true posterior by MCMC.
 */
@Component(service = { org.sbiworkbench.core.Simulator.class, BenchmarkTask.class })
public final class Slcp implements BenchmarkTask {

	static final String ID = "slcp";
	static final int PARAMETER_DIMENSION = 5;
	static final int NUM_POINTS = 4;
	static final int DATA_DIMENSION = 2 * NUM_POINTS;
	static final double PRIOR_BOUND = 3;
	/** Added to the diagonal of Σ, as in sbibm. */
	static final double EPS = 1e-6;
	private static final double LOG_2PI = Math.log(2 * Math.PI);

	private static final List<Parameter> PARAMETERS = Sbibm.parameters("theta", PARAMETER_DIMENSION);

	/** sbibm's observations 1-10 of slcp: x_o and the θ that generated it. */
	private static final double[][][] SBIBM_OBSERVATIONS = {
			{ { 2.3718784, 0.49947417, 9.931435, 1.7136912, -10.436423, -1.9067793, -1.2343777, -0.09735 },
					{ -2.8581212, -0.44451332, 2.9473476, 1.2396116, 2.9712725 } },
			{ { -0.66452104, -2.9279308, -16.49147, 4.06107, 4.232153, -4.652277, -4.9924355, -1.5655216 },
					{ -0.8669908, -2.6278377, 2.8607178, -1.8587376, -2.7437975 } },
			{ { 3.5023372, 5.254722, 8.685451, 9.995327, 0.40782332, -5.7111573, 10.605566, 12.695774 },
					{ 2.1904812, -0.9653516, 2.2308893, -2.95686, 1.7665963 } },
			{ { -1.6371447, -0.037302777, -1.5622597, 0.031204943, -3.683134, 0.09953671, -1.7389069, 0.0309663 },
					{ -2.407025, 0.034922123, 1.4813509, 0.36865616, -2.4579406 } },
			{ { -8.801672, 8.726709, -10.484016, 6.857725, -6.769688, 7.574161, 3.804308, 2.7593615 },
					{ 2.6843572, 2.1535459, -2.8867972, 2.1739058, -2.0535889 } },
			{ { 0.069512725, 4.0657325, -1.1986864, 0.94379723, -1.4434359, 0.02170819, -4.4811616, -4.26959 },
					{ -1.9131382, 0.0055966377, -1.424882, 1.7892818, 2.2225108 } },
			{ { -3.0776706, -1.2080946, 25.778881, -2.244017, -0.77473235, -1.5114331, 5.919487, -1.6953411 },
					{ 2.9774556, -1.563847, -2.5354505, 0.4488709, -1.7340868 } },
			{ { 1.2463324, -2.414371, -2.9786007, -2.3214335, -17.3002, -3.298883, -13.487199, -3.023044 },
					{ -2.8381855, -2.4080014, 2.9901233, -0.72601986, 1.2363443 } },
			{ { 4.755368, -2.3791986, 3.5834174, -1.444761, 5.063205, -3.448882, 0.56577647, 1.3524654 },
					{ 2.03257, 0.039462805, -1.7365737, 1.859148, -1.9385548 } },
			{ { 1.3710914, -2.39026, 1.8363019, -2.4391632, 2.013802, -3.2097385, 2.4036794, -3.0089793 },
					{ 2.1795692, -2.984069, 0.9612086, -0.9602599, -2.1850324 } } };

	private static final SimulatorDescriptor DESCRIPTOR = new SimulatorDescriptor(ID, "SLCP (simple likelihood, complex posterior)",
			Domain.BENCHMARK, "1.0",
			"Four 2-D Gaussian points whose mean, scales and correlation are nonlinear functions of 5 parameters; "
					+ "the likelihood is simple, the posterior has four modes.",
			PARAMETERS, observationNames(), BoxUniformPrior.of(PARAMETERS, -PRIOR_BOUND, PRIOR_BOUND),
			Sbibm.observations(SBIBM_OBSERVATIONS),
			List.of("Papamakarios, Sterratt, Murray. Sequential neural likelihood: fast likelihood-free inference with autoregressive flows. AISTATS 2019.",
					Sbibm.PAPER));

	/** x1_1, x1_2, x2_1, ..., x4_2: point k, coordinate i. */
	private static List<String> observationNames() {
		List<String> names = new java.util.ArrayList<>();
		for (int k = 1; k <= NUM_POINTS; k++) {
			names.add("x" + k + "_1");
			names.add("x" + k + "_2");
		}
		return names;
	}

	@Override
	public SimulatorDescriptor descriptor() {
		return DESCRIPTOR;
	}

	@Override
	public double[] simulate(double[] theta, RandomGenerator random) {
		Sbibm.checkParameters(ID, PARAMETERS, theta);
		Covariance s = new Covariance(theta);
		// Cholesky factor of Σ: L = [[√a, 0], [c/√a, √(det/a)]].
		double l11 = Math.sqrt(s.a);
		double l21 = s.c / l11;
		double l22 = Math.sqrt(s.det / s.a);
		double[] x = new double[DATA_DIMENSION];
		for (int k = 0; k < NUM_POINTS; k++) {
			double z1 = random.nextGaussian();
			double z2 = random.nextGaussian();
			x[2 * k] = theta[0] + l11 * z1;
			x[2 * k + 1] = theta[1] + l21 * z1 + l22 * z2;
		}
		return x;
	}

	/** Σ = [[a, c], [c, b]] for θ, with its determinant computed without cancellation. */
	private static final class Covariance {
		final double a;
		final double b;
		final double c;
		final double det;

		Covariance(double[] theta) {
			double s1 = theta[2] * theta[2];
			double s2 = theta[3] * theta[3];
			double rho = Math.tanh(theta[4]);
			double sech = 1 / Math.cosh(theta[4]); // 1 − ρ² = sech² θ₅, exactly
			a = s1 * s1 + EPS;
			b = s2 * s2 + EPS;
			c = rho * s1 * s2;
			// ab − c² = s₁²s₂²(1 − ρ²) + ε(s₁² + s₂²) + ε²
			det = s1 * s1 * s2 * s2 * sech * sech + EPS * (s1 * s1 + s2 * s2) + EPS * EPS;
		}
	}

	/** log p(x | θ): the sum of the four bivariate normal log-densities. */
	static double logLikelihood(double[] theta, double[] x) {
		Covariance s = new Covariance(theta);
		double quadratic = 0;
		for (int k = 0; k < NUM_POINTS; k++) {
			double u = x[2 * k] - theta[0];
			double v = x[2 * k + 1] - theta[1];
			// (u, v) Σ⁻¹ (u, v)ᵀ · det, with Σ⁻¹ = [[b, −c], [−c, a]] / det
			quadratic += s.b * u * u - 2 * s.c * u * v + s.a * v * v;
		}
		return -NUM_POINTS * (LOG_2PI + 0.5 * Math.log(s.det)) - 0.5 * quadratic / s.det;
	}

	@Override
	public Posterior referencePosterior(double[] observation) {
		Sbibm.checkObservation(ID, DATA_DIMENSION, observation);
		return new SlcpPosterior(PARAMETERS, observation, DESCRIPTOR.defaultPrior());
	}
}
