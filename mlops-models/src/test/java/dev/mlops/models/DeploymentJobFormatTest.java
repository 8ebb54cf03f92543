package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored form of a deployment job (format version 1): golden file, read back, newer formats refused. */
class DeploymentJobFormatTest {
  static final String M = "main.ml.churn";

  @TempDir Path dir;

  /** A custom step, stored by name and class. */
  static final class Smoke implements DeploymentTask {
    @Override
    public String name() {
      return "smoke";
    }

    @Override
    public java.util.Set<String> metricNames() {
      return java.util.Set.of("p99_ms");
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      return TaskResult.succeeded(Map.of("p99_ms", 3.0));
    }
  }

  static DeploymentJob job() {
    return DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.table("main.ml.churn_eval", 3)),
        new Smoke(),
        DeploymentTask.approveWhen("auc >= champion.auc - 0.005 && auc >= 0.80 && p99_ms < 10"),
        DeploymentTask.manualApproval(),
        DeploymentTask.deploy("champion", "previous"));
  }

  static String golden() throws Exception {
    try (InputStream in = DeploymentJobFormatTest.class.getResourceAsStream("/deploy/job-v1.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path jobFile(Path ws) {
    return ws.resolve("registry/main/ml/churn/deployment/job.json");
  }

  @Test
  void an_attached_job_is_written_as_the_golden_file() throws Exception {
    Path ws = dir.resolve("ws");
    Workspace w = Workspace.open(ws);
    ModelRegistry.of(w).createModel(M);
    var eval = w.tables().create("main.ml.churn_eval").create(DeployFixtures.rows(10, 1));
    while (eval.version() < 3) {
      eval.append(DeployFixtures.rows(10, eval.version()));
    }
    Deployments.of(w).attach(M, job());
    ObjectNode written = (ObjectNode) Json.tree(Files.readString(jobFile(ws)));
    assertThat(written.get("jobId").asText()).matches("[0-9a-f]{32}");
    assertThat(written.get("createdAt").asLong()).isPositive();
    written.put("jobId", "0123456789abcdef0123456789abcdef");
    written.put("createdAt", 1764460800000L);
    assertThat(written).isEqualTo(Json.tree(golden()));
  }

  @Test
  void a_golden_job_file_is_read_and_runs() throws Exception {
    Path wsDir = dir.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    ModelRegistry registry = ModelRegistry.of(ws);
    registry.createModel(M);
    Files.createDirectories(jobFile(wsDir).getParent());
    Files.writeString(jobFile(wsDir), golden());

    Deployments deployments = Deployments.of(ws).withTasks(new Smoke());
    DeploymentJob read = deployments.job(M).orElseThrow();
    assertThat(read.taskNames()).containsExactly("evaluate", "smoke", "approve", "approval", "deploy");
    assertThat(read.tasks().get(1)).isInstanceOf(Smoke.class);

    // no state file yet: versions from 1 get runs; the evaluation table does not exist, so the run fails there
    registry.register(M, TestModels.placeholderPackage(1), null);
    deployments.runPending();
    DeploymentRun run = deployments.getRun(M, 1);
    assertThat(run.state()).isEqualTo(JobRunState.FAILED);
    assertThat(run.currentTask()).hasValue("evaluate");
    assertThat(run.task("evaluate").error().orElseThrow()).contains("main.ml.churn_eval");
  }

  @Test
  void a_newer_format_version_is_refused_with_a_typed_error() throws Exception {
    Path wsDir = dir.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    ModelRegistry.of(ws).createModel(M);
    Files.createDirectories(jobFile(wsDir).getParent());
    Files.writeString(jobFile(wsDir), golden().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
    assertThatThrownBy(() -> Deployments.of(ws).job(M)).isInstanceOf(DeploymentException.class)
        .hasMessageContaining("format version 2").hasMessageContaining("Upgrade");
  }

  @Test
  void a_run_file_carries_the_format_version_and_the_job_it_ran() throws Exception {
    Path wsDir = dir.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    ModelRegistry registry = ModelRegistry.of(ws);
    registry.createModel(M);
    Deployments d = Deployments.of(ws).attach(M, DeploymentJob.of(new Smoke(), DeploymentTask.deploy("champion", "previous")));
    registry.register(M, TestModels.placeholderPackage(1), null);
    d.runPending();
    var run = Json.tree(Files.readString(wsDir.resolve("registry/main/ml/churn/versions/1/deployment.json")));
    assertThat(run.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.get("job")).hasSize(2);
    assertThat(run.get("tasks").get(0).get("metrics").get("p99_ms").asDouble()).isEqualTo(3.0);
  }
}
