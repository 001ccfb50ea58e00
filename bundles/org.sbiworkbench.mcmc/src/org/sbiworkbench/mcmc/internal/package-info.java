/**
 * The machinery the samplers share: the run loop with progress, cancellation
 * and thinning, the choice of starting points, batched evaluation of subsets
 * of chains, and the warm-up windows. Not API.
 */
package org.sbiworkbench.mcmc.internal;
