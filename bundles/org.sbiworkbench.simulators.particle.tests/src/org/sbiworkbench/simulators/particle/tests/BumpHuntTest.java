package org.sbiworkbench.simulators.particle.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.particle.tests.Statistics.Z;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.core.Observation;
import org.sbiworkbench.core.SimulatorDescriptor;
import org.sbiworkbench.simulators.particle.BumpHunt;

/**
 * bump_hunt: a relativistic Breit–Wigner f(t) = k/((t² − M²)² + M²Γ²) of
 * S = 100 events × μ, smeared by N(0, (1.6 GeV · t/125 GeV)²), over
 * B = 5000 background events ∝ e^{−b m} in [100, 180) GeV, 40 bins, Poisson
 * counts. The expectations below are computed here, independently of the
 * simulator's own quadrature: the line shape with Commons Math's adaptive
 * Gauss–Legendre integrator and {@code Erf}, the background in closed form.
 */
class BumpHuntTest {

	private static final double S = 100;
	private static final double B = 5000;
	private static final double LOW = 100;
	private static final double HIGH = 180;

	// ---- the reference model, written out again ----

	/** The relativistic Breit–Wigner density in the true mass t, normalised on [0, ∞). */
	private static double breitWigner(double t, double mass, double width) {
		double gamma = mass * Math.sqrt(mass * mass + width * width);
		double k = 2 * Math.sqrt(2) * mass * width * gamma / (Math.PI * Math.sqrt(mass * mass + gamma));
		double d = t * t - mass * mass;
		return k / (d * d + mass * mass * width * width);
	}

	private static double phi(double x) {
		return 0.5 * Erf.erfc(-x / Math.sqrt(2));
	}

	/** ∫ g over [lo, hi], split at the points that matter for a peak at `mass` of width `width`. */
	private static double integrate(UnivariateFunction g, double lo, double hi, double mass, double width) {
		TreeSet<Double> points = new TreeSet<>(List.of(lo, hi));
		for (double d : new double[] { 0, 0.1, 0.3, 1, 3, 10, 30 }) {
			for (double p : new double[] { mass - d * width, mass + d * width }) {
				if (p > lo && p < hi) {
					points.add(p);
				}
			}
		}
		for (double p = 60; p < 260; p += 5) {
			if (p > lo && p < hi) {
				points.add(p);
			}
		}
		IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(16, 1e-13, 1e-15, 2, 64);
		double sum = 0;
		Double previous = null;
		for (double p : points) {
			if (previous != null) {
				sum += integrator.integrate(Integer.MAX_VALUE, g, previous, p);
			}
			previous = p;
		}
		return sum;
	}

	/** P(a ≤ m < c) for one signal event: ∫ f(t) [Φ((c − t)/σ(t)) − Φ((a − t)/σ(t))] dt, σ(t) = σ₀ t/125. */
	private static double smearedProbability(double a, double c, double mass, double width, double sigma0) {
		return integrate(t -> {
			double sigma = sigma0 * t / 125;
			return breitWigner(t, mass, width) * (phi((c - t) / sigma) - phi((a - t) / sigma));
		}, 40, 300, mass, width);
	}

	/** β_j = B (e^{−b(m_j − 100)} − e^{−b(m_{j+1} − 100)}) / (1 − e^{−80 b}), b ≠ 0. */
	private static double[] background(double slope, double[] edges) {
		double[] beta = new double[edges.length - 1];
		for (int j = 0; j < beta.length; j++) {
			beta[j] = B * (Math.exp(-slope * (edges[j] - LOW)) - Math.exp(-slope * (edges[j + 1] - LOW)))
					/ (1 - Math.exp(-slope * (HIGH - LOW)));
		}
		return beta;
	}

	private static double sum(double[] v) {
		return Arrays.stream(v).sum();
	}

	// ---- the tests ----

	@Test
	void expectedCountsAreTheSmearedLineShapePlusTheAnalyticBackgroundBinByBin() {
		BumpHunt sim = new BumpHunt();
		double[] theta = { 140, 2, 1.5, 0.03 };
		double[] lambda = sim.expectedCounts(theta);
		double[] signal = sim.expectedSignal(theta);
		double[] beta = sim.expectedBackground(theta);
		double[] edges = sim.binEdges();
		assertEquals(41, edges.length);
		assertEquals(100, edges[0]);
		assertEquals(180, edges[40]);
		double yield = theta[2] * S;
		double[] referenceBackground = background(theta[3], edges);
		for (int j = 0; j < 40; j++) {
			assertEquals(signal[j] + beta[j], lambda[j], 1e-12 * lambda[j], "λ = s + β in bin " + j);
			assertEquals(referenceBackground[j], beta[j], 1e-11 * beta[j], "background in bin " + j);
			double reference = yield * smearedProbability(edges[j], edges[j + 1], theta[0], theta[1], 1.6);
			assertEquals(reference, signal[j], 1e-9 * yield, "signal in bin " + j);
		}
	}

