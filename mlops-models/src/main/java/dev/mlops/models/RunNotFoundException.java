package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * No run has the given id (or the run's directory was never completed); the message names the id.
 */
public class RunNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public RunNotFoundException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public RunNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
