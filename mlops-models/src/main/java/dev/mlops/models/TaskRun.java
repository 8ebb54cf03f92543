package dev.mlops.models;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a deployment run, as recorded in the version's audit log.
 *
 * @param name the task name
 * @param type evaluate, gate, manual_approval, deploy or custom
 * @param status PENDING, RUNNING, APPROVAL (waiting), SUCCEEDED or FAILED
 * @param startedAt when it first started
 * @param endedAt when it succeeded or failed
 * @param attempts how many times a runner started it (more than 1 after a runner died mid-task)
 * @param metrics what it measured ({@code auc}, {@code champion.auc}, ...)
 * @param details facts for the audit (gate expression and values, alias moves, evaluation data)
 * @param decision its one-line decision
 * @param approver who approved or rejected (manual approval)
 * @param comment the approver's comment
 * @param error why it failed
 */
public record TaskRun(String name, String type, JobRunState status, Optional<Instant> startedAt,
    Optional<Instant> endedAt, int attempts, Map<String, Double> metrics, Map<String, String> details,
    Optional<String> decision, Optional<String> approver, Optional<String> comment, Optional<String> error) {
  /** Validates and copies. */
  public TaskRun {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }
}
