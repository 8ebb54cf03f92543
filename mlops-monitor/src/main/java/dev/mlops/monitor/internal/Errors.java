package dev.mlops.monitor.internal;

import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import dev.mlops.monitor.InvalidAlertException;
import dev.mlops.monitor.InvalidMonitorException;
import dev.mlops.monitor.MonitorException;
import java.io.IOException;

/**
 * Every user-facing message of the monitor module, built in one place (after Delta Kernel's
 * {@code DeltaErrors}): each method says what went wrong, why, and how to fix it, naming the table,
 * column, alert or value. Callers {@code throw Errors.x(..)}; {@code MessagesInOnePlaceTest} keeps
 * messages from being written at call sites again.
 */
public final class Errors {
  private Errors() {}

  // ------------------------------------------------------------ AlertThreshold

  /** A threshold is a Number, String, Boolean or Instant, got {classGetName} ({value}). */
  public static IllegalArgumentException badThresholdValue(Object className, Object value) {
    return new IllegalArgumentException("A threshold is a Number, String, Boolean or Instant, got " + className
        + " (" + value + ")");
  }

  // ------------------------------------------------------------ CustomMetric

  /** Custom metric name '{name}' must be a plain column name (letters, digits, _) that is not a built-in result ... */
  public static IllegalArgumentException customMetricNamePlain(Object name) {
    return new IllegalArgumentException("Custom metric name '" + name + "' must be a plain column name (letters,"
        + " digits, _) that is not a built-in result column.");
  }

  /** Custom metric '{name}' needs input columns (":table" for the whole window). */
  public static IllegalArgumentException customMetricNeedsInput(Object name) {
    return new IllegalArgumentException("Custom metric '" + name + "' needs input columns (\":table\" for the whole"
        + " window).");
  }

  // ------------------------------------------------------------ MonitorDefinition

  /** PSI bins must be in [2, 10000], got {psiBins}. */
  public static IllegalArgumentException psiBinsGot(Object psiBins) {
    return new IllegalArgumentException("PSI bins must be in [2, 10000], got " + psiBins);
  }

  /** monitorVersion starts at 1, got {monitorVersion}. */
  public static IllegalArgumentException monitorVersionStartsGot(Object monitorVersion) {
    return new IllegalArgumentException("monitorVersion starts at 1, got " + monitorVersion);
  }

  // ------------------------------------------------------------ AlertDefinition

  /** An operator given a threshold it does not take, or not given one it needs. */
  public static IllegalArgumentException thresholdMismatch(Object operator, boolean needsThreshold) {
    return new IllegalArgumentException("Operator " + operator + (needsThreshold
        ? " needs a threshold: give the value (or column) to compare with."
        : " takes no threshold: leave it out."));
  }

  /** Alert name '{name}' is not valid. */
  public static IllegalArgumentException badAlertName(Object name) {
    return new IllegalArgumentException("Alert name '" + name + "' is not valid: use 1-100 letters, digits, '_', '-'"
        + " or '.', not starting with '.'");
  }

  /** retriggerSeconds must be &gt;= 0 (0 = never), got {retriggerSeconds}. */
  public static IllegalArgumentException retriggerSecondsNeverGot(Object retriggerSeconds) {
    return new IllegalArgumentException("retriggerSeconds must be >= 0 (0 = never), got " + retriggerSeconds);
  }

  // ------------------------------------------------------------ AlertDestination

  /** A callback needs a name. */
  public static IllegalArgumentException callbackNeedsName() {
    return new IllegalArgumentException("A callback needs a name");
  }

  /** A webhook URL must be http(s)://host/..., got '{url}'. */
  public static IllegalArgumentException webhookUrlHttpS(Object url) {
    return new IllegalArgumentException("A webhook URL must be http(s)://host/..., got '" + url + "'");
  }

  /** Webhook timeouts must be positive, got {connectTimeout} and {requestTimeout}. */
  public static IllegalArgumentException webhookTimeoutsPositiveGot(Object connectTimeout, Object requestTimeout) {
    return new IllegalArgumentException("Webhook timeouts must be positive, got " + connectTimeout + " and "
        + requestTimeout);
  }

