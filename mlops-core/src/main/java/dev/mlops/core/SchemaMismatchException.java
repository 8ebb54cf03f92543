package dev.mlops.core;

/**
 * Data does not fit a table or an operation: a column missing, unexpected or of the wrong type.
 */
public class SchemaMismatchException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public SchemaMismatchException(String message) {
    super(message);
  }
}
