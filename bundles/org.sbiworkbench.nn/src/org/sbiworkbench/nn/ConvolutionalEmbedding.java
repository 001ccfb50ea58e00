package org.sbiworkbench.nn;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * A 1-D convolutional embedding for time series, in the spirit of sbi's
 * {@code CNNEmbedding}.
 * <p>
 * <b>Input layout.</b> One example is a series of {@code length} time steps
 * with {@code channels} values each, flattened in C order as [time][channel]:
 * x[t·channels + c] is channel c at time t (for a single-channel series,
 * simply the values in time order). A batch is n×(length·channels).
 * <p>
 * <b>Network.</b> Convolution layers, each: {@link Tape#conv1d} with the
 * given kernel size and stride and zero padding (kernelSize − 1)/2 (the
 * length is kept for odd kernels at stride 1), then the activation, then
 * optional pooling (max or average over non-overlapping windows of
 * {@code poolSize}). The last layer's output, still [time][channel], is
 * flattened into an MLP (hidden layers with the activation, linear output)
 * of {@code outputDimension} features. Convolution weights are initialised
 * like PyTorch's Conv1d, U(±1/√(kernelSize·inChannels)).
 */
public final class ConvolutionalEmbedding implements Embedding {

	/** What follows each convolution's activation. */
	public enum Pooling {
		NONE, MAX, AVERAGE
	}

	private final int length;
	private final int channels;
	private final int outputDimension;
	private final int kernelSize;
	private final int stride;
	private final int padding;
	private final Pooling pooling;
	private final int poolSize;
	private final Activation activation;
	/** Per convolution: the weights as a Linear of (kernelSize·inChannels) → outChannels. */
	private final List<Linear> convolutions = new ArrayList<>();
	/** Per convolution: its input length and channels. */
	private final int[] lengths;
	private final int[] widths;
	private final int featureLength;
	private final Mlp head;

	/**
	 * After sbi's {@code CNNEmbedding} defaults: two convolutions of 6 and 12
	 * channels, kernel 5, stride 1, ReLU, max-pooling by 2, then one hidden
	 * layer of 50. Two differences: the padding here keeps the length (2 for
	 * kernel 5; sbi pads by 1, so 20 steps become 9 and 3 there, 10 and 5
	 * here), and the output is linear (sbi ends with a ReLU).
	 */
	public ConvolutionalEmbedding(int length, int channels, int outputDimension, RandomGenerator random) {
		this(length, channels, new int[] { 6, 12 }, 5, 1, Pooling.MAX, 2, new int[] { 50 }, outputDimension, Activation.RELU, random);
	}

	/**
	 * @param length          time steps per example
	 * @param channels        values per time step
	 * @param convChannels    output channels of each convolution (at least one)
	 * @param kernelSize      of every convolution
	 * @param stride          of every convolution
	 * @param pooling         after every convolution's activation
	 * @param poolSize        window and stride of the pooling (ignored for {@link Pooling#NONE})
	 * @param hidden          hidden widths of the MLP after the convolutions (may be empty)
	 * @param outputDimension features
	 */
	public ConvolutionalEmbedding(int length, int channels, int[] convChannels, int kernelSize, int stride, Pooling pooling, int poolSize,
			int[] hidden, int outputDimension, Activation activation, RandomGenerator random) {
		if (length < 1 || channels < 1 || outputDimension < 1 || convChannels.length < 1 || kernelSize < 1 || stride < 1
				|| (pooling != Pooling.NONE && poolSize < 1)) {
			throw new IllegalArgumentException("ConvolutionalEmbedding: length " + length + ", channels " + channels + ", "
					+ convChannels.length + " convolutions, kernel " + kernelSize + ", stride " + stride + ", pool " + poolSize
					+ ", output " + outputDimension);
		}
		this.length = length;
		this.channels = channels;
		this.outputDimension = outputDimension;
		this.kernelSize = kernelSize;
		this.stride = stride;
		this.padding = (kernelSize - 1) / 2;
		this.pooling = pooling;
		this.poolSize = poolSize;
		this.activation = activation;
		this.lengths = new int[convChannels.length];
		this.widths = new int[convChannels.length];
		int len = length, width = channels;
		for (int l = 0; l < convChannels.length; l++) {
			lengths[l] = len;
			widths[l] = width;
			try {
				len = Tape.slidingLength(len, kernelSize, stride, padding);
				if (pooling != Pooling.NONE) {
					len = Tape.slidingLength(len, poolSize, poolSize, 0);
				}
			} catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("ConvolutionalEmbedding: a series of " + length + " steps is too short for "
						+ convChannels.length + " convolutions of kernel " + kernelSize + ", stride " + stride
						+ (pooling == Pooling.NONE ? "" : " and pooling by " + poolSize) + " (layer " + l + " gets " + lengths[l] + " steps)", e);
			}
			if (convChannels[l] < 1) {
				throw new IllegalArgumentException("ConvolutionalEmbedding: layer " + l + " has " + convChannels[l] + " channels");
			}
			convolutions.add(new Linear("embedding.conv" + l, kernelSize * width, convChannels[l], random));
			width = convChannels[l];
		}
		this.featureLength = len * width;
		int[] sizes = new int[hidden.length + 2];
		sizes[0] = featureLength;
		System.arraycopy(hidden, 0, sizes, 1, hidden.length);
		sizes[sizes.length - 1] = outputDimension;
		this.head = new Mlp("embedding.head", sizes, activation, random);
	}

	@Override
	public int inputDimension() {
		return length * channels;
	}

	@Override
	public int outputDimension() {
		return outputDimension;
	}

	public int length() {
		return length;
	}

	public int channels() {
		return channels;
	}

	/** The width of the flattened output of the convolutions (the MLP's input). */
	public int featureLength() {
		return featureLength;
	}

	@Override
	public Tensor apply(Tape tape, Tensor x) {
		if (x.cols != length * channels) {
			throw new IllegalArgumentException("embedding of " + length + "×" + channels + " series applied to " + x);
		}
		Tensor h = x;
		for (int l = 0; l < convolutions.size(); l++) {
			Linear conv = convolutions.get(l);
			int len = lengths[l];
			h = tape.conv1d(h, len, widths[l], tape.use(conv.weight()), tape.use(conv.bias()), kernelSize, stride, padding);
			h = activation.apply(tape, h);
			int out = Tape.slidingLength(len, kernelSize, stride, padding);
			int c = conv.weight().cols();
			if (pooling == Pooling.MAX) {
				h = tape.maxPool1d(h, out, c, poolSize, poolSize);
			} else if (pooling == Pooling.AVERAGE) {
				h = tape.avgPool1d(h, out, c, poolSize, poolSize);
			}
		}
		return head.apply(tape, h);
	}

	@Override
	public List<Variable> variables() {
		List<Variable> v = new ArrayList<>();
		convolutions.forEach(c -> v.addAll(c.variables()));
		v.addAll(head.variables());
		return v;
	}
}
