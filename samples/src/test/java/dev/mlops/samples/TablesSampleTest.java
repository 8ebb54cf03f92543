package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Commit;
import dev.mlops.core.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesSampleTest {
  @TempDir Path dir;

  @Test
  void the_table_scenario_writes_six_versions_and_reads_an_old_one() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TablesSample.Result r;
    try (Workspace ws = Workspace.open(dir)) {
      r = TablesSample.run(ws, new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    assertThat(r.latestVersion()).isEqualTo(5);
    assertThat(r.latest().rowCount()).isEqualTo(3);
    assertThat(r.firstVersion().schema().names()).doesNotContain("visits_7d");
    assertThat(r.history()).extracting(Commit::operation).startsWith("UPSERT").endsWith("CREATE");
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Deleted 1 inactive");
  }
}
