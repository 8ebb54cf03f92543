package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * An experiment name that does not exist was searched or read; the message names it and lists the experiments.
 */
public class ExperimentNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ExperimentNotFoundException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ExperimentNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
