package dev.mlops.models.internal;

/**
 * The stored attributes of a run ({@code runs/<id>/meta.json}), rewritten atomically on start, end
 * and every change that must reach the search index. {@code rev} grows by one with each rewrite.
 * {@code process} names the process that started the run (absent in runs written before it was
 * recorded): a RUNNING run whose process is gone is ended FAILED when it is next read.
 */
public record RunMeta(String id, String experiment, String name, String status, long startTime,
    Long endTime, String parentRunId, long rev, ProcessRef process) {

  /** A copy with another status, end time and the next revision. */
  public RunMeta ended(String newStatus, long end) {
    return new RunMeta(id, experiment, name, newStatus, startTime, end, parentRunId, rev + 1, process);
  }

  /** A copy with the next revision. */
  public RunMeta nextRev() {
    return new RunMeta(id, experiment, name, status, startTime, endTime, parentRunId, rev + 1, process);
  }
}
