package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh in another JVM, SIGKILLed between its two result-table commits: each table holds the old
 * or the new rows of a window (never a mix), the history shows the refresh as RUNNING until the next
 * refresh marks it FAILED, and the next refresh ends with exactly what an uninterrupted run writes.
 */
class KilledRefreshTest {
  @TempDir Path killedDir;
  @TempDir Path cleanDir;

  static void setUp(Workspace ws) {
    ws.tables().create("main.ml.log").create(MonitorRefreshTest.log(0, 3, 100, 0.0, false));
    Monitors.of(ws).create("main.ml.log")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label"))
        .includeColumns("x", "country").create().refresh();
    Frame labels = MonitorRefreshTest.log(0, 3, 100, 0.0, true).filter(i -> i >= 100 && i < 200);
    ws.tables().get("main.ml.log").upsert(labels, "id");
  }

  static List<String> sorted(Frame f) {
    return f.rows().stream().map(Object::toString).sorted().collect(Collectors.toList());
  }

  @Test
  void a_refresh_killed_between_commits_leaves_whole_windows_and_the_next_refresh_completes_it() throws Exception {
    try (Workspace ws = Workspace.open(killedDir)) {
      setUp(ws);
      DeltaTable prof = ws.tables().get("main.ml.log_profile_metrics");
      DeltaTable drift = ws.tables().get("main.ml.log_drift_metrics");
      long profV = prof.version();
      long driftV = drift.version();
      Frame driftBefore = drift.read().load();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Dmlops.monitor.pauseBetweenCommitsMs=120000", RefreshChild.class.getName(), killedDir.toString(),
          "main.ml.log").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (prof.version() == profV && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(prof.version()).as("the child committed the profile table").isEqualTo(profV + 1);
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // profile table: the new rows of the changed window; drift table: untouched
      Frame p = prof.read().load();
      assertThat(MonitorRefreshTest.rows(p, MonitorRefreshTest.where("column_name", ":table", "model_version", "*",
          "slice_key", null, "window.start", MonitorRefreshTest.DAY0.plusSeconds(86400))).get(0).get("accuracy_score"))
          .isEqualTo(0.75);
      assertThat(drift.version()).isEqualTo(driftV);
      assertThat(drift.read().load()).isEqualTo(driftBefore);
      Monitor m = Monitors.of(ws).get("main.ml.log");
      assertThat(m.refreshes().get(m.refreshes().size() - 1).state()).isEqualTo(RefreshInfo.State.RUNNING);
      RefreshInfo after = m.refresh();
      assertThat(after.state()).isEqualTo(RefreshInfo.State.SUCCESS);
      assertThat(m.refreshes()).extracting(RefreshInfo::state).containsExactly(RefreshInfo.State.SUCCESS,
          RefreshInfo.State.FAILED, RefreshInfo.State.SUCCESS);
      try (Workspace clean = Workspace.open(cleanDir)) {
        setUp(clean);
        Monitors.of(clean).get("main.ml.log").refresh();
        assertThat(sorted(prof.read().load()))
            .isEqualTo(sorted(clean.tables().get("main.ml.log_profile_metrics").read().load()));
        assertThat(sorted(drift.read().load()))
            .isEqualTo(sorted(clean.tables().get("main.ml.log_drift_metrics").read().load()));
      }
    }
  }
}
