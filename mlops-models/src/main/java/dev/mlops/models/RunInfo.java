package dev.mlops.models;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a run: its attributes, params, latest metric values and tags.
 *
 * <pre>{@code
 * RunInfo r = tracking.getRun(runId);
 * r.status();                       // FINISHED
 * r.metrics().get("auc").value();   // latest value (highest step; last logged among equal steps)
 * r.params().get("trees");
 * }</pre>
 *
 * @param runId 32 hex digits
 * @param experiment name of the experiment
 * @param runName the run's name
 * @param status lifecycle state
 * @param startTime when it started
 * @param endTime when it ended, empty while running
 * @param parentRunId the parent run of a nested run
 * @param params immutable params
 * @param metrics latest value per metric key
 * @param tags tags, including the {@code mlops.*} provenance tags
 */
public record RunInfo(String runId, String experiment, String runName, RunStatus status, Instant startTime,
    Optional<Instant> endTime, Optional<String> parentRunId, Map<String, String> params,
    Map<String, Metric> metrics, Map<String, String> tags) {

  /** Validates and copies the maps. */
  public RunInfo {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(runName, "runName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(endTime, "endTime");
    Objects.requireNonNull(parentRunId, "parentRunId");
    params = Map.copyOf(params);
    metrics = Map.copyOf(metrics);
    tags = Map.copyOf(tags);
  }

  /** Source provenance recorded when the run started (from its {@code mlops.*} tags). */
  public Provenance provenance() {
    return Provenance.fromTags(tags);
  }

  /** The latest value of a metric, if logged. */
  public Optional<Double> metric(String key) {
    return Optional.ofNullable(metrics.get(key)).map(Metric::value);
  }

  /** The URI of an artifact of this run, e.g. {@code runs:/<id>/model}. */
  public String artifactUri(String path) {
    return "runs:/" + runId + "/" + path;
  }
}
