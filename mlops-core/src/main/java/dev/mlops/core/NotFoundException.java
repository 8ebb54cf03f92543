package dev.mlops.core;

/**
 * Something named by the caller does not exist: a table, a table version, a column, and in the
 * other modules an experiment, run, artifact, model, model version or alias. Catch this type to
 * handle every not-found case at once; catch a subclass to handle one, and read the offending
 * name from its accessor.
 *
 * <pre>{@code
 * try {
 *   Predictor.load(ws, "models:/main.ml.churn@champion");
 * } catch (NotFoundException e) {
 *   System.err.println(e.getMessage()); // the model, version or alias that is missing
 * }
 * }</pre>
 */
public class NotFoundException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that names what is missing and how to find what exists. */
  public NotFoundException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