  // ------------------------------------------------------------ Monitors

  /** Monitor on {table}: {eDetail}. */
  public static InvalidMonitorException badTimestampColumn(String table, String timestampCol, Object detail, Throwable e) {
    return new InvalidMonitorException(table, timestampCol, "Monitor on " + table + ": " + detail, e);
  }

  /** Monitor on {table}: PSI bins must be in [2, 10000], got {bins}. */
  public static InvalidMonitorException monitorPsiBinsGot(String table, Object bins) {
    return new InvalidMonitorException(table, null, "Monitor on " + table + ": PSI bins must be in [2, 10000], got "
        + bins + ".");
  }

  /** This builder updates a monitor. */
  public static IllegalStateException useUpdateForMonitor() {
    return new IllegalStateException("This builder updates a monitor: call update()");
  }

  /** Table {table} already has a monitor. */
  public static MonitorException monitorExists(Object table) {
    return new MonitorException("Table " + table + " already has a monitor. Change it with Monitors.update(\"" + table
        + "\")...update(), or delete it first.");
  }

  /** This builder creates a monitor. */
  public static IllegalStateException useCreateForMonitor() {
    return new IllegalStateException("This builder creates a monitor: call create()");
  }

  // ------------------------------------------------------------ Alerts

  /** Retry backoff needs 0 &lt; initial &lt;= max, got {initial} and {max}. */
  public static IllegalArgumentException retryBackoffNeedsInitial(Object initial, Object max) {
    return new IllegalArgumentException("Retry backoff needs 0 < initial <= max, got " + initial + " and " + max);
  }

  /** Alert '{name}': {eDetail}. */
  public static InvalidAlertException badAlertValue(String name, String value, Object detail) {
    return new InvalidAlertException(name, value, "Alert '" + name + "': " + detail + ".");
  }

  /** Alert '{name}': retriggerSeconds must be &gt;= 0 (0 = never), got {seconds}. */
  public static InvalidAlertException alertRetriggerSecondsNeverGot(String name, String value, Object seconds) {
    return new InvalidAlertException(name, value, "Alert '" + name + "': retriggerSeconds must be >= 0 (0 = never), got"
        + " " + seconds + ".");
  }

  /** Alert '{name}': {eDetail}. */
  public static InvalidAlertException badSchedule(String name, String quartzCron, Object detail) {
    return new InvalidAlertException(name, quartzCron, "Alert '" + name + "': " + detail + ".");
  }

  /** Alert '{name}': webhook URL '{url}' is not an http(s) URL ({eDetail}). */
  public static InvalidAlertException alertWebhookUrlHttp(String name, String url, Object detail) {
    return new InvalidAlertException(name, url, "Alert '" + name + "': webhook URL '" + url + "' is not an http(s) URL"
        + " (" + detail + "). Give one like http://host:port/path.");
  }

  /** Alert '{name}' has no table. */
  public static InvalidAlertException alertWithoutTable(String name) {
    return new InvalidAlertException(name, null, "Alert '" + name + "' has no table: call on(table, column).");
  }

  /** Alert '{name}' has no condition. */
  public static InvalidAlertException alertWithoutCondition(String name) {
    return new InvalidAlertException(name, null, "Alert '" + name + "' has no condition: call condition(op, value),"
        + " above(x), below(x) or isNull(b).");
  }

  /** Alert '{name}': {eDetail}. */
  public static InvalidAlertException badAlert(String name, Object detail) {
    return new InvalidAlertException(name, null, "Alert '" + name + "': " + detail + ".");
  }

  /** This builder updates an alert. */
  public static IllegalStateException useUpdateForAlert() {
    return new IllegalStateException("This builder updates an alert: call update()");
  }

  /** Alert '{name}' already exists. */
  public static MonitorException alertExists(Object name) {
    return new MonitorException("Alert '" + name + "' already exists. Change it with Alerts.update(\"" + name
        + "\")...update(), or delete it first.");
  }

