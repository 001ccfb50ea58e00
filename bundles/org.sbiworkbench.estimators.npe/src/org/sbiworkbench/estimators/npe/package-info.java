/** Neural posterior estimation: a conditional flow q(θ | x) trained on simulations. */
package org.sbiworkbench.estimators.npe;