	@Test
	void expectedCountsSumToTheTotalYield() {
		BumpHunt sim = new BumpHunt();
		double[] theta = { 140, 2, 1.5, 0.03 };
		double mass = theta[0];
		double width = theta[1];
		double yield = theta[2] * S;
		double signal = sum(sim.expectedSignal(theta));
		assertEquals(B, sum(sim.expectedBackground(theta)), 1e-9 * B, "the background is normalised to B in the window");
		assertEquals(B + signal, sum(sim.expectedCounts(theta)), 1e-9 * B);

		// Exactly: the probability that a signal event is measured inside the window.
		double inWindow = smearedProbability(LOW, HIGH, mass, width, 1.6);
		assertEquals(yield * inWindow, signal, 1e-9 * yield);

		// For a resonance well inside the window, smearing moves (almost) as much in as out at the edges:
		// the yield is μS minus the Breit-Wigner tails beyond 100 and 180 GeV.
		double unsmearedTails = 1 - integrate(t -> breitWigner(t, mass, width), LOW, HIGH, mass, width);
		assertEquals(yield * (1 - unsmearedTails), signal, 1e-4 * yield, "μS minus the tails outside the window");
		// ... which are about (Γ/2π)(1/(M − 100) + 1/(180 − M)) (Cauchy tails; the relativistic lower tail is lighter).
		double cauchyTails = width / (2 * Math.PI) * (1 / (mass - LOW) + 1 / (HIGH - mass));
		assertEquals(cauchyTails, unsmearedTails, 0.1 * cauchyTails);
		assertTrue(unsmearedTails > 0.01, "a 2 GeV wide resonance loses more than 1 % to its tails: " + unsmearedTails);
	}

	@Test
	void withoutSignalTheSpectrumIsTheAnalyticBackground() {
		BumpHunt sim = new BumpHunt();
		double[] edges = sim.binEdges();
		for (double slope : new double[] { 0.01, 0.03, 0.05 }) {
			double[] theta = { 125, 1, 0, slope };
			assertArrayEquals(new double[40], sim.expectedSignal(theta), "μ = 0: no signal at all");
			double[] expected = background(slope, edges);
			double[] lambda = sim.expectedCounts(theta);
			for (int j = 0; j < 40; j++) {
				assertEquals(expected[j], lambda[j], 1e-11 * expected[j], "b = " + slope + ", bin " + j);
			}
			assertTrue(lambda[0] > lambda[39], "the background falls");
		}
		// b = 0 is flat; b < 0 is the mirror image of b > 0.
		double[] flat = sim.expectedCounts(new double[] { 125, 1, 0, 0 });
		for (double v : flat) {
			assertEquals(B / 40, v, 1e-9);
		}
		double[] falling = sim.expectedCounts(new double[] { 125, 1, 0, 0.04 });
		double[] rising = sim.expectedCounts(new double[] { 125, 1, 0, -0.04 });
		for (int j = 0; j < 40; j++) {
			assertEquals(falling[j], rising[39 - j], 1e-9 * falling[j]);
		}

		// Simulated background-only spectra scatter around it as Poisson counts do.
		double[] theta = { 125, 1, 0, 0.03 };
		double[] lambda = sim.expectedCounts(theta);
		int n = 2000;
		double[][] x = simulateMany(sim, theta, n, 11);
		assertPoisson("μ = 0", x, lambda);
		double total = Arrays.stream(x).mapToDouble(BumpHuntTest::sum).sum();
		assertEquals(n * B, total, Z * Math.sqrt(n * B), "total counts of " + n + " spectra");
	}

	@Test
	void simulatedSpectraArePoissonAroundTheExpectedCounts() {
		BumpHunt sim = new BumpHunt();
		for (double[] theta : new double[][] { { 125, 1, 1.5, 0.03 }, { 160, 6, 3, 0.045 }, { 112, 0.5, 2, 0.012 } }) {
			int n = 2000;
			double[][] x = simulateMany(sim, theta, n, 23);
			assertPoisson(Arrays.toString(theta), x, sim.expectedCounts(theta));
		}
	}