  /** This builder creates an alert. */
  public static IllegalStateException useCreateForAlert() {
    return new IllegalStateException("This builder creates an alert: call create()");
  }

  // ------------------------------------------------------------ ProfileType

  /** A time-series or inference-log monitor needs at least one granularity, e.g. */
  public static IllegalArgumentException timeSeriesInferenceLogMonitorNeeds() {
    return new IllegalArgumentException("A time-series or inference-log monitor needs at least one granularity, e.g."
        + " \"1 day\".");
  }

  /** Granularities {list} repeat one. */
  public static IllegalArgumentException granularitiesRepeatOnce(Object list) {
    return new IllegalArgumentException("Granularities " + list + " repeat one: give each once.");
  }

  // ------------------------------------------------------------ TestResult

  /** A p-value must lie in [0, 1], got {pvalue}. */
  public static IllegalArgumentException pValueLieGot(Object pvalue) {
    return new IllegalArgumentException("A p-value must lie in [0, 1], got " + pvalue);
  }

  // ------------------------------------------------------------ AlertScheduler

  /** tick must be positive, got {tick}. */
  public static IllegalArgumentException tickPositiveGot(Object tick) {
    return new IllegalArgumentException("tick must be positive, got " + tick);
  }

  // ------------------------------------------------------------ Granularity

  /** Granularity {amount} {nameToLowerCase} is not supported. */
  public static IllegalArgumentException granularitySupportedMinutesMinutes(Object amount, Object nameToLowerCase) {
    return new IllegalArgumentException("Granularity " + amount + " " + nameToLowerCase + " is not supported: use one"
        + " of 5 minutes, 30 minutes, 1 hour, 1 day, <n> weeks (1-52), 1 month, 1 year.");
  }

  /** Granularity '{text}' does not parse. */
  public static IllegalArgumentException granularityParseMinutesMinutes(Object text) {
    return new IllegalArgumentException("Granularity '" + text + "' does not parse: use one of 5 minutes, 30 minutes,"
        + " 1 hour, 1 day, <n> weeks, 1 month, 1 year.");
  }

  /** Granularity '{text}' has a number out of range. */
  public static IllegalArgumentException granularityNumberOutRange(Object text) {
    return new IllegalArgumentException("Granularity '" + text + "' has a number out of range.");
  }

  /** Granularity '{text}' has an unknown unit '{u}'. */
  public static IllegalArgumentException granularityUnknownUnitMinutes(Object text, Object u) {
    return new IllegalArgumentException("Granularity '" + text + "' has an unknown unit '" + u + "': use one of 5"
        + " minutes, 30 minutes, 1 hour, 1 day, <n> weeks, 1 month, 1 year.");
  }

  /** Granularity '{text}': {eDetail}. */
  public static IllegalArgumentException badGranularity(Object text, Object detail, Throwable e) {
    return new IllegalArgumentException("Granularity '" + text + "': " + detail, e);
  }

  // ------------------------------------------------------------ DriftThreshold

  /** Drift threshold {value} for {metric} is out of range. */
  public static IllegalArgumentException driftThresholdOutOfRange(double value, Object metric, boolean pValue) {
    return new IllegalArgumentException("Drift threshold " + value + " for " + metric + " is out of range: "
        + (pValue ? "a p-value threshold lies in [0, 1]" : "a distance threshold is >= 0 and finite") + ".");
  }

  // ------------------------------------------------------------ Validation

  /** Monitor on {t}: timestamp column '{ts}' is {type}, not TIMESTAMP or DATE. */
  public static InvalidMonitorException monitorTimestampColumnTimestamp(String t, String ts, Object type) {
    return new InvalidMonitorException(t, ts, "Monitor on " + t + ": timestamp column '" + ts + "' is " + type
        + ", not TIMESTAMP or DATE. Add a TIMESTAMP column (e.g. parsed from the text) and monitor that.");
  }

