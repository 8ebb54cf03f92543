package dev.mlops.monitor.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows the column layout of {@code <table>_profile_metrics} and
 * {@code <table>_drift_metrics}. The engine fills logical rows (maps from Databricks' column names to
 * values: {@code window} → Instant[2], {@code quantiles} → double[], {@code frequent_items} → list of
 * entries, {@code precision/recall/f1_score} → double[]{macro, weighted}, {@code ks_test} and
 * {@code chi_squared_test} → double[]{statistic, pvalue}, {@code non_null_columns_delta} →
 * int[]{added, missing}, NaN for NULL); this class turns them into table rows.
 *
 * <p>Layout today: <b>flattened</b> (core has no nested column types yet): a struct {@code s<a,b>}
 * is written as columns {@code s_a}, {@code s_b} (so {@code window.start} is {@code window_start}),
 * arrays and the confusion matrix as JSON text.
 *
 * <p>Definitions: {@code count} = rows of the window and slice (nulls included); {@code percent_*}
 * are fractions in [0, 1] of {@code count}, except {@code percent_distinct} = distinct_count / non-null
 * count; {@code quantiles} at levels {@link #QUANTILE_LEVELS}; {@code frequent_items} = the
 * {@value ColumnProfile#TOP_K} most frequent values; {@code stddev} is the sample standard deviation
 * (n − 1) as Spark's; drift deltas are current − compared.
 */
public final class ResultLayout {
  private ResultLayout() {}

  /** Quantile levels of the {@code quantiles} column. */
  public static final double[] QUANTILE_LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

  /** Whether struct and array columns are written nested (true once core supports them). */
  public static final boolean NESTED = false;

  private static final String[] QUALITY = {"accuracy_score", "roc_auc", "log_loss", "mean_squared_error",
      "root_mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error", "r2_score"};

  /** The profile metrics schema. */
  public static Schema profileSchema(String modelIdColumn, List<String> customMetrics) {
    List<Field> f = new ArrayList<>();
    keys(f, modelIdColumn, false);
    f.add(Field.of("log_type", DataType.STRING));
    for (String c : new String[] {"count", "num_nulls", "num_zeros", "num_nan"}) {
      f.add(Field.of(c, DataType.LONG));
    }
    for (String c : new String[] {"percent_null", "percent_zeros", "percent_nan", "percent_distinct"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("distinct_count", DataType.LONG));
    for (String c : new String[] {"avg", "stddev", "min", "max", "median"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("quantiles", DataType.STRING));
    for (String c : new String[] {"min_length", "avg_length", "max_length"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("frequent_items", DataType.STRING));
    f.add(Field.of("accuracy_score", DataType.DOUBLE));
    for (String s : new String[] {"precision", "recall", "f1_score"}) {
      f.add(Field.of(s + "_macro", DataType.DOUBLE));
      f.add(Field.of(s + "_weighted", DataType.DOUBLE));
    }
    f.add(Field.of("confusion_matrix", DataType.STRING));
    for (String c : QUALITY) {
      if (!c.equals("accuracy_score")) {
        f.add(Field.of(c, DataType.DOUBLE));
      }
    }
    customMetrics.forEach(c -> f.add(Field.of(c, DataType.DOUBLE)));
    return new Schema(f);
  }

  /** The drift metrics schema. */
  public static Schema driftSchema(String modelIdColumn, List<String> customMetrics) {
    List<Field> f = new ArrayList<>();
    keys(f, modelIdColumn, true);
    f.add(Field.of("drift_type", DataType.STRING));
    f.add(Field.of("count_delta", DataType.LONG));
    for (String c : new String[] {"avg_delta", "percent_null_delta", "percent_zeros_delta", "percent_distinct_delta"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("non_null_columns_delta_added", DataType.INT));
    f.add(Field.of("non_null_columns_delta_missing", DataType.INT));
    f.add(Field.of("ks_test_statistic", DataType.DOUBLE));
    f.add(Field.of("ks_test_pvalue", DataType.DOUBLE));
    f.add(Field.of("chi_squared_test_statistic", DataType.DOUBLE));
    f.add(Field.of("chi_squared_test_pvalue", DataType.DOUBLE));
    for (String c : new String[] {"wasserstein_distance", "population_stability_index", "js_distance", "tv_distance",
        "l_infinity_distance", "wasserstein_distance_normalized"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("drift_detected", DataType.BOOLEAN));
    f.add(Field.of("drift_statistic", DataType.STRING));
    f.add(Field.of("drift_threshold", DataType.DOUBLE));
    customMetrics.forEach(c -> f.add(Field.of(c, DataType.DOUBLE)));
    return new Schema(f);
  }

  private static void keys(List<Field> f, String modelIdColumn, boolean drift) {
    f.add(Field.of("window_start", DataType.TIMESTAMP));
    f.add(Field.of("window_end", DataType.TIMESTAMP));
    if (drift) {
      f.add(Field.of("window_cmp_start", DataType.TIMESTAMP));
      f.add(Field.of("window_cmp_end", DataType.TIMESTAMP));
    }
    f.add(Field.of("granularity", DataType.STRING));
    f.add(Field.of("monitor_version", DataType.LONG));
    f.add(Field.of("logging_table_commit_version", DataType.INT));
    f.add(Field.of("slice_key", DataType.STRING));
    f.add(Field.of("slice_value", DataType.STRING));
    f.add(Field.of("column_name", DataType.STRING));
    f.add(Field.of("data_type", DataType.STRING));
    if (modelIdColumn != null) {
      f.add(Field.of(modelIdColumn, DataType.STRING));
    }
  }

  /** Logical rows to a frame of the schema. */
  public static Frame toFrame(Schema schema, List<Map<String, Object>> rows) {
    List<Map<String, Object>> flat = new ArrayList<>(rows.size());
    for (Map<String, Object> r : rows) {
      Map<String, Object> o = new HashMap<>();
      for (Map.Entry<String, Object> e : r.entrySet()) {
        flatten(o, e.getKey(), e.getValue());
      }
      flat.add(o);
    }
    return Frame.fromMaps(schema, flat);
  }

  @SuppressWarnings("unchecked")
  private static void flatten(Map<String, Object> o, String k, Object v) {
    if (v == null) {
      return;
    }
    switch (k) {
      case "window", "window_cmp" -> {
        Instant[] w = (Instant[]) v;
        o.put(k + "_start", w[0]);
        o.put(k + "_end", w[1]);
      }
      case "precision", "recall", "f1_score" -> {
        double[] d = (double[]) v;
        put(o, k + "_macro", d[0]);
        put(o, k + "_weighted", d[1]);
      }
      case "ks_test", "chi_squared_test" -> {
        double[] d = (double[]) v;
        put(o, k + "_statistic", d[0]);
        put(o, k + "_pvalue", d[1]);
      }
      case "non_null_columns_delta" -> {
        int[] d = (int[]) v;
        o.put(k + "_added", d[0]);
        o.put(k + "_missing", d[1]);
      }
      case "quantiles" -> {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (double d : (double[]) v) {
          if (Double.isNaN(d)) {
            a.addNull();
          } else {
            a.add(d);
          }
        }
        o.put(k, Json.MAPPER.valueToTree(a).toString());
      }
      case "frequent_items" -> {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, Long> e : (List<Map.Entry<String, Long>>) v) {
          a.addObject().put("item", e.getKey()).put("count", e.getValue());
        }
        o.put(k, a.toString());
      }
      case "confusion_matrix" -> {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Object[] c : (List<Object[]>) v) {
          a.addObject().put("prediction", (String) c[0]).put("label", (String) c[1]).put("count", (Long) c[2]);
        }
        o.put(k, a.toString());
      }
      default -> {
        if (v instanceof Double d) {
          put(o, k, d);
        } else {
          o.put(k, v);
        }
      }
    }
  }

  private static void put(Map<String, Object> o, String k, double d) {
    if (!Double.isNaN(d) && !Double.isInfinite(d)) {
      o.put(k, d);
    }
  }

  /** Spark's name of a type, for the {@code data_type} column. */
  public static String sparkType(DataType t) {
    return switch (t) {
      case LONG -> "bigint";
      case INT -> "int";
      case DOUBLE -> "double";
      case BOOLEAN -> "boolean";
      case STRING -> "string";
      case TIMESTAMP -> "timestamp";
      case DATE -> "date";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Key of a row for replacement: the granularity and window start. */
  public static String windowKey(String granularity, Instant start) {
    return granularity + "|" + start;
  }
}
