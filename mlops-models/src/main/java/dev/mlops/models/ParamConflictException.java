package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A param was logged again with a different value; params are immutable. The message names the run, key and both values.
 */
public class ParamConflictException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public ParamConflictException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public ParamConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
