package dev.mlops.models;

import dev.mlops.core.MlopsException;
import java.nio.file.Path;

/**
 * A write was refused because its target leads outside the workspace through a symbolic link (a
 * symlinked artifact folder, experiment folder or registry folder). The message names the path, where
 * it really leads, and how to fix it; nothing was written.
 *
 * <pre>{@code
 * try {
 *   run.logArtifact(Path.of("roc.png"), "plots");
 * } catch (UnsafePathException e) {
 *   e.path();      // <workspace>/experiments/churn/runs/<id>/artifacts/plots/roc.png
 *   e.realPath();  // /elsewhere/roc.png
 * }
 * }</pre>
 */
public class UnsafePathException extends MlopsException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String realPath;

  /**
   * @param message what went wrong, why, and how to fix it
   * @param path the path the SDK was about to write
   * @param realPath where that path really leads (symbolic links resolved)
   */
  public UnsafePathException(String message, Path path, Path realPath) {
    super(message);
    this.path = String.valueOf(path);
    this.realPath = String.valueOf(realPath);
  }

  /** The path the SDK was about to write. */
  public Path path() {
    return Path.of(path);
  }

  /** Where the path really leads, symbolic links resolved. */
  public Path realPath() {
    return Path.of(realPath);
  }
}
