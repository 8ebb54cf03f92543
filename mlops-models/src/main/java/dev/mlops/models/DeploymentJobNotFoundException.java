package dev.mlops.models;

/** A model has no deployment job attached, or a version has no deployment run. */
public class DeploymentJobNotFoundException extends DeploymentException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public DeploymentJobNotFoundException(String message) {
    super(message);
  }
}