  /** Monitor on {t}: model id column '{ilModelId}' is {mid}. */
  public static InvalidMonitorException monitorModelIdColumn(String t, String ilModelId, Object mid) {
    return new InvalidMonitorException(t, ilModelId, "Monitor on " + t + ": model id column '" + ilModelId + "' is "
        + mid + "; use a STRING, LONG or INT column naming the model (version).");
  }

  /** Monitor on {t}: a regression monitor needs a numeric prediction column, but '{ilPrediction}' is {pred}. */
  public static InvalidMonitorException monitorRegressionMonitorNeeds(String t, String ilPrediction, Object pred) {
    return new InvalidMonitorException(t, ilPrediction, "Monitor on " + t + ": a regression monitor needs a numeric"
        + " prediction column, but '" + ilPrediction + "' is " + pred + ". Use problem type classification for class"
        + " labels.");
  }

  /** Monitor on {t}: a classification monitor needs class labels (STRING, LONG, INT or BOOLEAN) in ... */
  public static InvalidMonitorException monitorClassificationMonitorNeeds(String t, String ilPrediction, Object pred) {
    return new InvalidMonitorException(t, ilPrediction, "Monitor on " + t + ": a classification monitor needs class"
        + " labels (STRING, LONG, INT or BOOLEAN) in '" + ilPrediction + "', which is " + pred + ". Use problem type"
        + " regression for numeric predictions.");
  }

  /** Monitor on {t}: label column '{l}' is {lt} but prediction '{ilPrediction}' is {pred}. */
  public static InvalidMonitorException monitorLabelColumnPrediction(String t, String l, Object lt, Object ilPrediction,
      Object pred) {
    return new InvalidMonitorException(t, l, "Monitor on " + t + ": label column '" + l + "' is " + lt
        + " but prediction '" + ilPrediction + "' is " + pred + "; they must hold the same kind of value.");
  }

  /** Monitor on {t}: prediction probabilities {ilProbabilities} were given for a regression monitor. */
  public static InvalidMonitorException monitorPredictionProbabilitiesGiven(String t, String iteratorNext,
      Object ilProbabilities) {
    return new InvalidMonitorException(t, iteratorNext, "Monitor on " + t + ": prediction probabilities "
        + ilProbabilities + " were given for a regression monitor; they apply to classification only. Remove them or"
        + " use InferenceLog.classification(...).");
  }

  /** Monitor on {t}: probability column '{eGetValue}' of class '{eGetKey}' is {pt2}, not DOUBLE. */
  public static InvalidMonitorException monitorProbabilityColumnClass(String t, String value, Object key,
      Object pt2) {
    return new InvalidMonitorException(t, value, "Monitor on " + t + ": probability column '" + value
        + "' of class '" + key + "' is " + pt2 + ", not DOUBLE.");
  }

  /** Monitor on {t}: {exDetail}. */
  public static InvalidMonitorException badMonitor(String t, Object detail, Throwable ex) {
    return new InvalidMonitorException(t, null, "Monitor on " + t + ": " + detail, ex);
  }

  /** Monitor on {t}: threshold {valueMetric} does not apply to column '{eGetKey}' of type {ty}. */
  public static InvalidMonitorException monitorThresholdApplyColumn(String t, String key, Object valueMetric,
      Object ty) {
    return new InvalidMonitorException(t, key, "Monitor on " + t + ": threshold " + valueMetric + " does not apply"
        + " to column '" + key + "' of type " + ty + ". Numeric columns take KS_PVALUE, WASSERSTEIN_NORMALIZED or"
        + " PSI; string and boolean columns CHI_SQUARED_PVALUE, JS_DISTANCE, TV_DISTANCE or L_INFINITY_DISTANCE.");
  }

  /** Monitor on {t}: custom metric name '{mName}' is used twice or equals a table column. */
  public static InvalidMonitorException monitorCustomMetricName(String t, String mName) {
    return new InvalidMonitorException(t, mName, "Monitor on " + t + ": custom metric name '" + mName + "' is used"
        + " twice or equals a table column; give it a unique name.");
  }

