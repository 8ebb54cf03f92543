package dev.mlops.core;

/**
 * A table (or a path that should hold a Delta table) does not exist.
 */
public class TableNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public TableNotFoundException(String message) {
    super(message);
  }
}
