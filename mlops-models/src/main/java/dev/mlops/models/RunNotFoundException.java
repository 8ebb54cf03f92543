package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * No run has the given id (or the run's directory was never completed); the message names the id.
 *
 * <pre>{@code
 * try {
 *   tracking.getRun(id);
 * } catch (RunNotFoundException e) {
 *   e.runId();
 * }
 * }</pre>
 */
public class RunNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  /**
   * An exception naming the run id.
   *
   * @param message what went wrong, why, and how to fix it
   * @param runId the id that was looked up
   */
  public RunNotFoundException(String message, String runId) {
    super(message);
    this.runId = runId;
  }

  /**
   * The run id that was looked up.
   *
   * @return 32 hex digits
   */
  public String runId() {
    return runId;
  }
}
