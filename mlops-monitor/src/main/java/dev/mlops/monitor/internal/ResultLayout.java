package dev.mlops.monitor.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that knows the column layout of {@code <table>_profile_metrics} and
 * {@code <table>_drift_metrics}: Databricks' names and types, so Spark queries such as
 * {@code window.start}, {@code ks_test.pvalue} or {@code f1_score.macro} work unchanged.
 *
 * <p>The engine fills logical rows (maps from column name to value: {@code window} → Instant[2],
 * {@code quantiles} → double[], {@code frequent_items} → list of entries, {@code precision/recall/
 * f1_score} → double[]{macro, weighted}, {@code ks_test} and {@code chi_squared_test} →
 * double[]{statistic, pvalue}, {@code non_null_columns_delta} → int[]{added, missing},
 * {@code confusion_matrix} → list of {prediction, label, count}; NaN for NULL); this class turns them
 * into table rows with nested columns:
 * <ul>
 *   <li>{@code window}, {@code window_cmp}: struct&lt;start:timestamp,end:timestamp&gt;
 *   <li>{@code quantiles}: array&lt;double&gt; at levels {@link #QUANTILE_LEVELS}
 *   <li>{@code frequent_items}: array&lt;struct&lt;item:string,count:bigint&gt;&gt;, the
 *       {@value ColumnProfile#TOP_K} most frequent values, most frequent first
 *   <li>{@code precision}, {@code recall}, {@code f1_score}: struct&lt;macro:double,weighted:double&gt;
 *   <li>{@code confusion_matrix}: array&lt;struct&lt;prediction:string,label:string,count:bigint&gt;&gt;
 *   <li>{@code ks_test}, {@code chi_squared_test}: struct&lt;statistic:double,pvalue:double&gt;
 *   <li>{@code non_null_columns_delta}: struct&lt;added:int,missing:int&gt;
 * </ul>
 *
 * <p>Definitions: {@code count} = rows of the window and slice (nulls included); {@code percent_*}
 * are fractions in [0, 1] of {@code count}, except {@code percent_distinct} = distinct_count / non-null
 * count; {@code stddev} is the sample standard deviation (n − 1) as Spark's; drift deltas are
 * current − compared. Extra columns beyond Databricks': {@code wasserstein_distance_normalized},
 * {@code drift_detected}, {@code drift_statistic}, {@code drift_threshold}, and one per custom metric.
 */
public final class ResultLayout {
  private ResultLayout() {}

  /** Quantile levels of the {@code quantiles} column. */
  public static final double[] QUANTILE_LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

  static final ColumnType WINDOW = ColumnType.struct(Field.of("start", DataType.TIMESTAMP),
      Field.of("end", DataType.TIMESTAMP));
  static final ColumnType MACRO_WEIGHTED = ColumnType.struct(Field.of("macro", DataType.DOUBLE),
      Field.of("weighted", DataType.DOUBLE));
  static final ColumnType TEST = ColumnType.struct(Field.of("statistic", DataType.DOUBLE),
      Field.of("pvalue", DataType.DOUBLE));
  static final ColumnType ITEMS = ColumnType.array(ColumnType.struct(Field.of("item", DataType.STRING),
      Field.of("count", DataType.LONG)));
  static final ColumnType CONFUSION = ColumnType.array(ColumnType.struct(Field.of("prediction", DataType.STRING),
      Field.of("label", DataType.STRING), Field.of("count", DataType.LONG)));
  static final ColumnType ADDED_MISSING = ColumnType.struct(Field.of("added", DataType.INT),
      Field.of("missing", DataType.INT));

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
    f.add(Field.of("quantiles", ColumnType.array(DataType.DOUBLE)));
    for (String c : new String[] {"min_length", "avg_length", "max_length"}) {
      f.add(Field.of(c, DataType.DOUBLE));
    }
    f.add(Field.of("frequent_items", ITEMS));
    f.add(Field.of("accuracy_score", DataType.DOUBLE));
    for (String s : new String[] {"precision", "recall", "f1_score"}) {
      f.add(Field.of(s, MACRO_WEIGHTED));
    }
    f.add(Field.of("confusion_matrix", CONFUSION));
    for (String c : new String[] {"roc_auc", "log_loss", "mean_squared_error", "root_mean_squared_error",
        "mean_absolute_error", "mean_absolute_percentage_error", "r2_score"}) {
      f.add(Field.of(c, DataType.DOUBLE));
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
    f.add(Field.of("non_null_columns_delta", ADDED_MISSING));
    f.add(Field.of("ks_test", TEST));
    f.add(Field.of("chi_squared_test", TEST));
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
    f.add(Field.of("window", WINDOW));
    if (drift) {
      f.add(Field.of("window_cmp", WINDOW));
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
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Map<String, Object> r : rows) {
      Map<String, Object> o = new HashMap<>();
      for (Map.Entry<String, Object> e : r.entrySet()) {
        Object v = value(e.getKey(), e.getValue());
        if (v != null) {
          o.put(e.getKey(), v);
        }
      }
      out.add(o);
    }
    return Frame.fromMaps(schema, out);
  }

  @SuppressWarnings("unchecked")
  private static Object value(String k, Object v) {
    if (v == null) {
      return null;
    }
    switch (k) {
      case "window", "window_cmp" -> {
        Instant[] w = (Instant[]) v;
        return struct("start", w[0], "end", w[1]);
      }
      case "precision", "recall", "f1_score" -> {
        double[] d = (double[]) v;
        return struct("macro", num(d[0]), "weighted", num(d[1]));
      }
      case "ks_test", "chi_squared_test" -> {
        double[] d = (double[]) v;
        return Double.isNaN(d[0]) && Double.isNaN(d[1]) ? null : struct("statistic", num(d[0]), "pvalue", num(d[1]));
      }
      case "non_null_columns_delta" -> {
        int[] d = (int[]) v;
        return struct("added", d[0], "missing", d[1]);
      }
      case "quantiles" -> {
        List<Object> a = new ArrayList<>();
        for (double d : (double[]) v) {
          a.add(num(d));
        }
        return a;
      }
      case "frequent_items" -> {
        List<Object> a = new ArrayList<>();
        for (Map.Entry<String, Long> e : (List<Map.Entry<String, Long>>) v) {
          a.add(struct("item", e.getKey(), "count", e.getValue()));
        }
        return a;
      }
      case "confusion_matrix" -> {
        List<Object> a = new ArrayList<>();
        for (Object[] c : (List<Object[]>) v) {
          a.add(struct("prediction", c[0], "label", c[1], "count", c[2]));
        }
        return a;
      }
      default -> {
        return v instanceof Double d ? num(d) : v;
      }
    }
  }

  private static Double num(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
  }

  private static Map<String, Object> struct(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The {@code window.start} of a result row, or null (BASELINE rows have no window). */
  @SuppressWarnings("unchecked")
  public static Instant windowStart(Column window, int row) {
    if (window.isNull(row)) {
      return null;
    }
    return (Instant) ((Map<String, Object>) window.get(row)).get("start");
  }

  /** Spark's name of a type, for the {@code data_type} column. */
  public static String sparkType(ColumnType t) {
    return switch (t.kind()) {
      case LONG -> "bigint";
      case INT -> "int";
      case SHORT -> "smallint";
      case BYTE -> "tinyint";
      default -> t.sql();
    };
  }

  /** Key of a row for replacement: the granularity and window start. */
  public static String windowKey(String granularity, Instant start) {
    return granularity + "|" + start;
  }
}
