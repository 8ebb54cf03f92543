package dev.mlops.models;

import dev.mlops.core.MlopsException;

/**
 * A deployment job cannot do what was asked (parent of the deployment errors callers branch on);
 * the message names the model, the version and the task, says why and how to fix it.
 */
public class DeploymentException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public DeploymentException(String message) {
    super(message);
  }

  /** @param message what went wrong, why, and how to fix it; @param cause the underlying error */
  public DeploymentException(String message, Throwable cause) {
    super(message, cause);
  }
}
