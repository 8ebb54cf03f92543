package dev.mlops.monitor;

import static dev.mlops.monitor.MonitorRefreshTest.DAY0;
import static dev.mlops.monitor.MonitorRefreshTest.log;
import static dev.mlops.monitor.MonitorRefreshTest.rows;
import static dev.mlops.monitor.MonitorRefreshTest.where;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coarser windows merged from finer ones against the same windows profiled from the rows by a monitor
 * that has only the coarse granularity (so nothing to merge from), on tables holding the same rows.
 */
class MonitorMergeTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  static final Set<String> KEYS = Set.of("window.start", "granularity", "slice_key", "slice_value", "column_name",
      "model_version", "log_type", "drift_type");

  /** The rows of one granularity keyed by their identifying columns. */
  static Map<List<Object>, Map<String, Object>> byKey(Frame f, String granularity) {
    Map<List<Object>, Map<String, Object>> out = new HashMap<>();
    for (Map<String, Object> r : rows(f, where("granularity", granularity))) {
      List<Object> k = new ArrayList<>();
      for (String c : KEYS.stream().sorted().toList()) {
        k.add(r.get(c));
      }
      assertThat(out.put(k, r)).as("duplicate key %s", k).isNull();
    }
    return out;
  }

  /** Equal, with doubles equal up to a relative 1e-12 (Chan's merge vs one pass), recursively. */
  static void assertSame(Object merged, Object fromRows, String where) {
    if (merged instanceof Double a && fromRows instanceof Double b) {
      if (a.isNaN() || b.isNaN() || a.isInfinite() || b.isInfinite()) {
        assertThat(a).as(where).isEqualTo(b);
      } else {
        assertThat(Math.abs(a - b)).as(where + ": " + a + " vs " + b)
            .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))));
      }
    } else if (merged instanceof List<?> a && fromRows instanceof List<?> b) {
      assertThat(a).as(where).hasSameSizeAs(b);
      for (int i = 0; i < a.size(); i++) {
        assertSame(a.get(i), b.get(i), where + "[" + i + "]");
      }
    } else if (merged instanceof Map<?, ?> a && fromRows instanceof Map<?, ?> b) {
      assertThat(a.keySet()).as(where).isEqualTo(b.keySet());
      for (Object k : a.keySet()) {
        assertSame(a.get(k), b.get(k), where + "." + k);
      }
    } else if (merged instanceof double[] a && fromRows instanceof double[] b) {
      assertSame(Arrays.stream(a).boxed().toList(), Arrays.stream(b).boxed().toList(), where);
    } else {
      assertThat(merged).as(where).isEqualTo(fromRows);
    }
  }

  /** Every row of {@code fromRows} at this granularity has its twin in {@code merged}, and no more. */
  static void assertSameRows(Frame merged, Frame fromRows, String granularity, Set<String> skip) {
    Map<List<Object>, Map<String, Object>> m = byKey(merged, granularity);
    Map<List<Object>, Map<String, Object>> r = byKey(fromRows, granularity);
    assertThat(r).isNotEmpty();
    assertThat(m.keySet()).isEqualTo(r.keySet());
    for (Map.Entry<List<Object>, Map<String, Object>> e : r.entrySet()) {
      Map<String, Object> a = m.get(e.getKey());
      for (Map.Entry<String, Object> c : e.getValue().entrySet()) {
        if (!skip.contains(c.getKey())) {
          assertSame(a.get(c.getKey()), c.getValue(), e.getKey() + " " + c.getKey());
        }
      }
    }
  }

  Frame table(String name) {
    return ws.tables().get(name).read().load();
  }

  @Test
  void days_merged_from_hours_and_a_month_from_days_equal_the_windows_profiled_from_rows() {
    Frame data = log(0, 3, 480, 0.0, true); // 20 rows an hour, 3 days of May 2024, labels, two models
    for (String t : List.of("main.ml.merged", "main.ml.days", "main.ml.month")) {
      ws.tables().create(t).create(data);
    }
    RefreshInfo merged = Monitors.of(ws).create("main.ml.merged")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label")
            .granularities("1 hour", "1 day", "1 month"))
        .slicingExprs("country", "x > 1").create().refresh();
    RefreshInfo days = Monitors.of(ws).create("main.ml.days")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label")
            .granularities("1 day"))
        .slicingExprs("country", "x > 1").create().refresh();
    RefreshInfo month = Monitors.of(ws).create("main.ml.month")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label")
            .granularities("1 month"))
        .slicingExprs("country", "x > 1").create().refresh();
    assertThat(merged.message()).contains("4 coarser window(s) merged from finer ones"); // 3 days + 1 month
    assertThat(days.message()).doesNotContain("merged");
    assertThat(month.message()).doesNotContain("merged");

    Frame mp = table("main.ml.merged_profile_metrics");
    Set<String> none = Set.of();
    assertSameRows(mp, table("main.ml.days_profile_metrics"), "1 day", none);
    assertSameRows(mp, table("main.ml.month_profile_metrics"), "1 month", none);
    Frame md = table("main.ml.merged_drift_metrics");
    assertSameRows(md, table("main.ml.days_drift_metrics"), "1 day", none);
    // the merge covered quality and slices, not just a few columns
    Map<String, Object> q = rows(mp, where("granularity", "1 month", "column_name", ":table", "slice_key", "country",
        "slice_value", "SE", "model_version", "m1")).get(0);
    assertThat((Double) q.get("accuracy_score")).isBetween(0.5, 1.0);
    assertThat(q.get("count")).isEqualTo(rows(table("main.ml.month_profile_metrics"), where("column_name", ":table",
        "slice_key", "country", "slice_value", "SE", "model_version", "m1")).get(0).get("count"));
    assertThat(rows(mp, where("granularity", "1 hour", "column_name", "x", "slice_key", null, "model_version", "*")))
        .hasSize(72);
  }

  /** x uniform in [0, 1000), id unique: one day of 36,000 rows, 1,500 an hour, so the day is sketched. */
  static Frame bigDay() {
    int n = 36_000;
    Random r = new Random(5);
    long[] id = new long[n];
    List<Object> ts = new ArrayList<>(n);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      id[i] = i;
      ts.add(DAY0.plusMillis(i * (86_400_000L / n)));
      x[i] = r.nextDouble() * 1000;
    }
    return Frame.of(Column.ofLongs("id", id), Column.of("ts", DataType.TIMESTAMP, ts), Column.ofDoubles("x", x));
  }

  @Test
  void a_sketched_day_merged_from_exact_hours_keeps_exact_moments_and_quantiles_within_the_rank_bound() {
    Frame data = bigDay();
    ws.tables().create("main.ml.big_merged").create(data);
    ws.tables().create("main.ml.big_rows").create(data);
    RefreshInfo merged = Monitors.of(ws).create("main.ml.big_merged").timeSeries("ts", "1 hour", "1 day").create()
        .refresh();
    Monitors.of(ws).create("main.ml.big_rows").timeSeries("ts", "1 day").create().refresh();
    assertThat(merged.message()).contains("1 coarser window(s) merged");
    Map<String, Object> m = rows(table("main.ml.big_merged_profile_metrics"), where("granularity", "1 day",
        "column_name", "x")).get(0);
    Map<String, Object> r = rows(table("main.ml.big_rows_profile_metrics"), where("granularity", "1 day",
        "column_name", "x")).get(0);
    for (String exact : List.of("count", "num_nulls", "num_zeros", "num_nan", "min", "max", "avg", "stddev")) {
      assertSame(m.get(exact), r.get(exact), exact);
    }
    double[] sorted = data.column("x").toDoubleArray();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElseThrow();
    assertThat((Double) m.get("avg")).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-9));
    double[] levels = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (Map<String, Object> row : List.of(m, r)) {
      @SuppressWarnings("unchecked")
      List<Double> qs = (List<Double>) row.get("quantiles");
      for (int i = 0; i < levels.length; i++) {
        double rank = rank(sorted, qs.get(i));
        assertThat(Math.abs(rank - levels[i])).as("level %s value %s rank %s", levels[i], qs.get(i), rank)
            .isLessThanOrEqualTo(0.01);
      }
      assertThat(Math.abs(rank(sorted, (Double) row.get("median")) - 0.5)).isLessThanOrEqualTo(0.01);
    }
    // 36,000 distinct ids: over the exact limit, HLL in both (merged by union); within 3 standard errors
    for (String table : List.of("main.ml.big_merged_profile_metrics", "main.ml.big_rows_profile_metrics")) {
      Map<String, Object> id = rows(table(table), where("granularity", "1 day", "column_name", "id")).get(0);
      assertThat((double) (Long) id.get("distinct_count")).isCloseTo(36_000, org.assertj.core.api.Assertions.within(
          36_000 * 3 * 0.0163));
    }
    // every hour is exact: its quantiles are the data's own
    Map<String, Object> h0 = rows(table("main.ml.big_merged_profile_metrics"), where("granularity", "1 hour",
        "column_name", "x", "window.start", DAY0)).get(0);
    double[] hour = Arrays.copyOf(data.column("x").toDoubleArray(), 1500);
    Arrays.sort(hour);
    assertThat((Double) h0.get("min")).isEqualTo(hour[0]);
    assertThat((Double) h0.get("median")).isCloseTo((hour[749] + hour[750]) / 2,
        org.assertj.core.api.Assertions.within(1e-9));
  }

  /** Fraction of values below v, ties counted half (the mid-rank). */
  static double rank(double[] sorted, double v) {
    int lo = lowerBound(sorted, v);
    int hi = lowerBound(sorted, Math.nextUp(v));
    return (lo + hi) / 2.0 / sorted.length;
  }

  static int lowerBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Test
  void late_rows_in_one_hour_recompute_that_hour_and_its_day_merged_equal_to_a_full_recompute_from_rows() {
    Frame base = log(0, 2, 240, 0.0, true);
    // 12 late rows, all in 05:00-06:00 of day 0, arriving after the first refresh
    Frame late = log(10_000, 1, 12, 3.0, true);
    List<Object> lateTs = new ArrayList<>();
    for (int i = 0; i < late.rowCount(); i++) {
      lateTs.add(DAY0.plusSeconds(5 * 3600 + 60L * i));
    }
    late = late.withColumn(Column.of("ts", DataType.TIMESTAMP, lateTs));
    DeltaTable t = ws.tables().create("main.ml.inc").create(base);
    Monitor m = Monitors.of(ws).create("main.ml.inc").timeSeries("ts", "1 hour", "1 day").excludeColumns("id")
        .slicingExprs("country").create();
    RefreshInfo first = m.refresh();
    assertThat(first.message()).contains("2 coarser window(s) merged");
    Frame before = table("main.ml.inc_profile_metrics");
    t.append(late);
    RefreshInfo second = m.refresh();
    // hours 05:00 and 06:00 (it compares with 05:00), days 0 and 1 (it compares with day 0)
    assertThat(second.message()).contains("Recomputed 4 changed window(s)", "merged from finer ones");
    Frame after = table("main.ml.inc_profile_metrics");
    Map<String, Object> h5 = rows(after, where("granularity", "1 hour", "column_name", ":table", "slice_key", null,
        "window.start", DAY0.plusSeconds(5 * 3600))).get(0);
    assertThat(h5.get("count")).isEqualTo(10L + 12L);
    assertThat(h5.get("logging_table_commit_version")).isEqualTo((int) t.version());
    Map<String, Object> h4 = rows(after, where("granularity", "1 hour", "column_name", ":table", "slice_key", null,
        "window.start", DAY0.plusSeconds(4 * 3600))).get(0);
    Map<String, Object> h4before = rows(before, where("granularity", "1 hour", "column_name", ":table", "slice_key",
        null, "window.start", DAY0.plusSeconds(4 * 3600))).get(0);
    assertThat(h4.get("logging_table_commit_version")).isEqualTo(h4before.get("logging_table_commit_version"))
        .isNotEqualTo((int) t.version()); // untouched
    assertThat(after.rowCount()).isEqualTo(before.rowCount());

    // the same rows, profiled from rows in one full refresh of a day-only monitor
    DeltaTable ref = ws.tables().create("main.ml.ref").create(base);
    ref.append(late);
    Monitors.of(ws).create("main.ml.ref").timeSeries("ts", "1 day").excludeColumns("id").slicingExprs("country")
        .create().refresh();
    assertSameRows(after, table("main.ml.ref_profile_metrics"), "1 day", Set.of());
    assertSameRows(table("main.ml.inc_drift_metrics"), table("main.ml.ref_drift_metrics"), "1 day", Set.of());
    Map<String, Object> d0 = rows(after, where("granularity", "1 day", "column_name", "x", "slice_key", null,
        "window.start", DAY0)).get(0);
    assertThat(d0.get("count")).isEqualTo(252L);
  }

  @Test
  void custom_aggregate_metrics_and_cut_slices_are_computed_from_rows() {
    Frame data = log(0, 1, 240, 0.0, false);
    ws.tables().create("main.ml.custom").create(data);
    RefreshInfo r = Monitors.of(ws).withMetricFunction("x_sum", (CustomMetric.Aggregate) (rows, column) ->
            Arrays.stream(rows.column(column).toDoubleArray()).sum())
        .create("main.ml.custom").timeSeries("ts", "1 hour", "1 day")
        .customMetric(CustomMetric.aggregate("x_sum", List.of("x"), "sum of x")).create().refresh();
    assertThat(r.message()).doesNotContain("merged");
    Map<String, Object> day = rows(table("main.ml.custom_profile_metrics"), where("granularity", "1 day",
        "column_name", "x")).get(0);
    assertThat((Double) day.get("x_sum")).isCloseTo(Arrays.stream(data.column("x").toDoubleArray()).sum(),
        org.assertj.core.api.Assertions.within(1e-9));

    // 150 distinct ids in each hour: the id slice is cut to 100 values per hour, so the day is from rows
    Frame wide = log(0, 1, 24 * 150, 0.0, false);
    ws.tables().create("main.ml.cut").create(wide);
    RefreshInfo c = Monitors.of(ws).create("main.ml.cut").timeSeries("ts", "1 hour", "1 day").slicingExprs("id")
        .create().refresh();
    assertThat(c.message()).doesNotContain("merged");
    assertThat(rows(table("main.ml.cut_profile_metrics"), where("granularity", "1 day", "column_name", ":table",
        "slice_key", "id"))).hasSize(100);
  }
}
