package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A param, metric, tag or artifact was logged to a run that has already ended; the message names the run and its status.
 */
public class RunNotActiveException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public RunNotActiveException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public RunNotActiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
