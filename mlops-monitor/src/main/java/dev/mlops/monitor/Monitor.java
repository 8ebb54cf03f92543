package dev.mlops.monitor;

import dev.mlops.core.Workspace;
import dev.mlops.monitor.internal.MonitorStore;
import dev.mlops.monitor.internal.Refresher;
import java.util.List;
import java.util.Map;

/**
 * A monitor on one Delta table. {@link #refresh()} brings {@code <table>_profile_metrics} and
 * {@code <table>_drift_metrics} up to date with the table:
 *
 * <ul>
 *   <li><b>incremental</b>: only windows with rows added, changed or removed since the table version
 *       processed last (late labels written by upsert included) are recomputed, plus the window after
 *       each (its CONSECUTIVE drift compares with a changed window); a changed definition or baseline
 *       recomputes everything;
 *   <li><b>idempotent</b>: a refresh with nothing new writes nothing;
 *   <li><b>atomic per table</b>: each result table is rewritten by one Delta commit, so a reader (or a
 *       refresh killed at any point) sees the old or the new rows of a window, never a mix;
 *   <li><b>coarser windows merged from finer ones</b>: with several granularities, each window of a
 *       coarser one (1 day when 1 hour is configured too, 1 month from days, 1 year from months, n
 *       weeks from days) is merged from the profiles of the finer windows that tile it exactly,
 *       computed from the same rows in the same refresh (so at the same table version and monitor
 *       version: complete and fresh); 1 month is not merged from weeks (they do not tile it). It is
 *       computed from the rows instead when the monitor has custom aggregate metrics (Java functions
 *       over rows) or when a finer window cut a column slice to its top 100 values. The refresh's
 *       message says how many windows were merged.
 * </ul>
 *
 * <p><b>What merges exactly.</b> Merged profiles equal the profiles computed from the rows for:
 * {@code count}, {@code num_nulls}, {@code num_zeros}, {@code num_nan}, {@code min}, {@code max},
 * string lengths, and model quality (confusion counts, sums of errors, the (score, label) pairs of
 * ROC AUC: every quality metric); {@code avg} and {@code stddev} merge by Chan's parallel formula
 * (count, mean, M2), equal to the one-pass values up to floating-point rounding (relative 1e-12 in the
 * tests). While a window has at most 20,000 numeric values per column, 10,000 distinct values and
 * 10,000 categories, its values are kept exactly and merging them stays exact: quantiles,
 * {@code median}, {@code distinct_count}, {@code frequent_items} and every drift statistic are then
 * identical. Beyond those sizes (in the merged window or in the rows), the sketches merge within
 * their stated bounds: KLL quantiles (k = 400) keep a normalized rank error of at most 0.68% at 99%
 * confidence whether merged or built from rows (tested at 1%); HLL distinct counts (lgK = 12) merge by
 * union, relative standard error 1.6%; frequent items (map size 4,096) merge with the sketch's
 * a-priori error bound on each count.
 *
 * Refreshes of one monitor are serialized across threads and processes by a lock file in the monitor's
 * folder.
 *
 * <pre>{@code
 * Monitor m = Monitors.of(ws).get("main.ml.scores_log");
 * RefreshInfo r = m.refresh();
 * Frame drift = ws.tables().get(m.definition().driftMetricsTable()).read().load();
 * m.refreshes().forEach(System.out::println);
 * }</pre>
 */
public final class Monitor {
  private final Workspace ws;
  private final MonitorStore store;
  private final MonitorDefinition definition;
  private final Map<String, CustomMetric.Function> functions;

  Monitor(Workspace ws, MonitorStore store, MonitorDefinition definition, Map<String, CustomMetric.Function> functions) {
    this.ws = ws;
    this.store = store;
    this.definition = definition;
    this.functions = functions;
  }

  /** The saved definition. */
  public MonitorDefinition definition() {
    return definition;
  }

  /** The monitored table's name. */
  public String table() {
    return definition.table();
  }

  /**
   * Refreshes the result tables (manual trigger).
   *
   * @return the refresh's record (SUCCESS)
   * @throws InvalidMonitorException when the table no longer fits the definition (recorded as FAILED)
   */
  public RefreshInfo refresh() {
    return refresh(RefreshInfo.Trigger.MANUAL);
  }

  /** Refreshes with the given trigger; see {@link #refresh()}. */
  public RefreshInfo refresh(RefreshInfo.Trigger trigger) {
    return new Refresher(ws, store, store.readDefinition().orElse(definition), functions).run(trigger);
  }

  /**
   * The drifted columns of the latest window and what each reaches through the lineage graph:
   * upstream tables, feature tables, training sets, registered model versions and their aliases now.
   * BASELINE drift when the monitor has a baseline, CONSECUTIVE otherwise.
   *
   * <pre>{@code
   * monitor.driftReport().columns().forEach(i -> System.out.println(i.column() + " -> " + i.models()));
   * }</pre>
   *
   * @return the report (no columns before the first refresh)
   */
  public DriftReport driftReport() {
    return driftReport(null);
  }

  /**
   * The drift report of the window starting at {@code windowStart} (the latest when null); see
   * {@link #driftReport()}.
   *
   * @param windowStart the window's start, or null for the latest
   * @return the report
   */
  public DriftReport driftReport(java.time.Instant windowStart) {
    MonitorDefinition d = store.readDefinition().orElse(definition);
    return dev.mlops.monitor.internal.alert.Impacts.report(ws, d.table(), d.driftMetricsTable(),
        java.util.Optional.ofNullable(windowStart), d.baselineTable().isPresent() ? "BASELINE" : "CONSECUTIVE");
  }

  Workspace workspace() {
    return ws;
  }

  /** The refresh history, oldest first. */
  public List<RefreshInfo> refreshes() {
    return store.readRefreshes();
  }

  @Override
  public String toString() {
    return "Monitor[" + definition.table() + " v" + definition.monitorVersion() + "]";
  }
}
