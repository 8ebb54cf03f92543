package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
  @TempDir Path dir;
  Workspace ws;
  final List<AlertEvent> got = new CopyOnWriteArrayList<>();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  Alerts alerts;

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(long seconds) {
      now = now.plusSeconds(seconds);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    alerts = Alerts.of(ws).withClock(clock).withCallback("cb", got::add);
    write(10.0, 20.0, 30.0);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** metrics(name, value, limit, n, ok, ts): one row per value, name a/b alternating, limit 25. */
  void write(double... values) {
    List<Object> name = new ArrayList<>();
    List<Object> value = new ArrayList<>();
    List<Object> limit = new ArrayList<>();
    List<Object> n = new ArrayList<>();
    List<Object> ok = new ArrayList<>();
    List<Object> ts = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      name.add(i % 2 == 0 ? "a" : "b");
      value.add(values[i]);
      limit.add(25.0);
      n.add((long) i);
      ok.add(values[i] < 25);
      ts.add(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i * 60L));
    }
    Frame f = Frame.of(Column.of("name", DataType.STRING, name), Column.of("value", DataType.DOUBLE, value),
        Column.of("limit", DataType.DOUBLE, limit), Column.of("n", DataType.LONG, n),
        Column.of("ok", DataType.BOOLEAN, ok), Column.of("ts", DataType.TIMESTAMP, ts));
    if (ws.tables().exists("main.ops.metrics")) {
      ws.tables().get("main.ops.metrics").overwrite(f);
    } else {
      ws.tables().create("main.ops.metrics").create(f);
    }
  }

  Alerts.Builder maxAbove(String name, double threshold) {
    return alerts.create(name).on("main.ops.metrics", "value").aggregation(Aggregation.MAX).above(threshold)
        .destination(AlertDestination.callback("cb"));
  }

  @Test
  void state_machine_notifies_on_trigger_only_once_then_on_rearm_and_on_return_to_ok() {
    maxAbove("hot", 25).retriggerSeconds(600).notifyOnOk(true).create();
    assertThat(alerts.status("hot").state()).isEqualTo(AlertState.UNKNOWN);

    AlertStatus s = alerts.evaluate("hot");
    assertThat(s.state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(s.value()).contains("30.0");
    assertThat(s.threshold()).contains("25.0");
    assertThat(s.triggeredAt()).contains(clock.now);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(got.get(0).previousState()).isEqualTo(AlertState.UNKNOWN);
    assertThat(got.get(0).summary()).contains("hot").contains("TRIGGERED").contains("30.0");

    clock.advance(300);
    assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(got).as("still TRIGGERED, before retriggerSeconds: no notification").hasSize(1);
    clock.advance(300);
    alerts.evaluate("hot");
    assertThat(got).as("rearmed after 600 s").hasSize(2);
    assertThat(got.get(1).deliveryId()).isNotEqualTo(got.get(0).deliveryId());

    write(1.0, 2.0);
    clock.advance(10);
    AlertStatus ok = alerts.evaluate("hot");
    assertThat(ok.state()).isEqualTo(AlertState.OK);
    assertThat(ok.triggeredAt()).isEmpty();
    assertThat(got).hasSize(3);
    assertThat(got.get(2).state()).isEqualTo(AlertState.OK);
    assertThat(alerts.history("hot")).extracting(AlertStatus::state)
        .containsExactly(AlertState.TRIGGERED, AlertState.OK);
    // state survives a new Alerts (a restart)
    assertThat(Alerts.of(ws).status("hot").state()).isEqualTo(AlertState.OK);
    assertThat(Alerts.of(ws).status("hot").notifications()).isEqualTo(3);
  }

  @Test
  void retrigger_zero_never_renotifies_and_ok_is_silent_without_notify_on_ok() {
    maxAbove("hot", 25).create();
    alerts.evaluate("hot");
    clock.advance(86_400);
    alerts.evaluate("hot");
    assertThat(got).hasSize(1);
    write(1.0);
    assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.OK);
    assertThat(got).hasSize(1);
    write(99.0);
    alerts.evaluate("hot");
    assertThat(got).as("a new TRIGGERED period notifies again").hasSize(2);
  }

  @Test
  void aggregations_compute_over_the_filtered_rows() {
    write(10.0, 20.0, 30.0, 40.0, 50.0);
    Object[][] cases = {
        {Aggregation.SUM, 150.0}, {Aggregation.AVG, 30.0}, {Aggregation.MEDIAN, 30.0}, {Aggregation.MIN, 10.0},
        {Aggregation.MAX, 50.0}, {Aggregation.COUNT, 5L}, {Aggregation.COUNT_DISTINCT, 5L},
        {Aggregation.FIRST, 10.0}, {Aggregation.STDDEV, Math.sqrt(250.0)}};
    for (Object[] c : cases) {
      Aggregation a = (Aggregation) c[0];
      String name = "agg_" + a.name().toLowerCase();
      alerts.create(name).on("main.ops.metrics", "value").aggregation(a).condition(AlertOperator.EQ, (Number) c[1])
          .create();
      AlertStatus s = alerts.evaluate(name);
      assertThat(s.state()).as(a + " = " + c[1] + " (got " + s.value() + ")").isEqualTo(AlertState.TRIGGERED);
    }
    // filter: name = 'b' -> 20, 40
    alerts.create("sum_b").on("main.ops.metrics", "value").aggregation(Aggregation.SUM)
        .where(Filter.eq("name", "b")).condition(AlertOperator.EQ, 60.0).create();
    assertThat(alerts.evaluate("sum_b").state()).isEqualTo(AlertState.TRIGGERED);
    // latestBy: the row with the largest ts
    alerts.create("latest").on("main.ops.metrics", "value").latestBy("ts").condition(AlertOperator.GE, 50.0).create();
    assertThat(alerts.evaluate("latest").value()).contains("50.0");
    // COUNT_DISTINCT on a string
    alerts.create("names").on("main.ops.metrics", "name").aggregation(Aggregation.COUNT_DISTINCT)
        .condition(AlertOperator.NE, 2L).create();
    assertThat(alerts.evaluate("names").state()).isEqualTo(AlertState.OK);
    // string comparison with FIRST
    alerts.create("first_name").on("main.ops.metrics", "name").condition(AlertOperator.EQ, "a").create();
    assertThat(alerts.evaluate("first_name").state()).isEqualTo(AlertState.TRIGGERED);
    // boolean: MIN(ok) = false means some row is not ok
    alerts.create("any_bad").on("main.ops.metrics", "ok").aggregation(Aggregation.MIN)
        .condition(AlertOperator.EQ, false).create();
    assertThat(alerts.evaluate("any_bad").state()).isEqualTo(AlertState.TRIGGERED);
  }

  @Test
  void threshold_column_is_compared_row_set_against_row_set() {
    alerts.create("over_limit").on("main.ops.metrics", "value").aggregation(Aggregation.MAX)
        .conditionOnColumn(AlertOperator.GT, "limit", Aggregation.MAX).create();
    AlertStatus s = alerts.evaluate("over_limit");
    assertThat(s.state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(s.threshold()).contains("25.0");
    write(1.0, 24.0);
    assertThat(alerts.evaluate("over_limit").state()).isEqualTo(AlertState.OK);
  }

  @Test
  void no_rows_takes_the_empty_result_state_and_null_checks_work() {
    alerts.create("none").on("main.ops.metrics", "value").where(Filter.eq("name", "zzz")).above(1)
        .whenEmpty(AlertState.TRIGGERED).create();
    AlertStatus s = alerts.evaluate("none");
    assertThat(s.state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(s.value()).isEmpty();
    alerts.create("avg_null").on("main.ops.metrics", "value").aggregation(Aggregation.STDDEV)
        .where(Filter.eq("n", 0L)).isNull(true).create();
    assertThat(alerts.evaluate("avg_null").state()).as("stddev of one value is NULL").isEqualTo(AlertState.TRIGGERED);
  }

  @Test
  void a_dropped_table_gives_error_with_the_reason_and_recovers() {
    maxAbove("hot", 25).create();
    alerts.evaluate("hot");
    ws.tables().drop("main.ops.metrics");
    AlertStatus e = alerts.evaluate("hot");
    assertThat(e.state()).isEqualTo(AlertState.ERROR);
    assertThat(e.message()).contains("main.ops.metrics");
    assertThat(e.triggeredAt()).as("ERROR keeps the TRIGGERED period").isPresent();
    write(1.0);
    assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.OK);
    assertThat(got).hasSize(1);
  }

  @Test
  void bad_input_gets_typed_errors_and_saves_nothing() {
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "nope").above(1).create())
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("'nope'").hasMessageContaining("value")
        .satisfies(e -> assertThat(((InvalidAlertException) e).value()).contains("nope"));
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "name").aggregation(Aggregation.AVG)
        .condition(AlertOperator.GT, "a").create())
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("AVG needs a numeric column");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "value").schedule("0 61 * * * ?",
        ZoneId.of("UTC"))).isInstanceOf(InvalidAlertException.class).hasMessageContaining("minutes field '61'");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "value").webhook("ftp://example.org/x"))
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("ftp://example.org/x");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "value").condition(AlertOperator.GT, "high")
        .create()).isInstanceOf(InvalidAlertException.class).hasMessageContaining("threshold high")
        .hasMessageContaining("Number");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "ok").condition(AlertOperator.GT, true)
        .create()).isInstanceOf(InvalidAlertException.class).hasMessageContaining("boolean");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.metrics", "value").where(Filter.eq("nope", 1L)).above(1)
        .create()).isInstanceOf(InvalidAlertException.class).hasMessageContaining("filter names column 'nope'");
    assertThatThrownBy(() -> alerts.create("x").on("main.ops.nope", "value").above(1).create())
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("main.ops.nope");
    assertThatThrownBy(() -> alerts.create("bad/name").on("main.ops.metrics", "value").above(1).create())
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("bad/name");
    assertThat(alerts.list()).isEmpty();
    maxAbove("dup", 1).create();
    assertThatThrownBy(() -> maxAbove("dup", 2).create()).isInstanceOf(MonitorException.class)
        .hasMessageContaining("already exists");
    assertThat(alerts.get("dup").threshold()).contains(AlertThreshold.value(1.0));
    assertThatThrownBy(() -> alerts.get("nope")).isInstanceOf(AlertNotFoundException.class)
        .hasMessageContaining("[dup]");
  }

  @Test
  void definition_round_trips_and_reads_the_golden_file_of_format_1() throws Exception {
    AlertDefinition d = alerts.create("golden").on("main.ops.metrics", "value").aggregation(Aggregation.MAX)
        .condition(AlertOperator.GE, 0.25).where(Filter.and(Filter.eq("name", "a"), Filter.not(Filter.isNull("n"))))
        .latestBy("ts").whenEmpty(AlertState.UNKNOWN).retriggerSeconds(3600).notifyOnOk(true)
        .schedule("0 0/15 * * * ?", ZoneId.of("Europe/Oslo")).webhook("http://127.0.0.1:9/hook")
        .destination(AlertDestination.log()).destination(AlertDestination.callback("cb"))
        .impactOf("main.ops.source").summary("{{ALERT_NAME}} is {{ALERT_STATUS}}").create();
    assertThat(Alerts.of(ws).get("golden")).isEqualTo(d);
    String golden = new String(getClass().getResourceAsStream("/golden/alert-v1.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    Path other = dir.resolve("alerts").resolve("from_golden");
    Files.createDirectories(other);
    Files.writeString(other.resolve("alert.json"), golden.replace("\"golden\"", "\"from_golden\""));
    AlertDefinition read = Alerts.of(ws).get("from_golden");
    assertThat(read).isEqualTo(new AlertDefinition("from_golden", d.table(), d.column(), d.aggregation(),
        d.operator(), d.threshold(), d.filter(), d.latestBy(), d.emptyResultState(), d.retriggerSeconds(),
        d.notifyOnOk(), d.schedule(), d.destinations(), d.monitoredTable(), d.customSummary()));
  }

  @Test
  void update_keeps_state_and_delete_removes_everything() {
    maxAbove("hot", 25).create();
    alerts.evaluate("hot");
    alerts.update("hot").above(100).update();
    assertThat(alerts.status("hot").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.OK);
    assertThat(alerts.delete("hot")).isTrue();
    assertThat(alerts.list()).isEmpty();
    assertThat(alerts.delete("hot")).isFalse();
  }
}
