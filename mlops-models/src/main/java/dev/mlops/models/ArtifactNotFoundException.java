package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * A run has no artifact at the given path; the message names the run and the path.
 */
public class ArtifactNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ArtifactNotFoundException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ArtifactNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
