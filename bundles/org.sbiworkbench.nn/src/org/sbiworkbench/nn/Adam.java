package org.sbiworkbench.nn;

import java.util.List;

/**
 * Adam (Kingma and Ba 2015) with the global gradient norm clipped first, as
 * sbi trains (clip at 5).
 */
public final class Adam {

	private final List<Variable> variables;
	private final float learningRate;
	private final float beta1 = 0.9f;
	private final float beta2 = 0.999f;
	private final float epsilon = 1e-8f;
	private final double clipNorm;
	private final float[][] m;
	private final float[][] v;
	private int step;

	/** @param clipNorm the largest global gradient norm; Double.POSITIVE_INFINITY for none */
	public Adam(List<Variable> variables, double learningRate, double clipNorm) {
		this.variables = List.copyOf(variables);
		this.learningRate = (float) learningRate;
		this.clipNorm = clipNorm;
		m = new float[variables.size()][];
		v = new float[variables.size()][];
		for (int i = 0; i < m.length; i++) {
			m[i] = new float[variables.get(i).size()];
			v[i] = new float[variables.get(i).size()];
		}
	}

	public void zeroGradients() {
		variables.forEach(Variable::zeroGradient);
	}

	/** The global L2 norm of the gradients. */
	public double gradientNorm() {
		double s = 0;
		for (Variable var : variables) {
			for (float g : var.grad) {
				s += (double) g * g;
			}
		}
		return Math.sqrt(s);
	}

	/** One update from the accumulated gradients; returns the gradient norm before clipping. */
	public double step() {
		double norm = gradientNorm();
		float clip = norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
		step++;
		float c1 = 1 - (float) Math.pow(beta1, step);
		float c2 = 1 - (float) Math.pow(beta2, step);
		float lr = learningRate * (float) Math.sqrt(c2) / c1;
		for (int i = 0; i < m.length; i++) {
			float[] w = variables.get(i).value;
			float[] g = variables.get(i).grad;
			float[] mi = m[i];
			float[] vi = v[i];
			for (int j = 0; j < w.length; j++) {
				float gj = g[j] * clip;
				mi[j] = beta1 * mi[j] + (1 - beta1) * gj;
				vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj;
				w[j] -= lr * mi[j] / ((float) Math.sqrt(vi[j]) + epsilon);
			}
		}
		return norm;
	}
}
