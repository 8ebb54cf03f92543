package dev.mlops.monitor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One refresh of a monitor, as kept in its refresh history ({@link Monitor#refreshes()}).
 *
 * <pre>{@code
 * RefreshInfo r = monitor.refresh();
 * r.state();            // SUCCESS
 * r.windowsWritten();   // windows (granularity × window) recomputed
 * }</pre>
 *
 * @param id increasing number, 1 for the first refresh
 * @param state where it is
 * @param trigger who started it
 * @param startTime when it was requested
 * @param endTime when it ended (empty while PENDING or RUNNING)
 * @param tableVersion the monitored table's version processed (-1 before it is known)
 * @param windowsWritten windows whose rows were (re)written
 * @param message the error of a FAILED refresh, or a short note ("nothing changed")
 */
public record RefreshInfo(long id, State state, Trigger trigger, Instant startTime, Optional<Instant> endTime,
    long tableVersion, int windowsWritten, String message) {

  /** Refresh states, as Databricks names them. */
  public enum State {
    /** Requested, waiting for another refresh of the same monitor to end. */
    PENDING,
    /** Computing and writing. */
    RUNNING,
    /** Done; the result tables hold the new rows. */
    SUCCESS,
    /** Ended with an error (or the process ended during it); the result tables hold old or new rows per table. */
    FAILED
  }

  /** Who started a refresh. */
  public enum Trigger {
    /** A call to {@link Monitor#refresh()}. */
    MANUAL,
    /** A scheduler of the application. */
    SCHEDULE
  }

  /** Checks required fields. */
  public RefreshInfo {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(startTime, "startTime");
    endTime = endTime == null ? Optional.empty() : endTime;
    message = message == null ? "" : message;
  }
}
