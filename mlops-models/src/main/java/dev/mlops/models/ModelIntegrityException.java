package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A model package failed verification: a missing, extra, truncated or modified file, or a class outside the allow-list in the serialized model. Nothing was deserialized (or deserialization stopped at the refused class).
 */
public class ModelIntegrityException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ModelIntegrityException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ModelIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
