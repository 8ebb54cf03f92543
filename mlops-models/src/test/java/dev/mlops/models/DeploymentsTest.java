package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.internal.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployment jobs in one process: evaluate, gates, manual approval, deploy, rollback, bad input. */
class DeploymentsTest {
  static final String M = "main.ml.churn";
  static final Frame EVAL = DeployFixtures.rows(300, 99);

  @TempDir Path dir;
  Workspace ws;
  ModelRegistry registry;
  Deployments deployments;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir.resolve("ws"));
    registry = ModelRegistry.of(ws);
    deployments = Deployments.of(ws);
  }

  /** Registers the weak model as version 1 and makes it champion. */
  private ModelVersion weakChampion() {
    ModelVersion v1 = DeployFixtures.weak().register(registry, M);
    registry.setAlias(M, "champion", v1.version());
    return v1;
  }

  @Test
  void a_gate_approves_a_better_challenger_which_becomes_champion_and_the_old_one_previous() {
    ModelVersion v1 = weakChampion();
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.approveWhen("auc >= champion.auc - 0.005 && auc >= 0.80"),
        DeploymentTask.deploy("champion", "previous")));
    ModelVersion v2 = DeployFixtures.strong().register(registry, M);

    List<DeploymentRun> advanced = deployments.runPending();

    assertThat(advanced).extracting(DeploymentRun::version).containsExactly(2);
    DeploymentRun run = deployments.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.currentTask()).isEmpty();
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);

    // both metric sets, computed with the training metric code on the same rows
    TaskRun eval = run.task("evaluate");
    Map<String, Double> expectedNew = expectedMetrics(v2, EVAL);
    Map<String, Double> expectedOld = expectedMetrics(v1, EVAL);
    assertThat(eval.metrics().get("auc")).isEqualTo(expectedNew.get("auc"));
    assertThat(eval.metrics().get("champion.auc")).isEqualTo(expectedOld.get("auc"));
    assertThat(eval.metrics().get("auc")).isGreaterThan(eval.metrics().get("champion.auc"));
    assertThat(eval.details()).containsEntry("champion_version", "1").containsEntry("rows", "300");
    ModelVersion tagged = registry.getVersion(M, 2);
    assertThat(tagged.tags()).containsEntry("evaluate.auc", Double.toString(expectedNew.get("auc")))
        .containsEntry("evaluate.champion.auc", Double.toString(expectedOld.get("auc")))
        .containsEntry("evaluate.champion_version", "1").containsEntry("approve", "approved");

    TaskRun gate = run.task("approve");
    assertThat(gate.status()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(gate.details()).containsEntry("expression", "auc >= champion.auc - 0.005 && auc >= 0.80")
        .containsEntry("result", "true");
    assertThat(gate.details().get("values")).contains("auc=", "champion.auc=");
    TaskRun deploy = run.task("deploy");
    assertThat(deploy.decision()).hasValue("'champion' moved from version 1 to version 2; 'previous' -> version 1");
    for (TaskRun t : run.tasks()) {
      assertThat(t.attempts()).isEqualTo(1);
      assertThat(t.startedAt()).isPresent();
      assertThat(t.endedAt().get()).isAfterOrEqualTo(t.startedAt().get());
    }
    assertThat(run.log()).extracting(DeploymentRun.AuditEntry::event)
        .containsExactly("created", "claimed", "started", "succeeded", "started", "succeeded", "started", "succeeded",
            "finished");
    // a second pass has nothing to do, and the finished deployment is not repeated
    assertThat(deployments.runPending()).isEmpty();
    assertThat(deployments.getRun(M, 2).log()).hasSize(run.log().size());
  }

  /** The metrics the training code computes, for comparison. */
  private Map<String, Double> expectedMetrics(ModelVersion v, Frame rows) {
    Frame out = Predictor.load(ws, v.uri()).predict(rows);
    int n = rows.rowCount();
    int[] actual = new int[n];
    double[][] p = new double[n][2];
    for (int i = 0; i < n; i++) {
      actual[i] = rows.column("y").getBoolean(i) ? 1 : 0;
      p[i][0] = out.column("probability_false").getDouble(i);
      p[i][1] = out.column("probability_true").getDouble(i);
    }
    return Metrics.classification(actual, p, 2, new int[2][2]);
  }

  @Test
  void a_gate_rejects_a_worse_challenger_and_the_champion_stays() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.approveWhen("auc >= champion.auc - 0.005"),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.useless().register(registry, M);

    deployments.runPending();

    DeploymentRun run = deployments.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.currentTask()).hasValue("approve");
    assertThat(run.task("approve").details()).containsEntry("result", "false");
    assertThat(run.task("approve").error().orElseThrow()).contains("auc >= champion.auc - 0.005", "is false");
    assertThat(run.task("deploy").status()).isEqualTo(JobRunState.PENDING);
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
    assertThat(registry.getVersion(M, 2).tags()).containsEntry("approve", "rejected");
  }

  @Test
  void the_first_version_has_no_champion_so_champion_comparisons_pass() {
    registry.createModel(M);
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.approveWhen("auc >= champion.auc && auc >= 0.8"),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);

    deployments.runPending();

    DeploymentRun run = deployments.getRun(M, 1);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.task("evaluate").metrics()).doesNotContainKey("champion.auc");
    assertThat(run.task("approve").details().get("values")).contains("no champion");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
  }

  @Test
  void a_gate_that_the_metrics_fail_at_an_absolute_bar_is_rejected_even_without_champion() {
    registry.createModel(M);
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.approveWhen("auc >= champion.auc && auc >= 0.8"),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.useless().register(registry, M);
    deployments.runPending();
    assertThat(deployments.getRun(M, 1).state()).isEqualTo(JobRunState.FAILED);
    assertThat(registry.aliases(M)).isEmpty();
  }

  @Test
  void manual_approval_waits_in_approval_until_approved_and_records_approver_and_comment() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.manualApproval(),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);

    deployments.runPending();
    DeploymentRun waiting = deployments.getRun(M, 2);
    assertThat(waiting.state()).isEqualTo(JobRunState.APPROVAL);
    assertThat(waiting.currentTask()).hasValue("approval");
    assertThat(waiting.task("approval").status()).isEqualTo(JobRunState.APPROVAL);
    assertThat(deployments.runPending()).isEmpty(); // nothing to do until someone decides
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));

    deployments.approve(M, 2, "ana", "better auc, checked the slices");
    assertThat(registry.getVersion(M, 2).tags()).containsEntry("approval", "approved");
    deployments.runPending();

    DeploymentRun done = deployments.getRun(M, 2);
    assertThat(done.state()).isEqualTo(JobRunState.SUCCEEDED);
    TaskRun approval = done.task("approval");
    assertThat(approval.approver()).hasValue("ana");
    assertThat(approval.comment()).hasValue("better auc, checked the slices");
    assertThat(approval.decision()).hasValue("approved (Deployments.approve)");
    assertThat(approval.attempts()).isEqualTo(1);
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);
    assertThat(done.log()).anySatisfy(e -> {
      assertThat(e.event()).isEqualTo("approved");
      assertThat(e.runner()).isEqualTo("ana");
    });
  }

  @Test
  void a_tag_set_by_anyone_decides_a_manual_approval_case_insensitively() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.manualApproval("signoff"),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);
    DeployFixtures.strong().register(registry, M);
    deployments.runPending();
    assertThat(deployments.listRuns(M)).extracting(DeploymentRun::state)
        .containsExactly(JobRunState.APPROVAL, JobRunState.APPROVAL);

    registry.setVersionTag(M, 2, "signoff", "pending review"); // not a decision
    deployments.runPending();
    assertThat(deployments.getRun(M, 2).state()).isEqualTo(JobRunState.APPROVAL);

    registry.setVersionTag(M, 2, "signoff", "Approved");
    registry.setVersionTag(M, 3, "signoff", "REJECTED");
    deployments.runPending();
    DeploymentRun two = deployments.getRun(M, 2);
    assertThat(two.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(two.task("signoff").approver()).isEmpty();
    assertThat(two.task("signoff").decision()).hasValue("approved (tag set directly)");
    DeploymentRun three = deployments.getRun(M, 3);
    assertThat(three.state()).isEqualTo(JobRunState.FAILED);
    assertThat(three.currentTask()).hasValue("signoff");
    assertThat(three.task("signoff").error().orElseThrow()).contains("rejected");
    assertThat(registry.aliases(M)).containsEntry("champion", 2);
  }

  @Test
  void reject_fails_the_run_at_the_approval_task() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.manualApproval(), DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);
    deployments.runPending();
    deployments.reject(M, 2, "bo", "drift on segment B");
    deployments.runPending();
    DeploymentRun run = deployments.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.task("approval").approver()).hasValue("bo");
    assertThat(run.task("approval").comment()).hasValue("drift on segment B");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
  }

  @Test
  void approving_a_version_with_no_job_waiting_is_a_typed_error() {
    weakChampion();
    assertThatThrownBy(() -> deployments.approve(M, 1, "ana", ""))
        .isInstanceOf(NoPendingApprovalException.class).hasMessageContaining("no deployment job");
    deployments.attach(M, DeploymentJob.of(DeploymentTask.manualApproval(), DeploymentTask.deploy("champion", "previous")));
    assertThatThrownBy(() -> deployments.approve(M, 1, "ana", ""))
        .isInstanceOf(NoPendingApprovalException.class).hasMessageContaining("before the job was attached");
    DeployFixtures.strong().register(registry, M);
    assertThatThrownBy(() -> deployments.approve(M, 2, "ana", "")) // not seen by a runner yet
        .isInstanceOf(NoPendingApprovalException.class);
    deployments.runPending();
    deployments.approve(M, 2, "ana", "ok");
    deployments.runPending();
    assertThatThrownBy(() -> deployments.approve(M, 2, "ana", "again"))
        .isInstanceOf(NoPendingApprovalException.class).hasMessageContaining("is SUCCEEDED");
    assertThatThrownBy(() -> deployments.approve(M, 7, "ana", ""))
        .isInstanceOf(ModelVersionNotFoundException.class);
    assertThatThrownBy(() -> deployments.approve(M, 2, " ", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approver");
  }

  @Test
  void a_job_attached_to_a_model_that_does_not_exist_is_a_typed_error() {
    assertThatThrownBy(() -> deployments.attach("main.ml.nope", DeploymentJob.of(DeploymentTask.manualApproval())))
        .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("main.ml.nope");
    assertThat(dir.resolve("ws/registry/main/ml/nope")).doesNotExist();
  }

  @Test
  void gates_that_do_not_parse_or_read_unknown_metrics_are_typed_errors_when_the_job_is_built() {
    assertThatThrownBy(() -> DeploymentTask.approveWhen("auc >= champion.auc -"))
        .isInstanceOf(GateExpressionException.class).hasMessageContaining("position 21")
        .satisfies(e -> assertThat(((GateExpressionException) e).expression()).isEqualTo("auc >= champion.auc -"));
    assertThatThrownBy(() -> DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.rows(EVAL)),
        DeploymentTask.approveWhen("aucc >= 0.8")))
        .isInstanceOf(GateExpressionException.class).hasMessageContaining("'aucc'").hasMessageContaining("auc");
    assertThatThrownBy(() -> DeploymentJob.of(DeploymentTask.approveWhen("auc >= 0.8"),
        DeploymentTask.evaluate(EvaluationData.rows(EVAL))))
        .as("a gate before the evaluation reads nothing yet").isInstanceOf(GateExpressionException.class);
    assertThatThrownBy(() -> DeploymentJob.of(DeploymentTask.manualApproval("x"), DeploymentTask.manualApproval("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    assertThatThrownBy(() -> DeploymentTask.deploy("champion", "champion"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_version_deleted_before_its_deployment_is_not_deployed_and_cannot_be_started_by_hand() {
    weakChampion();
    DeploymentTask deleteIt = new DeploymentTask() {
      @Override
      public String name() {
        return "cleanup";
      }

      @Override
      public TaskResult run(TaskContext ctx) {
        ctx.registry().deleteVersion(ctx.modelName(), ctx.modelVersion());
        return TaskResult.succeeded();
      }
    };
    Deployments d = deployments.attach(M, DeploymentJob.of(deleteIt, DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);
    d.runPending();
    DeploymentRun run = d.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.currentTask()).hasValue("deploy");
    assertThat(run.task("deploy").error().orElseThrow()).startsWith("ModelVersionNotFoundException")
        .contains("version 2", "deleted");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));

    DeployFixtures.strong().register(registry, M); // 3
    registry.deleteVersion(M, 1);
    assertThatThrownBy(() -> d.startRun(M, 1)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("deleted");
  }

  @Test
  void rollback_moves_champion_back_in_one_call_and_walks_back_through_deployments() {
    registry.createModel(M);
    deployments.attach(M, DeploymentJob.of(DeploymentTask.deploy("champion", "previous")));
    for (int i = 0; i < 3; i++) {
      DeployFixtures.weak().register(registry, M);
      deployments.runPending();
    }
    assertThat(registry.aliases(M)).containsEntry("champion", 3).containsEntry("previous", 2);

    assertThat(deployments.rollback(M).version()).isEqualTo(2);
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);
    assertThat(deployments.rollback(M).version()).isEqualTo(1);
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
    assertThatThrownBy(() -> deployments.rollback(M)).isInstanceOf(DeploymentException.class)
        .hasMessageContaining("no alias 'previous'");
    // the runs are untouched: a rollback is not a new deployment
    assertThat(deployments.listRuns(M)).extracting(DeploymentRun::state).containsOnly(JobRunState.SUCCEEDED);
  }

  @Test
  void rollback_to_a_deleted_version_is_a_typed_error() {
    registry.createModel(M);
    deployments.attach(M, DeploymentJob.of(DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.weak().register(registry, M);
    DeployFixtures.weak().register(registry, M);
    deployments.runPending(); // 1 then 2
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);
    registry.deleteVersion(M, 1); // also drops its alias
    assertThatThrownBy(() -> deployments.rollback(M)).isInstanceOf(DeploymentException.class);
  }

  @Test
  void an_older_version_does_not_replace_a_newer_champion() {
    registry.createModel(M);
    deployments.attach(M, DeploymentJob.of(DeploymentTask.manualApproval(), DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.weak().register(registry, M);
    DeployFixtures.weak().register(registry, M);
    deployments.runPending();
    deployments.approve(M, 2, "ana", "");
    deployments.runPending();
    deployments.approve(M, 1, "ana", "late");
    deployments.runPending();
    assertThat(deployments.getRun(M, 1).state()).isEqualTo(JobRunState.FAILED);
    assertThat(deployments.getRun(M, 1).task("deploy").error().orElseThrow()).contains("superseded");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 2));
  }

  @Test
  void versions_registered_before_the_job_get_no_run_unless_started_by_hand() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.deploy("champion", "previous")));
    assertThat(deployments.runPending()).isEmpty();
    assertThat(deployments.findRun(M, 1)).isEmpty();
    assertThatThrownBy(() -> deployments.getRun(M, 1)).isInstanceOf(DeploymentJobNotFoundException.class);
    deployments.startRun(M, 1);
    assertThatThrownBy(() -> deployments.startRun(M, 1)).isInstanceOf(DeploymentException.class)
        .hasMessageContaining("already has a deployment run");
    deployments.runPending();
    assertThat(deployments.getRun(M, 1).state()).isEqualTo(JobRunState.SUCCEEDED);
  }

  @Test
  void evaluation_reads_a_delta_table_at_its_pinned_version() {
    weakChampion();
    var table = ws.tables().create("main.ml.eval").create(EVAL);
    long pinned = table.version();
    table.append(DeployFixtures.rows(50, 7)); // later rows are not part of the evaluation
    deployments.attach(M, DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.table("main.ml.eval", pinned))));
    ModelVersion v2 = DeployFixtures.strong().register(registry, M);
    deployments.runPending();
    TaskRun eval = deployments.getRun(M, 2).task("evaluate");
    assertThat(eval.details()).containsEntry("rows", "300").containsEntry("data", "table main.ml.eval@v" + pinned);
    assertThat(eval.metrics().get("auc")).isEqualTo(expectedMetrics(v2, EVAL).get("auc"));
  }

  @Test
  void evaluation_rebuilds_a_training_set_from_its_feature_spec_at_the_pinned_table_versions() {
    weakChampion();
    dev.mlops.features.FeatureStore fs = dev.mlops.features.FeatureStore.of(ws);
    int n = EVAL.rowCount();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    Frame features = EVAL.drop("y").withColumn(dev.mlops.core.Column.ofLongs("id", ids));
    fs.createTable("main.crm.f").primaryKeys("id").create(features);
    Frame spine = Frame.of(dev.mlops.core.Column.ofLongs("id", ids), EVAL.column("y"));
    dev.mlops.features.TrainingSet ts = fs.trainingSet(spine)
        .lookup(dev.mlops.features.FeatureLookup.table("main.crm.f").lookupKey("id").features("x1", "x2", "noise"))
        .label("y").build();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.trainingSet(ts))));
    // the feature table changes after the job was attached: the evaluation still reads the pinned version
    fs.write("main.crm.f", features.withColumn(dev.mlops.core.Column.ofDoubles("x1", new double[n])),
        dev.mlops.features.WriteMode.MERGE);
    ModelVersion v2 = DeployFixtures.strong().register(registry, M);

    Deployments.of(Workspace.open(dir.resolve("ws"))).runPending();

    TaskRun eval = deployments.getRun(M, 2).task("evaluate");
    long pinned = ts.spec().lookups().get(0).tableVersion();
    assertThat(ws.tables().get("main.crm.f").version()).isGreaterThan(pinned);
    assertThat(eval.details()).containsEntry("data", "training set(main.crm.f@v" + pinned + " 300 spine rows)");
    assertThat(eval.metrics().get("auc")).isEqualTo(expectedMetrics(v2, EVAL).get("auc"));
  }

  @Test
  void a_job_reading_an_evaluation_table_or_version_that_does_not_exist_is_refused_when_attached() {
    weakChampion();
    assertThatThrownBy(() -> deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.table("main.ml.missing", 0)))))
        .isInstanceOf(dev.mlops.core.TableNotFoundException.class).hasMessageContaining("main.ml.missing");
    ws.tables().create("main.ml.eval").create(EVAL);
    assertThatThrownBy(() -> deployments.attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.table("main.ml.eval", 9)))))
        .isInstanceOf(dev.mlops.core.VersionNotFoundException.class);
    assertThat(deployments.job(M)).isEmpty();
  }

  @Test
  void metrics_that_are_not_numbers_are_recorded_and_fail_a_gate() {
    weakChampion();
    Frame oneClass = EVAL.filter(i -> EVAL.column("y").getBoolean(i)); // auc is undefined with one class
    deployments.attach(M, DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.rows(oneClass)),
        DeploymentTask.approveWhen("auc >= 0.5"), DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);
    deployments.runPending();
    DeploymentRun run = deployments.getRun(M, 2);
    assertThat(run.task("evaluate").metrics().get("auc")).isNaN();
    assertThat(registry.getVersion(M, 2).tags()).containsEntry("evaluate.auc", "NaN");
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.currentTask()).hasValue("approve");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
  }

  @Test
  void evaluation_rows_given_in_memory_are_stored_with_the_job_and_read_by_any_runner() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.rows(EVAL))));
    ModelVersion v2 = DeployFixtures.strong().register(registry, M);
    Deployments other = Deployments.of(Workspace.open(dir.resolve("ws"))); // another runner, no frame in memory
    other.runPending();
    assertThat(other.getRun(M, 2).task("evaluate").metrics().get("auc"))
        .isEqualTo(expectedMetrics(v2, EVAL).get("auc"));
  }

  @Test
  void evaluation_fails_the_run_with_the_missing_label_named() {
    weakChampion();
    deployments.attach(M, DeploymentJob.of(DeploymentTask.evaluate(EvaluationData.rows(EVAL.drop("y")))));
    DeployFixtures.strong().register(registry, M);
    deployments.runPending();
    DeploymentRun run = deployments.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.task("evaluate").error().orElseThrow()).contains("no column 'y'");
  }

  @Test
  void custom_tasks_report_metrics_gates_read_and_a_runner_without_them_leaves_the_run_alone() {
    registry.createModel(M);
    DeploymentTask latency = new DeploymentTask() {
      @Override
      public String name() {
        return "latency";
      }

      @Override
      public Set<String> metricNames() {
        return Set.of("p99_ms");
      }

      @Override
      public TaskResult run(TaskContext ctx) {
        assertThat(ctx.parameters()).containsEntry("model_name", M).containsEntry("model_version", "1");
        return TaskResult.succeeded(Map.of("p99_ms", 4.0)).withDecision("fast enough");
      }
    };
    DeploymentJob job = DeploymentJob.of(latency, DeploymentTask.approveWhen("p99_ms < 10"),
        DeploymentTask.deploy("champion", "previous"));
    Deployments withLatency = deployments.attach(M, job);
    DeployFixtures.weak().register(registry, M);

    Deployments without = Deployments.of(ws);
    assertThat(without.runPending()).isEmpty();
    assertThat(without.getRun(M, 1).state()).isEqualTo(JobRunState.PENDING);
    assertThat(without.job(M).orElseThrow().taskNames()).containsExactly("latency", "approve", "deploy");

    withLatency.runPending();
    DeploymentRun run = deployments.getRun(M, 1);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.task("latency").metrics()).containsEntry("p99_ms", 4.0);
    assertThat(run.task("approve").details()).containsEntry("values", "p99_ms=4.0");
  }

  @Test
  void a_custom_task_that_throws_fails_the_run_with_its_message() {
    registry.createModel(M);
    DeploymentTask boom = new DeploymentTask() {
      @Override
      public String name() {
        return "smoke";
      }

      @Override
      public TaskResult run(TaskContext ctx) {
        throw new IllegalStateException("endpoint answered 500");
      }
    };
    Deployments d = deployments.attach(M, DeploymentJob.of(boom, DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.weak().register(registry, M);
    d.runPending();
    DeploymentRun run = d.getRun(M, 1);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.currentTask()).hasValue("smoke");
    assertThat(run.task("smoke").error()).hasValue("IllegalStateException: endpoint answered 500");
    assertThat(registry.aliases(M)).isEmpty();
  }

  @Test
  void a_runner_whose_lease_expired_mid_task_cannot_write_and_the_run_resumes_at_that_task_once() throws Exception {
    registry.createModel(M);
    java.util.concurrent.CountDownLatch inTask = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    DeploymentTask slow = new DeploymentTask() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public TaskResult run(TaskContext ctx) {
        if (calls.incrementAndGet() == 1) {
          inTask.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return TaskResult.succeeded(Map.of("attempt", (double) ctx.attempt()));
      }
    };
    Deployments a = Deployments.of(ws).withTasks(slow).withLease(Duration.ofMillis(300)).withRunnerId("a");
    Deployments b = Deployments.of(ws).withTasks(slow).withLease(Duration.ofMillis(300)).withRunnerId("b");
    a.attach(M, DeploymentJob.of(slow, DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.weak().register(registry, M);

    Thread stuck = new Thread(a::runPending);
    stuck.start();
    inTask.await();
    assertThat(b.runPending()).as("a's lease is still valid").isEmpty();
    Thread.sleep(400);
    List<DeploymentRun> resumed = b.runPending();
    assertThat(resumed).hasSize(1);
    release.countDown();
    stuck.join();

    DeploymentRun run = b.getRun(M, 1);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.task("slow").attempts()).isEqualTo(2);
    assertThat(run.task("slow").metrics()).containsEntry("attempt", 2.0); // a's late result was refused
    assertThat(run.task("deploy").attempts()).isEqualTo(1);
    assertThat(run.log()).anySatisfy(e -> assertThat(e.detail()).contains("lease of a expired"));
    assertThat(run.log()).filteredOn(e -> e.event().equals("succeeded")).allSatisfy(e -> assertThat(e.runner()).isEqualTo("b"));
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
  }

  @Test
  void several_runner_threads_start_each_version_once() throws Exception {
    registry.createModel(M);
    Map<Integer, AtomicInteger> starts = new ConcurrentHashMap<>();
    DeploymentTask count = new DeploymentTask() {
      @Override
      public String name() {
        return "count";
      }

      @Override
      public TaskResult run(TaskContext ctx) {
        starts.computeIfAbsent(ctx.modelVersion(), k -> new AtomicInteger()).incrementAndGet();
        return TaskResult.succeeded();
      }
    };
    deployments.attach(M, DeploymentJob.of(count, DeploymentTask.deploy("champion", "previous")));
    List<DeploymentRunner> runners = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runners.add(Deployments.of(ws).withTasks(count).startRunner(Duration.ofMillis(20)));
    }
    try {
      for (int i = 0; i < 12; i++) {
        registry.register(M, TestModels.placeholderPackage(i), null);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (deployments.listRuns(M).stream().anyMatch(r -> !r.state().isFinal()) || deployments.listRuns(M).size() < 12) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      runners.forEach(DeploymentRunner::close);
    }
    assertThat(starts).hasSize(12);
    assertThat(starts.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(registry.aliases(M)).containsEntry("champion", 12);
    for (DeploymentRun r : deployments.listRuns(M)) { // a run fails only when a newer version was deployed first
      if (r.state() == JobRunState.FAILED) {
        assertThat(r.task("deploy").error().orElseThrow()).contains("superseded");
      }
    }
  }

  @Test
  void the_runner_thread_stops_when_closed() throws Exception {
    DeploymentRunner runner = deployments.startRunner(Duration.ofMillis(10));
    Thread.sleep(100);
    runner.close();
    long passes = runner.passes();
    assertThat(passes).isPositive();
    Thread.sleep(100);
    assertThat(runner.passes()).isEqualTo(passes);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("mlops-deployment-runner")
        && t.isAlive());
  }
}
