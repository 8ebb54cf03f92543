package dev.mlops.core;

/**
 * A write kept losing the race against other writers of the same table and gave up; nothing of it was committed.
 */
public class ConcurrentWriteException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix; @param cause the last conflict */
  public ConcurrentWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
