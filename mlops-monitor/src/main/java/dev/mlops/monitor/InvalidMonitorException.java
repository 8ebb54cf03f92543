package dev.mlops.monitor;

import java.util.Optional;

/**
 * A monitor definition that does not fit its tables: an unknown or wrong-typed column, a granularity
 * not in the list, a slicing expression that does not parse, a baseline whose columns differ or that
 * is empty, probabilities on a regression monitor, a table that is not Delta. Nothing was written.
 *
 * <pre>{@code
 * try {
 *   monitors.create("main.ml.log").inferenceLog(log).create();
 * } catch (InvalidMonitorException e) {
 *   e.column();   // the offending column, when there is one
 * }
 * }</pre>
 */
public final class InvalidMonitorException extends MonitorException {
  private static final long serialVersionUID = 1L;
  private final String table;
  private final String column;

  /** An error about a table (and maybe one column). */
  public InvalidMonitorException(String table, String column, String message) {
    super(message);
    this.table = table;
    this.column = column;
  }

  /** An error with a cause. */
  public InvalidMonitorException(String table, String column, String message, Throwable cause) {
    super(message, cause);
    this.table = table;
    this.column = column;
  }

  /** The monitored (or baseline) table involved. */
  public String table() {
    return table;
  }

  /** The column involved, if any. */
  public Optional<String> column() {
    return Optional.ofNullable(column);
  }
}
