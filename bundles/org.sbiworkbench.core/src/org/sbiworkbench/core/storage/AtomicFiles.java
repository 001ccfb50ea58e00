package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Crash-safe writes: bytes go to a temporary file in the same folder, are
 * forced to disk, and the file is renamed over the target in one atomic step.
 * A reader therefore sees the old file or the new one, never half of one.
 */
public final class AtomicFiles {

	/** This process as "host-pid", part of each temporary file's name, so leftovers of a killed writer can be told apart. */
	static final String WRITER = host() + "-" + ProcessHandle.current().pid();
	private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.([A-Za-z0-9_]+)-(\\d+)\\.\\d+\\.tmp");

	private AtomicFiles() {
	}

	private static String host() {
		String h;
		try {
			h = java.net.InetAddress.getLocalHost().getHostName();
		} catch (IOException | RuntimeException e) {
			h = System.getenv().getOrDefault("HOSTNAME", "host");
		}
		return h.replaceAll("[^A-Za-z0-9_]", "_");
	}

	/**
	 * Deletes temporary files in {@code dir} left by writers on this machine
	 * that were killed in the middle of a write (their process is gone). Those
	 * of other machines or of live processes (other writers of a shared
	 * campaign folder) are left alone.
	 */
	public static void deleteLeftovers(Path dir) throws IOException {
		String host = WRITER.substring(0, WRITER.lastIndexOf('-'));
		try (var files = Files.list(dir)) {
			for (Path p : (Iterable<Path>) files::iterator) {
				var m = TEMPORARY.matcher(p.getFileName().toString());
				if (m.matches() && m.group(1).equals(host) && ProcessHandle.of(Long.parseLong(m.group(2))).map(ProcessHandle::isAlive).orElse(false) == false) {
					Files.deleteIfExists(p);
				}
			}
		}
	}

	public static void write(Path target, byte[] bytes) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "." + WRITER + ".", ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				throw new IOException("The file system of " + dir + " cannot rename atomically; store campaigns on a local or POSIX file system", e);
			}
			forceDirectory(dir);
		} finally {
			Files.deleteIfExists(tmp);
		}
	}

	/** Makes a rename durable: on Linux a directory can be opened and forced. */
	static void forceDirectory(Path dir) {
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		} catch (IOException | UnsupportedOperationException e) {
			// Not every platform or file system allows it; the rename itself is still atomic.
		}
	}

	public static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", e);
		}
	}
}
