package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import dev.mlops.monitor.internal.report.HtmlReport;
import dev.mlops.monitor.internal.report.ReportData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorReportTest {
  @TempDir Path dir;

  /** Every src/href/url( in the page points nowhere outside it (only "#..." fragments). */
  static void assertSelfContained(String html) {
    Matcher m = Pattern.compile("(?i)(src|href|xlink:href)\\s*=\\s*[\"']?([^\"' >]*)").matcher(html);
    while (m.find()) {
      assertThat(m.group(2)).as("reference " + m.group()).startsWith("#");
    }
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("<img");
  }

  @Test
  void report_is_self_contained_with_summary_histograms_drift_impact_and_settings() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      Monitor m = DriftImpactTest.scenario(ws, dir);
      Path file = MonitorReport.of(m).writeForRefresh(m.refreshes().get(m.refreshes().size() - 1));
      assertThat(file).isEqualTo(dir.resolve("monitors/main.crm.features/reports/refresh-1.html"));
      String html = Files.readString(file);
      assertSelfContained(html);
      assertThat(html).contains("<h2 id=\"summary\">").contains("drifted columns").contains("1 of 4")
          .contains("rows in latest window").contains(">500<");
      for (String c : List.of("spend", "visits", "city", "ts")) {
        assertThat(html).contains("data-column=\"" + c + "\"");
      }
      assertThat(count(html, "class=\"chart histogram\"")).isEqualTo(4);
      assertThat(count(html, "class=\"chart drift\"")).isEqualTo(4);
      assertThat(count(html, "class=\"threshold\"")).isEqualTo(3);
      assertThat(html).contains("class=\"col drifted\" data-column=\"spend\"");
      assertThat(html).contains("main.ml.churn v2 [champion]").contains("main.raw.orders@");
      assertThat(html).contains("main.crm.train").contains("PSI bins");
      // histogram bars: baseline and current, for city too (frequent items)
      assertThat(html).contains("<title>Lima baseline").contains("<title>Lima current");
      Files.createDirectories(Path.of("target"));
      renderInChromium(file, Path.of("target", "monitor-report.png"));
    }
  }

  @Test
  void write_to_workspace_keeps_the_page_next_to_the_monitor_and_returns_where_it_is() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      Monitor m = DriftImpactTest.scenario(ws, dir);
      java.net.URI page = MonitorReport.of(m).writeToWorkspace(m.refreshes().get(0));
      assertThat(page.getScheme()).isEqualTo("file");
      assertThat(Path.of(page)).isEqualTo(dir.resolve("monitors/main.crm.features/reports/refresh-1.html"));
      String html = Files.readString(Path.of(page));
      assertSelfContained(html);
      assertThat(html).contains("<h2 id=\"summary\">").endsWith("</html>\n");
      // Alerts.refresh keeps the page of each refresh the same way
      RefreshInfo second = Alerts.of(ws).refresh(m);
      assertThat(dir.resolve("monitors/main.crm.features/reports/refresh-" + second.id() + ".html")).exists();
    }
  }

  @Test
  void inference_log_report_shows_model_quality_over_the_windows() {
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create("main.ml.log").create(MonitorRefreshTest.log(0, 3, 100, 0.0, true));
      Monitor m = Monitors.of(ws).create("main.ml.log")
          .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label"))
          .includeColumns("x", "country").create();
      m.refresh();
      String html = MonitorReport.of(m).html();
      assertSelfContained(html);
      assertThat(html).doesNotContain("No model-quality metrics");
      assertThat(count(html, "class=\"chart quality\"")).isGreaterThanOrEqualTo(1);
      assertThat(html).contains("<b>accuracy_score</b>");
      assertThat(html).contains("windows<b>3</b>");
    }
  }

  @Test
  void a_thousand_column_report_stays_under_the_stated_size() {
    List<ReportData.ColumnData> cols = new ArrayList<>();
    for (int c = 0; c < 1000; c++) {
      List<ReportData.Bar> bars = new ArrayList<>();
      for (int b = 0; b < 500; b++) {
        bars.add(new ReportData.Bar(String.valueOf(b * 1.5), Math.random(), Math.random()));
      }
      List<ReportData.Point> pts = new ArrayList<>();
      for (int w = 0; w < 5000; w++) {
        pts.add(new ReportData.Point(Instant.parse("2020-01-01T00:00:00Z").plusSeconds(3600L * w), Math.random()));
      }
      cols.add(new ReportData.ColumnData("column_" + c, "double", c % 7 == 0, "PSI", 0.25, false, bars, pts));
    }
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("columns", "1000");
    String html = HtmlReport.render(new ReportData("main.big.t", "now", summary, Map.of("k", "v"), cols, List.of(),
        List.of()));
    int bytes = html.getBytes(StandardCharsets.UTF_8).length;
    System.out.println("1,000-column report: " + bytes + " bytes");
    assertThat(bytes).isLessThan(8_000_000);
    assertThat(count(html, "<circle")).isEqualTo(1000 * HtmlReport.MAX_POINTS);
    assertThat(count(html, "<rect")).isEqualTo(1000 * HtmlReport.MAX_BARS * 2);
    assertSelfContained(html);
  }

  static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Loads the page in headless Chromium: a screenshot is written and is not trivially small, and the
   * DOM Chromium built holds the charts. Skipped, with the reason printed, where there is no Chromium.
   */
  static void renderInChromium(Path html, Path png) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(chromium)) {
      System.out.println("SKIPPED rendering in Chromium: /usr/bin/chromium is not installed"
          + " (apt-get install -y chromium)");
      Assumptions.assumeTrue(false, "no /usr/bin/chromium");
    }
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile);
    List<String> shot = new ArrayList<>(common);
    shot.addAll(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1200,2000", html.toUri().toString()));
    Path out = Files.createTempFile("dom", ".html");
    String dom;
    try {
      Process p = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium screenshot finished").isTrue();
      List<String> dump = new ArrayList<>(common);
      dump.addAll(List.of("--dump-dom", html.toUri().toString()));
      Process d = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectOutput(out.toFile()).start();
      assertThat(d.waitFor(120, TimeUnit.SECONDS)).isTrue();
      dom = Files.readString(out);
    } finally {
      dev.mlops.core.internal.FileTrees.deleteQuietly(profile); // also when an assertion fails: no profile left in /tmp
      Files.deleteIfExists(out);
    }
    assertThat(png).exists();
    assertThat(Files.size(png)).as("screenshot size").isGreaterThan(20_000);
    assertThat(count(dom, "class=\"chart histogram\"")).isGreaterThan(0);
    assertThat(dom).contains("<svg").contains("<rect").contains("<path").contains("id=\"impact\"");
    System.out.println("Rendered " + html + " in Chromium: " + png + " (" + Files.size(png) + " bytes)");
  }
}
