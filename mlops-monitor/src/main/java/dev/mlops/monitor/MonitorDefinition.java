package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a monitor is, as saved in the workspace (JSON with a format version, see
 * {@link #FORMAT_VERSION}). Built by {@link Monitors#create}; read with {@link Monitor#definition()}.
 *
 * <pre>{@code
 * MonitorDefinition d = monitor.definition();
 * d.profileType();       // Snapshot, TimeSeries or InferenceLog
 * d.monitorVersion();    // bumped by every update of the definition
 * }</pre>
 *
 * @param table the monitored table (three-level name)
 * @param profileType snapshot, time series or inference log
 * @param baselineTable a table with the same columns to compare against (BASELINE drift rows)
 * @param slicingExprs column names (one slice per top-100 value) or predicates (true/false slices)
 * @param includeColumns columns to profile (empty = all but the excluded)
 * @param excludeColumns columns not to profile
 * @param thresholds per-column drift thresholds (others use {@link DriftThreshold#defaultFor})
 * @param customMetrics custom metrics, written as extra columns
 * @param psiBins number of PSI bins (default 10)
 * @param monitorVersion version of this definition (written as {@code monitor_version})
 */
public record MonitorDefinition(String table, ProfileType profileType, Optional<String> baselineTable,
    List<String> slicingExprs, List<String> includeColumns, List<String> excludeColumns,
    Map<String, DriftThreshold> thresholds, List<CustomMetric> customMetrics, int psiBins, long monitorVersion) {

  /** Format version of the saved JSON. */
  public static final int FORMAT_VERSION = 1;

  /** Top slice values per slicing column (the rest of the values get no slice of their own). */
  public static final int MAX_SLICE_VALUES = 100;

  /** Copies collections and checks simple invariants. */
  public MonitorDefinition {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(profileType, "profileType");
    baselineTable = baselineTable == null ? Optional.empty() : baselineTable;
    slicingExprs = List.copyOf(slicingExprs);
    includeColumns = List.copyOf(includeColumns);
    excludeColumns = List.copyOf(excludeColumns);
    thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    customMetrics = List.copyOf(customMetrics);
    if (psiBins < 2 || psiBins > 10_000) {
      throw Errors.psiBinsGot(psiBins);
    }
    if (monitorVersion < 1) {
      throw Errors.monitorVersionStartsGot(monitorVersion);
    }
  }

  /** The profile metrics table name: {@code <table>_profile_metrics} in the same schema. */
  public String profileMetricsTable() {
    return table + "_profile_metrics";
  }

  /** The drift metrics table name: {@code <table>_drift_metrics} in the same schema. */
  public String driftMetricsTable() {
    return table + "_drift_metrics";
  }
}
