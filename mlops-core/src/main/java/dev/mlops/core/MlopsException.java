package dev.mlops.core;

/**
 * Root of every exception the SDK throws on purpose. Unchecked: catch the subclass you can act on
 * ({@link TableNotFoundException}, {@link SchemaMismatchException}, ...). Messages say what went
 * wrong, why, and how to fix it, and name the table, column or value involved.
 *
 * <pre>{@code
 * try {
 *   ws.tables().get("main.crm.customers");
 * } catch (TableNotFoundException e) {
 *   System.err.println(e.getMessage());   // names the table and lists what exists
 * }
 * }</pre>
 */
public class MlopsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what, why and how to fix. */
  public MlopsException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public MlopsException(String message, Throwable cause) {
    super(message, cause);
  }
}
