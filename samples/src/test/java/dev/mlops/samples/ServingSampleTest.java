package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingSampleTest {
  @TempDir Path dir;

  @Test
  void serves_the_champion_in_every_format_follows_the_alias_and_logs_requests_and_predictions() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ServingSample.Result r = ServingSample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(r.answers()).containsKeys("dataframe_split", "dataframe_records", "instances", "inputs", "csv", "after_move");
    r.answers().forEach((k, v) -> {
      if (!k.equals("after_move")) {
        assertThat(v).as(k).startsWith("main.ml.churn-1 200 {\"predictions\":[");
      }
    });
    assertThat(r.answers().get("inputs")).contains("probability_true");
    assertThat(r.answers().get("after_move")).startsWith("main.ml.churn-2 200");
    assertThat(r.payloadRows()).isGreaterThanOrEqualTo(6);
    // 2 + 2 + 1 + 2 + 2 rows from version 1, then one row per call after the move
    assertThat(r.predictionRows()).isEqualTo(9 + (r.payloadRows() - 5));
    assertThat(r.predictions().column("model_version").toList()).contains("1", "2");
    assertThat(r.predictions().column("label").nullCount()).isEqualTo(r.predictionRows());
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Serving on http://127.0.0.1:", "Moved @champion -> 2");
  }
}
