package dev.mlops.monitor;

import dev.mlops.core.Filter;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.internal.Errors;
import dev.mlops.monitor.internal.MonitorStore;
import dev.mlops.monitor.internal.alert.AlertJson;
import dev.mlops.monitor.internal.alert.AlertStore;
import dev.mlops.monitor.internal.alert.Conditions;
import dev.mlops.monitor.internal.alert.Impacts;
import dev.mlops.monitor.internal.alert.Outbox;
import dev.mlops.monitor.internal.alert.Payload;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Alerts on Delta tables (a monitor's result tables or any other): the front door. An alert is a
 * condition (column, aggregation, operator, threshold value or column, row filter, state when no rows)
 * evaluated on demand ({@link #evaluate}), after a monitor refresh ({@link #refresh(Monitor)}) or by an
 * {@link AlertScheduler} the application starts. States are UNKNOWN, OK, TRIGGERED and ERROR.
 *
 * <p><b>Notifications</b> go out on the change to TRIGGERED; while it stays TRIGGERED, again after
 * {@code retriggerSeconds} (0 = never); on the return to OK when {@code notifyOnOk}. Each one is first
 * written to the workspace's outbox (under the alert's lock, together with the new state: two
 * processes evaluating the same alert do not both notify one transition), then delivered to each
 * destination; a failed delivery is retried with exponential backoff by later calls of
 * {@link #deliverPending()} (also in another process after a restart): at least once, with a delivery
 * id receivers deduplicate on.
 *
 * <pre>{@code
 * Alerts alerts = Alerts.of(ws).withCallback("pager", e -> System.out.println(e.summary()));
 * alerts.create("churn_drift")
 *     .on("main.ml.churn_log_drift_metrics", "drift_detected")
 *     .where(Filter.eq("drift_type", "BASELINE"))
 *     .latestBy("window.start")
 *     .aggregation(Aggregation.MAX)
 *     .condition(AlertOperator.EQ, true)
 *     .whenEmpty(AlertState.OK)
 *     .notifyOnOk(true)
 *     .impactOf("main.ml.churn_log")
 *     .webhook("http://127.0.0.1:8080/alerts")
 *     .destination(AlertDestination.callback("pager"))
 *     .create();
 * AlertStatus s = alerts.evaluate("churn_drift");
 * }</pre>
 */
public final class Alerts {
  private final Workspace ws;
  private final AlertStore store;
  private final Map<String, Consumer<AlertEvent>> callbacks;
  private final Outbox.Retry retry;
  private final Clock clock;
  private final Outbox.Http http;

  private Alerts(Workspace ws, Map<String, Consumer<AlertEvent>> callbacks, Outbox.Retry retry, Clock clock,
      Outbox.Http http) {
    this.ws = ws;
    this.store = new AlertStore(ws);
    this.callbacks = callbacks;
    this.retry = retry;
    this.clock = clock;
    this.http = http;
  }

  /** The alerts of a (local) workspace; failed deliveries are retried after 1 s, 2 s, 4 s, ... at most 15 min. */
  public static Alerts of(Workspace ws) {
    return new Alerts(Objects.requireNonNull(ws, "ws"), Map.of(),
        new Outbox.Retry(Duration.ofSeconds(1), Duration.ofMinutes(15)), Clock.systemUTC(), new Outbox.Http());
  }

  /** A copy that delivers {@link AlertDestination.Callback} notifications named {@code name} to {@code fn}. */
  public Alerts withCallback(String name, Consumer<AlertEvent> fn) {
    Map<String, Consumer<AlertEvent>> m = new LinkedHashMap<>(callbacks);
    m.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(fn, "fn"));
    return new Alerts(ws, Collections.unmodifiableMap(m), retry, clock, http);
  }

  /**
   * A copy with another retry backoff: {@code initial × 2^(attempt − 1)}, at most {@code max}.
   *
   * @throws IllegalArgumentException when initial is not positive or max is below it
   */
  public Alerts withRetry(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw Errors.retryBackoffNeedsInitial(initial, max);
    }
    return new Alerts(ws, callbacks, new Outbox.Retry(initial, max), clock, http);
  }

  /** A copy reading time from this clock (for tests of retriggering). */
  public Alerts withClock(Clock c) {
    return new Alerts(ws, callbacks, retry, Objects.requireNonNull(c, "clock"), http);
  }

  Workspace workspace() {
    return ws;
  }

  Clock clock() {
    return clock;
  }

  /** Starts defining an alert; finish with {@link Builder#create()}. */
  public Builder create(String name) {
    return new Builder(name, false);
  }

  /** Starts changing an alert (prefilled with its definition); finish with {@link Builder#update()}. */
  public Builder update(String name) {
    Builder b = new Builder(name, true);
    b.from(get(name));
    return b;
  }

  /**
   * The alert of this name.
   *
   * @throws AlertNotFoundException when there is none
   */
  public AlertDefinition get(String name) {
    return find(name).orElseThrow(() -> new AlertNotFoundException(name, list()));
  }

  /** The alert of this name, if defined. */
  public Optional<AlertDefinition> find(String name) {
    return AlertDefinition.validName(name) ? store.read(name) : Optional.empty();
  }

  /** Names of the alerts, sorted. */
  public List<String> list() {
    return store.list();
  }

  /**
   * Deletes an alert, its state and history. Queued notifications are still delivered.
   *
   * @return true when one was deleted
   */
  public boolean delete(String name) {
    return find(name).isPresent() && store.delete(name);
  }

  /** The current status (UNKNOWN before the first evaluation). */
  public AlertStatus status(String name) {
    get(name);
    return store.status(name);
  }

  /** The state changes, oldest first (at most the last 500). */
  public List<AlertStatus> history(String name) {
    get(name);
    return store.history(name);
  }

  /**
   * Evaluates an alert now, queues its notifications and tries to deliver everything due.
   *
   * @return the new status (ERROR with the message when the table cannot be evaluated)
   * @throws AlertNotFoundException when there is no such alert
   */
  public AlertStatus evaluate(String name) {
    AlertStatus s = evaluateOnly(get(name));
    deliverPending();
    return s;
  }

  /**
   * Refreshes a monitor, writes its HTML report ({@link MonitorReport}) and evaluates the alerts on the
   * monitored table or its result tables, or that carry its impact.
   *
   * @return the refresh
   */
  public RefreshInfo refresh(Monitor monitor) {
    RefreshInfo r = monitor.refresh();
    MonitorReport.of(monitor).writeToWorkspace(r);
    evaluateFor(monitor.table());
    return r;
  }

  /**
   * Evaluates every alert on this table, on its monitor's result tables, or carrying its impact.
   *
   * @return their new status, by alert name
   */
  public Map<String, AlertStatus> evaluateFor(String table) {
    String t = TableName.parse(table).toString();
    Map<String, AlertStatus> out = new LinkedHashMap<>();
    for (String n : list()) {
      Optional<AlertDefinition> d = store.read(n);
      if (d.isPresent() && (d.get().table().equals(t) || d.get().table().equals(t + "_drift_metrics")
          || d.get().table().equals(t + "_profile_metrics") || d.get().monitoredTable().equals(Optional.of(t)))) {
        out.put(n, evaluateOnly(d.get()));
      }
    }
    deliverPending();
    return out;
  }

  /**
   * Delivers the queued notifications that are due (failed ones back off); call it now and then, or
   * let an {@link AlertScheduler} do it.
   *
   * @return how many were delivered
   */
  public int deliverPending() {
    return new Outbox(store, http).deliver(callbacks, retry, clock.instant());
  }

  /** Notifications still queued (failed or not yet due), oldest first. */
  public List<String> pendingDeliveries() {
    return new Outbox(store, http).entries().stream().map(e -> e.deliveryId() + " (attempts " + e.attempts()
        + (e.lastError() == null ? "" : ", " + e.lastError()) + ")").toList();
  }

  AlertStatus evaluateOnly(AlertDefinition d) {
    Conditions.Result r = Conditions.evaluate(ws, d);
    Outbox outbox = new Outbox(store, http);
    return store.withLock(d.name(), () -> {
      if (store.read(d.name()).isEmpty()) {
        throw new AlertNotFoundException(d.name(), list());
      }
      Instant now = clock.instant();
      AlertStatus prev = store.status(d.name());
      outbox.dropUncommitted(d.name(), prev.notifications());
      AlertState st = r.state();
      boolean changed = st != prev.state();
      Optional<Instant> triggeredAt = st == AlertState.TRIGGERED
          ? (prev.state() == AlertState.TRIGGERED ? prev.triggeredAt() : Optional.of(now))
          : st == AlertState.ERROR ? prev.triggeredAt() : Optional.empty();
      boolean notify;
      if (st == AlertState.TRIGGERED) {
        notify = changed || d.retriggerSeconds() > 0 && prev.lastNotifiedAt()
            .map(t -> !now.isBefore(t.plusSeconds(d.retriggerSeconds()))).orElse(true);
      } else {
        notify = st == AlertState.OK && changed && d.notifyOnOk() && prev.triggeredAt().isPresent();
      }
      Optional<String> value = r.value().map(Conditions::text);
      Optional<String> threshold = r.threshold().map(Conditions::text);
      long seq = prev.notifications() + (notify && !d.destinations().isEmpty() ? 1 : 0);
      if (notify && !d.destinations().isEmpty()) {
        List<DriftImpact> impact = st == AlertState.TRIGGERED && d.monitoredTable().isPresent()
            ? impact(d.monitoredTable().get()) : List.of();
        String summary = Payload.summary(d, st.name(), value.orElse("NULL"), threshold.orElse(""));
        for (int i = 0; i < d.destinations().size(); i++) {
          String id = d.name() + "-" + seq + "-" + i;
          AlertEvent e = new AlertEvent(id, d.name(), st, prev.state(), value, threshold, d.condition(), now, summary,
              impact);
          outbox.add(new Outbox.Entry(Outbox.FORMAT, id, d.name(), seq, AlertJson.destination(d.destinations().get(i)),
              e, Payload.body(d, e), 0, now, null, now));
        }
      }
      AlertStatus next = new AlertStatus(d.name(), st, value, threshold, Optional.of(now),
          changed ? Optional.of(now) : prev.changedAt(), triggeredAt,
          notify ? Optional.of(now) : prev.lastNotifiedAt(), seq, r.message());
      store.writeStatus(next, changed);
      return next;
    });
  }

  private List<DriftImpact> impact(String monitored) {
    Optional<MonitorDefinition> md = new MonitorStore(ws, monitored).readDefinition();
    String driftTable = md.map(MonitorDefinition::driftMetricsTable).orElse(monitored + "_drift_metrics");
    String type = md.map(m -> m.baselineTable().isPresent() ? "BASELINE" : "CONSECUTIVE").orElse("BASELINE");
    return Impacts.report(ws, monitored, driftTable, Optional.empty(), type).columns();
  }

  /**
   * An alert being defined. Nothing is saved until {@link #create()} or {@link #update()}, which check
   * the condition against the table's schema first.
   */
  public final class Builder {
    private final String name;
    private final boolean updating;
    private String table;
    private String column;
    private Optional<Aggregation> aggregation = Optional.empty();
    private AlertOperator operator;
    private Optional<AlertThreshold> threshold = Optional.empty();
    private Optional<Filter> filter = Optional.empty();
    private Optional<String> latestBy = Optional.empty();
    private AlertState empty = AlertState.OK;
    private long retrigger;
    private boolean notifyOnOk;
    private Optional<CronSchedule> schedule = Optional.empty();
    private final List<AlertDestination> destinations = new ArrayList<>();
    private Optional<String> monitored = Optional.empty();
    private String summary = "";

    private Builder(String name, boolean updating) {
      this.name = Objects.requireNonNull(name, "name");
      this.updating = updating;
    }

    private void from(AlertDefinition d) {
      table = d.table();
      column = d.column();
      aggregation = d.aggregation();
      operator = d.operator();
      threshold = d.threshold();
      filter = d.filter();
      latestBy = d.latestBy();
      empty = d.emptyResultState();
      retrigger = d.retriggerSeconds();
      notifyOnOk = d.notifyOnOk();
      schedule = d.schedule();
      destinations.addAll(d.destinations());
      monitored = d.monitoredTable();
      summary = d.customSummary();
    }

    /** The table and column evaluated ({@code a.b} for a field of struct column {@code a}). */
    public Builder on(String tableName, String columnName) {
      this.table = TableName.parse(tableName).toString();
      this.column = Objects.requireNonNull(columnName, "column");
      return this;
    }

    /** Reduces the column with this aggregation (FIRST by default). */
    public Builder aggregation(Aggregation a) {
      aggregation = Optional.of(Objects.requireNonNull(a, "aggregation"));
      return this;
    }

    /** {@code value op threshold} with a constant (Number, String, Boolean or Instant). */
    public Builder condition(AlertOperator op, Object value) {
      operator = Objects.requireNonNull(op, "op");
      try {
        threshold = Optional.of(AlertThreshold.value(value));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw Errors.badAlertValue(name, String.valueOf(value), e.getMessage());
      }
      return this;
    }

    /** {@code value op aggregation(other column)} over the same rows. */
    public Builder conditionOnColumn(AlertOperator op, String otherColumn, Aggregation agg) {
      operator = Objects.requireNonNull(op, "op");
      threshold = Optional.of(new AlertThreshold.ColumnRef(otherColumn, Optional.ofNullable(agg)));
      return this;
    }

    /** Triggers when the value is greater than {@code value}. */
    public Builder above(Number value) {
      return condition(AlertOperator.GT, value);
    }

    /** Triggers when the value is less than {@code value}. */
    public Builder below(Number value) {
      return condition(AlertOperator.LT, value);
    }

    /** Triggers when the value is null (or, with {@code false}, when it is not). */
    public Builder isNull(boolean isNull) {
      operator = isNull ? AlertOperator.IS_NULL : AlertOperator.IS_NOT_NULL;
      threshold = Optional.empty();
      return this;
    }

    /** Only rows this filter selects count (top-level columns). */
    public Builder where(Filter f) {
      filter = Optional.of(Objects.requireNonNull(f, "filter"));
      return this;
    }

    /** Only the rows with the largest value of this column count (e.g. {@code window.start}: the latest window). */
    public Builder latestBy(String col) {
      latestBy = Optional.of(Objects.requireNonNull(col, "column"));
      return this;
    }

    /** The state when no row is selected (OK by default). */
    public Builder whenEmpty(AlertState state) {
      empty = Objects.requireNonNull(state, "state");
      return this;
    }

    /** While TRIGGERED, notify again after this many seconds (0, the default, = never). */
    public Builder retriggerSeconds(long seconds) {
      if (seconds < 0) {
        throw Errors.alertRetriggerSecondsNeverGot(name, String.valueOf(seconds), seconds);
      }
      retrigger = seconds;
      return this;
    }

    /** Notify on the return to OK too. */
    public Builder notifyOnOk(boolean notify) {
      notifyOnOk = notify;
      return this;
    }

    /**
     * Evaluates on a Quartz cron schedule in a time zone (run by an {@link AlertScheduler}).
     *
     * @throws InvalidAlertException when the expression does not parse
     */
    public Builder schedule(String quartzCron, ZoneId zone) {
      try {
        schedule = Optional.of(CronSchedule.of(quartzCron, zone));
      } catch (IllegalArgumentException e) {
        throw Errors.badSchedule(name, quartzCron, e.getMessage());
      }
      return this;
    }

    /** Pauses (or resumes) the schedule. */
    public Builder paused(boolean paused) {
      schedule = schedule.map(s -> s.paused(paused));
      return this;
    }

    /** Adds a destination. */
    public Builder destination(AlertDestination d) {
      destinations.add(Objects.requireNonNull(d, "destination"));
      return this;
    }

    /**
     * Adds an HTTP webhook destination (5 s connect, 10 s request timeout).
     *
     * @throws InvalidAlertException when the URL is not http(s)
     */
    public Builder webhook(String url) {
      try {
        return destination(AlertDestination.webhook(new URI(url)));
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        throw Errors.alertWebhookUrlHttp(name, url, e.getMessage());
      }
    }

    /** Removes all destinations. */
    public Builder clearDestinations() {
      destinations.clear();
      return this;
    }

    /** Notifications carry the drift → lineage impact of this monitored table. */
    public Builder impactOf(String monitoredTable) {
      monitored = Optional.of(TableName.parse(monitoredTable).toString());
      return this;
    }

    /** The summary template (see {@link AlertDefinition#customSummary()}). */
    public Builder summary(String template) {
      summary = Objects.requireNonNull(template, "template");
      return this;
    }

    private AlertDefinition build() {
      if (table == null) {
        throw Errors.alertWithoutTable(name);
      }
      if (operator == null) {
        throw Errors.alertWithoutCondition(name);
      }
      AlertDefinition d;
      try {
        d = new AlertDefinition(name, table, column, aggregation, operator, threshold, filter, latestBy, empty,
            retrigger, notifyOnOk, schedule, destinations, monitored, summary);
      } catch (IllegalArgumentException e) {
        throw Errors.badAlert(name, e.getMessage());
      }
      Conditions.check(ws, d);
      return d;
    }

    /**
     * Checks and saves a new alert (state UNKNOWN).
     *
     * @throws InvalidAlertException when it does not fit its table; nothing is saved
     * @throws MonitorException when an alert of that name exists
     */
    public AlertDefinition create() {
      if (updating) {
        throw Errors.useUpdateForAlert();
      }
      AlertDefinition d = build();
      if (!store.write(d, true)) {
        throw Errors.alertExists(name);
      }
      return d;
    }

    /**
     * Checks and saves the changed alert (its state is kept).
     *
     * @throws InvalidAlertException when it does not fit its table; nothing is saved
     */
    public AlertDefinition update() {
      if (!updating) {
        throw Errors.useCreateForAlert();
      }
      AlertDefinition d = build();
      store.write(d, false);
      return d;
    }
  }
}
