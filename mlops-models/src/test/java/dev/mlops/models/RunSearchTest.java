package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tracking#searchRuns}: the filter language, ordering, limits and the index behind it. */
class RunSearchTest {
  @TempDir Path dir;
  Tracking tracking;

  @BeforeEach
  void runs() {
    tracking = Tracking.of(Workspace.open(dir));
    log("churn", "rf-a", "rf", 100, 0.91, "growth");
    log("churn", "rf-b", "rf", 50, 0.85, "risk");
    log("churn", "lr", "lr", null, 0.78, "growth");
    log("churn", "gbt", "gbt", 200, null, null);
    log("fraud", "rf-f", "rf", 300, 0.95, "risk");
  }

  private void log(String exp, String name, String algo, Integer trees, Double auc, String team) {
    try (Run r = tracking.experiment(exp).start(name)) {
      r.logParam("algorithm", algo);
      if (trees != null) {
        r.logParam("trees", trees);
      }
      if (auc != null) {
        r.logMetric("auc", auc);
      }
      if (team != null) {
        r.setTag("team", team);
      }
    }
  }

  private List<String> names(String filter, String order) {
    return tracking.searchRuns(List.of("churn"), filter, order, 100).stream().map(RunInfo::runName).toList();
  }

  @Test
  void filters_on_metrics_params_and_tags_joined_by_and() {
    assertThat(names("metrics.auc > 0.8 and params.algorithm = 'rf'", "metrics.auc DESC"))
        .containsExactly("rf-a", "rf-b");
    assertThat(names("tags.team = 'growth'", "run_name")).containsExactly("lr", "rf-a");
  }

  @Test
  void or_not_and_parentheses() {
    assertThat(names("params.algorithm = 'lr' OR (params.algorithm = 'gbt' AND NOT metrics.auc > 0)", "run_name"))
        .containsExactly("gbt", "lr");
  }

  @Test
  void a_run_without_the_field_never_matches_a_comparison() {
    assertThat(names("metrics.auc != 0.5", "run_name")).containsExactly("lr", "rf-a", "rf-b");
    assertThat(names("metrics.auc IS NULL", "")).containsExactly("gbt");
    assertThat(names("tags.team IS NOT NULL", "run_name")).containsExactly("lr", "rf-a", "rf-b");
  }

  @Test
  void params_compare_as_numbers_when_the_value_is_a_number() {
    assertThat(names("params.trees >= 100", "run_name")).containsExactly("gbt", "rf-a");
    assertThat(names("params.trees = '50'", "")).containsExactly("rf-b");
  }

  @Test
  void in_like_and_ilike() {
    assertThat(names("params.algorithm IN ('lr', 'gbt')", "run_name")).containsExactly("gbt", "lr");
    assertThat(names("params.algorithm NOT IN ('rf')", "run_name")).containsExactly("gbt", "lr");
    assertThat(names("run_name LIKE 'rf-%'", "run_name")).containsExactly("rf-a", "rf-b");
    assertThat(names("attributes.run_name ILIKE 'RF-_'", "run_name")).containsExactly("rf-a", "rf-b");
  }

  @Test
  void attributes_status_and_times() {
    try (Run running = tracking.experiment("churn").start("live")) {
      running.logMetric("auc", 0.99);
      assertThat(names("status = 'RUNNING'", "")).containsExactly("live");
      assertThat(names("metrics.auc > 0.98", "")).containsExactly("live"); // live values of running runs
      assertThat(names("status = 'FINISHED' and start_time > '2000-01-01T00:00:00Z'", "run_name"))
          .containsExactly("gbt", "lr", "rf-a", "rf-b");
      assertThat(names("end_time IS NULL", "")).containsExactly("live");
    }
  }

