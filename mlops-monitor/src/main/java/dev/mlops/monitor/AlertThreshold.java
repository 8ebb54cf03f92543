package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an alert's value is compared with: a constant or another column of the same rows.
 *
 * <pre>{@code
 * AlertThreshold.value(0.25);
 * AlertThreshold.column("drift_threshold", Aggregation.MAX);
 * }</pre>
 */
public sealed interface AlertThreshold permits AlertThreshold.Value, AlertThreshold.ColumnRef {

  /**
   * A constant.
   *
   * @param value a Number, String, Boolean or Instant (checked against the column's type when the alert is created)
   */
  record Value(Object value) implements AlertThreshold {
    /** Checks the value's class. */
    public Value {
      Objects.requireNonNull(value, "value");
      if (!(value instanceof Number || value instanceof String || value instanceof Boolean
          || value instanceof Instant)) {
        throw Errors.badThresholdValue(value.getClass().getName(), value);
      }
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /**
   * Another column, reduced with its own aggregation (FIRST when empty).
   *
   * @param column column name ({@code a.b} for a struct field)
   * @param aggregation how to reduce it
   */
  record ColumnRef(String column, Optional<Aggregation> aggregation) implements AlertThreshold {
    /** Checks arguments. */
    public ColumnRef {
      Objects.requireNonNull(column, "column");
      aggregation = aggregation == null ? Optional.empty() : aggregation;
    }

    @Override
    public String toString() {
      return aggregation.map(a -> a + "(" + column + ")").orElse(column);
    }
  }

  /** A constant threshold. */
  static AlertThreshold value(Object value) {
    return new Value(value);
  }

  /** Another column's first value. */
  static AlertThreshold column(String column) {
    return new ColumnRef(column, Optional.empty());
  }

  /** Another column, aggregated. */
  static AlertThreshold column(String column, Aggregation aggregation) {
    return new ColumnRef(column, Optional.of(aggregation));
  }
}
