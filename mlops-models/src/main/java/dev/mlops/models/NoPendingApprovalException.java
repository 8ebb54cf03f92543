package dev.mlops.models;

/**
 * An approval or rejection names a model version whose deployment run is not waiting for one (no job,
 * no run for that version, or a run in another state). The message says what the run is doing.
 */
public class NoPendingApprovalException extends DeploymentException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public NoPendingApprovalException(String message) {
    super(message);
  }
}
