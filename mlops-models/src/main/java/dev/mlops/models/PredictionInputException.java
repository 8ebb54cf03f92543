package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * Rows given to a model do not fit its signature or its fitted preprocessing: a missing column, a
 * wrong type, an unexpected null, an unseen category. The message lists every problem found.
 */
public class PredictionInputException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message every problem, and how to fix it */
  public PredictionInputException(String message) {
    super(message);
  }
}
