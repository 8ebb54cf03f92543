package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A model URI is malformed; the message quotes it and shows the accepted forms.
 */
public class InvalidModelUriException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public InvalidModelUriException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public InvalidModelUriException(String message, Throwable cause) {
    super(message, cause);
  }
}
