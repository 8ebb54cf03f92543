package dev.mlops.models.internal;

import java.util.Map;

/**
 * Everything search needs about a run, as one line of the experiment's index. Built from the run's
 * files; the line with the highest {@code rev} for a run id wins.
 */
public record RunSummary(String id, String experiment, String name, String status, long start, Long end,
    String parent, Map<String, String> params, Map<String, MetricPoint> metrics, Map<String, String> tags,
    long rev) {

  /** The summary of a run from its meta and its data. */
  public static RunSummary of(RunMeta m, Map<String, String> params, Map<String, MetricPoint> metrics,
      Map<String, String> tags) {
    return new RunSummary(m.id(), m.experiment(), m.name(), m.status(), m.startTime(), m.endTime(),
        m.parentRunId(), params, metrics, tags, m.rev());
  }
}
