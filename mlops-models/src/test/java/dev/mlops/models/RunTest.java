package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.InvalidNameException;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTest {
  @TempDir Path dir;
  Tracking tracking;
  Experiment exp;

  @BeforeEach
  void open() {
    tracking = Tracking.of(Workspace.open(dir.resolve("ws")));
    exp = tracking.experiment("churn");
  }

  private Path runDir(Run r) {
    return dir.resolve("ws/experiments/churn/runs/" + r.id());
  }

  @Test
  void try_with_resources_ends_the_run_finished() {
    String id;
    try (Run run = exp.start("rf")) {
      id = run.id();
      assertThat(tracking.getRun(id).status()).isEqualTo(RunStatus.RUNNING);
    }
    assertThat(tracking.getRun(id).status()).isEqualTo(RunStatus.FINISHED);
  }

  @Test
  void fail_inside_the_try_block_ends_the_run_failed_and_close_keeps_it() {
    Run run = exp.start();
    try (run) {
      try {
        throw new IllegalArgumentException("bad data");
      } catch (IllegalArgumentException e) {
        run.fail(e);
      }
    }
    assertThat(tracking.getRun(run.id()).status()).isEqualTo(RunStatus.FAILED);
    assertThat(tracking.getRun(run.id()).tags().get("mlops.failure")).contains("bad data");
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void a_catch_clause_of_the_try_with_resources_runs_after_close_so_the_run_is_already_finished() {
    Run run = exp.start();
    try (run) {
      throw new IllegalArgumentException("bad data");
    } catch (IllegalArgumentException e) {
      run.fail(e); // too late: documented; use Experiment.run or fail() inside the block
    }
    assertThat(tracking.getRun(run.id()).status()).isEqualTo(RunStatus.FINISHED);
  }

  @Test
  void end_sets_any_terminal_status_once() {
    Run run = exp.start();
    run.end(RunStatus.KILLED);
    run.close();
    assertThat(tracking.getRun(run.id()).status()).isEqualTo(RunStatus.KILLED);
    assertThatThrownBy(() -> run.end(RunStatus.FINISHED)).isInstanceOf(RunNotActiveException.class);
    assertThatThrownBy(() -> exp.start().end(RunStatus.RUNNING)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_param_relogged_with_another_value_is_refused_and_unchanged() {
    Run run = exp.start();
    run.logParam("trees", 100);
    run.logParam("trees", "100"); // same text: accepted
    assertThatThrownBy(() -> run.logParam("trees", 200)).isInstanceOf(ParamConflictException.class)
        .hasMessageContaining("'trees'").hasMessageContaining("'100'").hasMessageContaining("'200'")
        .hasMessageContaining(run.id());
    assertThat(tracking.getRun(run.id()).params()).containsEntry("trees", "100");
  }

  @Test
  void log_params_checks_every_key_before_writing_any() {
    Run run = exp.start();
    run.logParam("b", 1);
    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put("a", 1);
    batch.put("b", 2);
    assertThatThrownBy(() -> run.logParams(batch)).isInstanceOf(ParamConflictException.class);
    assertThat(tracking.getRun(run.id()).params()).containsOnlyKeys("b");
    Map<String, Object> badKey = new LinkedHashMap<>();
    badKey.put("ok", 1);
    badKey.put("../evil", 2);
    assertThatThrownBy(() -> run.logParams(badKey)).isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("'../evil'");
    assertThat(tracking.getRun(run.id()).params()).containsOnlyKeys("b");
  }

  @Test
  void param_conflicts_are_detected_across_processes_through_the_file() {
    Run run = exp.start();
    run.logParam("seed", 1);
    // another writer (a second handle on the same run directory) sees the stored value
    assertThat(dev.mlops.models.internal.RunStore.putParam(runDir(run), "seed", "2")).contains("1");
  }

  @Test
  void nan_and_infinite_metrics_are_refused_and_nothing_is_written() {
    Run run = exp.start();
    run.logMetric("loss", 0.5, 0);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> run.logMetric("loss", bad, 1)).isInstanceOf(InvalidMetricException.class)
          .hasMessageContaining("'loss'").hasMessageContaining(String.valueOf(bad)).hasMessageContaining(run.id());
    }
    Map<String, Double> batch = new LinkedHashMap<>();
    batch.put("acc", 0.9);
    batch.put("loss", Double.NaN);
    assertThatThrownBy(() -> run.logMetrics(batch, 2)).isInstanceOf(InvalidMetricException.class);
    assertThat(tracking.metricHistory(run.id(), "loss")).hasSize(1);
    assertThat(tracking.metricHistory(run.id(), "acc")).isEmpty();
  }

  @Test
  void latest_metric_is_the_highest_step_then_the_last_logged() {
    Run run = exp.start();
    run.logMetric("auc", 0.9, 5).logMetric("auc", 0.5, 3).logMetric("auc", 0.7, 5);
    assertThat(tracking.getRun(run.id()).metric("auc")).contains(0.7); // live read
    run.close();
    assertThat(tracking.getRun(run.id()).metric("auc")).contains(0.7);
    assertThat(tracking.searchRuns(List.of("churn"), "metrics.auc = 0.7", "", 5)).hasSize(1); // index
  }

  @Test
  void logging_to_a_finished_run_is_refused() throws IOException {
    Run run = exp.start("done");
    run.close();
    Path f = Files.writeString(dir.resolve("a.txt"), "x");
    List<Runnable> calls = List.of(() -> run.logParam("a", 1), () -> run.logMetric("m", 1),
        () -> run.setTag("t", "v"), () -> run.logArtifact(f), () -> run.logParams(Map.of("b", 2)),
        () -> run.logFeatureSpec(Map.of()), () -> run.startChild("c"));
    for (Runnable c : calls) {
      assertThatThrownBy(c::run).isInstanceOf(RunNotActiveException.class).hasMessageContaining("'done'")
          .hasMessageContaining("FINISHED");
    }
    RunInfo r = tracking.getRun(run.id());
    assertThat(r.params()).isEmpty();
    assertThat(r.metrics()).isEmpty();
    assertThat(tracking.listArtifacts(run.id())).isEmpty();
  }

  @Test
  void child_runs_know_their_parent() {
    try (Run parent = exp.start("sweep")) {
      Run child = parent.startChild("trial-1");
      child.logParam("lr", 0.1);
      assertThat(child.parentRunId()).contains(parent.id());
      child.close();
      RunInfo c = tracking.getRun(child.id());
      assertThat(c.parentRunId()).contains(parent.id());
      assertThat(tracking.searchRuns(List.of("churn"), "parent_run_id = '" + parent.id() + "'", "", 10))
          .extracting(RunInfo::runName).containsExactly("trial-1");
    }
  }

  @Test
  void artifacts_and_directories_are_copied_into_the_run() throws IOException {
    Path src = Files.createDirectories(dir.resolve("plots/sub"));
    Files.writeString(src.resolve("roc.txt"), "roc");
    Files.writeString(dir.resolve("plots/pr.txt"), "pr");
    try (Run run = exp.start()) {
      run.logArtifacts(dir.resolve("plots"), "eval");
      run.logArtifact(dir.resolve("plots/pr.txt"));
      assertThat(tracking.listArtifacts(run.id())).containsExactly("eval/pr.txt", "eval/sub/roc.txt", "pr.txt");
      assertThat(runDir(run).resolve("artifacts/eval/sub/roc.txt")).hasContent("roc");
    }
  }

  @Test
  void artifact_paths_that_escape_the_run_are_refused_and_nothing_is_copied() throws IOException {
    Path f = Files.writeString(dir.resolve("a.txt"), "x");
    try (Run run = exp.start()) {
      for (String bad : List.of("../x", "/abs", "a/../../b", "a//b", ".hidden", "..", "a\\..\\b")) {
        assertThatThrownBy(() -> run.logArtifact(f, bad)).as(bad).isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("'" + bad + "'");
      }
      assertThat(tracking.listArtifacts(run.id())).isEmpty();
      assertThat(dir.resolve("ws/experiments/churn/runs/x")).doesNotExist();
    }
  }

  @Test
  void bad_keys_are_refused_with_the_key_named() {
    try (Run run = exp.start()) {
      for (String bad : List.of("", "a/b", "../p", ".x", "with space", "a..b")) {
        assertThatThrownBy(() -> run.logMetric(bad, 1)).as(bad).isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("metric key");
        assertThatThrownBy(() -> run.setTag(bad, "v")).as(bad).isInstanceOf(InvalidNameException.class);
      }
      assertThat(tracking.getRun(run.id()).metrics()).isEmpty();
    }
  }

  @Test
  void feature_spec_is_stored_for_lineage() {
    Map<String, Object> spec = Map.of("tables", List.of(Map.of("name", "main.crm.features", "version", 3)));
    try (Run run = exp.start()) {
      run.logFeatureSpec(spec);
      assertThat(tracking.featureSpec(run.id())).contains(spec);
    }
  }

  @Test
  void a_run_is_usable_from_several_threads() throws Exception {
    try (Run run = exp.start()) {
      Thread[] ts = new Thread[4];
      for (int t = 0; t < ts.length; t++) {
        int k = t;
        ts[t] = new Thread(() -> {
          for (int i = 0; i < 25; i++) {
            run.logMetric("m" + k, i, i);
          }
        });
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      for (int t = 0; t < ts.length; t++) {
        assertThat(tracking.metricHistory(run.id(), "m" + t)).hasSize(25);
      }
    }
  }
}
