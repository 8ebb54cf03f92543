package dev.mlops.core;

/**
 * A table uses a Delta feature the SDK cannot write (or read); nothing was changed.
 */
public class UnsupportedTableFeatureException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public UnsupportedTableFeatureException(String message) {
    super(message);
  }

  /** @param message what, why and how to fix; @param cause the engine error */
  public UnsupportedTableFeatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
