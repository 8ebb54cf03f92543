package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.InferenceLog;
import dev.mlops.monitor.Monitor;
import dev.mlops.monitor.Monitors;
import dev.mlops.monitor.RefreshInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Monitoring a model in production: predictions are logged to an inference table, the inputs drift
 * on the third day, and the true labels arrive two days late.
 *
 * <ol>
 *   <li>a training set (the baseline) and three days of scored requests, whose {@code spend} and
 *       {@code city} shift on day 3;
 *   <li>an inference-log monitor, refreshed: the drifted columns with their statistics, from
 *       {@code main.ml.churn_log_drift_metrics};
 *   <li>labels for days 1 and 2 arrive by upsert; the next refresh recomputes only those windows and
 *       the model quality per window appears (day 3 stays NULL: no labels yet).
 * </ol>
 *
 * <p>Run: {@code java dev.mlops.samples.MonitoringSample [dir]}.
 */
public final class MonitoringSample {
  private MonitoringSample() {}

  /** One drifted column of one window. */
  public record Drifted(Instant window, String column, String statistic, double value, double threshold) {}

  /**
   * What the run found.
   *
   * @param drifted drifted columns (BASELINE comparison, whole table, all models) after the first refresh
   * @param accuracyBefore accuracy per window before the labels arrived (NaN = no labels)
   * @param accuracyAfter accuracy per window after the late labels
   * @param secondRefresh the refresh after the labels arrived
   */
  public record Result(List<Drifted> drifted, Map<Instant, Double> accuracyBefore, Map<Instant, Double> accuracyAfter,
      RefreshInfo secondRefresh) {}

  static final Instant DAY1 = Instant.parse("2026-03-02T00:00:00Z");
  static final String[] CITIES = {"Oslo", "Lima", "Pune"};

