package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringSampleTest {
  @TempDir Path dir;

  @Test
  void the_sample_finds_the_drifted_inputs_and_shows_quality_once_labels_arrive() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    MonitoringSample.Result r = MonitoringSample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.print(printed); // kept in the surefire report
    Instant day3 = MonitoringSample.DAY1.plusSeconds(2 * 86400L);
    // day 3's spend and city drifted; the first two days did not
    assertThat(r.drifted()).anySatisfy(d -> {
      assertThat(d.window()).isEqualTo(day3);
      assertThat(d.column()).isEqualTo("spend");
      assertThat(d.statistic()).isEqualTo("WASSERSTEIN_NORMALIZED");
    });
    assertThat(r.drifted()).anySatisfy(d -> {
      assertThat(d.window()).isEqualTo(day3);
      assertThat(d.column()).isEqualTo("city");
    });
    assertThat(r.drifted()).noneMatch(d -> d.window().isBefore(day3) && !d.column().equals("prediction"));
    // before the labels: no quality at all (NULL, not 0)
    assertThat(r.accuracyBefore().values()).allMatch(v -> v.isNaN()).hasSize(3);
    // after: days 1 and 2 have it (about 85% agreement), day 3 still NULL
    Map<Instant, Double> after = r.accuracyAfter();
    assertThat(after.get(MonitoringSample.DAY1)).isBetween(0.8, 0.9);
    assertThat(after.get(MonitoringSample.DAY1.plusSeconds(86400))).isBetween(0.8, 0.9);
    assertThat(after.get(day3)).isNaN();
    assertThat(r.secondRefresh().message()).contains("changed window");
    assertThat(printed).contains("Drifted columns").contains("spend").contains("accuracy 0.8");
  }
}
