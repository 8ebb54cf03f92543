package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment run of one model version: its state (as MLflow's model-version deployment-job run
 * state), the task it is at, every task's record and the audit log. Stored on the version as
 * {@code versions/<n>/deployment.json}.
 *
 * <pre>{@code
 * DeploymentRun r = deployments.getRun("main.ml.churn", 5);
 * r.state();                        // APPROVAL
 * r.currentTask();                  // Optional[approval]
 * r.task("evaluate").metrics();     // {auc=0.91, champion.auc=0.90, ...}
 * }</pre>
 *
 * @param model the model name (job parameter model_name)
 * @param version the version (job parameter model_version)
 * @param runId a unique id of this run
 * @param state the run state
 * @param currentTask the task running, waiting or failed; empty before the first and after success
 * @param createdAt when the run was created (the version was seen)
 * @param updatedAt the last change
 * @param tasks every task, in job order
 * @param log the audit log, oldest first
 */
public record DeploymentRun(String model, int version, String runId, JobRunState state, Optional<String> currentTask,
    Instant createdAt, Instant updatedAt, List<TaskRun> tasks, List<AuditEntry> log) {
  /** Validates and copies. */
  public DeploymentRun {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(currentTask, "currentTask");
    tasks = List.copyOf(tasks);
    log = List.copyOf(log);
  }

  /**
   * One task's record.
   *
   * @throws IllegalArgumentException naming the tasks the run has
   */
  public TaskRun task(String name) {
    return tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
        Errors.noSuchRunTask(version, model, name, tasks.stream().map(TaskRun::name).toList()));
  }

  /**
   * One line of a run's audit log.
   *
   * @param time when
   * @param task the task concerned (empty for the run itself)
   * @param event created, claimed, started, resumed, succeeded, failed, waiting, approved, rejected, finished
   * @param detail what was decided or why
   * @param runner the runner (or approver) that wrote it
   */
  public record AuditEntry(Instant time, Optional<String> task, String event, String detail, String runner) {
    /** Validates. */
    public AuditEntry {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(runner, "runner");
    }
  }
}
