package org.sbiworkbench.core.campaign;

import java.io.IOException;

/** Receives each chunk as soon as all its rows are done (in any order of chunks). */
@FunctionalInterface
public interface ChunkSink {
	void accept(Chunk chunk) throws IOException;
}
