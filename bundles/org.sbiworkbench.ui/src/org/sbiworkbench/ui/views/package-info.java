/** Workbench views of SBI Workbench. */
package org.sbiworkbench.ui.views;