  @Test
  void order_by_puts_runs_without_the_field_last_in_both_directions() {
    assertThat(names("", "metrics.auc DESC")).containsExactly("rf-a", "rf-b", "lr", "gbt");
    assertThat(names("", "metrics.auc ASC")).containsExactly("lr", "rf-b", "rf-a", "gbt");
    assertThat(names("", "params.algorithm, metrics.auc desc")).containsExactly("gbt", "lr", "rf-a", "rf-b");
    assertThat(names("", "")).containsExactly("gbt", "lr", "rf-b", "rf-a"); // newest first
  }

  @Test
  void limit_and_several_experiments() {
    List<RunInfo> top = tracking.searchRuns(List.of("churn", "fraud"), "params.algorithm = 'rf'", "metrics.auc DESC", 2);
    assertThat(top).extracting(RunInfo::runName).containsExactly("rf-f", "rf-a");
    assertThat(top.get(0).experiment()).isEqualTo("fraud");
    assertThatThrownBy(() -> tracking.searchRuns(List.of("churn"), "", "", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keys_with_dots_dashes_and_backticks() {
    try (Run r = tracking.experiment("churn").start("dots")) {
      r.logMetric("val.auc-macro", 0.5);
      r.setTag("mlops.note", "x y");
    }
    assertThat(names("metrics.val.auc-macro = 0.5", "")).containsExactly("dots");
    assertThat(names("metrics.`val.auc-macro` >= 0.5 and tags.mlops.note = 'x y'", "")).containsExactly("dots");
  }

  @Test
  void a_bad_filter_names_the_bad_token_and_its_position() {
    assertThatThrownBy(() -> names("metrics.auc >> 0.8", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'>>'").hasMessageContaining("position 12");
    assertThatThrownBy(() -> names("metrics.auc > 'high'", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'high'").hasMessageContaining("numbers");
    assertThatThrownBy(() -> names("metric.auc > 0.8 and foo.bar = 1", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'foo.bar'").hasMessageContaining("position 21");
    assertThatThrownBy(() -> names("params.a = 'open", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> names("metrics.auc > 0.8 metrics.f1 > 1", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'metrics.f1'");
    assertThatThrownBy(() -> names("metrics.auc >", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("unexpected end");
    assertThatThrownBy(() -> names("(metrics.auc > 1", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("')'");
    assertThatThrownBy(() -> names("status ~ 'x'", ""))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'~'");
    assertThatThrownBy(() -> names("", "metrics.auc sideways"))
        .isInstanceOf(InvalidFilterException.class).hasMessageContaining("'sideways'");
  }

  @Test
  void compaction_of_the_index_keeps_every_run_and_its_latest_state() {
    Experiment e = tracking.experiment("many");
    for (int i = 0; i < 300; i++) {
      try (Run r = e.start("r" + i)) {
        r.logMetric("i", i);
      }
    }
    String first = tracking.searchRuns(List.of("many"), "metrics.i = 0", "", 1).get(0).runId();
    tracking.setTag(first, "later", "yes"); // a change after the run ended
    List<RunInfo> all = tracking.searchRuns(List.of("many"), "", "metrics.i", 1000);
    assertThat(all).hasSize(300);
    assertThat(all.get(0).tags()).containsEntry("later", "yes");
    assertThat(tracking.index("many").segmentCount()).isLessThan(300); // small segments were merged
    Tracking fresh = Tracking.of(Workspace.open(dir)); // a cold cache reads the merged segments
    assertThat(fresh.searchRuns(List.of("many"), "metrics.i >= 150", "", 1000)).hasSize(150);
    assertThat(fresh.searchRuns(List.of("many"), "tags.later = 'yes'", "", 10)).extracting(RunInfo::runId)
        .containsExactly(first);
  }

  @Test
  void search_results_are_immutable_snapshots() {
    RunInfo r = tracking.searchRuns(List.of("churn"), "run_name = 'rf-a'", "", 1).get(0);
    assertThatThrownBy(() -> r.params().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(r.params()).isEqualTo(Map.of("algorithm", "rf", "trees", "100"));
  }
}
