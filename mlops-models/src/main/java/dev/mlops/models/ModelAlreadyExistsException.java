package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * createModel was called for a name that is already registered.
 */
public class ModelAlreadyExistsException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ModelAlreadyExistsException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ModelAlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
