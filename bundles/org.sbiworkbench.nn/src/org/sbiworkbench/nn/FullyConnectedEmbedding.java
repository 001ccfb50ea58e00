package org.sbiworkbench.nn;

import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A fully connected embedding: an MLP from the input to the features, with
 * the activation after every hidden layer and a linear output. (sbi's
 * {@code FCEmbedding} also puts a ReLU on the output, where features can die
 * at zero; with its defaults it has one hidden layer of 50, since its
 * {@code num_layers = 2} counts the output layer.)
 */
public final class FullyConnectedEmbedding implements Embedding {

	private final int inputDimension;
	private final int outputDimension;
	private final Mlp mlp;

	/** Two hidden layers of 50 ReLU units. */
	public FullyConnectedEmbedding(int inputDimension, int outputDimension, RandomGenerator random) {
		this(inputDimension, outputDimension, new int[] { 50, 50 }, Activation.RELU, random);
	}

	/** @param hidden the widths of the hidden layers (may be empty: a linear map) */
	public FullyConnectedEmbedding(int inputDimension, int outputDimension, int[] hidden, Activation activation, RandomGenerator random) {
		if (inputDimension < 1 || outputDimension < 1) {
			throw new IllegalArgumentException("an embedding needs positive input and output widths, got " + inputDimension + " and "
					+ outputDimension);
		}
		this.inputDimension = inputDimension;
		this.outputDimension = outputDimension;
		int[] sizes = new int[hidden.length + 2];
		sizes[0] = inputDimension;
		System.arraycopy(hidden, 0, sizes, 1, hidden.length);
		sizes[sizes.length - 1] = outputDimension;
		this.mlp = new Mlp("embedding.fc", sizes, activation, random);
	}

	@Override
	public int inputDimension() {
		return inputDimension;
	}

	@Override
	public int outputDimension() {
		return outputDimension;
	}

	@Override
	public Tensor apply(Tape tape, Tensor x) {
		if (x.cols != inputDimension) {
			throw new IllegalArgumentException("embedding of " + inputDimension + " inputs applied to " + x);
		}
		return mlp.apply(tape, x);
	}

	@Override
	public List<Variable> variables() {
		return mlp.variables();
	}
}
