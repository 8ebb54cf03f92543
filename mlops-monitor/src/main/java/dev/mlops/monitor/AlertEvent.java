package dev.mlops.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One notification of an alert, as a callback receives it (webhooks get the same facts as JSON).
 *
 * <pre>{@code
 * Alerts alerts = Alerts.of(ws).withCallback("pager", e -> {
 *   System.out.println(e.summary());
 *   e.impact().forEach(i -> System.out.println(i.column() + " -> " + i.models()));
 * });
 * }</pre>
 *
 * @param deliveryId unique per notification and destination: the same id may be delivered twice
 *     (at-least-once), so receivers deduplicate on it
 * @param alert the alert's name
 * @param state the new state
 * @param previousState the state before
 * @param value the value seen
 * @param threshold the threshold
 * @param condition the condition as text
 * @param at when the evaluation happened
 * @param summary the rendered summary template
 * @param impact drift → lineage impact (for alerts with a monitored table; empty otherwise)
 */
public record AlertEvent(String deliveryId, String alert, AlertState state, AlertState previousState,
    Optional<String> value, Optional<String> threshold, String condition, Instant at, String summary,
    List<DriftImpact> impact) {
  /** Checks arguments and copies the impact list. */
  public AlertEvent {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(previousState, "previousState");
    value = value == null ? Optional.empty() : value;
    threshold = threshold == null ? Optional.empty() : threshold;
    Objects.requireNonNull(at, "at");
    summary = summary == null ? "" : summary;
    condition = condition == null ? "" : condition;
    impact = impact == null ? List.of() : List.copyOf(impact);
  }
}
