package dev.mlops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.DeploymentJob;
import dev.mlops.models.DeploymentRun;
import dev.mlops.models.DeploymentTask;
import dev.mlops.models.Deployments;
import dev.mlops.models.EvaluationData;
import dev.mlops.models.JobRunState;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.Trainer;
import dev.mlops.models.TrainedModel;
import dev.mlops.monitor.AlertDestination;
import dev.mlops.monitor.AlertEvent;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.AlertStatus;
import dev.mlops.monitor.Aggregation;
import dev.mlops.monitor.Alerts;
import dev.mlops.monitor.DriftImpact;
import dev.mlops.monitor.Monitor;
import dev.mlops.monitor.MonitorException;
import dev.mlops.monitor.MonitorReport;
import dev.mlops.monitor.Monitors;
import dev.mlops.monitor.RefreshInfo;
import dev.mlops.serving.InferenceLog;
import dev.mlops.serving.ScoringServer;
import dev.mlops.serving.ServingEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The end of the loop on shared storage: monitors and their result tables, alerts with their state
 * files and outbox, HTML reports, deployment jobs, and the serving inference tables, all in a
 * workspace opened at a remote URI. Every assertion reads back what was written, through the
 * storage's own Hadoop FileSystem. Subclasses start the server ({@link HdfsMonitorsTest},
 * {@link S3MonitorsTest}).
 */
abstract class MonitorsLoopTests {
  static final Instant DAY0 = Instant.parse("2026-03-02T00:00:00Z");

  Workspace ws;
  URI root;

  /** The workspace root of one test (a folder of its own on the shared server). */
  abstract URI rootFor(String test);

  /** The Hadoop settings a user would pass for this storage. */
  abstract Map<String, String> conf();

  /** The storage's Hadoop FileSystem, to read back what the SDK wrote. */
  abstract FileSystem fs() throws Exception;

  @BeforeEach
  void open(TestInfo info) {
    root = rootFor(info.getTestMethod().orElseThrow().getName());
    ws = Workspace.open(root, conf());
  }

  @AfterEach
  void close() {
    ws.close();
  }

  boolean stored(String rel) throws Exception {
    return fs().exists(new Path(root + rel));
  }

  /** The names under a folder, none when it is missing (an empty prefix on S3). */
  List<String> listed(String rel) throws Exception {
    List<String> out = new ArrayList<>();
    try {
      for (org.apache.hadoop.fs.FileStatus s : fs().listStatus(new Path(root + rel))) {
        out.add(s.getPath().getName());
      }
    } catch (java.io.FileNotFoundException e) {
      return out;
    }
    return out;
  }

