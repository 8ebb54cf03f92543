package dev.mlops.monitor;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert's current state, as persisted in the workspace ({@code alerts/<name>/state.json}).
 *
 * <pre>{@code
 * AlertStatus s = alerts.evaluate("churn_drift");
 * s.state();        // TRIGGERED
 * s.value();        // Optional[0.31]
 * }</pre>
 *
 * @param alert the alert's name
 * @param state the state
 * @param value the value seen (empty when null, no rows or ERROR)
 * @param threshold the threshold compared with (empty for IS_NULL / IS_NOT_NULL)
 * @param evaluatedAt when it was last evaluated (empty while UNKNOWN)
 * @param changedAt when the state last changed
 * @param triggeredAt when the current TRIGGERED period began (empty unless TRIGGERED)
 * @param lastNotifiedAt when a notification was last queued
 * @param notifications how many notifications were queued so far (each has its own delivery ids)
 * @param message the error of an ERROR evaluation, or "" otherwise
 */
public record AlertStatus(String alert, AlertState state, Optional<String> value, Optional<String> threshold,
    Optional<Instant> evaluatedAt, Optional<Instant> changedAt, Optional<Instant> triggeredAt,
    Optional<Instant> lastNotifiedAt, long notifications, String message) {
  /** Checks arguments. */
  public AlertStatus {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(state, "state");
    value = value == null ? Optional.empty() : value;
    threshold = threshold == null ? Optional.empty() : threshold;
    evaluatedAt = evaluatedAt == null ? Optional.empty() : evaluatedAt;
    changedAt = changedAt == null ? Optional.empty() : changedAt;
    triggeredAt = triggeredAt == null ? Optional.empty() : triggeredAt;
    lastNotifiedAt = lastNotifiedAt == null ? Optional.empty() : lastNotifiedAt;
    message = message == null ? "" : message;
  }

  /** The status of an alert never evaluated. */
  public static AlertStatus unknown(String alert) {
    return new AlertStatus(alert, AlertState.UNKNOWN, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), 0, "");
  }
}
