package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DeploymentTask} step reports: success (with metrics and a decision for the audit
 * log), failure (the run stops), or a wait for approval (the run goes to {@link JobRunState#APPROVAL}
 * and the step is called again on a later pass).
 *
 * <pre>{@code
 * return TaskResult.succeeded(Map.of("p99_ms", 4.2)).withDecision("latency ok");
 * return TaskResult.failed("p99 latency 40 ms exceeds 10 ms");
 * }</pre>
 *
 * @param outcome what happened
 * @param metrics metrics the step measured (gates of later tasks can read them)
 * @param details text facts for the audit log (e.g. the gate expression)
 * @param decision a one-line decision for the audit log
 * @param message why it failed or what it waits for
 */
public record TaskResult(Outcome outcome, Map<String, Double> metrics, Map<String, String> details,
    Optional<String> decision, Optional<String> message) {

  /** The outcome of a step. */
  public enum Outcome {
    /** Done: the run goes on with the next task. */
    SUCCEEDED,
    /** The run fails; later tasks do not run. */
    FAILED,
    /** Not decided yet: the run waits in APPROVAL and the step is called again later. */
    WAITING
  }

  /** Validates and copies. */
  public TaskResult {
    Objects.requireNonNull(outcome, "outcome");
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(message, "message");
    if (outcome != Outcome.SUCCEEDED && message.isEmpty()) {
      throw Errors.taskResultWithoutMessage(outcome);
    }
  }

  /** Success with nothing to report. */
  public static TaskResult succeeded() {
    return succeeded(Map.of());
  }

  /** Success with metrics. */
  public static TaskResult succeeded(Map<String, Double> metrics) {
    return new TaskResult(Outcome.SUCCEEDED, metrics, Map.of(), Optional.empty(), Optional.empty());
  }

  /** Failure: the run stops with this reason. */
  public static TaskResult failed(String why) {
    return new TaskResult(Outcome.FAILED, Map.of(), Map.of(), Optional.empty(), Optional.of(why));
  }

  /** Not decided yet: the run waits in APPROVAL; the step is called again on a later pass. */
  public static TaskResult waiting(String forWhat) {
    return new TaskResult(Outcome.WAITING, Map.of(), Map.of(), Optional.empty(), Optional.of(forWhat));
  }

  /** The same result with a decision for the audit log. */
  public TaskResult withDecision(String text) {
    return new TaskResult(outcome, metrics, details, Optional.of(text), message);
  }

  /** The same result with one more detail for the audit log. */
  public TaskResult withDetail(String key, String value) {
    Map<String, String> d = new LinkedHashMap<>(details);
    d.put(key, value);
    return new TaskResult(outcome, metrics, d, decision, message);
  }
}
