/**
 * The command line of SBI Workbench ({@code ./sbiw}), runnable in-process.
 */
package org.sbiworkbench.app;
