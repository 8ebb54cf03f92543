package dev.mlops.models;

import dev.mlops.models.internal.deploy.Builtins;
import java.util.Set;

/**
 * One step of a {@link DeploymentJob}: Java code that runs for a new model version. Three steps are
 * built in (evaluate, approve, deploy); implement this interface for your own (a smoke test, a
 * serving-endpoint update, a notification) and give the implementation to every runner with
 * {@link Deployments#withTasks(DeploymentTask...)}.
 *
 * <pre>{@code
 * DeploymentJob job = DeploymentJob.of(
 *     DeploymentTask.evaluate(EvaluationData.table("main.ml.churn_eval", 3)),
 *     DeploymentTask.approveWhen("auc >= champion.auc - 0.005 && auc >= 0.80"),
 *     DeploymentTask.deploy("champion", "previous"));
 * }</pre>
 *
 * <p>A step may run more than once for the same version when a runner dies in the middle of it (the
 * next runner resumes at that task), so make custom steps idempotent; a step never runs again once it
 * has succeeded.
 */
public interface DeploymentTask {
  /** The task's name: unique in its job, a tag key (letters, digits, '_', '.', '-'). */
  String name();

  /** Runs the step for {@code context.modelVersion()}. Exceptions fail the run with their message. */
  TaskResult run(TaskContext context);

  /** The metrics this step reports, so later approval gates may read them (checked when the job is built). */
  default Set<String> metricNames() {
    return Set.of();
  }

  /**
   * The built-in evaluation, named {@code evaluate}: scores the new version and the current
   * {@code champion} on the same rows with the same metric code as training (classification: accuracy,
   * precision, recall, f1, auc, log_loss; regression: rmse, mae, r2). The new version's metrics are
   * reported as {@code auc}, the champion's as {@code champion.auc}; both sets are also set as tags on
   * the new version ({@code evaluate.auc}, {@code evaluate.champion.auc}, {@code evaluate.champion_version}).
   * Works on models trained with {@link Trainer}.
   */
  static DeploymentTask evaluate(EvaluationData data) {
    return Builtins.evaluate("evaluate", data, "champion");
  }

  /** The built-in evaluation with a task name and the alias of the model to compare with. */
  static DeploymentTask evaluate(String name, EvaluationData data, String championAlias) {
    return Builtins.evaluate(name, data, championAlias);
  }

  /**
   * Automatic approval, named {@code approve}, by a gate over the metrics of earlier tasks, e.g.
   * {@code auc >= champion.auc - 0.005 && auc >= 0.80}. Operators: {@code && || ! >= <= > < == != + - * /}
   * and parentheses; {@code champion.<metric>} reads the champion's value. When there is no champion
   * yet, comparisons that read a champion metric pass. The expression, the values read and the result
   * are recorded, and the version's tag {@code approve} is set to {@code approved} or {@code rejected}.
   *
   * @throws GateExpressionException when the expression does not parse (unknown metrics are reported
   *     when the job is built)
   */
  static DeploymentTask approveWhen(String gate) {
    return Builtins.gate("approve", gate);
  }

  /** Automatic approval by a gate, with a task name. */
  static DeploymentTask approveWhen(String name, String gate) {
    return Builtins.gate(name, gate);
  }

  /**
   * Manual approval, named {@code approval}: the run waits in {@link JobRunState#APPROVAL} until the
   * version's tag {@code approval} is {@code approved} (the run goes on) or {@code rejected} (it fails),
   * case-insensitive. Set it with {@link Deployments#approve} from any process (which also records
   * the approver and comment), or with {@link ModelRegistry#setVersionTag}.
   */
  static DeploymentTask manualApproval() {
    return Builtins.manual("approval");
  }

  /** Manual approval waiting for the version tag of this name. */
  static DeploymentTask manualApproval(String name) {
    return Builtins.manual(name);
  }

  /**
   * Deployment, named {@code deploy}: points {@code alias} (e.g. {@code champion}) at the new version and
   * {@code previousAlias} (e.g. {@code previous}) at the version that held it, for
   * {@link Deployments#rollback}. Happens once per version: a runner that resumes a deployment it
   * started finishes the same alias moves; a finished deployment is never repeated. A version older
   * than the alias's current holder is not deployed (the run fails as superseded).
   */
  static DeploymentTask deploy(String alias, String previousAlias) {
    return Builtins.deploy("deploy", alias, previousAlias);
  }

  /** Deployment with a task name. */
  static DeploymentTask deploy(String name, String alias, String previousAlias) {
    return Builtins.deploy(name, alias, previousAlias);
  }
}