  /** Runs the sample in the given directory (default target/monitoring). */
  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "target/monitoring"), System.out);
  }

  /** The whole scenario in {@code dir}, printing what it finds. */
  public static Result run(Path dir, PrintStream out) {
    try (Workspace ws = Workspace.open(dir)) {
      for (String t : List.of("main.ml.churn_training", "main.ml.churn_log", "main.ml.churn_log_profile_metrics",
          "main.ml.churn_log_drift_metrics")) {
        ws.tables().drop(t);
      }
      Monitors monitors = Monitors.of(ws);
      monitors.delete("main.ml.churn_log");

      // 1. Baseline: the training set, scored by the model.
      ws.tables().create("main.ml.churn_training").create(batch(0, 3000, DAY1.minusSeconds(30 * 86400L), 30, 0, false, true));
      // three days of requests; day 3's inputs drift; no labels yet
      List<Frame> days = new ArrayList<>();
      for (int d = 0; d < 3; d++) {
        days.add(batch(100_000 + d * 1000, 1000, DAY1.plusSeconds(d * 86400L), 1, d == 2 ? 1 : 0, true, false));
      }
      DeltaTable log = ws.tables().create("main.ml.churn_log").create(Frame.concat(days));
      out.println("Logged " + log.read().columns("request_id").load().rowCount() + " predictions over 3 days");

      // 2. The monitor, and a first refresh.
      Monitor monitor = monitors.create("main.ml.churn_log")
          .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("churned")
              .probabilities(Map.of("0", "proba_0", "1", "proba_1")).granularities("1 day"))
          .baseline("main.ml.churn_training")
          .includeColumns("spend", "visits", "city", "prediction")
          .slicingExprs("city")
          .create();
      RefreshInfo first = monitor.refresh();
      out.println("Refresh " + first.id() + ": " + first.state() + ", " + first.message());
      Frame drift = ws.tables().get("main.ml.churn_log_drift_metrics").read().load();
      List<Drifted> drifted = new ArrayList<>();
      out.println("Drifted columns (vs the training set):");
      for (Map<String, Object> r : drift.rows()) {
        if ("BASELINE".equals(r.get("drift_type")) && r.get("slice_key") == null && "*".equals(r.get("model_version"))
            && Boolean.TRUE.equals(r.get("drift_detected"))) {
          String stat = (String) r.get("drift_statistic");
          double value = switch (stat) {
            case "WASSERSTEIN_NORMALIZED" -> (Double) r.get("wasserstein_distance_normalized");
            case "JS_DISTANCE" -> (Double) r.get("js_distance");
            case "KS_PVALUE" -> (Double) field(r, "ks_test", "pvalue");
            case "CHI_SQUARED_PVALUE" -> (Double) field(r, "chi_squared_test", "pvalue");
            case "PSI" -> (Double) r.get("population_stability_index");
            default -> Double.NaN;
          };
          Drifted x = new Drifted((Instant) field(r, "window", "start"), (String) r.get("column_name"), stat, value,
              (Double) r.get("drift_threshold"));
          drifted.add(x);
          out.printf("  %s  %-10s %s = %.3f (threshold %.2f)  ks D = %s  psi = %s  tv = %s%n", x.window(), x.column(),
              stat, value, x.threshold(), fmt(field(r, "ks_test", "statistic")), fmt(r.get("population_stability_index")),
              fmt(r.get("tv_distance")));
        }
      }
      drifted.sort(java.util.Comparator.comparing(Drifted::window).thenComparing(Drifted::column));
      Map<Instant, Double> before = accuracy(ws);

      // 3. Labels for days 1 and 2 arrive late, by upsert on the request id.
      Frame labelled = Frame.concat(List.of(
          batch(100_000, 1000, DAY1, 1, 0, true, true), batch(101_000, 1000, DAY1.plusSeconds(86400), 1, 0, true, true)));
      log.upsert(labelled, "request_id");
      RefreshInfo second = monitor.refresh();
      out.println("Refresh " + second.id() + " after late labels: " + second.message());
      Map<Instant, Double> after = accuracy(ws);
      out.println("Model quality per window (all models):");
      for (Map.Entry<Instant, Double> e : after.entrySet()) {
        out.printf("  %s  accuracy %s%n", e.getKey(), e.getValue().isNaN() ? "NULL (no labels yet)"
            : String.format("%.3f", e.getValue()));
      }
      return new Result(List.copyOf(drifted), before, after, second);
    }
  }

  /** A field of a struct column ({@code window.start}, {@code ks_test.pvalue}), or null. */
  static Object field(Map<String, Object> row, String column, String field) {
    Object s = row.get(column);
    return s instanceof Map<?, ?> m ? m.get(field) : null;
  }

  private static String fmt(Object v) {
    return v == null ? "NULL" : String.format("%.3f", (Double) v);
  }

  private static Map<Instant, Double> accuracy(Workspace ws) {
    Map<Instant, Double> out = new TreeMap<>();
    for (Map<String, Object> r : ws.tables().get("main.ml.churn_log_profile_metrics").read().load().rows()) {
      if (":table".equals(r.get("column_name")) && r.get("slice_key") == null && "*".equals(r.get("model_version"))
          && "INPUT".equals(r.get("log_type"))) {
        Object a = r.get("accuracy_score");
        out.put((Instant) field(r, "window", "start"), a == null ? Double.NaN : (Double) a);
      }
    }
    return out;
  }

  /**
   * n scored requests from {@code start}, spread over {@code days}; {@code drift} shifts spend up and
   * moves customers to Pune. The "model" is a fixed logistic score of spend and visits; the true label
   * agrees with it about 85% of the time.
   */
  static Frame batch(int firstId, int n, Instant start, int days, int drift, boolean withModel, boolean withLabels) {
    Random r = new Random(firstId);
    List<Object> id = new ArrayList<>();
    List<Object> ts = new ArrayList<>();
    List<Object> spend = new ArrayList<>();
    List<Object> visits = new ArrayList<>();
    List<Object> city = new ArrayList<>();
    List<Object> pred = new ArrayList<>();
    List<Object> p0 = new ArrayList<>();
    List<Object> p1 = new ArrayList<>();
    List<Object> label = new ArrayList<>();
    List<Object> model = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      id.add((long) firstId + i);
      ts.add(start.plusSeconds((long) i * days * 86400L / n));
      double s = Math.exp(4 + 0.5 * r.nextGaussian() + (drift > 0 ? 0.8 : 0));
      int v = (int) Math.max(0, Math.round(5 + 2 * r.nextGaussian()));
      spend.add(s);
      visits.add(v);
      city.add(drift > 0 && r.nextDouble() < 0.6 ? "Pune" : CITIES[r.nextInt(CITIES.length)]);
      double p = 1 / (1 + Math.exp(-(0.02 * (s - 60) - 0.4 * (v - 5))));
      long yHat = p >= 0.5 ? 1 : 0;
      pred.add(yHat);
      p1.add(p);
      p0.add(1 - p);
      label.add(withLabels ? (Object) (r.nextDouble() < 0.85 ? yHat : 1 - yHat) : null);
      model.add(i % 5 == 0 ? "churn/2" : "churn/1");
    }
    return Frame.of(Column.of("request_id", DataType.LONG, id), Column.of("ts", DataType.TIMESTAMP, ts),
        Column.of("spend", DataType.DOUBLE, spend), Column.of("visits", DataType.INT, visits),
        Column.of("city", DataType.STRING, city), Column.of("prediction", DataType.LONG, pred),
        Column.of("proba_0", DataType.DOUBLE, p0), Column.of("proba_1", DataType.DOUBLE, p1),
        Column.of("churned", DataType.LONG, label), Column.of("model_version", DataType.STRING, model));
  }
}
