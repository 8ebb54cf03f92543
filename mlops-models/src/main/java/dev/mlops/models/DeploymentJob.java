package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Names;
import dev.mlops.models.internal.deploy.Builtins;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tasks that run, in order, for every new version of a registered model: attach it with
 * {@link Deployments#attach(String, DeploymentJob)}. Building it checks the task names and that every
 * approval gate reads only metrics an earlier task produces.
 *
 * <pre>{@code
 * DeploymentJob job = DeploymentJob.of(
 *     DeploymentTask.evaluate(EvaluationData.table("main.ml.churn_eval", 3)),
 *     DeploymentTask.manualApproval(),
 *     DeploymentTask.deploy("champion", "previous"));
 * }</pre>
 *
 * @param tasks the steps, in order
 */
public record DeploymentJob(List<DeploymentTask> tasks) {
  /**
   * Validates and copies.
   *
   * @throws GateExpressionException when a gate reads a metric no earlier task produces
   * @throws dev.mlops.core.InvalidNameException for a task name that is not a tag key
   * @throws IllegalArgumentException for no tasks or two tasks with the same name
   */
  public DeploymentJob {
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw Errors.jobWithoutTasks();
    }
    Set<String> names = new HashSet<>();
    Set<String> known = new HashSet<>();
    for (DeploymentTask t : tasks) {
      String n = Names.key(t.name(), "deployment task name");
      if (!names.add(n)) {
        throw Errors.duplicateTaskName(n, tasks.stream().map(DeploymentTask::name).collect(Collectors.toList()));
      }
      Builtins.checkGate(t, known);
      known.addAll(t.metricNames());
    }
  }

  /** A job of these tasks. */
  public static DeploymentJob of(DeploymentTask... tasks) {
    return new DeploymentJob(List.of(tasks));
  }

  /** The task names, in order. */
  public List<String> taskNames() {
    List<String> out = new ArrayList<>();
    tasks.forEach(t -> out.add(t.name()));
    return out;
  }
}
