package dev.mlops.models;

/**
 * The state of a deployment run, and of each of its tasks, as MLflow's model-version deployment-job
 * run state.
 */
public enum JobRunState {
  /** Created for a new version; no runner has started it (a task: not started yet). */
  PENDING,
  /** A runner holds its lease and runs {@code currentTask}. */
  RUNNING,
  /** Waiting for an approval: the version's tag named after the approval task must become "approved" or "rejected". */
  APPROVAL,
  /** Every task succeeded. */
  SUCCEEDED,
  /** A task failed (or the approval was rejected); later tasks did not run. */
  FAILED;

  /** SUCCEEDED or FAILED: nothing will change any more. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
