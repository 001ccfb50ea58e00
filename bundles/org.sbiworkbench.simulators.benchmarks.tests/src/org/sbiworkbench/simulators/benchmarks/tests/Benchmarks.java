package org.sbiworkbench.simulators.benchmarks.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.sbiworkbench.core.BenchmarkTask;

/**
 * What the benchmark tests share: finding a task as an OSGi service, reading
 * sbibm's reference samples from {@code data/}, sample moments with their
 * standard errors, and a two-sample comparison of posterior samples.
 */
final class Benchmarks {

	/** Moment checks allow five standard errors. */
	static final double Z = 5;
	/** Overall significance level of the Kolmogorov–Smirnov tests of one comparison, Bonferroni-split. */
	static final double ALPHA = 0.001;

	private Benchmarks() {
	}

	/** The benchmark task registered under {@code id}, as the workbench finds it. */
	static BenchmarkTask task(String id) throws Exception {
		BundleContext context = FrameworkUtil.getBundle(Benchmarks.class).getBundleContext();
		for (ServiceReference<BenchmarkTask> ref : context.getServiceReferences(BenchmarkTask.class, null)) {
			BenchmarkTask task = context.getService(ref);
			if (task != null && task.descriptor().id().equals(id)) {
				return task;
			}
		}
		throw new AssertionError(id + " is not registered as a BenchmarkTask service");
	}

	/** A CSV in this bundle's {@code data/} with a header {@code parameter_1,...,parameter_d}. */
	static double[][] readParameterCsv(String file, int dimension) throws IOException {
		URL url = FrameworkUtil.getBundle(Benchmarks.class).getEntry("data/" + file);
		assertNotNull(url, "data/" + file + " is not in the test bundle (build.properties bin.includes?)");
		StringBuilder header = new StringBuilder();
		for (int i = 1; i <= dimension; i++) {
			header.append(i == 1 ? "" : ",").append("parameter_").append(i);
		}
		List<double[]> rows = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
			assertEquals(header.toString(), in.readLine(), "header of " + file);
			for (String line; (line = in.readLine()) != null;) {
				if (line.isBlank()) {
					continue;
				}
				String[] f = line.split(",");
				assertEquals(dimension, f.length, "columns in " + file + ": " + line);
				double[] row = new double[dimension];
				for (int i = 0; i < dimension; i++) {
					row[i] = Double.parseDouble(f[i]);
				}
				rows.add(row);
			}
		}
		return rows.toArray(double[][]::new);
	}

	/** Mean, variance and fourth central moment (all with divisor n) of f over the rows. */
	record Moments(int n, double mean, double var, double m4) {

		static Moments of(double[][] rows, ToDoubleFunction<double[]> f) {
			return of(Arrays.stream(rows).mapToDouble(f).toArray());
		}

		static Moments of(double[] values) {
			double mean = 0;
			for (double v : values) {
				mean += v;
			}
			mean /= values.length;
			double var = 0;
			double m4 = 0;
			for (double v : values) {
				double c = v - mean;
				var += c * c;
				m4 += c * c * c * c;
			}
			return new Moments(values.length, mean, var / values.length, m4 / values.length);
		}

		/** Standard error of the mean, for independent draws. */
		double seMean() {
			return Math.sqrt(var / n);
		}

		/** Standard error of the sample variance, √((μ₄ − σ⁴)/n), for independent draws. */
		double seVar() {
			return Math.sqrt(Math.max(m4 - var * var, 0) / n);
		}
	}

	/** A scalar function of θ to compare, with a name for messages. */
	record Feature(String name, ToDoubleFunction<double[]> f) {
	}

	/** The coordinates θ_1..θ_d as features. */
	static List<Feature> coordinates(int d) {
		List<Feature> features = new ArrayList<>();
		for (int i = 0; i < d; i++) {
			final int k = i;
			features.add(new Feature("theta_" + (i + 1), t -> t[k]));
		}
		return features;
	}

	/**
	 * Asserts that two samples come from the same distribution, assuming each
	 * holds independent draws:
	 * <ul>
	 * <li>two-sample Kolmogorov–Smirnov tests of every feature given and of
	 * {@code projections} fixed random 1-D projections (Cramér–Wold) of θ,
	 * standardised by the reference's mean and standard deviation; each test
	 * at level {@link #ALPHA} / (number of tests), so the whole comparison
	 * rejects a correct sampler with probability at most {@link #ALPHA};</li>
	 * <li>means and variances of every feature agree within {@link #Z}
	 * standard errors of the difference.</li>
	 * </ul>
	 */
	static void assertSameDistribution(String what, double[][] ours, double[][] reference, List<Feature> features,
			int projections, long projectionSeed) {
		int d = reference[0].length;
		List<Feature> all = new ArrayList<>(features);
		double[] refMean = new double[d];
		double[] refSd = new double[d];
		for (int i = 0; i < d; i++) {
			final int k = i;
			Moments m = Moments.of(reference, t -> t[k]);
			refMean[i] = m.mean();
			refSd[i] = Math.sqrt(m.var());
		}
		Well19937c random = new Well19937c(projectionSeed);
		for (int p = 0; p < projections; p++) {
			double[] u = new double[d];
			double norm = 0;
			for (int i = 0; i < d; i++) {
				u[i] = random.nextGaussian();
				norm += u[i] * u[i];
			}
			for (int i = 0; i < d; i++) {
				u[i] /= Math.sqrt(norm);
			}
			all.add(new Feature("projection " + (p + 1) + " " + Arrays.toString(u), t -> {
				double s = 0;
				for (int i = 0; i < d; i++) {
					s += u[i] * (t[i] - refMean[i]) / refSd[i];
				}
				return s;
			}));
		}
		double level = ALPHA / all.size();
		KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
		for (Feature feature : all) {
			double[] a = Arrays.stream(ours).mapToDouble(feature.f()).toArray();
			double[] b = Arrays.stream(reference).mapToDouble(feature.f()).toArray();
			double p = ks.kolmogorovSmirnovTest(a, b);
			assertTrue(p > level, what + ": Kolmogorov–Smirnov rejects " + feature.name() + " (p = " + p + " < "
					+ level + ", D = " + ks.kolmogorovSmirnovStatistic(a, b) + ")");
			Moments q = Moments.of(a);
			Moments r = Moments.of(b);
			assertEquals(r.mean(), q.mean(), Z * Math.hypot(r.seMean(), q.seMean()), what + ": mean of " + feature.name());
			assertEquals(r.var(), q.var(), Z * Math.hypot(r.seVar(), q.seVar()), what + ": variance of " + feature.name());
		}
	}

	/** Columns of x from rows. */
	static double[] column(double[][] rows, int j) {
		return Arrays.stream(rows).mapToDouble(r -> r[j]).toArray();
	}

	/**
	 * Asserts E[f(x)] = expected within {@link #Z} standard errors, for
	 * independent draws; the standard error is estimated from the draws.
	 */
	static void assertExpectation(String what, double expected, double[] values) {
		Moments m = Moments.of(values);
		assertEquals(expected, m.mean(), Z * m.seMean(), what);
	}
}
