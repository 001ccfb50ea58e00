package org.sbiworkbench.estimators.npe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.sbiworkbench.core.AmortizedPosterior;
import org.sbiworkbench.core.campaign.Seeds;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.estimators.npe.NeuralPosteriorEstimation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An estimator saved by an earlier build ({@code saved-v1/weinberg}: {@code sbiw infer --simulator weinberg
 * --simulations 5000 --seed 1}, before the saved-folder code was shared between the estimators) still loads and
 * draws the same posterior samples for the same seed: saved posteriors survive upgrades.
 */
class SavedFormatCompatibilityTest {

	@Test
	void anEstimatorSavedByAnEarlierBuildLoadsAndSamplesAlike(@TempDir Path dir) throws Exception {
		Bundle bundle = FrameworkUtil.getBundle(getClass());
		Enumeration<URL> entries = bundle.findEntries("saved-v1/weinberg", "*", true);
		while (entries.hasMoreElements()) {
			URL u = entries.nextElement();
			if (u.getPath().endsWith("/")) {
				continue;
			}
			Path target = dir.resolve(u.getPath().substring(u.getPath().indexOf("saved-v1/weinberg/") + "saved-v1/weinberg/".length()));
			Files.createDirectories(target.getParent());
			try (InputStream in = u.openStream()) {
				Files.copy(in, target);
			}
		}
		JsonNode run = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
		double[] xo = new double[run.get("observation").size()];
		for (int i = 0; i < xo.length; i++) {
			xo[i] = run.get("observation").get(i).asDouble();
		}
		AmortizedPosterior q = new NeuralPosteriorEstimation().load(dir.resolve("estimator"));
		NpyArray expected = Npy.read(dir.resolve("posterior_samples.npy"));
		// The run drew its samples with Seeds.forRow(seed, -3); the same draws come back. It trained and sampled with
		// ND4J's products, this test with the pure-Java ones: float32 rounding differs by a few ulps at most.
		double[][] s = q.condition(xo).sample(expected.rows(), Seeds.forRow(run.get("seed").asLong(), -3));
		for (int i = 0; i < expected.rows(); i++) {
			for (int j = 0; j < expected.columns(); j++) {
				assertEquals(expected.get(i, j), s[i][j], 1e-4, "sample " + i + ", parameter " + j);
			}
		}
	}
}
