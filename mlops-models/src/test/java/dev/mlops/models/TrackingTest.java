package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.InvalidNameException;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingTest {
  @TempDir Path dir;
  Workspace ws;
  Tracking tracking;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    tracking = Tracking.of(ws);
  }

  @Test
  void experiment_is_created_on_first_use_and_found_again_by_another_instance() {
    Experiment e = tracking.experiment("Churn");
    Experiment again = Tracking.of(Workspace.open(dir)).experiment("churn");
    assertThat(e.name()).isEqualTo("churn");
    assertThat(again.id()).isEqualTo(e.id()).hasSize(32);
    assertThat(tracking.experiments()).extracting(Experiment::name).containsExactly("churn");
    assertThat(tracking.findExperiment("other")).isEmpty();
  }

  @Test
  void experiment_tags_are_stored() {
    tracking.experiment("churn").setTag("team", "growth").setTag("owner", "ana");
    assertThat(Tracking.of(ws).experiment("churn").tags()).containsEntry("team", "growth").containsEntry("owner", "ana");
  }

  @Test
  void experiment_names_that_leave_the_directory_are_refused() {
    for (String bad : List.of("../x", "a/b", "", ".hidden", "a..b", "with space")) {
      assertThatThrownBy(() -> tracking.experiment(bad)).as(bad).isInstanceOf(InvalidNameException.class)
          .hasMessageContaining("experiment name");
    }
    assertThat(dir.resolve("experiments")).isEmptyDirectory();
  }

  @Test
  void get_run_returns_params_latest_metrics_tags_and_times() {
    Run run = tracking.experiment("churn").start("rf");
    run.logParam("trees", 100).logMetric("auc", 0.7, 1).logMetric("auc", 0.8, 2).setTag("team", "growth");
    run.close();
    RunInfo r = tracking.getRun(run.id());
    assertThat(r.runName()).isEqualTo("rf");
    assertThat(r.experiment()).isEqualTo("churn");
    assertThat(r.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(r.params()).containsEntry("trees", "100");
    assertThat(r.metric("auc")).contains(0.8);
    assertThat(r.tags()).containsEntry("team", "growth");
    assertThat(r.endTime()).isPresent();
    assertThat(r.endTime().get()).isAfterOrEqualTo(r.startTime());
  }

  @Test
  void unknown_and_malformed_run_ids_are_typed_errors() {
    tracking.experiment("churn");
    assertThatThrownBy(() -> tracking.getRun("0123456789abcdef0123456789abcdef"))
        .isInstanceOf(RunNotFoundException.class).hasMessageContaining("0123456789abcdef0123456789abcdef");
    assertThatThrownBy(() -> tracking.getRun("../../etc")).isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("'../../etc'");
  }

  @Test
  void metric_history_keeps_every_value_in_logging_order() {
    Run run = tracking.experiment("churn").start();
    for (int i = 0; i < 5; i++) {
      run.logMetric("loss", 1.0 / (i + 1), i);
    }
    run.close();
    List<Metric> h = tracking.metricHistory(run.id(), "loss");
    assertThat(h).extracting(Metric::step).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(h).extracting(Metric::value).containsExactly(1.0, 0.5, 1.0 / 3, 0.25, 0.2);
    assertThat(tracking.metricHistory(run.id(), "never")).isEmpty();
  }

  @Test
  void a_torn_last_metric_line_is_ignored_by_readers() throws IOException {
    Run run = tracking.experiment("churn").start();
    run.logMetric("loss", 0.5, 1);
    Path file = dir.resolve("experiments/churn/runs/" + run.id() + "/metrics/loss.jsonl");
    Files.write(file, "{\"v\":0.4,\"s\":2,\"t\":1".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND); // a crash in the middle of a line
    assertThat(tracking.metricHistory(run.id(), "loss")).extracting(Metric::value).containsExactly(0.5);
    assertThat(tracking.getRun(run.id()).metric("loss")).contains(0.5);
  }

  @Test
  void tags_can_be_set_on_a_finished_run_and_are_searchable() {
    Run run = tracking.experiment("churn").start();
    run.close();
    tracking.setTag(run.id(), "review", "approved");
    assertThat(tracking.getRun(run.id()).tags()).containsEntry("review", "approved");
    assertThat(tracking.searchRuns(List.of("churn"), "tags.review = 'approved'", "", 10))
        .extracting(RunInfo::runId).containsExactly(run.id());
  }

  @Test
  void a_run_left_running_by_a_dead_process_can_be_ended_killed() {
    Run run = tracking.experiment("churn").start();
    Tracking other = Tracking.of(Workspace.open(dir)); // e.g. an operator's process
    RunInfo ended = other.endRun(run.id(), RunStatus.KILLED);
    assertThat(ended.status()).isEqualTo(RunStatus.KILLED);
    assertThatThrownBy(() -> other.endRun(run.id(), RunStatus.FINISHED)).isInstanceOf(RunNotActiveException.class)
        .hasMessageContaining("KILLED");
  }

  @Test
  void run_helper_marks_failed_and_rethrows() {
    IllegalStateException boom = new IllegalStateException("boom");
    String[] id = new String[1];
    assertThatThrownBy(() -> tracking.run("churn", "bad", r -> {
      id[0] = r.id();
      r.logMetric("auc", 0.5);
      throw boom;
    })).isSameAs(boom);
    RunInfo r = tracking.getRun(id[0]);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.tags().get("mlops.failure")).contains("IllegalStateException: boom");
    assertThat(r.metric("auc")).contains(0.5);
  }

  @Test
  void run_helper_wraps_checked_exceptions_and_finishes_normal_bodies() {
    assertThatThrownBy(() -> tracking.run("churn", "io", r -> {
      throw new IOException("disk");
    })).isInstanceOf(dev.mlops.core.MlopsException.class).hasCauseInstanceOf(IOException.class);
    RunInfo ok = tracking.run("churn", "ok", r -> r.logParam("a", 1));
    assertThat(ok.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(ok.params()).containsEntry("a", "1");
  }

  @Test
  void source_provenance_is_recorded_from_the_git_work_tree() throws Exception {
    Run run = tracking.experiment("churn").start();
    run.close();
    Provenance p = tracking.getRun(run.id()).provenance();
    assertThat(p.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(p.osName()).isEqualTo(System.getProperty("os.name"));
    assertThat(p.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(p.sdkVersion()).isNotBlank();
    assertThat(p.mainClass()).isPresent();
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (git.waitFor() == 0) { // the build runs inside the project's git work tree
      assertThat(p.gitCommit()).contains(head);
      assertThat(p.gitDirty()).isPresent();
    }
  }

  @Test
  void artifacts_are_listed_and_located() throws IOException {
    Path f = Files.writeString(dir.resolve("notes.txt"), "hello");
    Run run = tracking.experiment("churn").start();
    run.logArtifact(f).logArtifact(f, "docs/more");
    run.close();
    assertThat(tracking.listArtifacts(run.id())).containsExactly("docs/more/notes.txt", "notes.txt");
    assertThat(tracking.artifact(run.id(), "docs/more/notes.txt")).hasContent("hello");
    assertThatThrownBy(() -> tracking.artifact(run.id(), "nope")).isInstanceOf(ArtifactNotFoundException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void search_of_an_unknown_experiment_names_it() {
    tracking.experiment("churn");
    assertThatThrownBy(() -> tracking.searchRuns(List.of("churm"), "", "", 10))
        .isInstanceOf(ExperimentNotFoundException.class).hasMessageContaining("'churm'").hasMessageContaining("churn");
  }
}
