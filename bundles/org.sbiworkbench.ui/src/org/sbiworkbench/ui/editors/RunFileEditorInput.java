package org.sbiworkbench.ui.editors;

import java.nio.file.Path;
import java.util.Objects;

import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.IPathEditorInput;
import org.eclipse.ui.IPersistableElement;

/** A run file on disk as an editor's input (no workspace needed). */
public final class RunFileEditorInput implements IPathEditorInput {

	private final Path file;

	public RunFileEditorInput(Path file) {
		this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
	}

	public Path file() {
		return file;
	}

	@Override
	public IPath getPath() {
		return IPath.fromOSString(file.toString());
	}

	@Override
	public boolean exists() {
		return java.nio.file.Files.exists(file);
	}

	@Override
	public ImageDescriptor getImageDescriptor() {
		return ImageDescriptor.getMissingImageDescriptor();
	}

	@Override
	public String getName() {
		return String.valueOf(file.getFileName());
	}

	@Override
	public IPersistableElement getPersistable() {
		return null;
	}

	@Override
	public String getToolTipText() {
		return file.toString();
	}

	@Override
	public <T> T getAdapter(Class<T> adapter) {
		return null;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof RunFileEditorInput other && other.file.equals(file);
	}

	@Override
	public int hashCode() {
		return file.hashCode();
	}
}
