/**
 * Approximate Bayesian computation: rejection ABC ({@code abc}, amortized over the simulations of a campaign)
 * and SMC-ABC ({@code smcabc}, sequential within a simulation budget), both sampled through a Gaussian KDE over
 * their accepted parameters.
 */
package org.sbiworkbench.estimators.abc;
