package dev.mlops.monitor;

import dev.mlops.core.Filter;
import dev.mlops.monitor.internal.Errors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An alert as saved in the workspace ({@code alerts/<name>/alert.json}, format version
 * {@link #FORMAT_VERSION}): a condition over one Delta table and where its notifications go. Build one
 * with {@link Alerts#create(String)}.
 *
 * <p>Evaluation: the rows of the table's latest version that {@code filter} selects; when
 * {@code latestBy} is set, only the rows with the largest value of that column among them (e.g. the
 * latest {@code window.start}); then {@code aggregation} (FIRST when empty) of {@code column},
 * compared with the threshold by {@code operator}. No rows gives {@code emptyResultState}.
 *
 * <pre>{@code
 * AlertDefinition d = alerts.get("churn_drift");
 * d.operator();          // GE
 * d.retriggerSeconds();  // 0 = notify once per TRIGGERED period
 * }</pre>
 *
 * @param name unique name: letters, digits, '_', '-', '.', at most 100 characters
 * @param table the table evaluated (three-level name)
 * @param column the column ({@code a.b} for a field of struct column {@code a})
 * @param aggregation how to reduce the column's values (FIRST when empty)
 * @param operator the comparison
 * @param threshold what the value is compared with (empty for IS_NULL / IS_NOT_NULL)
 * @param filter which rows count
 * @param latestBy keep only the rows with the largest value of this column (after the filter)
 * @param emptyResultState the state when no row is selected
 * @param retriggerSeconds while TRIGGERED, notify again after this many seconds (0 = never)
 * @param notifyOnOk notify on the return to OK as well
 * @param schedule when an {@link AlertScheduler} evaluates it
 * @param destinations where notifications go
 * @param monitoredTable the monitored table whose drift → lineage impact notifications carry
 * @param customSummary summary template ({@code {{ALERT_NAME}}}, {@code {{ALERT_STATUS}}},
 *     {@code {{QUERY_RESULT_VALUE}}}, {@code {{ALERT_THRESHOLD}}}, {@code {{ALERT_CONDITION}}},
 *     {@code {{ALERT_COLUMN}}})
 */
public record AlertDefinition(String name, String table, String column, Optional<Aggregation> aggregation,
    AlertOperator operator, Optional<AlertThreshold> threshold, Optional<Filter> filter, Optional<String> latestBy,
    AlertState emptyResultState, long retriggerSeconds, boolean notifyOnOk, Optional<CronSchedule> schedule,
    List<AlertDestination> destinations, Optional<String> monitoredTable, String customSummary) {

  /** Format version of {@code alert.json}. */
  public static final int FORMAT_VERSION = 1;

  /** The summary used when none is given. */
  public static final String DEFAULT_SUMMARY = "Alert \"{{ALERT_NAME}}\" changed status to {{ALERT_STATUS}}"
      + " ({{ALERT_CONDITION}}: value {{QUERY_RESULT_VALUE}}, threshold {{ALERT_THRESHOLD}})";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /** Checks invariants and copies collections. */
  public AlertDefinition {
    Objects.requireNonNull(name, "name");
    if (!validName(name)) {
      throw Errors.badAlertName(name);
    }
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(column, "column");
    aggregation = aggregation == null ? Optional.empty() : aggregation;
    Objects.requireNonNull(operator, "operator");
    threshold = threshold == null ? Optional.empty() : threshold;
    filter = filter == null ? Optional.empty() : filter;
    latestBy = latestBy == null ? Optional.empty() : latestBy;
    Objects.requireNonNull(emptyResultState, "emptyResultState");
    if (retriggerSeconds < 0) {
      throw Errors.retriggerSecondsNeverGot(retriggerSeconds);
    }
    schedule = schedule == null ? Optional.empty() : schedule;
    destinations = List.copyOf(destinations);
    monitoredTable = monitoredTable == null ? Optional.empty() : monitoredTable;
    customSummary = customSummary == null || customSummary.isBlank() ? DEFAULT_SUMMARY : customSummary;
    if (operator.needsThreshold() != threshold.isPresent()) {
      throw Errors.thresholdMismatch(operator.symbol(), operator.needsThreshold());
    }
  }

  static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.startsWith(".");
  }

  /** The condition as text, e.g. {@code MAX(js_distance) >= 0.1}. */
  public String condition() {
    String v = aggregation.map(a -> a + "(" + column + ")").orElse(column);
    return v + " " + operator.symbol() + threshold.map(t -> " " + t).orElse("");
  }
}
