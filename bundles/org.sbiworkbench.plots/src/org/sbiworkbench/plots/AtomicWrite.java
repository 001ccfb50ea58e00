package org.sbiworkbench.plots;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** How this bundle writes files (PNG, SVG, figure JSON): whole or not at all. */
final class AtomicWrite {

	private AtomicWrite() {
	}

	/**
	 * Writes to a temporary file in the target's folder, forces it to disk and renames it over the target in one
	 * atomic step, so a reader sees the old file or the new one, never half of one. The temporary file is created
	 * with the default permissions (the umask applies, unlike {@link Files#createTempFile}) and removed on failure.
	 */
	static void write(Path file, byte[] bytes) throws IOException {
		Path target = file.toAbsolutePath();
		Path dir = target.getParent();
		Files.createDirectories(dir);
		Path tmp = null;
		for (int attempt = 0; tmp == null; attempt++) {
			Path candidate = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
			try {
				Files.createFile(candidate);
				tmp = candidate;
			} catch (FileAlreadyExistsException e) {
				if (attempt > 100) {
					throw e;
				}
			}
		}
		try {
			try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				throw new IOException("the file system of " + dir + " cannot rename atomically, so " + target.getFileName()
						+ " was not written", e);
			}
			try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
				folder.force(true); // makes the rename durable where the platform allows it
			} catch (IOException | UnsupportedOperationException e) {
				// the rename itself is still atomic
			}
		} finally {
			Files.deleteIfExists(tmp);
		}
	}
}
