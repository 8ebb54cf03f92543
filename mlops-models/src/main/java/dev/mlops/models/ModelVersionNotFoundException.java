package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * A model has no such version (or no version has the alias); the message names the model, the version or alias, and what exists.
 */
public class ModelVersionNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ModelVersionNotFoundException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ModelVersionNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
