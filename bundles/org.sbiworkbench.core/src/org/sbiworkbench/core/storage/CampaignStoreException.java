package org.sbiworkbench.core.storage;

import java.io.IOException;

/** A campaign folder that cannot be used; the message names the file and the problem. */
public class CampaignStoreException extends IOException {

	private static final long serialVersionUID = 1L;

	public CampaignStoreException(String message) {
		super(message);
	}

	public CampaignStoreException(String message, Throwable cause) {
		super(message, cause);
	}
}
