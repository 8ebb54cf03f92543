package dev.mlops.monitor;

/**
 * The state of an alert, as Databricks SQL alerts name them.
 *
 * <pre>{@code
 * if (alerts.evaluate("drift").state() == AlertState.TRIGGERED) { ... }
 * }</pre>
 */
public enum AlertState {
  /** Never evaluated. */
  UNKNOWN,
  /** The condition is false. */
  OK,
  /** The condition is true. */
  TRIGGERED,
  /** The evaluation failed (table gone, column dropped, ...); the message says why. */
  ERROR
}
