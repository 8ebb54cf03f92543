package dev.mlops.monitor;

import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.internal.Errors;
import dev.mlops.monitor.internal.MonitorStore;
import dev.mlops.monitor.internal.Validation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The monitors of a workspace: the front door of this module. A monitor watches one Delta table and
 * writes {@code <table>_profile_metrics} and {@code <table>_drift_metrics} next to it. Definitions
 * are saved under the workspace's {@code monitors/} folder as versioned JSON.
 *
 * <pre>{@code
 * Monitors monitors = Monitors.of(ws);
 * Monitor m = monitors.create("main.ml.scores_log")
 *     .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version").label("label"))
 *     .baseline("main.ml.training_set")
 *     .slicingExprs("country", "amount > 100")
 *     .threshold("amount", DriftThreshold.of(DriftThreshold.Metric.PSI, 0.25))
 *     .create();
 * m.refresh();
 * monitors.get("main.ml.scores_log").refreshes();
 * }</pre>
 */
public final class Monitors {
  private final Workspace ws;
  private final Map<String, CustomMetric.Function> functions;

  private Monitors(Workspace ws, Map<String, CustomMetric.Function> functions) {
    this.ws = ws;
    this.functions = functions;
  }

  /** The monitors of a (local) workspace. */
  public static Monitors of(Workspace ws) {
    return new Monitors(Objects.requireNonNull(ws, "ws"), Map.of());
  }

  /** A copy that knows the Java function of a custom metric (by the metric's name). */
  public Monitors withMetricFunction(String metricName, CustomMetric.Function function) {
    Map<String, CustomMetric.Function> m = new LinkedHashMap<>(functions);
    m.put(Objects.requireNonNull(metricName, "metricName"), Objects.requireNonNull(function, "function"));
    return new Monitors(ws, java.util.Collections.unmodifiableMap(m));
  }

  /** Starts defining a monitor on a table; finish with {@link Builder#create()}. */
  public Builder create(String table) {
    return new Builder(TableName.parse(table).toString(), null);
  }

  /**
   * Starts changing a monitor's definition (prefilled with the current one); {@link Builder#update()}
   * saves it with the next monitor version, and the next refresh recomputes every window.
   */
  public Builder update(String table) {
    return new Builder(get(table).definition());
  }

  /**
   * The monitor of this table.
   *
   * @throws MonitorNotFoundException when none is defined
   */
  public Monitor get(String table) {
    return find(table).orElseThrow(() -> new MonitorNotFoundException(table, list()));
  }

  /** The monitor of this table, if one is defined. */
  public Optional<Monitor> find(String table) {
    String name = TableName.parse(table).toString();
    MonitorStore store = new MonitorStore(ws, name);
    return store.readDefinition().map(d -> new Monitor(ws, store, d, functions));
  }

  /** Tables that have a monitor, sorted. */
  public List<String> list() {
    return MonitorStore.list(ws);
  }

  /**
   * Deletes a monitor's definition, state and history. Its result tables stay (drop them with
   * {@code ws.tables().drop(...)}).
   *
   * @return true when a monitor was deleted
   */
  public boolean delete(String table) {
    return new MonitorStore(ws, TableName.parse(table).toString()).delete();
  }

  /**
   * A monitor definition being built. Nothing is saved until {@link #create()} or {@link #update()},
   * which check the definition against the tables first.
   */
  public final class Builder {
    private final String table;
    private final MonitorDefinition previous;
    private ProfileType profileType = ProfileType.snapshot();
    private Optional<String> baseline = Optional.empty();
    private final List<String> slicing = new ArrayList<>();
    private final List<String> include = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private final Map<String, DriftThreshold> thresholds = new LinkedHashMap<>();
    private final List<CustomMetric> metrics = new ArrayList<>();
    private int psiBins = DriftStatistics.DEFAULT_PSI_BINS;

    private Builder(String table, MonitorDefinition previous) {
      this.table = table;
      this.previous = previous;
    }

