package dev.mlops.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The drifted columns of one window of a monitor and, for each, the upstream tables, feature tables,
 * training sets and registered model versions (with their aliases) it reaches through the lineage graph.
 *
 * <pre>{@code
 * DriftReport r = monitor.driftReport();
 * r.columns().forEach(System.out::println);
 * }</pre>
 *
 * @param table the monitored table
 * @param windowStart the window's start (empty when the monitor has no drift rows yet)
 * @param driftType BASELINE or CONSECUTIVE
 * @param columns the drifted columns, by name
 */
public record DriftReport(String table, Optional<Instant> windowStart, String driftType, List<DriftImpact> columns) {
  /** Copies the list. */
  public DriftReport {
    Objects.requireNonNull(table, "table");
    windowStart = windowStart == null ? Optional.empty() : windowStart;
    Objects.requireNonNull(driftType, "driftType");
    columns = List.copyOf(columns);
  }
}
