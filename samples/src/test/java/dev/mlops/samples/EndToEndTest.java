package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Commit;
import dev.mlops.core.Frame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndTest {
  @TempDir Path dir;

  @Test
  void the_main_job_runs_the_whole_loop_and_reports_it() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    EndToEnd.Result r = EndToEnd.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);

    Frame latest = r.latest();
    assertThat(latest.rowCount()).isEqualTo(3);
    Frame c2 = latest.filter(i -> latest.column("customer_id").getLong(i) == 2L);
    assertThat(c2.column("spend_30d").getDouble(0)).isEqualTo(80.0);
    Frame c1 = latest.filter(i -> latest.column("customer_id").getLong(i) == 1L);
    assertThat(c1.column("visits_7d").getInt(0)).isEqualTo(3);
    assertThat(r.firstVersion().rowCount()).isEqualTo(3);
    assertThat(r.firstVersion().schema().names()).doesNotContain("visits_7d");
    assertThat(r.history()).extracting(Commit::operation)
        .containsExactly("UPSERT", "ADD COLUMNS", "DELETE", "UPSERT", "APPEND", "CREATE");
    Frame train = r.trainingSet().load();
    assertThat(train.column("spend_30d").toList()).containsExactly(120.0, 80.0, null);
    assertThat(train.column("visits_7d").toList()).containsExactly(4, 2, 0);
    assertThat(train.column("spend_per_visit").toList()).containsExactly(30.0, 40.0, null);
    assertThat(r.online().column("spend_30d").toList()).containsExactly(80.0, 130.0, null);
    assertThat(r.featureUpstream()).extracting(e -> e.from().name()).contains("main.crm.customers", "monthly-aggregation");
    assertThat(r.model().evaluation().metric("accuracy")).isGreaterThan(0.8);
    assertThat(r.champion().version()).isGreaterThanOrEqualTo(1);
    assertThat(r.scored().rowCount()).isEqualTo(3);
    assertThat(r.scoredOnline().column("probability_true").toDoubleArray())
        .containsExactly(r.scored().column("probability_true").toDoubleArray());
    assertThat(printed).contains("as champion").contains("Champion scores");
    assertThat(printed).contains("Upserted: 1 updated, 1 inserted").contains("Deleted 1 inactive").contains("History:");
    // the second half of the loop ran too, each scenario checked in depth by its own test
    assertThat(r.deployment().finished().state().toString()).isEqualTo("SUCCEEDED");
    assertThat(r.serving().predictionRows()).isPositive();
    assertThat(r.monitoring().drifted()).isNotEmpty();
    assertThat(r.alerts().afterDrift().state().toString()).isEqualTo("TRIGGERED");
    assertThat(r.alerts().afterFix().state().toString()).isEqualTo("OK");
    assertThat(printed).contains("== Deployment job").contains("== Serving").contains("== Monitoring")
        .contains("== Alerts and report");
  }

  @Test
  void running_twice_starts_fresh() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    EndToEnd.run(dir, quiet);
    EndToEnd.Result again = EndToEnd.run(dir, quiet);
    assertThat(again.latestVersion()).isEqualTo(5);
  }
}
