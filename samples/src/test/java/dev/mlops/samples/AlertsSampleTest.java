package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.DriftImpact;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsSampleTest {
  @TempDir Path dir;

  @Test
  void drift_alert_reaches_the_webhook_with_the_champion_it_affects_and_returns_to_ok_after_the_fix()
      throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AlertsSample.Result r = AlertsSample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    System.out.print(buf.toString(StandardCharsets.UTF_8));
    assertThat(r.afterDrift().state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(r.afterFix().state()).isEqualTo(AlertState.OK);
    assertThat(r.driftReport().columns()).extracting(DriftImpact::column).contains("spend_30d")
        .doesNotContain("plan");
    DriftImpact spend = r.driftReport().columns().stream().filter(i -> i.column().equals("spend_30d")).findFirst()
        .orElseThrow();
    assertThat(spend.featureTables()).extracting(DriftImpact.TableRef::name).containsExactly(TrainingSample.ACTIVITY);
    assertThat(spend.models()).singleElement().satisfies(m -> {
      assertThat(m.model()).isEqualTo("main.ml.churn");
      assertThat(m.aliases()).containsExactly("champion");
    });
    assertThat(r.webhookBodies()).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode fired = json.readTree(r.webhookBodies().get(0));
    assertThat(fired.get("event").asText()).isEqualTo("alert_state_change");
    assertThat(fired.get("alert").get("alert").get("state").asText()).isEqualTo("TRIGGERED");
    assertThat(fired.get("impact").toString()).contains("spend_30d").contains("main.ml.churn").contains("champion")
        .contains(TrainingSample.ACTIVITY);
    JsonNode ok = json.readTree(r.webhookBodies().get(1));
    assertThat(ok.get("alert").get("alert").get("state").asText()).isEqualTo("OK");
    assertThat(ok.get("delivery_id").asText()).isNotEqualTo(fired.get("delivery_id").asText());
    // one report per refresh, self-contained
    assertThat(r.reports()).hasSize(2).allMatch(Files::isRegularFile);
    String html = Files.readString(r.reports().get(0));
    assertThat(html).contains("main.ml.churn v").contains("[champion]").doesNotContain("<script")
        .doesNotContain("src=").doesNotContain("href=");
    render(r.reports().get(0));
  }

  /** Renders the first report in headless Chromium when it is installed, keeping a screenshot under target/. */
  static void render(Path html) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(chromium)) {
      System.out.println("SKIPPED rendering the report: /usr/bin/chromium is not installed");
      return;
    }
    Files.createDirectories(Path.of("target"));
    Path png = Path.of("target", "alerts-sample-report.png").toAbsolutePath();
    Path profile = Files.createTempDirectory("chromium");
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1200,2000",
        html.toUri().toString()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    } finally {
      dev.mlops.core.internal.FileTrees.deleteQuietly(profile); // Chromium's profile: one per run, left in /tmp before
    }
    assertThat(Files.size(png)).isGreaterThan(20_000);
    System.out.println("Report screenshot: " + png);
  }
}
