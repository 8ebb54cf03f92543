package dev.mlops.core;

/**
 * A catalog, schema, table, model or other name breaks the naming rules; the message says which rule.
 */
public class InvalidNameException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public InvalidNameException(String message) {
    super(message);
  }
}