  /** Monitor on {t}: baseline table {b} does not have the monitored columns. */
  public static InvalidMonitorException monitorBaselineTableMonitored(String b, String first, Object t,
      Object problems) {
    return new InvalidMonitorException(b, first, "Monitor on " + t + ": baseline table " + b + " does not have the"
        + " monitored columns: " + problems + ". Give the baseline the same columns and types, or exclude these"
        + " columns.");
  }

  /** Monitor on {t}: baseline table {b} is empty, so there is nothing to compare with. */
  public static InvalidMonitorException monitorBaselineTableEmpty(String b, Object t) {
    return new InvalidMonitorException(b, null, "Monitor on " + t + ": baseline table " + b + " is empty, so there is"
        + " nothing to compare with. Write the reference rows (e.g. the training set) first.");
  }

  /** Monitor on {monitored}. */
  public static InvalidMonitorException notADeltaTable(String name, Object monitored, Object what,
      Object detail, Throwable e) {
    return new InvalidMonitorException(name, null, "Monitor on " + monitored + ": the " + what + " " + name
        + " is not a Delta table of this workspace (" + detail + "). Create it, or convert it to Delta.", e);
  }

  /** Monitor on {monitored}. */
  public static InvalidMonitorException cannotOpenTable(String name, Object monitored, Object what,
      Object detail, Throwable e) {
    return new InvalidMonitorException(name, null, "Monitor on " + monitored + ": the " + what + " " + name
        + " cannot be opened as a Delta table: " + detail, e);
  }

  // ------------------------------------------------------------ Cron

  /** Cron expression '{expr}' has {pLength} fields. */
  public static IllegalArgumentException cronExpressionFieldsQuartz(Object expr, Object pLength) {
    return new IllegalArgumentException("Cron expression '" + expr + "' has " + pLength + " fields; Quartz needs 6:"
        + " seconds minutes hours day-of-month month day-of-week, e.g. '0 0/15 * * * ?'");
  }

  /** Cron expression '{expr}' restricts both day-of-month ('{value}') and day-of-week ('{value}'). */
  public static IllegalArgumentException cronExpressionRestrictsBoth(Object expr, Object value, Object value2) {
    return new IllegalArgumentException("Cron expression '" + expr + "' restricts both day-of-month ('" + value
        + "') and day-of-week ('" + value2 + "'); Quartz needs '?' in one of them");
  }

  // ------------------------------------------------------------ Outbox

  /** Cannot read the alert outbox {dir}. */
  public static StorageException readAlertOutbox(Object dir, Object detail, Throwable e) {
    return new StorageException("Cannot read the alert outbox " + dir + ": " + detail + ". Check that the directory"
        + " is readable; undelivered notifications stay in it.", e);
  }

  // ------------------------------------------------------------ Conditions

  /** Alert '{dName}': table {dTable} cannot be read ({eDetail}). */
  public static InvalidAlertException alertTableReadAlerts(String dName, String dTable, Object detail) {
    return new InvalidAlertException(dName, dTable, "Alert '" + dName + "': table " + dTable + " cannot be read ("
        + detail + "). Alerts evaluate an existing Delta table: create it (or refresh the monitor that writes it)"
        + " first.");
  }

  /** Alert '{dName}': latestBy column '{dLatestBy}' of {dTable} is not orderable. */
  public static InvalidAlertException alertLatestByColumnOrderable(String dName, String dLatestBy, Object dTable) {
    return new InvalidAlertException(dName, dLatestBy, "Alert '" + dName + "': latestBy column '" + dLatestBy + "' of "
        + dTable + " is not orderable; use a number, string, date or timestamp.");
  }

  /** Alert '{dName}': the filter names column '{c}', which {dTable} does not have. */
  public static InvalidAlertException alertFilterNamesColumn(String dName, String c, Object dTable,
      Object schemaNames) {
    return new InvalidAlertException(dName, c, "Alert '" + dName + "': the filter names column '" + c + "', which "
        + dTable + " does not have. Its columns: " + schemaNames + ".");
  }

