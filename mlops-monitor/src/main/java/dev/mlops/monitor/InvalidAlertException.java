package dev.mlops.monitor;

import java.util.Optional;

/**
 * An alert definition that does not fit: an unknown column, an aggregation that does not fit the
 * column's type, a threshold of the wrong type, a cron expression that does not parse, a webhook URL
 * that is not http(s). Nothing was saved.
 *
 * <pre>{@code
 * try {
 *   alerts.create("x").on("main.ml.log_drift_metrics", "no_such_column").above(1).create();
 * } catch (InvalidAlertException e) {
 *   e.alert();    // "x"
 *   e.value();    // "no_such_column"
 * }
 * }</pre>
 */
public final class InvalidAlertException extends MonitorException {
  private static final long serialVersionUID = 1L;
  private final String alert;
  private final String value;

  /**
   * An error about one alert.
   *
   * @param alert the alert's name
   * @param value the offending value (column, expression, URL), or null
   * @param message what, why and how to fix
   */
  public InvalidAlertException(String alert, String value, String message) {
    super(message);
    this.alert = alert;
    this.value = value;
  }

  /** The alert's name. */
  public String alert() {
    return alert;
  }

  /** The offending value, when there is one. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }
}
