package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift traced through the lineage graph. The edges are the ones mlops-features and mlops-models record
 * (same node types, relations and details); the aliases file is the registry's documented layout.
 * The samples module runs the same path with the real feature store and registry.
 */
class DriftImpactTest {
  @TempDir Path dir;
  Workspace ws;
  static final Instant DAY0 = Instant.parse("2026-03-02T00:00:00Z");

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** ts, spend ~ N(50 + shift, 10), visits ~ N(5, 1), city in 3 values. */
  static Frame rows(int seed, Instant start, int days, int perDay, double shiftLastDay) {
    Random r = new Random(seed);
    List<Object> ts = new ArrayList<>();
    List<Object> spend = new ArrayList<>();
    List<Object> visits = new ArrayList<>();
    List<Object> city = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      for (int i = 0; i < perDay; i++) {
        ts.add(start.plusSeconds(d * 86400L + i * (86400L / perDay)));
        spend.add(50 + 10 * r.nextGaussian() + (d == days - 1 ? shiftLastDay : 0));
        visits.add(5 + r.nextGaussian());
        city.add(new String[] {"Oslo", "Lima", "Pune"}[r.nextInt(3)]);
      }
    }
    return Frame.of(Column.of("ts", DataType.TIMESTAMP, ts), Column.of("spend", DataType.DOUBLE, spend),
        Column.of("visits", DataType.DOUBLE, visits), Column.of("city", DataType.STRING, city));
  }

  /** A feature table fed by a raw table, two models trained on it, the monitor refreshed: spend drifted on day 2. */
  static Monitor scenario(Workspace ws, Path dir) throws Exception {
    ws.tables().create("main.raw.orders").create(rows(1, DAY0, 1, 10, 0));
    ws.tables().create("main.crm.train").create(rows(2, DAY0.minusSeconds(30 * 86400L), 1, 2000, 0));
    ws.tables().create("main.crm.features").create(rows(3, DAY0, 2, 500, 40));
    long rawV = ws.tables().get("main.raw.orders").version();
    long featV = ws.tables().get("main.crm.features").version();
    Lineage.Node feat = Lineage.Node.table("main.crm.features", featV);
    ws.lineage().record(List.of(
        Lineage.Edge.of(Lineage.Node.table("main.raw.orders", rawV), feat, "writes"),
        new Lineage.Edge(feat, new Lineage.Node("TRAINING_SET", "ts-7f3a", null), "feeds", null, "spend,visits"),
        new Lineage.Edge(feat, new Lineage.Node("MODEL", "main.ml.churn", 2L), "trained_on", null, "spend,visits"),
        new Lineage.Edge(feat, new Lineage.Node("MODEL", "main.ml.churn", 3L), "trained_on", null, "spend"),
        new Lineage.Edge(feat, new Lineage.Node("MODEL", "main.ml.visits_only", 1L), "trained_on", null, "visits")));
    Path aliases = dir.resolve("registry/main/ml/churn/aliases.json");
    Files.createDirectories(aliases.getParent());
    Files.writeString(aliases, "{\"challenger\":3,\"champion\":2}");
    Monitor m = Monitors.of(ws).create("main.crm.features").timeSeries("ts", "1 day").baseline("main.crm.train")
        .create();
    m.refresh();
    return m;
  }

  @Test
  void drift_report_lists_drifted_columns_with_upstream_features_training_sets_models_and_aliases() throws Exception {
    Monitor m = scenario(ws, dir);
    long rawV = ws.tables().get("main.raw.orders").version();
    long featV = ws.tables().get("main.crm.features").version();
    DriftReport r = m.driftReport();
    assertThat(r.windowStart()).contains(DAY0.plusSeconds(86400));
    assertThat(r.driftType()).isEqualTo("BASELINE");
    assertThat(r.columns()).extracting(DriftImpact::column).containsExactly("spend");
    DriftImpact i = r.columns().get(0);
    assertThat(i.statistic()).isEqualTo("WASSERSTEIN_NORMALIZED");
    assertThat(i.value()).isGreaterThan(i.threshold());
    assertThat(i.upstreamTables()).containsExactly(new DriftImpact.TableRef("main.raw.orders", Optional.of(rawV)));
    assertThat(i.featureTables()).containsExactly(new DriftImpact.TableRef("main.crm.features", Optional.of(featV)));
    assertThat(i.trainingSets()).containsExactly("ts-7f3a");
    assertThat(i.models()).containsExactly(new DriftImpact.ModelVersionRef("main.ml.churn", 2, List.of("champion")),
        new DriftImpact.ModelVersionRef("main.ml.churn", 3, List.of("challenger")));
    // the first window did not drift
    assertThat(m.driftReport(DAY0).columns()).isEmpty();
  }

  @Test
  void an_alert_on_a_result_table_can_be_defined_before_the_first_refresh_and_is_checked_against_its_layout() {
    ws.tables().create("main.crm.train").create(rows(2, DAY0, 1, 100, 0));
    ws.tables().create("main.crm.features").create(rows(3, DAY0, 1, 100, 0));
    Monitors.of(ws).create("main.crm.features").timeSeries("ts", "1 day").baseline("main.crm.train").create();
    Alerts alerts = Alerts.of(ws);
    alerts.create("early").on("main.crm.features_drift_metrics", "js_distance").aggregation(Aggregation.MAX)
        .above(0.1).whenEmpty(AlertState.OK).create();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> alerts.create("typo")
        .on("main.crm.features_drift_metrics", "js_distanc").above(0.1).create())
        .isInstanceOf(InvalidAlertException.class).hasMessageContaining("js_distanc");
    AlertStatus s = alerts.evaluate("early");
    assertThat(s.state()).isEqualTo(AlertState.OK);
    assertThat(s.message()).contains("not refreshed yet");
  }

  @Test
  void alert_on_the_drift_table_carries_the_impact_list() throws Exception {
    scenario(ws, dir);
    List<AlertEvent> got = new CopyOnWriteArrayList<>();
    Alerts alerts = Alerts.of(ws).withCallback("cb", got::add);
    alerts.create("features_drift").on("main.crm.features_drift_metrics", "drift_detected")
        .where(dev.mlops.core.Filter.eq("drift_type", "BASELINE")).latestBy("window.start")
        .aggregation(Aggregation.MAX).condition(AlertOperator.EQ, true).impactOf("main.crm.features")
        .destination(AlertDestination.callback("cb")).create();
    assertThat(alerts.evaluate("features_drift").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(got).singleElement().satisfies(e -> {
      assertThat(e.impact()).extracting(DriftImpact::column).containsExactly("spend");
      assertThat(e.impact().get(0).models()).extracting(DriftImpact.ModelVersionRef::toString)
          .containsExactly("main.ml.churn v2 [champion]", "main.ml.churn v3 [challenger]");
    });
    // struct fields are addressable: the largest KS statistic of the latest window
    alerts.create("ks").on("main.crm.features_drift_metrics", "ks_test.statistic").latestBy("window.start")
        .aggregation(Aggregation.MAX).above(0.5).create();
    assertThat(alerts.evaluate("ks").state()).isEqualTo(AlertState.TRIGGERED);
  }
}
