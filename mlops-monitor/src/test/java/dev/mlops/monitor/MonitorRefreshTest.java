package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorRefreshTest {
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

  static final Instant DAY0 = Instant.parse("2024-05-06T00:00:00Z"); // a Monday

  /** n rows per day for the given days; x ~ N(shift, 1); country alternates; id unique. */
  static Frame log(int firstId, int days, int perDay, double shift, boolean labels) {
    Random r = new Random(firstId);
    List<Object> id = new ArrayList<>();
    List<Object> ts = new ArrayList<>();
    List<Object> x = new ArrayList<>();
    List<Object> country = new ArrayList<>();
    List<Object> pred = new ArrayList<>();
    List<Object> label = new ArrayList<>();
    List<Object> model = new ArrayList<>();
    int k = firstId;
    for (int d = 0; d < days; d++) {
      for (int i = 0; i < perDay; i++) {
        id.add((long) k++);
        ts.add(DAY0.plusSeconds(d * 86400L + i * (86400L / perDay)));
        double v = r.nextGaussian() + shift;
        x.add(v);
        country.add(i % 3 == 0 ? "NO" : "SE");
        long p = v > 0 ? 1L : 0L;
        pred.add(p);
        label.add(labels ? (Object) (i % 4 == 0 ? 1 - p : p) : null);
        model.add(i % 2 == 0 ? "m1" : "m2");
      }
    }
    return Frame.of(Column.of("id", DataType.LONG, id), Column.of("ts", DataType.TIMESTAMP, ts),
        Column.of("x", DataType.DOUBLE, x), Column.of("country", DataType.STRING, country),
        Column.of("prediction", DataType.LONG, pred), Column.of("label", DataType.LONG, label),
        Column.of("model_version", DataType.STRING, model));
  }

  /** Rows as maps; struct columns also appear flattened as "column.field" (as Spark addresses them). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows(Frame f, Map<String, Object> where) {
    return f.rows().stream().map(r -> {
      Map<String, Object> m = new java.util.HashMap<>(r);
      r.forEach((k, v) -> {
        if (v instanceof Map<?, ?> s) {
          ((Map<String, Object>) s).forEach((fk, fv) -> m.put(k + "." + fk, fv));
        }
      });
      return m;
    }).filter(r -> where.entrySet().stream()
        .allMatch(e -> java.util.Objects.equals(r.get(e.getKey()), e.getValue()))).collect(Collectors.toList());
  }

  static Map<String, Object> where(Object... kv) {
    Map<String, Object> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void time_series_refresh_writes_daily_profiles_slices_and_consecutive_drift() {
    DeltaTable t = ws.tables().create("main.ml.events").create(log(0, 3, 200, 0.0, true));
    Monitor m = Monitors.of(ws).create("main.ml.events").timeSeries("ts", "1 day")
        .excludeColumns("id").slicingExprs("country", "x > 1").create();
    RefreshInfo r = m.refresh();
    assertThat(r.state()).isEqualTo(RefreshInfo.State.SUCCESS);
    Frame prof = ws.tables().get("main.ml.events_profile_metrics").read().load();
    // 3 windows; whole table row for x in day 0
    List<Map<String, Object>> x0 = rows(prof, where("column_name", "x", "window.start", DAY0, "slice_key", null));
    assertThat(x0).hasSize(1);
    assertThat(x0.get(0).get("count")).isEqualTo(200L);
    assertThat(x0.get(0).get("granularity")).isEqualTo("1 day");
    assertThat(x0.get(0).get("window.end")).isEqualTo(DAY0.plusSeconds(86400));
    assertThat(x0.get(0).get("logging_table_commit_version")).isEqualTo((int) t.version());
    // slices: country values and predicate true/false, no cross products
    assertThat(rows(prof, where("column_name", ":table", "window.start", DAY0, "slice_key", "country")))
        .extracting(x -> x.get("slice_value")).containsExactlyInAnyOrder("NO", "SE");
    List<Map<String, Object>> pred = rows(prof, where("column_name", ":table", "window.start", DAY0, "slice_key", "x > 1"));
    assertThat(pred).extracting(x -> x.get("slice_value")).containsExactlyInAnyOrder("true", "false");
    long sum = pred.stream().mapToLong(x -> (Long) x.get("count")).sum();
    assertThat(sum).isEqualTo(200);
    Frame drift = ws.tables().get("main.ml.events_drift_metrics").read().load();
    // consecutive drift for days 1 and 2 only
    assertThat(rows(drift, where("column_name", "x", "slice_key", null, "drift_type", "CONSECUTIVE")))
        .extracting(x -> x.get("window.start"))
        .containsExactlyInAnyOrder(DAY0.plusSeconds(86400), DAY0.plusSeconds(2 * 86400));
    Map<String, Object> d1 = rows(drift, where("column_name", "x", "slice_key", null, "window.start",
        DAY0.plusSeconds(86400))).get(0);
    assertThat((Double) d1.get("ks_test.pvalue")).isBetween(0.0, 1.0);
    assertThat(d1.get("window_cmp.start")).isEqualTo(DAY0);
    assertThat(d1.get("chi_squared_test.statistic")).isNull();
    Map<String, Object> c1 = rows(drift, where("column_name", "country", "slice_key", null, "window.start",
        DAY0.plusSeconds(86400))).get(0);
    assertThat(c1.get("js_distance")).isEqualTo(0.0); // same 1:2 pattern every day
    assertThat(c1.get("ks_test.statistic")).isNull();
  }

  @Test
  void second_refresh_without_changes_writes_nothing() {
    ws.tables().create("main.ml.events").create(log(0, 2, 50, 0.0, true));
    Monitor m = Monitors.of(ws).create("main.ml.events").timeSeries("ts", "1 day").create();
    m.refresh();
    DeltaTable prof = ws.tables().get("main.ml.events_profile_metrics");
    long v = prof.version();
    Frame before = prof.read().load();
    RefreshInfo again = m.refresh();
    assertThat(again.windowsWritten()).isZero();
    assertThat(prof.version()).isEqualTo(v);
    assertThat(prof.read().load()).isEqualTo(before);
    assertThat(m.refreshes()).extracting(RefreshInfo::state)
        .containsExactly(RefreshInfo.State.SUCCESS, RefreshInfo.State.SUCCESS);
  }

  @Test
  void incremental_refresh_recomputes_only_changed_windows_and_late_labels_fill_quality() {
    DeltaTable t = ws.tables().create("main.ml.log").create(log(0, 3, 100, 0.0, false));
    Monitor m = Monitors.of(ws).create("main.ml.log")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label"))
        .excludeColumns("id").create();
    m.refresh();
    Frame p1 = ws.tables().get("main.ml.log_profile_metrics").read().load();
    Map<String, Object> q0 = rows(p1, where("column_name", ":table", "window.start", DAY0, "model_version", "*",
        "slice_key", null)).get(0);
    assertThat(q0.get("accuracy_score")).isNull(); // no labels yet: NULL, not 0
    // labels for day 1 arrive late, by upsert
    Frame day1 = log(0, 3, 100, 0.0, true).filter(i -> i >= 100 && i < 200);
    t.upsert(day1, "id");
    RefreshInfo r2 = m.refresh();
    assertThat(r2.message()).contains("changed window");
    Frame p2 = ws.tables().get("main.ml.log_profile_metrics").read().load();
    Map<String, Object> q1 = rows(p2, where("column_name", ":table", "window.start", DAY0.plusSeconds(86400),
        "model_version", "*", "slice_key", null)).get(0);
    assertThat((Double) q1.get("accuracy_score")).isCloseTo(0.75, within(1e-12)); // every 4th label flipped
    assertThat(q1.get("logging_table_commit_version")).isEqualTo((int) t.version());
    // day 0 was not recomputed: still written at the first version
    Map<String, Object> q0b = rows(p2, where("column_name", ":table", "window.start", DAY0, "model_version", "*",
        "slice_key", null)).get(0);
    assertThat(q0b.get("logging_table_commit_version")).isEqualTo(q0.get("logging_table_commit_version"));
    assertThat(q0b.get("accuracy_score")).isNull();
    // per model rows too
    assertThat(rows(p2, where("column_name", ":table", "window.start", DAY0.plusSeconds(86400), "slice_key", null)))
        .extracting(x -> x.get("model_version")).containsExactlyInAnyOrder("*", "m1", "m2");
    // same rows count for unchanged + changed windows as a full recompute would give
    assertThat(p2.rowCount()).isEqualTo(p1.rowCount());
  }
}
