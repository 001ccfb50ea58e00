/**
 * Neural likelihood estimation: a conditional flow q(x | θ) trained on simulations, its posterior sampled by MCMC.
 * Also the pieces NRE shares: {@link org.sbiworkbench.estimators.nle.McmcPosterior} (a posterior known up to a
 * constant, sampled by MCMC), {@link org.sbiworkbench.estimators.nle.McmcOptions},
 * {@link org.sbiworkbench.estimators.nle.TrainingOptions} and {@link org.sbiworkbench.estimators.nle.McmcEstimator} (the estimators' shared state, posteriors and saved layout).
 */
package org.sbiworkbench.estimators.nle;
