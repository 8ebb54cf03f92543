package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A run search filter or order-by clause could not be parsed; the message names the bad token and its position.
 */
public class InvalidFilterException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public InvalidFilterException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public InvalidFilterException(String message, Throwable cause) {
    super(message, cause);
  }
}
