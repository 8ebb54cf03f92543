package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A metric value was NaN or infinite; such values are refused (nothing is written). The message names the run, key and value.
 */
public class InvalidMetricException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public InvalidMetricException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public InvalidMetricException(String message, Throwable cause) {
    super(message, cause);
  }
}
