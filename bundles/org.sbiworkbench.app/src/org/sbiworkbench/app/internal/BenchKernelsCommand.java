package org.sbiworkbench.app.internal;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

import org.sbiworkbench.nn.Kernels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sbiw bench-kernels}: the engine's matrix products timed in the pure-Java
 * kernels and in every other {@link Kernels} found as an OSGi service (ND4J when
 * installed), so the default can be chosen by measurement. Each layer of the
 * networks costs three products per training step, the three forms the tape
 * runs: the forward X·W, and backward dY·Wᵀ (into dX) and Xᵀ·dY (into dW), both
 * accumulating. The implementations take turns within every repeat, so a load
 * change on a shared machine hits all of them; medians are reported.
 */
@Command(name = "bench-kernels", description = "Matrix-product kernels (GEMM) on the engine's layer shapes: pure Java against every Kernels service (e.g. ND4J).")
final class BenchKernelsCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--batch", defaultValue = "200", description = "Rows of a batch for the SBI-sized layers (default: ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--repeats", defaultValue = "15", description = "Timed samples per product and implementation; medians are reported (default: ${DEFAULT-VALUE}).")
	int repeats;

	@Option(names = "--sample-ms", defaultValue = "20", description = "Minimum length of one timed sample; short products are called repeatedly within it (default: ${DEFAULT-VALUE}).")
	int sampleMillis;

	@Option(names = "--warmup-ms", defaultValue = "300", description = "Warm-up per product and implementation (default: ${DEFAULT-VALUE}).")
	int warmupMillis;

	@Option(names = "--seed", defaultValue = "1", description = "Seed of the random operands.")
	long seed;

	/** A dense layer in→out applied to a batch of {@code rows}. */
	record Layer(String name, int rows, int in, int out) {
	}

	/** One GEMM as the tape calls it. */
	record Product(Layer layer, String form, boolean transA, boolean transB, int m, int n, int k, boolean accumulate, float[] a, float[] b,
			float[] c) {

		void run(Kernels kernels) {
			kernels.gemm(transA, transB, m, n, k, a, b, c, accumulate);
		}

		String shape() {
			return m + "×" + k + " · " + k + "×" + n;
		}

		double megaflops() {
			return 2.0 * m * n * k / 1e6;
		}
	}

	@Override
	public Integer call() {
		if (repeats < 1 || sampleMillis < 1 || warmupMillis < 0 || batch < 1) {
			throw new IllegalArgumentException("--repeats, --sample-ms and --batch must be positive, --warmup-ms not negative");
		}
		PrintWriter out = spec.commandLine().getOut();
		run(out, InstalledKernels.all());
		return 0;
	}

	private void run(PrintWriter out, List<Kernels> kernels) {
		int count = kernels.size();
		String[] names = kernels.stream().map(Kernels::name).toArray(String[]::new);
		out.printf("GEMM kernels: %s; %d cores available, Java %s (%s), %s %s%n", String.join(", ", names),
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
				System.getProperty("os.name"), System.getProperty("os.arch"));
		out.printf("java kernels: common ForkJoin pool of parallelism %d (products under 2^20 multiply-adds stay on the calling thread); "
				+ "OMP_NUM_THREADS=%s; load average %.2f%n", ForkJoinPool.commonPool().getParallelism(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		if (count == 1) {
			out.println("No other Kernels service is installed: only the pure-Java kernels are measured.");
		}
		out.printf("batch %d, %d repeats of at least %d ms each after %d ms warm-up, per product and implementation; medians%n%n", batch,
				repeats, sampleMillis, warmupMillis);
		out.flush();

		List<Product> products = products();
		// The first call of an accelerator may start it (ND4J: natives unpacked and loaded, seconds).
		for (int i = 1; i < count; i++) {
			Product p = products.get(0);
			long t0 = System.nanoTime();
			p.run(kernels.get(i));
			out.printf("first call of %s (includes its start-up): %.0f ms%n", names[i], (System.nanoTime() - t0) / 1e6);
		}
		for (int i = 1; i < count; i++) {
			List<String> disagreements = check(products, kernels.get(0), kernels.get(i));
			out.println(disagreements.isEmpty()
					? names[i] + " agrees with java on every product, within 2·(k+1)·2^-24·Σ|a·b| (twice the float32 error bound)"
					: names[i] + " DISAGREES with java: " + disagreements);
		}
		out.println();

		StringBuilder header = new StringBuilder("| layer | form | product m×k · k×n | MFLOP |");
		StringBuilder rule = new StringBuilder("|---|---|---|---:|");
		for (String name : names) {
			header.append(' ').append(name).append(" µs |");
			rule.append("---:|");
		}
		for (int i = 1; i < count; i++) {
			header.append(" java/").append(names[i]).append(" |");
			rule.append("---:|");
		}
		header.append(" faster | noise (IQR/median) |");
		rule.append("---|---:|");
		out.println(header);
		out.println(rule);
		out.flush();

		double[][] medians = new double[products.size()][];
		for (int p = 0; p < products.size(); p++) {
			Product product = products.get(p);
			double[][] samples = measure(product, kernels);
			double[] median = new double[count];
			double noise = 0;
			for (int i = 0; i < count; i++) {
				median[i] = quantile(samples[i], 0.5);
				noise = Math.max(noise, (quantile(samples[i], 0.75) - quantile(samples[i], 0.25)) / median[i]);
			}
			medians[p] = median;
			StringBuilder row = new StringBuilder();
			row.append("| ").append(product.layer().name()).append(" | ").append(product.form()).append(" | ").append(product.shape())
					.append(" | ").append(String.format("%.3g", product.megaflops())).append(" |");
			for (double m : median) {
				row.append(' ').append(micros(m)).append(" |");
			}
			for (int i = 1; i < count; i++) {
				row.append(String.format(" %.2f |", median[0] / median[i]));
			}
			row.append(' ').append(fastest(names, median)).append(String.format(" | %.0f%% |", 100 * noise));
			out.println(row);
			out.flush();
		}

		// Per layer: the three products of one training step.
		out.println();
		StringBuilder layerHeader = new StringBuilder("| layer (forward + both backward products) |");
		StringBuilder layerRule = new StringBuilder("|---|");
		for (String name : names) {
			layerHeader.append(' ').append(name).append(" µs |");
			layerRule.append("---:|");
		}
		for (int i = 1; i < count; i++) {
			layerHeader.append(" java/").append(names[i]).append(" |");
			layerRule.append("---:|");
		}
		layerHeader.append(" faster |");
		layerRule.append("---|");
		out.println(layerHeader);
		out.println(layerRule);
		for (int start = 0; start < products.size(); start += 3) {
			double[] sum = new double[count];
			for (int p = start; p < start + 3; p++) {
				for (int i = 0; i < count; i++) {
					sum[i] += medians[p][i];
				}
			}
			StringBuilder row = new StringBuilder("| ").append(products.get(start).layer().name()).append(" |");
			for (double s : sum) {
				row.append(' ').append(micros(s)).append(" |");
			}
			for (int i = 1; i < count; i++) {
				row.append(String.format(" %.2f |", sum[0] / sum[i]));
			}
			row.append(' ').append(fastest(names, sum)).append(" |");
			out.println(row);
		}

		// Where each accelerator starts to win, by the work of a product.
		out.println();
		for (int i = 1; i < count; i++) {
			double smallestWin = Double.NaN, largestLoss = Double.NaN;
			int wins = 0;
			for (int p = 0; p < products.size(); p++) {
				double work = products.get(p).megaflops();
				if (medians[p][i] < medians[p][0]) {
					wins++;
					smallestWin = Double.isNaN(smallestWin) ? work : Math.min(smallestWin, work);
				} else {
					largestLoss = Double.isNaN(largestLoss) ? work : Math.max(largestLoss, work);
				}
			}
			out.printf("%s is faster than java on %d of %d products; smallest product it wins: %s MFLOP; largest it loses: %s%n",
					names[i], wins, products.size(), Double.isNaN(smallestWin) ? "none" : String.format("%.3g", smallestWin),
					Double.isNaN(largestLoss) ? "none" : String.format("%.3g MFLOP", largestLoss));
		}
		out.printf("load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		out.flush();
	}

	/** The layers of the networks: MAF-like, NSF-conditioner-like, an embedding input, and two wide ones. */
	private List<Layer> layers() {
		return List.of(new Layer("MAF 2→50", batch, 2, 50), new Layer("MAF/NSF 50→50", batch, 50, 50), new Layer("MAF 50→4", batch, 50, 4),
				new Layer("NSF 10→50", batch, 10, 50), new Layer("NSF 50→145 (29·5)", batch, 50, 145), new Layer("8→50", batch, 8, 50),
				new Layer("wide 128→128, batch 256", 256, 128, 128), new Layer("wide 256→256, batch 1024", 1024, 256, 256));
	}

	/**
	 * The tape's three products per layer, for X (rows×in), W (in×out), Y = X·W
	 * (rows×out): forward Y = X·W; backward dX += dY·Wᵀ and dW += Xᵀ·dY.
	 */
	private List<Product> products() {
		SplittableRandom random = new SplittableRandom(seed);
		List<Product> products = new ArrayList<>();
		for (Layer l : layers()) {
			float[] x = gaussian(random, l.rows() * l.in());
			float[] w = gaussian(random, l.in() * l.out());
			float[] dy = gaussian(random, l.rows() * l.out());
			products.add(new Product(l, "A·B", false, false, l.rows(), l.out(), l.in(), false, x, w, new float[l.rows() * l.out()]));
			products.add(new Product(l, "A·Bᵀ", false, true, l.rows(), l.in(), l.out(), true, dy, w, new float[l.rows() * l.in()]));
			products.add(new Product(l, "Aᵀ·B", true, false, l.in(), l.out(), l.rows(), true, x, dy, new float[l.in() * l.out()]));
		}
		return products;
	}

	/**
	 * Samples of µs per call for each implementation: warm-up, then calls batched
	 * to at least {@code sampleMillis} per sample, the implementations taking
	 * turns (in rotating order) within every repeat.
	 */
	private double[][] measure(Product product, List<Kernels> kernels) {
		int count = kernels.size();
		int[] calls = new int[count];
		for (int i = 0; i < count; i++) {
			Kernels k = kernels.get(i);
			long start = System.nanoTime();
			long end = start + warmupMillis * 1_000_000L;
			int n = 0;
			do {
				product.run(k);
				n++;
			} while (System.nanoTime() < end);
			double perCall = (System.nanoTime() - start) / (double) n;
			calls[i] = (int) Math.max(1, Math.min(1_000_000, Math.ceil(sampleMillis * 1e6 / perCall)));
		}
		double[][] samples = new double[count][repeats];
		for (int r = 0; r < repeats; r++) {
			for (int j = 0; j < count; j++) {
				int i = (j + r) % count;
				Kernels k = kernels.get(i);
				long start = System.nanoTime();
				for (int c = 0; c < calls[i]; c++) {
					product.run(k);
				}
				samples[i][r] = (System.nanoTime() - start) / 1e3 / calls[i];
			}
		}
		return samples;
	}

	/**
	 * Products on which {@code other} leaves twice the float32 error bound of
	 * {@code java}: each of them is within (k+1)·2⁻²⁴·Σ|a·b| of the exact value.
	 */
	private static List<String> check(List<Product> products, Kernels java, Kernels other) {
		List<String> disagreements = new ArrayList<>();
		for (Product p : products) {
			float[] cJava = new float[p.c().length];
			float[] cOther = new float[p.c().length];
			java.gemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), p.a(), p.b(), cJava, false);
			other.gemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), p.a(), p.b(), cOther, false);
			double worst = 0;
			for (int i = 0; i < p.m(); i++) {
				for (int j = 0; j < p.n(); j++) {
					double scale = 0;
					for (int q = 0; q < p.k(); q++) {
						float a = p.transA() ? p.a()[q * p.m() + i] : p.a()[i * p.k() + q];
						float b = p.transB() ? p.b()[j * p.k() + q] : p.b()[q * p.n() + j];
						scale += Math.abs((double) a * b);
					}
					double bound = 2 * (p.k() + 1) * 0x1p-24 * scale + Float.MIN_NORMAL;
					double diff = Math.abs(cJava[i * p.n() + j] - cOther[i * p.n() + j]);
					worst = Math.max(worst, diff / bound);
				}
			}
			if (!(worst <= 1)) {
				disagreements.add(p.layer().name() + " " + p.form() + String.format(" (%.1f× the bound)", worst));
			}
		}
		return disagreements;
	}

	private static String fastest(String[] names, double[] times) {
		int best = 0;
		for (int i = 1; i < times.length; i++) {
			if (times[i] < times[best]) {
				best = i;
			}
		}
		if (times.length == 1) {
			return names[0];
		}
		double second = Double.POSITIVE_INFINITY;
		for (int i = 0; i < times.length; i++) {
			if (i != best) {
				second = Math.min(second, times[i]);
			}
		}
		return String.format("%s (%.1f×)", names[best], second / times[best]);
	}

	private static String micros(double us) {
		return us >= 100 ? String.format("%.0f", us) : String.format("%.1f", us);
	}

	private static double quantile(double[] values, double q) {
		double[] s = values.clone();
		Arrays.sort(s);
		double pos = q * (s.length - 1);
		int lo = (int) Math.floor(pos);
		int hi = Math.min(s.length - 1, lo + 1);
		return s[lo] + (pos - lo) * (s[hi] - s[lo]);
	}

	private static float[] gaussian(SplittableRandom random, int length) {
		float[] x = new float[length];
		for (int i = 0; i < length; i++) {
			// Box–Muller; the operands only need to be ordinary numbers of unit scale.
			double u = 1 - random.nextDouble();
			x[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
		}
		return x;
	}
}
