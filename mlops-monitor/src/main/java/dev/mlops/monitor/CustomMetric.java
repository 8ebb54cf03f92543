package dev.mlops.monitor;

import dev.mlops.core.Frame;
import dev.mlops.monitor.internal.Errors;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric of your own, written as an extra column (named after the metric) of the result tables,
 * as Databricks does with its SQL templates. The definition (type, name, input columns, text) is
 * saved with the monitor; the Java function is registered under the same name on
 * {@link Monitors#withMetricFunction} in each process that refreshes.
 *
 * <ul>
 *   <li>{@link Type#AGGREGATE}: a function of one window's rows: per input column (the rows of the
 *       window and slice, and the column name), or {@code ":table"} for the whole window;
 *   <li>{@link Type#DERIVED}: a function of the other metrics of the same result row (built-ins such
 *       as {@code avg}, {@code count}, {@code percent_null}, and aggregate custom metrics);
 *   <li>{@link Type#DRIFT}: a function of two rows' metrics (the window and the one it is compared with).
 * </ul>
 *
 * <pre>{@code
 * CustomMetric p = CustomMetric.aggregate("share_negative", List.of("amount"), "share of amount < 0");
 * monitors.withMetricFunction("share_negative", (CustomMetric.Aggregate) (rows, col) ->
 *     rows.column(col).toList().stream().filter(v -> v != null && ((Double) v) < 0).count()
 *         / (double) Math.max(1, rows.rowCount()));
 * }</pre>
 *
 * @param type aggregate, derived or drift
 * @param name the result column's name
 * @param inputColumns the columns it applies to ({@code ":table"} for the whole window)
 * @param definition a human description of what the function computes (saved, not executed)
 */
public record CustomMetric(Type type, String name, List<String> inputColumns, String definition) {

  /** The three kinds of custom metric. */
  public enum Type {
    /** From the window's rows. */
    AGGREGATE,
    /** From other metrics of the same row. */
    DERIVED,
    /** From the metrics of two rows (current and compared). */
    DRIFT
  }

  /** The column name of table-level rows. */
  public static final String TABLE = ":table";

  private static final java.util.Set<String> RESERVED = java.util.Set.of("window", "granularity", "count",
      "avg", "min", "max", "median", "stddev", "quantiles", "column_name", "slice_key", "slice_value", "log_type",
      "data_type", "drift_type", "window_cmp", "monitor_version", "logging_table_commit_version");

  /** Checks the name (a plain column name not used by the built-in columns) and inputs. */
  public CustomMetric {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}") || RESERVED.contains(name)) {
      throw Errors.customMetricNamePlain(name);
    }
    inputColumns = List.copyOf(inputColumns);
    if (inputColumns.isEmpty()) {
      throw Errors.customMetricNeedsInput(name);
    }
    definition = definition == null ? "" : definition;
  }

  /** An aggregate metric. */
  public static CustomMetric aggregate(String name, List<String> inputColumns, String definition) {
    return new CustomMetric(Type.AGGREGATE, name, inputColumns, definition);
  }

  /** A derived metric. */
  public static CustomMetric derived(String name, List<String> inputColumns, String definition) {
    return new CustomMetric(Type.DERIVED, name, inputColumns, definition);
  }

  /** A drift metric. */
  public static CustomMetric drift(String name, List<String> inputColumns, String definition) {
    return new CustomMetric(Type.DRIFT, name, inputColumns, definition);
  }

  /** The function of a custom metric; one of the three sub-interfaces. */
  public sealed interface Function permits Aggregate, Derived, Drift {}

  /** Aggregate: the rows of one window and slice, and the input column ({@code ":table"} for all). */
  @FunctionalInterface
  public non-sealed interface Aggregate extends Function {
    /** The value; NaN is written as NULL. */
    double apply(Frame rows, String column);
  }

  /** Derived: the other metrics of the same row, by result column name (NaN when NULL). */
  @FunctionalInterface
  public non-sealed interface Derived extends Function {
    /** The value; NaN is written as NULL. */
    double apply(Map<String, Double> metrics);
  }

  /** Drift: the metrics of the current row and of the row it is compared with. */
  @FunctionalInterface
  public non-sealed interface Drift extends Function {
    /** The value; NaN is written as NULL. */
    double apply(Map<String, Double> current, Map<String, Double> compared);
  }
}