	/**
	 * Per bin: the mean of n spectra within Z standard errors √(λ/n) of λ,
	 * the variance within Z·√((λ + 2λ²)/n) of λ (a Poisson count's variance
	 * equals its mean; μ₄ = λ + 3λ²); over all bins, the χ² of the summed
	 * counts against nλ below the 1 − 10⁻⁵ quantile of χ²₄₀.
	 */
	private static void assertPoisson(String what, double[][] x, double[] lambda) {
		int n = x.length;
		double[] total = new double[lambda.length];
		double[] expectedTotal = new double[lambda.length];
		for (int j = 0; j < lambda.length; j++) {
			final int bin = j;
			double[] column = Arrays.stream(x).mapToDouble(r -> r[bin]).toArray();
			for (double v : column) {
				assertTrue(v >= 0 && v == Math.rint(v), what + ": counts are non-negative integers, got " + v);
			}
			double[] mv = Statistics.meanAndVariance(column);
			assertEquals(lambda[j], mv[0], Z * Math.sqrt(lambda[j] / n), what + ": mean count in bin " + j);
			assertEquals(lambda[j], mv[1], Z * Math.sqrt((lambda[j] + 2 * lambda[j] * lambda[j]) / n),
					what + ": variance of the count in bin " + j);
			total[j] = mv[0] * n;
			expectedTotal[j] = lambda[j] * n;
		}
		double chi2 = Statistics.chiSquare(total, expectedTotal);
		assertTrue(chi2 < Statistics.chiSquareBound(lambda.length),
				what + ": χ² of the summed spectra " + chi2 + " against " + lambda.length + " degrees of freedom");
	}

	private static double[][] simulateMany(BumpHunt sim, double[] theta, int n, long seed) {
		Well19937c random = new Well19937c(seed);
		double[][] x = new double[n][];
		for (int i = 0; i < n; i++) {
			x[i] = sim.simulate(theta, random);
		}
		return x;
	}

	/**
	 * The measured peak is the Breit–Wigner convolved with the resolution: its
	 * full width at half maximum, read off a finely binned spectrum (0.1 GeV),
	 * grows with σ₀ and matches the Voigt width for Γ and σ(M) =
	 * σ₀ · M/125 GeV (Olivero–Longbothum, accurate to 0.02 %).
	 */
	@Test
	void theResolutionWidensThePeakAsAVoigtProfile() {
		double mass = 140;
		double width = 1;
		double previous = 0;
		for (double sigma0 : new double[] { 0.4, 1.6, 3.2 }) {
			BumpHunt sim = new BumpHunt(sigma0, 800);
			assertEquals(sigma0 * mass / 125, sim.resolution(mass), 1e-12);
			double[] signal = sim.expectedSignal(new double[] { mass, width, 1, 0.03 });
			double fwhm = fullWidthAtHalfMaximum(signal, sim.binEdges());
			double fL = width;
			double fG = 2 * Math.sqrt(2 * Math.log(2)) * sigma0 * mass / 125;
			double voigt = 0.5346 * fL + Math.sqrt(0.2166 * fL * fL + fG * fG);
			assertEquals(voigt, fwhm, 0.01 * voigt, "FWHM for σ₀ = " + sigma0 + " GeV");
			assertTrue(fwhm > previous, "a worse resolution widens the peak: " + fwhm + " after " + previous);
			previous = fwhm;
		}
	}

	/** FWHM of a single peak given as bin contents, by linear interpolation between bin centres. */
	private static double fullWidthAtHalfMaximum(double[] contents, double[] edges) {
		int peak = 0;
		for (int j = 1; j < contents.length; j++) {
			if (contents[j] > contents[peak]) {
				peak = j;
			}
		}
		double half = contents[peak] / 2;
		int lo = peak;
		while (contents[lo - 1] > half) {
			lo--;
		}
		int hi = peak;
		while (contents[hi + 1] > half) {
			hi++;
		}
		double centreLo = 0.5 * (edges[lo - 1] + edges[lo]);
		double centreHi = 0.5 * (edges[hi + 1] + edges[hi + 2]);
		double w = edges[1] - edges[0];
		double left = centreLo + w * (half - contents[lo - 1]) / (contents[lo] - contents[lo - 1]);
		double right = centreHi - w * (half - contents[hi + 1]) / (contents[hi] - contents[hi + 1]);
		return right - left;
	}

