package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * A run has no artifact at the given path, or a file or directory to log does not exist; the message
 * names the run and the path.
 *
 * <pre>{@code
 * try {
 *   tracking.artifact(runId, "plots/roc.png");
 * } catch (ArtifactNotFoundException e) {
 *   e.path();   // "plots/roc.png"
 * }
 * }</pre>
 */
public class ArtifactNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * An exception naming the missing path.
   *
   * @param message what went wrong, why, and how to fix it
   * @param path the artifact path in the run, or the local file or directory that is missing
   */
  public ArtifactNotFoundException(String message, String path) {
    super(message);
    this.path = path;
  }

  /**
   * The artifact path in the run, or the local file or directory that is missing.
   *
   * @return the path as given
   */
  public String path() {
    return path;
  }
}
