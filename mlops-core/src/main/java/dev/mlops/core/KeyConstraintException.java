package dev.mlops.core;

/**
 * Rows break a key constraint: a null or duplicate primary key in the data given.
 */
public class KeyConstraintException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public KeyConstraintException(String message) {
    super(message);
  }
}
