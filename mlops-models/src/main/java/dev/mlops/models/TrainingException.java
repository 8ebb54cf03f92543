package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * Training cannot start as asked: the label is missing, all null, has one class, or is not numeric
 * for regression; a feature column cannot be used; a hyperparameter is out of its allowed range.
 * Nothing was written.
 */
public class TrainingException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public TrainingException(String message) {
    super(message);
  }
}
