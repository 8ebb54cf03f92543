package dev.mlops.samples;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.TrainedModel;
import dev.mlops.monitor.Aggregation;
import dev.mlops.monitor.AlertOperator;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.AlertStatus;
import dev.mlops.monitor.Alerts;
import dev.mlops.monitor.DriftReport;
import dev.mlops.monitor.Monitor;
import dev.mlops.monitor.Monitors;
import dev.mlops.monitor.RefreshInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An alert on a monitor's drift table that reaches a webhook with the models the drift affects.
 *
 * <ol>
 *   <li>the churn model of {@link TrainingSample} is registered and made champion (the registry records
 *       lineage from the activity feature table to the model version);
 *   <li>its inputs are logged for three days; on day 3 {@code spend_30d} drifts;
 *   <li>a monitor compares each day with the training distribution; an alert on its drift table
 *       ("any column drifted in the latest window") posts to a local webhook: the payload lists the
 *       drifted column, the feature table holding it and {@code main.ml.churn v1 [champion]};
 *   <li>day 3 is re-sent with correct values: the next refresh puts the alert back to OK and the
 *       webhook hears that too; an HTML report is written at every refresh.
 * </ol>
 *
 * <p>Run: {@code java dev.mlops.samples.AlertsSample [dir]}.
 */
public final class AlertsSample {
  private AlertsSample() {}

  /** The inference log the monitor watches. */
  public static final String LOG = "main.ml.churn_inputs";

  /**
   * What the run saw.
   *
   * @param afterDrift the alert after the drifted day
   * @param afterFix the alert after day 3 was corrected
   * @param webhookBodies the JSON bodies the webhook received, in order
   * @param driftReport the drift report after the drifted day
   * @param reports the HTML reports written (one per refresh)
   */
  public record Result(AlertStatus afterDrift, AlertStatus afterFix, List<String> webhookBodies, DriftReport driftReport,
      List<Path> reports) {}

  static final Instant DAY1 = Instant.parse("2026-03-02T00:00:00Z");

  /** Runs the sample in the given directory (default target/alerts). */
  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "target/alerts"), System.out);
  }

  /** The whole scenario in {@code dir}, printing what it finds. */
  public static Result run(Path dir, PrintStream out) {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/alerts", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try (Workspace ws = Workspace.open(dir)) {
      for (String t : List.of(LOG, LOG + "_profile_metrics", LOG + "_drift_metrics", "main.ml.churn_training_inputs")) {
        ws.tables().drop(t);
      }
      Monitors.of(ws).delete(LOG);
      Alerts alerts = Alerts.of(ws);
      alerts.delete("churn_inputs_drift");

      // 1. the model, registered as champion: lineage activity features -> main.ml.churn v1
      TrainedModel model = TrainingSample.run(ws, out);
      ModelRegistry registry = ModelRegistry.of(ws);
      ModelVersion v = model.register(registry, "main.ml.churn");
      registry.setAlias("main.ml.churn", "champion", v.version());
      out.println("Registered main.ml.churn v" + v.version() + " as champion");

      // 2. the training distribution (baseline) and three days of logged inputs; day 3 drifts
      ws.tables().create("main.ml.churn_training_inputs").create(inputs(1, DAY1.minusSeconds(86400L * 30), 1, 2000,
          false));
      ws.tables().create(LOG).create(Frame.concat(List.of(inputs(2, DAY1, 2, 800, false),
          inputs(3, DAY1.plusSeconds(2 * 86400L), 1, 400, true))));

      // 3. monitor + alert; the refresh writes the report and evaluates the alert
      Monitor monitor = Monitors.of(ws).create(LOG).timeSeries("ts", "1 day").baseline("main.ml.churn_training_inputs")
          .create();
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
      alerts.create("churn_inputs_drift").on(LOG + "_drift_metrics", "drift_detected")
          .where(Filter.and(Filter.eq("drift_type", "BASELINE"), Filter.ne("column_name", ":table")))
          .latestBy("window.start").aggregation(Aggregation.MAX).condition(AlertOperator.EQ, true)
          .whenEmpty(AlertState.OK).notifyOnOk(true).impactOf(LOG).webhook(url).create();
      List<Path> reports = new ArrayList<>();
      RefreshInfo r1 = alerts.refresh(monitor);
      reports.add(dir.resolve("monitors").resolve(LOG).resolve("reports").resolve("refresh-" + r1.id() + ".html"));
      AlertStatus afterDrift = alerts.status("churn_inputs_drift");
      DriftReport drift = monitor.driftReport();
      out.println("After day 3: alert " + afterDrift.state() + "; drifted: " + drift.columns().stream()
          .map(i -> i.column() + " -> " + i.featureTables() + " -> " + i.models()).toList());

      // 4. day 3 corrected; refresh again
      ws.tables().get(LOG).overwrite(Frame.concat(List.of(inputs(2, DAY1, 2, 800, false),
          inputs(4, DAY1.plusSeconds(2 * 86400L), 1, 400, false))));
      RefreshInfo r2 = alerts.refresh(monitor);
      reports.add(dir.resolve("monitors").resolve(LOG).resolve("reports").resolve("refresh-" + r2.id() + ".html"));
      AlertStatus afterFix = alerts.status("churn_inputs_drift");
      out.println("After the fix: alert " + afterFix.state() + "; webhook calls: " + bodies.size());
      out.println("Reports: " + reports);
      return new Result(afterDrift, afterFix, List.copyOf(bodies), drift, reports);
    } finally {
      server.stop(0);
    }
  }

  /** Model inputs as {@link TrainingSample} draws them; {@code drift} triples spend. */
  static Frame inputs(int seed, Instant start, int days, int perDay, boolean drift) {
    Random r = new Random(seed);
    List<Object> ts = new ArrayList<>();
    List<Object> spend = new ArrayList<>();
    List<Object> visits = new ArrayList<>();
    List<Object> plan = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      for (int i = 0; i < perDay; i++) {
        ts.add(start.plusSeconds(d * 86400L + i * (86400L / perDay)));
        spend.add(r.nextDouble() * 200 * (drift ? 3 : 1));
        visits.add(r.nextInt(8));
        plan.add(r.nextBoolean() ? "pro" : "free");
      }
    }
    return Frame.of(Column.of("ts", DataType.TIMESTAMP, ts), Column.of("spend_30d", DataType.DOUBLE, spend),
        Column.of("visits_7d", DataType.INT, visits), Column.of("plan", DataType.STRING, plan));
  }
}
