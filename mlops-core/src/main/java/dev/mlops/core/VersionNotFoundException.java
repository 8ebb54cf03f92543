package dev.mlops.core;

/**
 * A table version or timestamp that the table has no snapshot for.
 */
public class VersionNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public VersionNotFoundException(String message) {
    super(message);
  }

  /** @param message what, why and how to fix; @param cause the engine error */
  public VersionNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
