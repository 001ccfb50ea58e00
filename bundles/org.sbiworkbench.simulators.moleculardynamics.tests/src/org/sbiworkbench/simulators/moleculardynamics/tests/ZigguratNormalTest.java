package org.sbiworkbench.simulators.moleculardynamics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sbiworkbench.simulators.moleculardynamics.tests.Statistics.Z;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.sbiworkbench.simulators.moleculardynamics.internal.ZigguratNormal;

/**
 * The ziggurat normals that drive the Langevin thermostat: 10⁶ draws are
 * N(0, 1) by a Kolmogorov–Smirnov test, by a χ² test in 200 bins that
 * resolve the block edges and wedges, in their first four moments, and in the
 * tail beyond r = 3.4426 that the ziggurat samples separately.
 */
class ZigguratNormalTest {

	@Test
	void drawsAreStandardNormal() {
		int n = 1_000_000;
		Well19937c random = new Well19937c(2718);
		double[] z = new double[n];
		for (int i = 0; i < n; i++) {
			z[i] = ZigguratNormal.next(random);
		}
		NormalDistribution normal = new NormalDistribution(null, 0, 1);
		double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(normal, z);
		assertTrue(p > Statistics.LEVEL, "Kolmogorov-Smirnov p = " + p);

		double m1 = 0;
		double m2 = 0;
		double m3 = 0;
		double m4 = 0;
		int bins = 200;
		double[] counts = new double[bins + 2];
		long tail = 0;
		long farTail = 0;
		for (double v : z) {
			m1 += v;
			m2 += v * v;
			m3 += v * v * v;
			m4 += v * v * v * v;
			int bin = v < -5 ? 0 : v >= 5 ? bins + 1 : Math.min(bins, 1 + (int) ((v + 5) / 10 * bins));
			counts[bin]++;
			if (Math.abs(v) > 3.442619855899) {
				tail++;
			}
			if (Math.abs(v) > 4.5) {
				farTail++;
			}
		}
		assertEquals(0, m1 / n, Z * Math.sqrt(1.0 / n), "mean");
		assertEquals(1, m2 / n, Z * Math.sqrt(2.0 / n), "variance");
		assertEquals(0, m3 / n, Z * Math.sqrt(15.0 / n), "third moment");
		assertEquals(3, m4 / n, Z * Math.sqrt(96.0 / n), "fourth moment");

		double chi2 = 0;
		for (int j = 0; j < bins + 2; j++) {
			double lo = j == 0 ? Double.NEGATIVE_INFINITY : -5 + (j - 1) * 10.0 / bins;
			double hi = j == bins + 1 ? Double.POSITIVE_INFINITY : -5 + j * 10.0 / bins;
			double expected = n * (normal.cumulativeProbability(hi) - normal.cumulativeProbability(lo));
			chi2 += (counts[j] - expected) * (counts[j] - expected) / expected;
		}
		// Bins 0 and 201 (beyond ±5σ) expect 0.3 draws each; they stay in for honesty, with 201 degrees of freedom.
		double bound = new ChiSquaredDistribution(null, bins + 1).inverseCumulativeProbability(1 - Statistics.LEVEL);
		assertTrue(chi2 < bound, "χ² = " + chi2 + " in " + (bins + 2) + " bins, bound " + bound);

		double pTail = 2 * normal.cumulativeProbability(-3.442619855899);
		assertEquals(n * pTail, tail, Z * Math.sqrt(n * pTail), "draws beyond the base block's r");
		double pFar = 2 * normal.cumulativeProbability(-4.5);
		assertTrue(farTail <= n * pFar + Z * Math.sqrt(n * pFar) + 5, "draws beyond 4.5: " + farTail + ", expected " + n * pFar);
		assertTrue(farTail > 0, "the tail sampler reaches beyond 4.5σ");
	}

	@Test
	void theSameSeedGivesTheSameDraws() {
		double[] a = new double[100];
		double[] b = new double[100];
		Well19937c ra = new Well19937c(4);
		Well19937c rb = new Well19937c(4);
		for (int i = 0; i < 100; i++) {
			a[i] = ZigguratNormal.next(ra);
			b[i] = ZigguratNormal.next(rb);
		}
		assertArrayEquals(a, b, 0);
	}
}