  /** Alert '{dName}': {dColumn} of {dTable} is nested. */
  public static InvalidAlertException alertNestedCompareNull(String dName, String dColumn, Object dTable) {
    return new InvalidAlertException(dName, dColumn, "Alert '" + dName + "': " + dColumn + " of " + dTable
        + " is nested; compare it with IS_NULL / IS_NOT_NULL, aggregate it with COUNT, or name a field ('" + dColumn
        + ".field').");
  }

  /** Alert '{dName}': {dColumn} is boolean, which compares only with = and !=, not {operatorSymbol}. */
  public static InvalidAlertException alertBooleanCompares(String dName, String dColumn, Object operatorSymbol) {
    return new InvalidAlertException(dName, dColumn, "Alert '" + dName + "': " + dColumn + " is boolean, which compares"
        + " only with = and !=, not " + operatorSymbol + ".");
  }

  /** Alert '{dName}': threshold {vValue} ({classGetSimpleName}) does not fit {value}, which is {nameToLowerCase}. */
  public static InvalidAlertException alertThresholdFitThreshold(String dName, String value, Object vValue,
      Object valueClass, Object value2, Object nameToLowerCase, Object javaType) {
    return new InvalidAlertException(dName, value, "Alert '" + dName + "': threshold " + vValue + " ("
        + valueClass + ") does not fit " + value2 + ", which is " + nameToLowerCase + "; give a " + javaType
        + " threshold.");
  }

  /** Alert '{dName}': threshold column '{cColumn}' is {nameToLowerCase} but the value is {nameToLowerCase}. */
  public static InvalidAlertException alertThresholdColumnValue(String dName, String cColumn, Object nameToLowerCase,
      Object nameToLowerCase2) {
    return new InvalidAlertException(dName, cColumn, "Alert '" + dName + "': threshold column '" + cColumn + "' is "
        + nameToLowerCase + " but the value is " + nameToLowerCase2 + "; compare columns of the same kind.");
  }

  /** Alert '{dName}': {a} needs a numeric column, but {column} of {dTable} is {tSql}. */
  public static InvalidAlertException alertNeedsNumericColumn(String dName, String column, Object a, Object dTable,
      Object tSql) {
    return new InvalidAlertException(dName, column, "Alert '" + dName + "': " + a + " needs a numeric column, but "
        + column + " of " + dTable + " is " + tSql + ". Use COUNT, COUNT_DISTINCT, FIRST, MIN or MAX, or a numeric"
        + " column.");
  }

  /** Alert '{dName}': {a} needs an orderable column, but {column} of {dTable} is {tSql}. */
  public static InvalidAlertException alertNeedsOrderableColumn(String dName, String column, Object a, Object dTable,
      Object tSql) {
    return new InvalidAlertException(dName, column, "Alert '" + dName + "': " + a + " needs an orderable column, but "
        + column + " of " + dTable + " is " + tSql + ".");
  }

  /** Alert '{dName}': {what} '{path}' is not a column of {dTable}. */
  public static InvalidAlertException alertColumnColumns(String dName, String path, Object what, Object dTable,
      Object schemaNames) {
    return new InvalidAlertException(dName, path, "Alert '" + dName + "': " + what + " '" + path + "' is not a column"
        + " of " + dTable + ". Its columns: " + schemaNames + ".");
  }

  /** Alert '{dName}': '{path}' names a field of {join}, which is {tSql}, not a struct. */
  public static InvalidAlertException alertNamesFieldStruct(String dName, String path, Object join, Object tSql) {
    return new InvalidAlertException(dName, path, "Alert '" + dName + "': '" + path + "' names a field of " + join
        + ", which is " + tSql + ", not a struct.");
  }

  /** Alert '{dName}': struct {join} of {dTable} has no field '{name}'. */
  public static InvalidAlertException alertStructFieldFields(String dName, String path, Object join, Object dTable,
      Object name, Object stNames) {
    return new InvalidAlertException(dName, path, "Alert '" + dName + "': struct " + join + " of " + dTable
        + " has no field '" + name + "'. Its fields: " + stNames + ".");
  }

  // ------------------------------------------------------------ AlertStore

