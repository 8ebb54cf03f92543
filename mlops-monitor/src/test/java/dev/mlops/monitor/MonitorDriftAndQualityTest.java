package dev.mlops.monitor;

import static dev.mlops.monitor.MonitorRefreshTest.DAY0;
import static dev.mlops.monitor.MonitorRefreshTest.rows;
import static dev.mlops.monitor.MonitorRefreshTest.where;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorDriftAndQualityTest {
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

  static double[] xs(Frame f, int from, int to) {
    return IntStream.range(from, to).mapToDouble(i -> f.column("x").getDouble(i)).toArray();
  }

  @Test
  void baseline_drift_flags_the_shifted_window_with_statistics_equal_to_the_plain_functions() throws Exception {
    Frame base = MonitorRefreshTest.log(10_000, 1, 2000, 0.0, true);
    ws.tables().create("main.ml.train").create(base);
    Frame day0 = MonitorRefreshTest.log(0, 1, 500, 0.0, true);
    Frame day1 = MonitorRefreshTest.log(500, 1, 500, 1.0, true);
    Column ts1 = Column.of("ts", DataType.TIMESTAMP, day1.column("ts").toList().stream()
        .map(t -> ((java.time.Instant) t).plusSeconds(86400)).map(Object.class::cast).toList());
    day1 = day1.withColumn(ts1);
    ws.tables().create("main.ml.log").create(Frame.concat(List.of(day0, day1)));
    Monitor m = Monitors.of(ws).create("main.ml.log").timeSeries("ts", "1 day").baseline("main.ml.train")
        .includeColumns("x", "country").create();
    m.refresh();
    Frame drift = ws.tables().get("main.ml.log_drift_metrics").read().load();
    Map<String, Object> b0 = rows(drift, where("column_name", "x", "drift_type", "BASELINE", "window.start", DAY0,
        "slice_key", null)).get(0);
    Map<String, Object> b1 = rows(drift, where("column_name", "x", "drift_type", "BASELINE", "window.start",
        DAY0.plusSeconds(86400), "slice_key", null)).get(0);
    assertThat(b0.get("drift_detected")).isEqualTo(false);
    assertThat(b1.get("drift_detected")).isEqualTo(true);
    assertThat(b1.get("drift_statistic")).isEqualTo("WASSERSTEIN_NORMALIZED"); // baseline has > 1000 rows
    double[] ref = xs(base, 0, 2000);
    double[] cur = xs(day1, 0, 500);
    TestResult ks = DriftStatistics.ks(ref, cur);
    assertThat(b1.get("ks_test.statistic")).isEqualTo(ks.statistic());
    assertThat(b1.get("ks_test.pvalue")).isEqualTo(ks.pvalue());
    assertThat(b1.get("wasserstein_distance")).isEqualTo(DriftStatistics.wasserstein(ref, cur));
    assertThat(b1.get("population_stability_index")).isEqualTo(DriftStatistics.psi(ref, cur, 10));
    assertThat(b1.get("js_distance")).isNull();
    assertThat(b1.get("window_cmp.start")).isNull();
    Map<String, Object> country = rows(drift, where("column_name", "country", "drift_type", "BASELINE",
        "window.start", DAY0, "slice_key", null)).get(0);
    assertThat(country.get("drift_statistic")).isEqualTo("JS_DISTANCE");
    assertThat((Double) country.get("js_distance")).isLessThan(0.05);
    // the baseline profile is stored once and written as BASELINE rows
    assertThat(Files.list(dir.resolve("monitors/main.ml.log")).map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".profile")).toList()).hasSize(1);
    Frame prof = ws.tables().get("main.ml.log_profile_metrics").read().load();
    Map<String, Object> bx = rows(prof, where("column_name", "x", "log_type", "BASELINE", "slice_key", null)).get(0);
    assertThat(bx.get("count")).isEqualTo(2000L);
    assertThat(bx.get("window.start")).isNull();
  }

  @Test
  void per_column_threshold_overrides_the_default() {
    ws.tables().create("main.ml.train").create(MonitorRefreshTest.log(10_000, 1, 300, 0.0, true));
    ws.tables().create("main.ml.log").create(MonitorRefreshTest.log(0, 1, 300, 0.05, true));
    Monitor m = Monitors.of(ws).create("main.ml.log").timeSeries("ts", "1 day").baseline("main.ml.train")
        .includeColumns("x").threshold("x", DriftThreshold.of(DriftThreshold.Metric.PSI, 0.0)).create();
    m.refresh();
    Map<String, Object> r = rows(ws.tables().get("main.ml.log_drift_metrics").read().load(),
        where("column_name", "x", "slice_key", null)).get(0);
    assertThat(r.get("drift_statistic")).isEqualTo("PSI");
    assertThat(r.get("drift_threshold")).isEqualTo(0.0);
    assertThat(r.get("drift_detected")).isEqualTo(true);
  }

  @Test
  void classification_quality_with_probabilities() {
    Frame f = Frame.of(Column.of("ts", DataType.TIMESTAMP, List.of(DAY0, DAY0, DAY0, DAY0, DAY0, DAY0)),
        Column.ofLongs("label", 1, 0, 1, 1, 0, 0), Column.ofLongs("prediction", 1, 0, 0, 1, 1, 0),
        Column.ofDoubles("p1", 0.9, 0.2, 0.4, 0.8, 0.6, 0.1), Column.ofDoubles("p0", 0.1, 0.8, 0.6, 0.2, 0.4, 0.9),
        Column.ofStrings("model", "a", "a", "a", "a", "a", "a"));
    ws.tables().create("main.ml.log").create(f);
    Monitors.of(ws).create("main.ml.log").inferenceLog(InferenceLog.classification("ts", "prediction", "model")
        .label("label").probabilities(Map.of("0", "p0", "1", "p1"))).create().refresh();
    Map<String, Object> t = rows(ws.tables().get("main.ml.log_profile_metrics").read().load(),
        where("column_name", ":table", "model", "*", "slice_key", null)).get(0);
    assertThat((Double) t.get("accuracy_score")).isCloseTo(4.0 / 6, within(1e-12));
    for (String k : new String[] {"precision.macro", "precision.weighted", "recall.macro", "recall.weighted",
        "f1_score.macro", "f1_score.weighted"}) {
      assertThat((Double) t.get(k)).as(k).isCloseTo(2.0 / 3, within(1e-12));
    }
    assertThat((Double) t.get("roc_auc")).isCloseTo(8.0 / 9, within(1e-12));
    double ll = -(2 * Math.log(0.9) + 2 * Math.log(0.8) + 2 * Math.log(0.4)) / 6;
    assertThat((Double) t.get("log_loss")).isCloseTo(ll, within(1e-12));
    @SuppressWarnings("unchecked")
    List<Object> cm = (List<Object>) t.get("confusion_matrix");
    assertThat(cm).contains(Map.of("prediction", "0", "label", "1", "count", 1L)).hasSize(4);
    assertThat(t.get("mean_squared_error")).isNull();
  }

  @Test
  void regression_quality() {
    Frame f = Frame.of(Column.of("ts", DataType.TIMESTAMP, List.of(DAY0, DAY0, DAY0, DAY0)),
        Column.ofDoubles("y", 1, 2, 3, 4), Column.ofDoubles("y_hat", 1.5, 2, 2, 5), Column.ofLongs("model", 7, 7, 7, 7));
    ws.tables().create("main.ml.reg").create(f);
    Monitors.of(ws).create("main.ml.reg").inferenceLog(InferenceLog.regression("ts", "y_hat", "model").label("y"))
        .create().refresh();
    Map<String, Object> t = rows(ws.tables().get("main.ml.reg_profile_metrics").read().load(),
        where("column_name", ":table", "model", "7", "slice_key", null)).get(0);
    assertThat((Double) t.get("mean_squared_error")).isCloseTo(0.5625, within(1e-12));
    assertThat((Double) t.get("root_mean_squared_error")).isCloseTo(0.75, within(1e-12));
    assertThat((Double) t.get("mean_absolute_error")).isCloseTo(0.625, within(1e-12));
    assertThat((Double) t.get("mean_absolute_percentage_error")).isCloseTo((0.5 + 0 + 1.0 / 3 + 0.25) / 4, within(1e-12));
    assertThat((Double) t.get("r2_score")).isCloseTo(0.55, within(1e-12));
    assertThat(t.get("accuracy_score")).isNull();
  }

  @Test
  void custom_metrics_are_extra_columns_and_need_their_function() {
    ws.tables().create("main.ml.log").create(MonitorRefreshTest.log(0, 2, 100, 0.0, true));
    Monitors plain = Monitors.of(ws);
    plain.create("main.ml.log").timeSeries("ts", "1 day").includeColumns("x")
        .customMetric(CustomMetric.aggregate("share_negative", List.of("x"), "share of x < 0"))
        .customMetric(CustomMetric.derived("avg_plus_one", List.of("x"), "avg + 1"))
        .customMetric(CustomMetric.drift("avg_diff", List.of("x"), "current avg - compared avg")).create();
    assertThatThrownBy(() -> plain.get("main.ml.log").refresh()).isInstanceOf(MonitorException.class)
        .hasMessageContaining("share_negative").hasMessageContaining("withMetricFunction");
    assertThat(ws.tables().exists("main.ml.log_profile_metrics")).isFalse();
    assertThat(plain.get("main.ml.log").refreshes()).extracting(RefreshInfo::state)
        .containsExactly(RefreshInfo.State.FAILED);
    Monitors withFns = plain
        .withMetricFunction("share_negative", (CustomMetric.Aggregate) (rows, col) ->
            Arrays.stream(rows.column(col).toDoubleArray()).filter(v -> v < 0).count() / (double) rows.rowCount())
        .withMetricFunction("avg_plus_one", (CustomMetric.Derived) m -> m.get("avg") + 1)
        .withMetricFunction("avg_diff", (CustomMetric.Drift) (a, b) -> a.get("avg") - b.get("avg"));
    withFns.get("main.ml.log").refresh();
    Frame prof = ws.tables().get("main.ml.log_profile_metrics").read().load();
    Map<String, Object> p0 = rows(prof, where("column_name", "x", "window.start", DAY0)).get(0);
    Frame src = ws.tables().get("main.ml.log").read().load();
    double[] x0 = xs(src, 0, 100);
    assertThat((Double) p0.get("share_negative")).isEqualTo(Arrays.stream(x0).filter(v -> v < 0).count() / 100.0);
    assertThat((Double) p0.get("avg_plus_one")).isCloseTo((Double) p0.get("avg") + 1, within(1e-12));
    Map<String, Object> p1 = rows(prof, where("column_name", "x", "window.start", DAY0.plusSeconds(86400))).get(0);
    Map<String, Object> d1 = rows(ws.tables().get("main.ml.log_drift_metrics").read().load(),
        where("column_name", "x", "window.start", DAY0.plusSeconds(86400))).get(0);
    assertThat((Double) d1.get("avg_diff")).isCloseTo((Double) p1.get("avg") - (Double) p0.get("avg"), within(1e-12));
    assertThat((Double) d1.get("avg_delta")).isCloseTo((Double) d1.get("avg_diff"), within(1e-12));
  }

  @Test
  void snapshot_refresh_adds_a_window_per_table_version_and_compares_with_the_previous_one() {
    DeltaTable t = ws.tables().create("main.ml.snap").create(MonitorRefreshTest.log(0, 1, 100, 0.0, true));
    Monitor m = Monitors.of(ws).create("main.ml.snap").snapshot().includeColumns("x").create();
    m.refresh();
    t.append(MonitorRefreshTest.log(1000, 1, 100, 3.0, true));
    m.refresh();
    Frame prof = ws.tables().get("main.ml.snap_profile_metrics").read().load();
    List<Map<String, Object>> x = rows(prof, where("column_name", "x", "slice_key", null));
    assertThat(x).extracting(r -> r.get("count")).containsExactlyInAnyOrder(100L, 200L);
    Map<String, Object> d = rows(ws.tables().get("main.ml.snap_drift_metrics").read().load(),
        where("column_name", "x", "drift_type", "CONSECUTIVE")).get(0);
    assertThat(d.get("count_delta")).isEqualTo(100L);
    assertThat(d.get("drift_detected")).isEqualTo(true); // 100 vs 200 rows: KS p-value, half shifted by 3
    assertThat(d.get("window.start")).isEqualTo(t.history().get(0).timestamp());
  }

  @Test
  void a_changed_definition_recomputes_every_window_with_the_new_monitor_version() {
    ws.tables().create("main.ml.log").create(MonitorRefreshTest.log(0, 2, 50, 0.0, true));
    Monitors ms = Monitors.of(ws);
    ms.create("main.ml.log").timeSeries("ts", "1 day").includeColumns("x").create().refresh();
    ms.update("main.ml.log").includeColumns("x", "country").update().refresh();
    Frame prof = ws.tables().get("main.ml.log_profile_metrics").read().load();
    assertThat(prof.rows()).allSatisfy(r -> assertThat(r.get("monitor_version")).isEqualTo(2L));
    assertThat(rows(prof, where("column_name", "country"))).hasSize(2);
  }
}