	@Test
	void invalidParametersAreRefusedWithTheParameterNamed() {
		BumpHunt sim = new BumpHunt();
		Well19937c random = new Well19937c(1);
		record Case(double[] theta, String word) {
		}
		for (Case c : List.of(new Case(new double[] { 125, 0, 1, 0.03 }, "width"),
				new Case(new double[] { 125, -1, 1, 0.03 }, "width"),
				new Case(new double[] { 125, Double.NaN, 1, 0.03 }, "width"),
				new Case(new double[] { 0, 1, 1, 0.03 }, "mass"),
				new Case(new double[] { -125, 1, 1, 0.03 }, "mass"),
				new Case(new double[] { 125, 1, -0.1, 0.03 }, "signal strength"),
				new Case(new double[] { 125, 1, 1, Double.POSITIVE_INFINITY }, "slope"),
				new Case(new double[] { 125, 1, 1 }, "4 parameters"),
				new Case(new double[] { 125, 1, 1, 0.03, 0 }, "4 parameters"))) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.simulate(c.theta(), random),
					Arrays.toString(c.theta()));
			assertTrue(e.getMessage().contains(c.word()) && e.getMessage().contains("bump_hunt"),
					"message names the problem: " + e.getMessage());
		}
		// Widths far below the resolution are the narrow-width limit, not an error.
		double[] narrow = sim.expectedSignal(new double[] { 125, 1e-9, 1, 0.03 });
		double[] limit = sim.expectedSignal(new double[] { 125, 1e-6, 1, 0.03 });
		assertArrayEquals(limit, narrow, 0);
		// Γ = 0.1 MeV: only about Γ/π = 3·10⁻⁵ of the signal lies in tails beyond ±1 GeV, so no bin moves by 10⁻⁴ of S.
		double[] small = sim.expectedSignal(new double[] { 125, 1e-4, 1, 0.03 });
		for (int j = 0; j < 40; j++) {
			assertEquals(limit[j], small[j], 1e-4 * S, "Γ = 0.1 MeV is already the narrow-width limit, bin " + j);
		}
		assertThrows(IllegalArgumentException.class, () -> new BumpHunt(0, 40));
		assertThrows(IllegalArgumentException.class, () -> new BumpHunt(1.6, 0));
	}

	@Test
	void theSameSeedGivesTheSameSpectrum() {
		BumpHunt sim = new BumpHunt();
		double[] theta = { 131, 3, 1, 0.02 };
		double[] a = sim.simulate(theta, new Well19937c(99));
		double[] b = sim.simulate(theta, new Well19937c(99));
		double[] c = sim.simulate(theta, new Well19937c(100));
		assertArrayEquals(a, b, 0);
		assertFalse(Arrays.equals(a, c), "another seed, another spectrum");
		assertEquals(40, a.length);
		// The batch form draws the rows in turn from the same stream.
		Well19937c random = new Well19937c(5);
		double[][] batch = sim.simulate(new double[][] { theta, theta }, random);
		Well19937c again = new Well19937c(5);
		assertArrayEquals(sim.simulate(theta, again), batch[0], 0);
		assertArrayEquals(sim.simulate(theta, again), batch[1], 0);
	}

	/**
	 * The stored observation is what the simulator draws at its true θ with its
	 * seed, it is a plausible spectrum of that θ, and it shows the resonance:
	 * the likelihood-ratio statistic against background only is large.
	 */
	@Test
	void theDefaultObservationIsReproducibleAndShowsTheBump() {
		BumpHunt sim = new BumpHunt();
		SimulatorDescriptor d = sim.descriptor();
		assertEquals(1, d.defaultObservations().size());
		Observation o = d.defaultObservations().get(0);
		double[] theta = o.knownParameters().orElseThrow();
		assertArrayEquals(new double[] { 125, 1, 1.5, 0.03 }, theta, 0);
		assertTrue(d.defaultPrior().inSupport(theta));
		assertArrayEquals(o.values(), sim.simulate(theta, new Well19937c(BumpHunt.DEFAULT_OBSERVATION_SEED)), 0,
				"toy 1 is simulate(θ_true, new Well19937c(" + BumpHunt.DEFAULT_OBSERVATION_SEED + "))");

		double[] x = o.values();
		double[] lambda = sim.expectedCounts(theta);
		for (double v : x) {
			assertTrue(v >= 0 && v == Math.rint(v));
		}
		double chi2 = Statistics.chiSquare(x, lambda);
		assertTrue(chi2 < Statistics.chiSquareBound(40), "χ² of toy 1 against its own expectation: " + chi2);

		double[] backgroundOnly = sim.expectedCounts(new double[] { 125, 1, 0, 0.03 });
		double q = 0;
		for (int j = 0; j < 40; j++) {
			q += 2 * (x[j] * Math.log(lambda[j] / backgroundOnly[j]) - (lambda[j] - backgroundOnly[j]));
		}
		assertTrue(q > 16, "toy 1 prefers the signal over background only by more than 4σ locally: q = " + q);
	}
}
