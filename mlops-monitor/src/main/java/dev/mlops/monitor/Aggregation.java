package dev.mlops.monitor;

/**
 * How an alert reduces a column's values (of the rows its filter selects) to one value.
 *
 * <pre>{@code
 * alerts.create("psi_high").on("main.ml.log_drift_metrics", "population_stability_index")
 *     .aggregation(Aggregation.MAX).above(0.25).create();
 * }</pre>
 */
public enum Aggregation {
  /** The value of the first row (table order, after {@code latestBy}). Any type. */
  FIRST,
  /** Sum of the non-null values. Numeric columns. */
  SUM,
  /** Number of non-null values. Any type. */
  COUNT,
  /** Number of distinct non-null values. Any type. */
  COUNT_DISTINCT,
  /** Mean of the non-null values. Numeric columns. */
  AVG,
  /** Median of the non-null values (mean of the two middle values for an even count). Numeric columns. */
  MEDIAN,
  /** Smallest non-null value. Numeric, string, boolean, date and timestamp columns. */
  MIN,
  /** Largest non-null value. Numeric, string, boolean, date and timestamp columns. */
  MAX,
  /** Sample standard deviation (n − 1) of the non-null values. Numeric columns. */
  STDDEV
}