  String text(URI file) throws Exception {
    try (InputStream in = fs().open(new Path(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** ts, spend ~ N(50 + shift on the last day, 10), city in 3 values; perDay rows per day. */
  static Frame rows(int seed, Instant start, int days, int perDay, double shiftLastDay) {
    Random r = new Random(seed);
    List<Object> ts = new ArrayList<>();
    List<Object> spend = new ArrayList<>();
    List<Object> city = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      for (int i = 0; i < perDay; i++) {
        ts.add(start.plusSeconds(d * 86400L + i * (86400L / perDay)));
        spend.add(50 + 10 * r.nextGaussian() + (d == days - 1 ? shiftLastDay : 0));
        city.add(new String[] {"Oslo", "Lima", "Pune"}[r.nextInt(3)]);
      }
    }
    return Frame.of(Column.of("ts", DataType.TIMESTAMP, ts), Column.of("spend", DataType.DOUBLE, spend),
        Column.of("city", DataType.STRING, city));
  }

  /** The INPUT profile rows of one column over the whole table (no slice), by window start. */
  static List<Instant> profiledWindows(Frame profile, String column) {
    List<Instant> out = new ArrayList<>();
    for (Map<String, Object> r : profile.rows()) {
      if ("INPUT".equals(r.get("log_type")) && column.equals(r.get("column_name")) && r.get("slice_key") == null) {
        out.add((Instant) ((Map<?, ?>) r.get("window")).get("start"));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void a_monitor_refreshes_incrementally_into_its_result_tables_and_keeps_its_report() throws Exception {
    ws.tables().create("main.crm.train").create(rows(2, DAY0.minusSeconds(30 * 86400L), 1, 400, 0));
    ws.tables().create("main.crm.features").create(rows(3, DAY0, 2, 200, 40));
    Monitor m = Monitors.of(ws).create("main.crm.features").timeSeries("ts", "1 day").baseline("main.crm.train")
        .create();
    assertThat(Monitors.of(ws).list()).containsExactly("main.crm.features");
    assertThat(stored("monitors/main.crm.features/monitor.json")).isTrue();

    RefreshInfo first = m.refresh();
    assertThat(first.state()).isEqualTo(RefreshInfo.State.SUCCESS);
    assertThat(first.windowsWritten()).isEqualTo(2);
    Frame profile = ws.tables().get(m.definition().profileMetricsTable()).read().load();
    assertThat(profiledWindows(profile, "spend")).containsExactly(DAY0, DAY0.plusSeconds(86400));
    assertThat(profile.rows()).anySatisfy(r -> {
      assertThat(r.get("log_type")).isEqualTo("BASELINE");
      assertThat(r.get("column_name")).isEqualTo("spend");
      assertThat(r.get("count")).isEqualTo(400L);
    });
    // spend moved by 4 standard deviations on the second day: drift against the baseline, that day only
    assertThat(m.driftReport().columns()).extracting(DriftImpact::column).containsExactly("spend");
    assertThat(m.driftReport(DAY0).columns()).isEmpty();
    assertThat(stored("monitors/main.crm.features/state.json")).isTrue();

    // a third day arrives; the second refresh (through Alerts, which also writes the report) adds its window
    ws.tables().get("main.crm.features").append(rows(4, DAY0.plusSeconds(2 * 86400L), 1, 200, 0));
    Alerts alerts = Alerts.of(ws);
    RefreshInfo second = alerts.refresh(m);
    assertThat(second.id()).isEqualTo(2);
    assertThat(second.state()).isEqualTo(RefreshInfo.State.SUCCESS);
    assertThat(second.tableVersion()).isEqualTo(ws.tables().get("main.crm.features").version());
    assertThat(m.refreshes()).extracting(RefreshInfo::state)
        .containsExactly(RefreshInfo.State.SUCCESS, RefreshInfo.State.SUCCESS);
    profile = ws.tables().get(m.definition().profileMetricsTable()).read().load();
    assertThat(profiledWindows(profile, "spend"))
        .containsExactly(DAY0, DAY0.plusSeconds(86400), DAY0.plusSeconds(2 * 86400L));
    Frame drift = ws.tables().get(m.definition().driftMetricsTable()).read().load();
    assertThat(drift.rowCount()).isPositive();

    // the report of the second refresh is in the workspace, whole
    URI kept = URI.create(root + "monitors/main.crm.features/reports/refresh-2.html");
    assertThat(text(kept)).startsWith("<!DOCTYPE html>").contains("<h2 id=\"summary\">").endsWith("</html>\n");
    URI again = MonitorReport.of(m).writeToWorkspace(second);
    assertThat(again).isEqualTo(kept);
    // a browser opens local files only: asking for a local path names the workspace and what to do instead
    assertThatThrownBy(() -> MonitorReport.of(m).writeForRefresh(second)).isInstanceOf(MonitorException.class)
        .hasMessageContaining(root.toString()).hasMessageContaining("writeToWorkspace")
        .hasMessageContaining("write(Path)");

    assertThat(Monitors.of(ws).delete("main.crm.features")).isTrue();
    assertThat(stored("monitors/main.crm.features")).isFalse();
    assertThat(Monitors.of(ws).list()).isEmpty();
  }

  /** metrics(value): the alert's table. */
  void metrics(double... values) {
    Frame f = Frame.of(Column.ofDoubles("value", values));
    if (ws.tables().exists("main.ops.metrics")) {
      ws.tables().get("main.ops.metrics").overwrite(f);
    } else {
      ws.tables().create("main.ops.metrics").create(f);
    }
  }

  @Test
  void alerts_move_through_their_states_and_notify_a_callback_and_a_webhook() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      ex.getRequestBody().transferTo(b);
      bodies.add(b.toString(StandardCharsets.UTF_8));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try {
      List<AlertEvent> got = new CopyOnWriteArrayList<>();
      Alerts alerts = Alerts.of(ws).withCallback("cb", got::add);
      metrics(10, 20);
      alerts.create("hot").on("main.ops.metrics", "value").aggregation(Aggregation.MAX).above(25).notifyOnOk(true)
          .destination(AlertDestination.callback("cb"))
          .webhook("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook").create();
      assertThat(alerts.list()).containsExactly("hot");
      assertThat(stored("alerts/hot/alert.json")).isTrue();

      assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.OK);
      metrics(10, 30);
      AlertStatus hot = alerts.evaluate("hot");
      assertThat(hot.state()).isEqualTo(AlertState.TRIGGERED);
      assertThat(hot.value()).contains("30.0");
      assertThat(hot.notifications()).isEqualTo(1);
      metrics(1, 2);
      assertThat(alerts.evaluate("hot").state()).isEqualTo(AlertState.OK);

      // read back by a second Alerts of a second workspace on the same root
      try (Workspace other = Workspace.open(root, conf())) {
        Alerts seen = Alerts.of(other);
        assertThat(seen.status("hot").state()).isEqualTo(AlertState.OK);
        assertThat(seen.status("hot").notifications()).isEqualTo(2);
        assertThat(seen.history("hot")).extracting(AlertStatus::state)
            .containsExactly(AlertState.OK, AlertState.TRIGGERED, AlertState.OK);
      }
      assertThat(got).extracting(AlertEvent::state).containsExactly(AlertState.TRIGGERED, AlertState.OK);
      assertThat(bodies).hasSize(2);
      assertThat(bodies.get(0)).contains("alert_state_change").contains("\"delivery_id\" : \"hot-1-")
          .contains("changed status to TRIGGERED");
      assertThat(bodies.get(1)).contains("\"delivery_id\" : \"hot-2-").contains("changed status to OK");
      assertThat(alerts.pendingDeliveries()).isEmpty();
      assertThat(listed("alerts/.outbox")).isEmpty();
      assertThat(alerts.delete("hot")).isTrue();
      assertThat(stored("alerts/hot")).isFalse();
    } finally {
      hook.stop(0);
    }
  }

  static final String M = "main.ml.churn";

  /** y = x1 + 0.5 x2 + noise > 0. */
  static Frame labelled(int n, long seed) {
    Random r = new Random(seed);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x1[i] = r.nextGaussian();
      x2[i] = r.nextGaussian();
      y[i] = x1[i] + 0.5 * x2[i] + 0.3 * r.nextGaussian() > 0;
    }
    return Frame.of(Column.ofDoubles("x1", x1), Column.ofDoubles("x2", x2), Column.ofBooleans("y", y));
  }

  static TrainedModel model(String... features) {
    return Trainer.on(labelled(300, 1)).label("y").features(features).algorithm(Algorithm.logisticRegression()).fit();
  }

  @Test
  void a_deployment_job_deploys_and_the_served_champion_logs_into_inference_tables() throws Exception {
    ModelRegistry registry = ModelRegistry.of(ws);
    Deployments deployments = Deployments.of(ws);
    registry.setAlias(M, "champion", model("x2").register(registry, M).version());
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(labelled(200, 99))), // rows kept in the workspace by content hash
        DeploymentTask.approveWhen("auc >= champion.auc"),
        DeploymentTask.manualApproval(),
        DeploymentTask.deploy("champion", "previous")));
    assertThat(stored("registry/main/ml/churn/deployment/job.json")).isTrue();
    model("x1", "x2").register(registry, M);

    assertThat(deployments.runPending()).extracting(DeploymentRun::version).containsExactly(2);
    DeploymentRun waiting = deployments.getRun(M, 2);
    assertThat(waiting.state()).isEqualTo(JobRunState.APPROVAL);
    assertThat(waiting.task("evaluate").metrics().get("auc"))
        .isGreaterThan(waiting.task("evaluate").metrics().get("champion.auc"));
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));

    deployments.approve(M, 2, "ana", "checked on shared storage");
    deployments.runPending();
    DeploymentRun done = deployments.getRun(M, 2);
    assertThat(done.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(done.task("approval").approver()).hasValue("ana");
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);
    assertThat(stored("registry/main/ml/churn/versions/2/deployment.json")).isTrue();
    URI history = URI.create(root + "registry/main/ml/churn/deployment/history.jsonl");
    assertThat(text(history).lines()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"kind\":\"deploy\""));
    // a second process's view (another workspace on the same root) sees the same runs and aliases
    try (Workspace other = Workspace.open(root, conf())) {
      assertThat(Deployments.of(other).getRun(M, 2).state()).isEqualTo(JobRunState.SUCCEEDED);
      assertThat(ModelRegistry.of(other).aliases(M)).containsEntry("champion", 2);
    }

    // the deployed champion serves; requests and predictions land in Delta tables in the workspace
    HttpClient client = HttpClient.newHttpClient();
    try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/" + M + "@champion").build();
         InferenceLog log = InferenceLog.builder(ws, "main.serving.churn").build();
         ScoringServer server = ScoringServer.builder(ep).inferenceLog(log).start()) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("invocations"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"dataframe_records\": [{\"x1\": 2.0, \"x2\": 1.0}, {\"x1\": -2.0, \"x2\": -1.0}],"
              + " \"client_request_id\": \"req-1\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      log.flush();
      Frame payload = ws.tables().get(log.payloadTable()).read().load();
      assertThat(payload.rowCount()).isEqualTo(1);
      assertThat(payload.column("client_request_id").getString(0)).isEqualTo("req-1");
      assertThat(payload.column("status_code").getInt(0)).isEqualTo(200);
      Frame predictions = ws.tables().get(log.predictionsTable()).read().load();
      assertThat(predictions.rowCount()).isEqualTo(2);
      assertThat(predictions.column("model_version").getString(0)).isEqualTo("2");
      assertThat(ws.tables().get(log.predictionsTable()).location()).startsWith(root.getScheme() + "://");
    }

    assertThat(deployments.rollback(M).version()).isEqualTo(1);
    assertThat(registry.aliases(M)).containsEntry("champion", 1);
    assertThat(text(history).lines()).hasSize(2); // the rollback appended its line
    assertThat(deployments.detach(M)).isTrue();
    assertThat(stored("registry/main/ml/churn/deployment/job.json")).isFalse();
  }
}
