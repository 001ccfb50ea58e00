package org.sbiworkbench.simulators.moleculardynamics;

/**
 * The radial distribution function g(r) of a periodic two-dimensional system
 * of N particles in a square box of side L, averaged over frames, in equal
 * bins [r_j, r_{j+1}):
 * <pre>
 *   g_j = n_j / (F · N(N − 1)/2 · π (r_{j+1}² − r_j²) / L²),
 * </pre>
 * where n_j counts the pairs (i &lt; j, minimum image) at a distance in bin j,
 * summed over F frames. The denominator is the number of pairs an ideal gas
 * of the same N in the same box would put into the annulus, so g = 1 for
 * uncorrelated particles at any N (no 1/N bias), and g → 1 at large r in a
 * fluid. The annuli must lie within the minimum-image circle, r ≤ L/2.
 */
public final class RadialDistribution {

	private final double rMin;
	private final double rMax;
	private final double width;
	private final int bins;
	private final double box;
	private final int particles;
	private final double[] counts;
	private long frames;

	/**
	 * @param rMin      r_0 [σ₀], non-negative
	 * @param rMax      r_bins [σ₀], at most L/2
	 * @param bins      number of equal bins
	 * @param box       L [σ₀]
	 * @param particles N
	 */
	public RadialDistribution(double rMin, double rMax, int bins, double box, int particles) {
		if (!(rMin >= 0 && rMax > rMin && rMax <= box / 2)) {
			throw new IllegalArgumentException("g(r) needs 0 <= r_min < r_max <= L/2 = " + box / 2 + ", got [" + rMin + ", "
					+ rMax + "]");
		}
		if (bins < 1 || particles < 2) {
			throw new IllegalArgumentException("g(r) needs at least one bin and two particles");
		}
		this.rMin = rMin;
		this.rMax = rMax;
		this.bins = bins;
		this.width = (rMax - rMin) / bins;
		this.box = box;
		this.particles = particles;
		this.counts = new double[bins];
	}

	/** Adds the pairs of one frame: positions (unwrapped or not) [σ₀]. */
	public void add(double[] x, double[] y) {
		double min2 = rMin * rMin;
		double max2 = rMax * rMax;
		for (int i = 0; i < particles; i++) {
			double xi = x[i];
			double yi = y[i];
			for (int j = i + 1; j < particles; j++) {
				double dx = xi - x[j];
				double dy = yi - y[j];
				dx -= box * Math.rint(dx / box);
				dy -= box * Math.rint(dy / box);
				double r2 = dx * dx + dy * dy;
				if (r2 >= min2 && r2 < max2) {
					int bin = (int) ((Math.sqrt(r2) - rMin) / width);
					counts[bin < bins ? bin : bins - 1]++;
				}
			}
		}
		frames++;
	}

	/** Adds the current frame of a system. */
	public void add(LennardJonesSystem system) {
		double[] x = new double[particles];
		double[] y = new double[particles];
		system.copyPositions(x, y);
		add(x, y);
	}

	/** The number of frames added. */
	public long frames() {
		return frames;
	}

	/** The bin edges r_0, …, r_bins [σ₀]. */
	public double[] edges() {
		double[] edges = new double[bins + 1];
		for (int j = 0; j <= bins; j++) {
			edges[j] = j == bins ? rMax : rMin + j * width;
		}
		return edges;
	}

	/** The raw pair counts per bin, summed over frames. */
	public double[] counts() {
		return counts.clone();
	}

	/** The pairs an ideal gas would put into bin j in one frame: N(N − 1)/2 · π(r_{j+1}² − r_j²)/L². */
	public double idealPairs(int j) {
		double[] edges = edges();
		double area = Math.PI * (edges[j + 1] * edges[j + 1] - edges[j] * edges[j]);
		return 0.5 * particles * (particles - 1.0) * area / (box * box);
	}

	/** g_j for every bin (NaN before the first frame). */
	public double[] g() {
		double[] g = new double[bins];
		for (int j = 0; j < bins; j++) {
			g[j] = counts[j] / (frames * idealPairs(j));
		}
		return g;
	}
}
