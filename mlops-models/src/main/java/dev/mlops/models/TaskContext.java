package dev.mlops.models;

import dev.mlops.core.Workspace;
import java.util.Map;

/**
 * What a {@link DeploymentTask} step sees: the job parameters {@code model_name} and
 * {@code model_version}, the registry, and the metrics earlier tasks of the run produced.
 *
 * <pre>{@code
 * public TaskResult run(TaskContext ctx) {
 *   ModelVersion v = ctx.registry().getVersion(ctx.modelName(), ctx.modelVersion());
 *   double auc = ctx.metrics().get("auc");
 *   ...
 *   ctx.heartbeat();   // in long steps: keeps this runner's lease
 * }
 * }</pre>
 */
public interface TaskContext {
  /** The job parameter {@code model_name}. */
  String modelName();

  /** The job parameter {@code model_version}. */
  int modelVersion();

  /** The job parameters: {@code model_name} and {@code model_version}, as text. */
  default Map<String, String> parameters() {
    return Map.of("model_name", modelName(), "model_version", Integer.toString(modelVersion()));
  }

  /** The name of the task being run. */
  String taskName();

  /** 1 for the first attempt of this task; more when a runner resumes it after another stopped mid-task. */
  int attempt();

  /** Metrics the earlier tasks of this run produced ({@code auc}, {@code champion.auc}, ...). */
  Map<String, Double> metrics();

  /** The registry. */
  ModelRegistry registry();

  /** The workspace. */
  Workspace workspace();

  /**
   * Renews this runner's lease on the run; call it in steps that may take longer than the lease.
   *
   * @throws DeploymentException when another runner took the run over (the step should stop)
   */
  void heartbeat();
}