    private Builder(MonitorDefinition d) {
      this(d.table(), d);
      profileType = d.profileType();
      baseline = d.baselineTable();
      slicing.addAll(d.slicingExprs());
      include.addAll(d.includeColumns());
      exclude.addAll(d.excludeColumns());
      thresholds.putAll(d.thresholds());
      metrics.addAll(d.customMetrics());
      psiBins = d.psiBins();
    }

    /** Profile the whole table at each refresh (the default). */
    public Builder snapshot() {
      profileType = ProfileType.snapshot();
      return this;
    }

    /**
     * Profile windows of a timestamp column.
     *
     * @throws InvalidMonitorException for a granularity not in the list
     */
    public Builder timeSeries(String timestampCol, String... granularities) {
      try {
        profileType = ProfileType.timeSeries(timestampCol, granularities);
      } catch (IllegalArgumentException e) {
        throw Errors.badTimestampColumn(table, timestampCol, e.getMessage(), e);
      }
      return this;
    }

    /** Profile an inference log (see {@link InferenceLog}). */
    public Builder inferenceLog(InferenceLog log) {
      profileType = Objects.requireNonNull(log, "log");
      return this;
    }

    /** Compare with this table (same columns) in BASELINE drift rows. */
    public Builder baseline(String baselineTable) {
      baseline = Optional.of(TableName.parse(baselineTable).toString());
      return this;
    }

    /** No baseline. */
    public Builder noBaseline() {
      baseline = Optional.empty();
      return this;
    }

    /** Slicing expressions: column names (top 100 values) or predicates (true/false). Replaces earlier ones. */
    public Builder slicingExprs(String... exprs) {
      slicing.clear();
      slicing.addAll(Arrays.asList(exprs));
      return this;
    }

    /** Profile only these columns (replaces an earlier list). */
    public Builder includeColumns(String... columns) {
      include.clear();
      include.addAll(Arrays.asList(columns));
      return this;
    }

    /** Do not profile these columns (replaces an earlier list). */
    public Builder excludeColumns(String... columns) {
      exclude.clear();
      exclude.addAll(Arrays.asList(columns));
      return this;
    }

    /** The drift threshold of one column. */
    public Builder threshold(String column, DriftThreshold threshold) {
      thresholds.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(threshold, "threshold"));
      return this;
    }

    /** Adds a custom metric (its function is registered with {@link Monitors#withMetricFunction}). */
    public Builder customMetric(CustomMetric metric) {
      metrics.removeIf(m -> m.name().equals(metric.name()));
      metrics.add(Objects.requireNonNull(metric, "metric"));
      return this;
    }

    /** PSI bins (default 10). */
    public Builder psiBins(int bins) {
      if (bins < 2 || bins > 10_000) {
        throw Errors.monitorPsiBinsGot(table, bins);
      }
      psiBins = bins;
      return this;
    }

    private MonitorDefinition build(long version) {
      return new MonitorDefinition(table, profileType, baseline, slicing, include, exclude, thresholds, metrics,
          psiBins, version);
    }

    /**
     * Checks the definition against the tables and saves it (monitor version 1).
     *
     * @throws InvalidMonitorException naming the table and column when it does not fit; nothing is saved
     * @throws MonitorException when the table already has a monitor
     */
    public Monitor create() {
      if (previous != null) {
        throw Errors.useUpdateForMonitor();
      }
      MonitorDefinition d = build(1);
      Validation.check(ws, d);
      MonitorStore store = new MonitorStore(ws, table);
      if (!store.createDefinition(d)) {
        throw Errors.monitorExists(table);
      }
      return new Monitor(ws, store, d, functions);
    }

    /**
     * Checks and saves the changed definition with the next monitor version.
     *
     * @throws InvalidMonitorException when it does not fit; nothing is saved
     */
    public Monitor update() {
      if (previous == null) {
        throw Errors.useCreateForMonitor();
      }
      MonitorDefinition d = build(previous.monitorVersion() + 1);
      Validation.check(ws, d);
      MonitorStore store = new MonitorStore(ws, table);
      store.writeDefinition(d);
      return new Monitor(ws, store, d, functions);
    }
  }
}
