package org.sbiworkbench.core;

import java.util.List;
import java.util.Objects;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.RandomGenerator;

/** A multivariate Gaussian prior N(μ, Σ) with a full covariance matrix. */
public final class MultivariateGaussianPrior implements Prior {

	private final List<Parameter> parameters;
	private final double[] mean;
	private final double[][] covariance;
	private final double[][] cholesky; // lower triangular L, Σ = L Lᵀ
	private final double logNormaliser;

	public MultivariateGaussianPrior(List<Parameter> parameters, double[] mean, double[][] covariance) {
		this.parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
		int d = this.parameters.size();
		if (mean.length != d || covariance.length != d) {
			throw new IllegalArgumentException("A Gaussian prior over " + d + " parameters needs a mean of length " + d
					+ " and a " + d + "×" + d + " covariance; got " + mean.length + " and " + covariance.length + " rows");
		}
		this.mean = mean.clone();
		this.covariance = new double[d][];
		for (int i = 0; i < d; i++) {
			if (covariance[i].length != d) {
				throw new IllegalArgumentException("Row " + i + " of the covariance has " + covariance[i].length + " entries, expected " + d);
			}
			this.covariance[i] = covariance[i].clone();
		}
		RealMatrix l;
		try {
			l = new CholeskyDecomposition(new Array2DRowRealMatrix(this.covariance), 1e-12, 1e-12).getL();
		} catch (NonSymmetricMatrixException | NonPositiveDefiniteMatrixException e) {
			throw new IllegalArgumentException("The covariance of a Gaussian prior must be symmetric positive definite: " + e.getMessage(), e);
		}
		this.cholesky = l.getData();
		double logDet = 0;
		for (int i = 0; i < d; i++) {
			logDet += 2 * Math.log(cholesky[i][i]);
		}
		this.logNormaliser = -0.5 * (d * Math.log(2 * Math.PI) + logDet);
	}

	/** N(μ, σ² I). */
	public static MultivariateGaussianPrior isotropic(List<Parameter> parameters, double[] mean, double variance) {
		double[][] cov = new double[parameters.size()][parameters.size()];
		for (int i = 0; i < cov.length; i++) {
			cov[i][i] = variance;
		}
		return new MultivariateGaussianPrior(parameters, mean, cov);
	}

	public double[] mean() {
		return mean.clone();
	}

	public double[][] covariance() {
		double[][] c = new double[covariance.length][];
		for (int i = 0; i < c.length; i++) {
			c[i] = covariance[i].clone();
		}
		return c;
	}

	@Override
	public List<Parameter> parameters() {
		return parameters;
	}

	@Override
	public double[] sample(RandomGenerator random) {
		int d = mean.length;
		double[] z = new double[d];
		for (int i = 0; i < d; i++) {
			z[i] = random.nextGaussian();
		}
		double[] theta = mean.clone();
		for (int i = 0; i < d; i++) {
			for (int j = 0; j <= i; j++) {
				theta[i] += cholesky[i][j] * z[j];
			}
		}
		return theta;
	}

	@Override
	public double logProb(double[] theta) {
		Priors.checkDimension(this, theta);
		// Solve L y = θ − μ by forward substitution; the quadratic form is |y|².
		int d = mean.length;
		double[] y = new double[d];
		double q = 0;
		for (int i = 0; i < d; i++) {
			double s = theta[i] - mean[i];
			for (int j = 0; j < i; j++) {
				s -= cholesky[i][j] * y[j];
			}
			y[i] = s / cholesky[i][i];
			q += y[i] * y[i];
		}
		double lp = logNormaliser - 0.5 * q;
		return Double.isNaN(lp) ? Double.NEGATIVE_INFINITY : lp;
	}

	@Override
	public boolean inSupport(double[] theta) {
		Priors.checkDimension(this, theta);
		for (double t : theta) {
			if (!Double.isFinite(t)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public double[] lowerBounds() {
		return java.util.stream.DoubleStream.generate(() -> Double.NEGATIVE_INFINITY).limit(mean.length).toArray();
	}

	@Override
	public double[] upperBounds() {
		return java.util.stream.DoubleStream.generate(() -> Double.POSITIVE_INFINITY).limit(mean.length).toArray();
	}

	@Override
	public String describe(int i) {
		boolean correlated = false;
		for (int j = 0; j < mean.length; j++) {
			correlated |= j != i && covariance[i][j] != 0;
		}
		// Only a correlated parameter needs the reminder that this is just its marginal.
		return "N(" + Priors.format(mean[i]) + ", " + Priors.format(Math.sqrt(covariance[i][i])) + "²)"
				+ (correlated ? " (marginal of a joint Gaussian)" : "");
	}

	@Override
	public String toString() {
		return Priors.toString(this);
	}
}
