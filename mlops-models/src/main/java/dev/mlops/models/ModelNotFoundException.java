package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * No registered model has the given name; the message names it and lists the models of its schema.
 */
public class ModelNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ModelNotFoundException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
