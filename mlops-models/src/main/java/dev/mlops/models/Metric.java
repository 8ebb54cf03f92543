package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.time.Instant;
import java.util.Objects;

/**
 * One logged value of a metric.
 *
 * <pre>{@code
 * List<Metric> history = tracking.metricHistory(runId, "loss");
 * history.get(0).value();
 * }</pre>
 *
 * @param key the metric key
 * @param value a finite value (NaN and infinities are refused when logging)
 * @param step the training step (0 when not given)
 * @param timestamp when the value was logged
 */
public record Metric(String key, double value, long step, Instant timestamp) {
  /** Validates the fields. */
  public Metric {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Double.isFinite(value)) {
      throw Errors.nonFiniteMetricValue(key, value);
    }
  }
}
