/**
 * Neural ratio estimation (NRE-A and NRE-B): a classifier on (θ, x) learns log p(x | θ) / p(x); the posterior is
 * sampled by MCMC on the log-ratio plus the log-prior.
 */
package org.sbiworkbench.estimators.nre;
