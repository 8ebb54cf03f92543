package dev.mlops.monitor;

import dev.mlops.core.Workspace;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.monitor.internal.Errors;
import dev.mlops.monitor.internal.MonitorStore;
import dev.mlops.monitor.internal.alert.Impacts;
import dev.mlops.monitor.internal.report.HtmlReport;
import dev.mlops.monitor.internal.report.ReportData;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A monitor's HTML report: one self-contained file (inline CSS and SVG; no script, font or image is
 * fetched) with the summary (rows, windows, drifted columns), per-column histograms of the baseline vs
 * the latest window (estimated from the profile's quantiles, or the frequent items of categorical
 * columns), each column's drift statistic over the windows with its threshold, model quality over the
 * windows, the drift → lineage impact list and the monitor's settings.
 *
 * <p>Size: at most {@value HtmlReport#MAX_BARS} bars per histogram and {@value HtmlReport#MAX_POINTS}
 * points per chart, about 7 KB per column: a 1,000-column report stays under 8 MB (measured in
 * {@code MonitorReportTest}).
 *
 * <p>Where reports go: {@link #writeToWorkspace(RefreshInfo)} writes the page into the workspace, on
 * local disk or on its Hadoop filesystem ({@code hdfs://}), next to the monitor's other files; a browser
 * opens only local files, so on a remote workspace write a local copy with {@link #write(Path)} to look
 * at it.
 *
 * <pre>{@code
 * Path html = MonitorReport.of(monitor).write(Path.of("target/report.html"));
 * URI kept = MonitorReport.of(monitor).writeToWorkspace(monitor.refresh()); // monitors/<table>/reports/refresh-<id>.html
 * }</pre>
 */
public final class MonitorReport {
  private final Monitor monitor;

  private MonitorReport(Monitor monitor) {
    this.monitor = monitor;
  }

  /** The report of a monitor (read from its result tables when rendered). */
  public static MonitorReport of(Monitor monitor) {
    return new MonitorReport(Objects.requireNonNull(monitor, "monitor"));
  }

  /** The page as text. */
  public String html() {
    return HtmlReport.render(data());
  }

  /**
   * Writes the page to a file (atomically).
   *
   * @return the file
   */
  public Path write(Path file) {
    AtomicFiles.write(file, html().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /**
   * Writes the page for a refresh into the workspace, whole or not at all:
   * {@code monitors/<table>/reports/refresh-<id>.html} on local disk or on the workspace's Hadoop
   * filesystem.
   *
   * <pre>{@code
   * URI page = MonitorReport.of(monitor).writeToWorkspace(monitor.refresh());
   * // hdfs://namenode:8020/lakehouse/monitors/main.crm.features/reports/refresh-3.html
   * }</pre>
   *
   * @param refresh the refresh the page belongs to (its id names the file)
   * @return where the page is: a {@code file:} URI on local disk, the workspace's URI scheme otherwise
   */
  public URI writeToWorkspace(RefreshInfo refresh) {
    Objects.requireNonNull(refresh, "refresh");
    return new MonitorStore(monitor.workspace(), monitor.table()).writeReport(refresh.id(),
        html().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the page for a refresh under a local workspace ({@code monitors/<table>/reports/refresh-<id>.html})
   * and returns its path, to open in a browser.
   *
   * @return the file
   * @throws MonitorException when the workspace is not on local disk (the message names its URI): use
   *     {@link #writeToWorkspace(RefreshInfo)} to keep the page in the workspace, and {@link #write(Path)}
   *     for a local copy to open
   */
  public Path writeForRefresh(RefreshInfo refresh) {
    Workspace ws = monitor.workspace();
    if (ws.localRoot().isEmpty()) {
      throw Errors.reportNeedsLocalWorkspace(monitor.table(), ws.root());
    }
    return Path.of(writeToWorkspace(refresh));
  }

  ReportData data() {
    Workspace ws = monitor.workspace();
    MonitorDefinition d = monitor.definition();
    String modelCol = d.profileType() instanceof InferenceLog il ? il.modelId() : null;
    List<Map<String, Object>> prof = rows(ws, d.profileMetricsTable(), modelCol);
    List<Map<String, Object>> drift = rows(ws, d.driftMetricsTable(), modelCol);
    String gran = prof.stream().map(r -> (String) r.get("granularity")).filter(Objects::nonNull).sorted().findFirst()
        .orElse(null);
    String driftType = d.baselineTable().isPresent() ? "BASELINE" : "CONSECUTIVE";
    TreeSet<Instant> windows = new TreeSet<>();
    for (Map<String, Object> r : prof) {
      if ("INPUT".equals(r.get("log_type")) && Objects.equals(gran, r.get("granularity")) && start(r) != null) {
        windows.add(start(r));
      }
    }
    Instant latest = windows.isEmpty() ? null : windows.last();
    DriftReport impact = Impacts.report(ws, d.table(), d.driftMetricsTable(), Optional.ofNullable(latest), driftType);
    Map<String, ReportData.ColumnData> cols = new TreeMap<>();
    Map<String, Map<String, Object>> current = new TreeMap<>();
    Map<String, Map<String, Object>> base = new TreeMap<>();
    long rowsLatest = 0;
    for (Map<String, Object> r : prof) {
      String c = (String) r.get("column_name");
      if ("BASELINE".equals(r.get("log_type"))) {
        base.put(c, r);
      } else if (Objects.equals(gran, r.get("granularity")) && Objects.equals(latest, start(r))) {
        if (":table".equals(c)) {
          rowsLatest = r.get("count") == null ? 0 : (Long) r.get("count");
        } else {
          current.put(c, r);
        }
      }
    }
    Map<String, List<ReportData.Point>> driftPts = new TreeMap<>();
    Map<String, Map<String, Object>> lastDrift = new TreeMap<>();
    for (Map<String, Object> r : drift) {
      String c = (String) r.get("column_name");
      if (":table".equals(c) || !driftType.equals(r.get("drift_type")) || !Objects.equals(gran, r.get("granularity"))) {
        continue;
      }
      String stat = (String) r.get("drift_statistic");
      driftPts.computeIfAbsent(c, k -> new ArrayList<>()).add(new ReportData.Point(start(r),
          statValue(r, stat)));
      Map<String, Object> prev = lastDrift.get(c);
      if (prev == null || start(r).isAfter(start(prev))) {
        lastDrift.put(c, r);
      }
    }
    int drifted = 0;
    for (Map.Entry<String, Map<String, Object>> e : current.entrySet()) {
      String c = e.getKey();
      Map<String, Object> ld = lastDrift.get(c);
      boolean isDrifted = ld != null && latest != null && latest.equals(start(ld))
          && Boolean.TRUE.equals(ld.get("drift_detected"));
      drifted += isDrifted ? 1 : 0;
      String stat = ld == null || ld.get("drift_statistic") == null ? "" : (String) ld.get("drift_statistic");
      double thr = ld == null || ld.get("drift_threshold") == null ? Double.NaN : (Double) ld.get("drift_threshold");
      List<ReportData.Point> pts = new ArrayList<>(driftPts.getOrDefault(c, List.of()));
      pts.sort(Comparator.comparing(ReportData.Point::at));
      cols.put(c, new ReportData.ColumnData(c, String.valueOf(e.getValue().get("data_type")), isDrifted, stat, thr,
          stat.endsWith("PVALUE"), bars(base.get(c), e.getValue()), pts));
    }
    List<ReportData.Series> quality = new ArrayList<>();
    for (String q : List.of("accuracy_score", "f1_score.macro", "roc_auc", "r2_score", "root_mean_squared_error")) {
      List<ReportData.Point> pts = new ArrayList<>();
      for (Map<String, Object> r : prof) {
        if (":table".equals(r.get("column_name")) && "INPUT".equals(r.get("log_type"))
            && Objects.equals(gran, r.get("granularity"))) {
          Object v = r.get(q.split("\\.")[0]);
          if (q.contains(".") && v instanceof Map<?, ?> m) {
            v = m.get(q.split("\\.")[1]);
          }
          if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
            pts.add(new ReportData.Point(start(r), n.doubleValue()));
          }
        }
      }
      if (!pts.isEmpty()) {
        pts.sort(Comparator.comparing(ReportData.Point::at));
        quality.add(new ReportData.Series(q, pts));
      }
    }
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("rows in latest window", String.valueOf(rowsLatest));
    summary.put("windows", String.valueOf(windows.size()));
    summary.put("latest window", latest == null ? "none" : latest.toString());
    summary.put("drifted columns", drifted + " of " + cols.size());
    List<RefreshInfo> refreshes = monitor.refreshes();
    if (!refreshes.isEmpty()) {
      RefreshInfo r = refreshes.get(refreshes.size() - 1);
      summary.put("last refresh", "#" + r.id() + " " + r.state() + " (table v" + r.tableVersion() + ")");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("table", d.table());
    settings.put("profile type", String.valueOf(d.profileType()));
    settings.put("granularity shown", String.valueOf(gran));
    settings.put("baseline", d.baselineTable().orElse("(none: CONSECUTIVE drift)"));
    settings.put("slicing expressions", String.valueOf(d.slicingExprs()));
    settings.put("included columns", d.includeColumns().isEmpty() ? "(all)" : String.valueOf(d.includeColumns()));
    settings.put("excluded columns", String.valueOf(d.excludeColumns()));
    settings.put("thresholds", d.thresholds().isEmpty() ? "(defaults)" : String.valueOf(d.thresholds()));
    settings.put("PSI bins", String.valueOf(d.psiBins()));
    settings.put("monitor version", String.valueOf(d.monitorVersion()));
    return new ReportData(d.table(), Instant.now().toString(), summary, settings, List.copyOf(cols.values()), quality,
        impact.columns());
  }

  private static List<Map<String, Object>> rows(Workspace ws, String table, String modelCol) {
    if (!ws.tables().exists(table)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : ws.tables().get(table).read().load().rows()) {
      if (r.get("slice_key") == null && (modelCol == null || "*".equals(r.get(modelCol)) || r.get(modelCol) == null)) {
        out.add(r);
      }
    }
    return out;
  }

  private static Instant start(Map<String, Object> r) {
    return r.get("window") instanceof Map<?, ?> w ? (Instant) w.get("start") : null;
  }

  private static double statValue(Map<String, Object> r, String stat) {
    if (stat == null) {
      return Double.NaN;
    }
    Object v = switch (stat) {
      case "WASSERSTEIN_NORMALIZED" -> r.get("wasserstein_distance_normalized");
      case "JS_DISTANCE" -> r.get("js_distance");
      case "PSI" -> r.get("population_stability_index");
      case "TV_DISTANCE" -> r.get("tv_distance");
      case "L_INFINITY_DISTANCE" -> r.get("l_infinity_distance");
      case "KS_PVALUE" -> r.get("ks_test") instanceof Map<?, ?> m ? m.get("pvalue") : null;
      case "CHI_SQUARED_PVALUE" -> r.get("chi_squared_test") instanceof Map<?, ?> m ? m.get("pvalue") : null;
      default -> null;
    };
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static List<ReportData.Bar> bars(Map<String, Object> base, Map<String, Object> cur) {
    List<ReportData.Bar> out = new ArrayList<>();
    if (cur.get("quantiles") instanceof List<?> || base != null && base.get("quantiles") instanceof List<?>) {
      double[] cb = cdf(cur);
      double[] bb = base == null ? null : cdf(base);
      if (cb == null && bb == null) {
        return out;
      }
      double lo = Math.min(cb == null ? Double.MAX_VALUE : cb[0], bb == null ? Double.MAX_VALUE : bb[0]);
      double hi = Math.max(cb == null ? -Double.MAX_VALUE : cb[6], bb == null ? -Double.MAX_VALUE : bb[6]);
      int n = HtmlReport.MAX_BARS;
      double width = hi > lo ? (hi - lo) / n : 1;
      for (int i = 0; i < n; i++) {
        double a = lo + i * width;
        double b = i == n - 1 ? hi : a + width;
        out.add(new ReportData.Bar(String.format(java.util.Locale.ROOT, "%.3g", a), share(bb, a, b, i == 0),
            share(cb, a, b, i == 0)));
      }
      return out;
    }
    Map<String, double[]> items = new LinkedHashMap<>();
    addItems(items, base, 0);
    addItems(items, cur, 1);
    items.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1],
        x.getValue()[0] + x.getValue()[1])).limit(HtmlReport.MAX_BARS)
        .forEach(e -> out.add(new ReportData.Bar(e.getKey(), e.getValue()[0], e.getValue()[1])));
    return out;
  }

  private static void addItems(Map<String, double[]> items, Map<String, Object> r, int idx) {
    if (r == null || !(r.get("frequent_items") instanceof List<?> l)) {
      return;
    }
    double total = r.get("count") instanceof Number n ? n.doubleValue() : 0;
    for (Object o : l) {
      Map<?, ?> m = (Map<?, ?>) o;
      double c = ((Number) m.get("count")).doubleValue();
      items.computeIfAbsent(String.valueOf(m.get("item")), k -> new double[] {0, 0})[idx] = total > 0 ? c / total : 0;
    }
  }

  /** min, q05, q25, q50, q75, q95, max. */
  private static double[] cdf(Map<String, Object> r) {
    if (!(r.get("quantiles") instanceof List<?> q) || q.size() != 5 || !(r.get("min") instanceof Number mn)
        || !(r.get("max") instanceof Number mx)) {
      return null;
    }
    double[] x = new double[7];
    x[0] = mn.doubleValue();
    for (int i = 0; i < 5; i++) {
      x[i + 1] = ((Number) q.get(i)).doubleValue();
    }
    x[6] = mx.doubleValue();
    return x;
  }

  private static final double[] LEVELS = {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1};

  private static double cdfAt(double[] x, double v) {
    if (v <= x[0]) {
      return 0;
    }
    if (v >= x[6]) {
      return 1;
    }
    for (int i = 1; i < 7; i++) {
      if (v <= x[i]) {
        double span = x[i] - x[i - 1];
        return span <= 0 ? LEVELS[i] : LEVELS[i - 1] + (v - x[i - 1]) / span * (LEVELS[i] - LEVELS[i - 1]);
      }
    }
    return 1;
  }

  private static double share(double[] x, double a, double b, boolean first) {
    if (x == null) {
      return Double.NaN;
    }
    double s = cdfAt(x, b) - cdfAt(x, a);
    if (first && x[0] == x[6] && x[0] >= a && x[0] <= b) {
      s = 1; // a constant column
    }
    return s;
  }
}
