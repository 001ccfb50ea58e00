package org.sbiworkbench.estimators.npe;

import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.random.Well19937c;
import org.sbiworkbench.nn.ConditionalDensity;
import org.sbiworkbench.nn.ConvolutionalEmbedding;
import org.sbiworkbench.nn.EmbeddedDensity;
import org.sbiworkbench.nn.Embedding;
import org.sbiworkbench.nn.FullyConnectedEmbedding;
import org.sbiworkbench.nn.MaskedAutoregressiveFlow;
import org.sbiworkbench.nn.MixtureDensityNetwork;
import org.sbiworkbench.nn.NeuralSplineFlow;

/**
 * Which density estimator and embedding, of which size: enough to rebuild the
 * network identically (masks, permutations) before loading its weights.
 *
 * @param type               "nsf" (neural spline flow, sbibm's NPE), "maf" or "mdn"
 * @param dimension          of θ
 * @param contextDimension   of x as simulated (the embedding's input)
 * @param initSeed           seeds the initial weights and the fixed random structure (permutations)
 * @param embedding          "none", "fc" (fully connected) or "cnn" (1-D convolutional, for time series)
 * @param embeddingFeatures  the learned summary statistics' count (unused for "none")
 * @param observationShape   x's shape, [length] or [length, channels] ("cnn" convolves over the length)
 */
public record Architecture(String type, int dimension, int contextDimension, long initSeed, String embedding, int embeddingFeatures,
		List<Integer> observationShape) {

	public static final String DEFAULT = "nsf";

	public Architecture {
		type = type.toLowerCase(Locale.ROOT);
		embedding = embedding.toLowerCase(Locale.ROOT);
		observationShape = List.copyOf(observationShape);
		if (!List.of("nsf", "maf", "mdn").contains(type)) {
			throw new IllegalArgumentException("Unknown density estimator '" + type + "'; available: nsf, maf, mdn");
		}
		if (!List.of("none", "fc", "cnn").contains(embedding)) {
			throw new IllegalArgumentException("Unknown embedding '" + embedding + "'; available: none, fc, cnn");
		}
		if (!embedding.equals("none") && embeddingFeatures <= 0) {
			throw new IllegalArgumentException("An embedding needs a positive number of features, got " + embeddingFeatures);
		}
		if (embedding.equals("cnn") && (observationShape.isEmpty() || observationShape.size() > 2)) {
			throw new IllegalArgumentException("A convolutional embedding needs x shaped [length] or [length, channels], got " + observationShape);
		}
	}

	/** No embedding: the flow sees the z-scored x directly. */
	public static Architecture plain(String type, int dimension, int contextDimension, long initSeed) {
		return new Architecture(type, dimension, contextDimension, initSeed, "none", 0, List.of(contextDimension));
	}

	public ConditionalDensity build() {
		Well19937c random = new Well19937c(initSeed);
		int flowContext = embedding.equals("none") ? contextDimension : embeddingFeatures;
		ConditionalDensity flow = switch (type) {
		case "nsf" -> NeuralSplineFlow.sbiDefault(dimension, flowContext, random);
		case "maf" -> MaskedAutoregressiveFlow.sbiDefault(dimension, flowContext, random);
		case "mdn" -> MixtureDensityNetwork.sbiDefault(dimension, flowContext, random);
		default -> throw new IllegalStateException(type);
		};
		Embedding e = switch (embedding) {
		case "fc" -> new FullyConnectedEmbedding(contextDimension, embeddingFeatures, random);
		case "cnn" -> new ConvolutionalEmbedding(observationShape.get(0), observationShape.size() == 2 ? observationShape.get(1) : 1,
				embeddingFeatures, random);
		default -> null;
		};
		return e == null ? flow : new EmbeddedDensity(flow, e);
	}
}
