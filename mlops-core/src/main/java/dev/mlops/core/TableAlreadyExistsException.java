package dev.mlops.core;

/**
 * Creating a table whose name or location is already taken.
 */
public class TableAlreadyExistsException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public TableAlreadyExistsException(String message) {
    super(message);
  }
}
