package org.sbiworkbench.estimators.nle;

import java.util.List;

import org.sbiworkbench.nn.Trainer;

/**
 * The training settings every neural method takes, by name, on top of sbi's
 * defaults ({@link Trainer.Settings#SBI}: Adam 5e-4, batches of 200, 10%
 * validation, patience 20, clipping at 5, at most 2,000 epochs):
 * {@code batch_size}, {@code learning_rate}, {@code validation_fraction},
 * {@code patience}, {@code max_epochs}.
 */
public final class TrainingOptions {

	public static final List<String> NAMES = List.of("batch_size", "learning_rate", "validation_fraction", "patience", "max_epochs");

	private TrainingOptions() {
	}

	public static boolean isSetting(String name) {
		return NAMES.contains(name);
	}

	/**
	 * {@code s} with one setting changed.
	 *
	 * @throws IllegalArgumentException for an unknown name or a bad value, naming the setting
	 */
	public static Trainer.Settings with(Trainer.Settings s, String name, String value, String method) {
		try {
			String v = value.trim();
			return switch (name) {
			case "batch_size" -> new Trainer.Settings(Integer.parseInt(v), s.learningRate(), s.validationFraction(), s.patience(),
					s.clipNorm(), s.maxEpochs());
			case "learning_rate" -> new Trainer.Settings(s.batchSize(), Double.parseDouble(v), s.validationFraction(), s.patience(),
					s.clipNorm(), s.maxEpochs());
			case "validation_fraction" -> new Trainer.Settings(s.batchSize(), s.learningRate(), Double.parseDouble(v), s.patience(),
					s.clipNorm(), s.maxEpochs());
			case "patience" -> new Trainer.Settings(s.batchSize(), s.learningRate(), s.validationFraction(), Integer.parseInt(v),
					s.clipNorm(), s.maxEpochs());
			case "max_epochs" -> new Trainer.Settings(s.batchSize(), s.learningRate(), s.validationFraction(), s.patience(),
					s.clipNorm(), Integer.parseInt(v));
			default -> throw new IllegalArgumentException("Unknown " + method + " training setting '" + name + "'; known: "
					+ String.join(", ", NAMES));
			};
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(method + " setting '" + name + "' must be a number, got '" + value + "'");
		} catch (IllegalArgumentException e) {
			if (!isSetting(name)) {
				throw e;
			}
			// Trainer.Settings rejects the combination; say which value did it.
			throw new IllegalArgumentException(method + " setting '" + name + "' = '" + value + "' is out of range (batch_size, patience and "
					+ "max_epochs must be positive, learning_rate positive, validation_fraction in (0, 1))", e);
		}
	}
}
