package dev.mlops.models;

/**
 * The lifecycle state of a run. A run starts {@link #RUNNING} and ends exactly once in one of the
 * terminal states.
 *
 * <pre>{@code
 * run.end(RunStatus.KILLED);
 * tracking.searchRuns(List.of("churn"), "status = 'FINISHED'", "", 10);
 * }</pre>
 */
public enum RunStatus {
  /**
   * Started and not ended yet. A run whose process died without ending it is ended {@link #FAILED} when
   * it is next read on the machine it ran on (its host, pid and process start time are recorded); runs of
   * other machines stay RUNNING until ended with {@link Tracking#endRun}.
   */
  RUNNING,
  /** Ended normally. */
  FINISHED,
  /** Ended by an exception or by {@link Run#fail(Throwable)}. */
  FAILED,
  /** Ended on purpose before completion. */
  KILLED;

  /** True for every state but RUNNING. */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