  /** Cannot read {p}: {eDetail}. */
  public static StorageException cannotReadAlertFile(Object p, Object detail, Throwable e) {
    return new StorageException("Cannot read " + p + ": " + detail + ". Check that the file is readable.", e);
  }

  /** Alert state {p} has format version {fv}. */
  public static MlopsException alertStateFormatVersion(Object p, Object fv, Object stateFormat) {
    return new MlopsException("Alert state " + p + " has format version " + fv + "; this SDK reads " + stateFormat
        + ".");
  }

  // ------------------------------------------------------------ AlertJson

  /** Alert file has format version {fv}. */
  public static MlopsException alertFileFormatVersion(Object fv, Object formatVersion) {
    return new MlopsException("Alert file has format version " + fv + "; this SDK reads 1.." + formatVersion
        + ". Upgrade the SDK to read it.");
  }

  /** Unknown alert destination type '{nAsText}' in an alert file. */
  public static MlopsException unknownAlertDestinationType(Object nAsText) {
    return new MlopsException("Unknown alert destination type '" + nAsText + "' in an alert file; upgrade the SDK to"
        + " read it.");
  }

  /** Unknown filter op '{nAsText}' in an alert file. */
  public static MlopsException unknownFilterOpAlert(Object nAsText) {
    return new MlopsException("Unknown filter op '" + nAsText + "' in an alert file.");
  }

  // ------------------------------------------------------------ MonitorStore

  /** Monitor state {f} has an unknown format. */
  public static MonitorException monitorStateUnknownFormat(Object f) {
    return new MonitorException("Monitor state " + f + " has an unknown format; delete it to recompute every window.");
  }

  /** Cannot write the baseline profile of {table}. */
  public static StorageException writeBaselineProfile(Object table, Throwable e) {
    return new StorageException("Cannot write the baseline profile of " + table + ": " + e.getMessage() + ". Check"
        + " that the workspace is writable; the monitor was not changed.", e);
  }

  // ------------------------------------------------------------ Refresher

  /** Monitor on {defTable}. */
  public static MonitorException monitorCustomMetricFunction(Object defTable, Object mName, Object mType,
      Object nameToLowerCase) {
    return new MonitorException("Monitor on " + defTable + ": custom metric '" + mName + "' (" + mType + ") has no "
        + nameToLowerCase + " function in this process. Register it with Monitors.of(ws).withMetricFunction(\"" + mName
        + "\", ...) before refreshing.");
  }

  // ------------------------------------------------------------ Expr

  /** Column '{cName}' is {t} but is compared with '{lit}'. */
  public static IllegalArgumentException columnCompared(Object cName, Object t, Object lit) {
    return new IllegalArgumentException("Column '" + cName + "' is " + t + " but is compared with '" + lit + "'");
  }

  /** Column '{cName}' is BOOLEAN but is compared with '{lit}'. */
  public static IllegalArgumentException columnBooleanCompared(Object cName, Object lit) {
    return new IllegalArgumentException("Column '" + cName + "' is BOOLEAN but is compared with '" + lit + "'");
  }

  /** Column '{cName}' of type {t} cannot be compared. */
  public static IllegalArgumentException columnTypeCompared(Object cName, Object t) {
    return new IllegalArgumentException("Column '" + cName + "' of type " + t + " cannot be compared");
  }

  // ------------------------------------------------------------ MonitorReport

  /** The report of the monitor on {table} has no local path: the workspace {root} is not on local disk. */
  public static MonitorException reportNeedsLocalWorkspace(Object table, Object root) {
    return new MonitorException("Cannot write the report of the monitor on " + table + " to a local path: the"
        + " workspace " + root + " is not on local disk. Use MonitorReport.writeToWorkspace(refresh) to keep the"
        + " page in the workspace (it returns its URI), and MonitorReport.write(Path) for a local copy to open in a"
        + " browser.");
  }

  // ------------------------------------------------------------ Stats

  /** PSI needs at least 2 bins, got {bins}. */
  public static IllegalArgumentException psiNeedsLeastBins(Object bins) {
    return new IllegalArgumentException("PSI needs at least 2 bins, got " + bins);
  }

