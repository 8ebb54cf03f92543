package dev.mlops.core;

/**
 * An I/O failure, wrapped with the operation and the path it failed on.
 */
public class StorageException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message the operation and path; @param cause the I/O error */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