  /** Reference and current counts must be aligned by category. */
  public static IllegalArgumentException referenceCurrentCountsAligned(Object refLength, Object curLength) {
    return new IllegalArgumentException("Reference and current counts must be aligned by category: got " + refLength
        + " and " + curLength + " categories. Count both over the union of categories.");
  }

  /** Category counts must not be negative. */
  public static IllegalArgumentException categoryCountsNegativeCategory(Object i, Object value, Object value2) {
    return new IllegalArgumentException("Category counts must not be negative: category " + i + " has " + value + " / "
        + value2 + ".");
  }

  // ------------------------------------------------------------ DefinitionJson

  /** Monitor definition {where} has format version {fv}. */
  public static MonitorException monitorDefinitionFormatVersion(Object where, Object fv, Object formatVersion) {
    return new MonitorException("Monitor definition " + where + " has format version " + fv + "; this SDK reads"
        + " versions 1.." + formatVersion + ". Upgrade the SDK to read it.");
  }

  /** Unknown profile type '{ptAsText}' in {where}. */
  public static MonitorException unknownProfileType(Object ptAsText, Object where) {
    return new MonitorException("Unknown profile type '" + ptAsText + "' in " + where);
  }

  /** Monitor definition {where} is malformed ({e}). */
  public static MonitorException monitorDefinitionMalformedRestore(Object where, Throwable e) {
    return new MonitorException("Monitor definition " + where + " is malformed (" + e + "). Restore it from a backup"
        + " or delete the monitor and create it again.", e);
  }

  // ------------------------------------------------------------ ColumnProfile

  /** Cannot merge the profile of {oColumn} {oType} into {column} {type}. */
  public static IllegalArgumentException profilesDoNotMerge(Object oColumn, Object oType, Object column, Object type) {
    return new IllegalArgumentException("Cannot merge the profile of " + oColumn + " " + oType + " into " + column + " "
        + type);
  }

  /** A stored profile of {column} with a sketched distinct count is for comparison only and cannot be merged. */
  public static IllegalStateException storedProfileSketchedDistinct(Object column) {
    return new IllegalStateException("A stored profile of " + column + " with a sketched distinct count is for"
        + " comparison only and cannot be merged; recompute it from the rows.");
  }

  /** {column} is not numeric. */
  public static IllegalStateException notNumeric(Object column) {
    return new IllegalStateException(column + " is not numeric");
  }

  /** unknown value tag {tag}. */
  public static IOException unknownValueTag(Object tag) {
    return new IOException("unknown value tag " + tag);
  }

  /** unsupported category encoding. */
  public static IOException unsupportedCategoryEncoding() {
    return new IOException("unsupported category encoding");
  }

  /** corrupt length {len}. */
  public static IOException corruptLength(Object len) {
    return new IOException("corrupt length " + len);
  }

  // ------------------------------------------------------------ Validation

  /** Monitor on {table}: {role} column '{col}' is not in the table. */
  public static InvalidMonitorException monitorColumnTableColumns(String table, String col, Object role,
      Object sNames) {
    return new InvalidMonitorException(table, col, "Monitor on " + table + ": " + role + " column '" + col + "' is not"
        + " in the table; its columns are " + sNames + ".");
  }

  // ------------------------------------------------------------ Cron

  /** Cron expression '{expr}'. */
  public static IllegalArgumentException cronExpressionFieldParse(Object expr, Object value, Object text, Object why) {
    return new IllegalArgumentException("Cron expression '" + expr + "': " + value + " field '" + text + "' does not"
        + " parse: " + why);
  }

  // ------------------------------------------------------------ Expr

  /** Slicing expression "{text}" does not parse at position {pos}. */
  static Expr.ParseException badSlicingExpression(Object text, Object pos, Object what) {
    return new Expr.ParseException("Slicing expression \"" + text + "\" does not parse at position " + pos + ": " + what
        + ". Use a column name, or a predicate such as \"amount > 100\", \"country IN ('NO', 'SE')\", \"a IS NULL AND"
        + " b = 'x'\".");
  }
}
