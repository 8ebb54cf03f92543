package dev.mlops.features;

import dev.mlops.core.TableName;
import dev.mlops.features.internal.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which features to take from one feature table, and how to find the row for each spine row.
 * Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * FeatureLookup.table("main.crm.customer_features")
 *     .lookupKey("customer_id")            // spine columns, in primary-key order (names may differ)
 *     .timestampLookupKey("event_time")    // point in time: latest row with as_of <= event_time
 *     .lookback(Duration.ofDays(30))       // ... and as_of >= event_time - 30 days
 *     .features("spend_30d", "visits_7d")  // default: every feature of the table
 *     .rename("spend_30d", "spend")        // output column name
 *     .defaultValue("visits_7d", 0)        // when no row matches
 *     .includeTimestamp("spend_asof");     // the matched row's as_of (null when none matched)
 * }</pre>
 */
public final class FeatureLookup {
  private final String table;
  private final List<String> lookupKeys;
  private final String timestampLookupKey;
  private final List<String> features;
  private final Map<String, String> renames;
  private final Map<String, Object> defaults;
  private final Duration lookback;
  private final String timestampOutput;

  private FeatureLookup(String table, List<String> lookupKeys, String timestampLookupKey, List<String> features,
      Map<String, String> renames, Map<String, Object> defaults, Duration lookback, String timestampOutput) {
    this.table = table;
    this.lookupKeys = List.copyOf(lookupKeys);
    this.timestampLookupKey = timestampLookupKey;
    this.features = List.copyOf(features);
    this.renames = Map.copyOf(renames);
    this.defaults = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    this.lookback = lookback;
    this.timestampOutput = timestampOutput;
  }

  /** A lookup into this feature table (three-level name). */
  public static FeatureLookup table(String name) {
    return new FeatureLookup(TableName.parse(name).toString(), List.of(), null, List.of(), Map.of(), Map.of(), null, null);
  }

  /** Spine columns holding the key, in the order of the table's primary keys. */
  public FeatureLookup lookupKey(String... spineColumns) {
    return new FeatureLookup(table, Arrays.asList(spineColumns), timestampLookupKey, features, renames, defaults, lookback, timestampOutput);
  }

  /**
   * Spine column with the point in time (time-series tables only). A spine row whose time is null
   * matches no feature row: its features are null, or their {@link #defaultValue defaults} (as
   * Databricks gives NULL features for a NULL timestamp).
   */
  public FeatureLookup timestampLookupKey(String spineColumn) {
    return new FeatureLookup(table, lookupKeys, Objects.requireNonNull(spineColumn), features, renames, defaults, lookback, timestampOutput);
  }

  /** The features to take (default: all). */
  public FeatureLookup features(String... names) {
    return new FeatureLookup(table, lookupKeys, timestampLookupKey, Arrays.asList(names), renames, defaults, lookback, timestampOutput);
  }

  /** Output column name of a feature. */
  public FeatureLookup rename(String feature, String output) {
    Map<String, String> r = new LinkedHashMap<>(renames);
    r.put(Objects.requireNonNull(feature), Objects.requireNonNull(output));
    return new FeatureLookup(table, lookupKeys, timestampLookupKey, features, r, defaults, lookback, timestampOutput);
  }

  /** Value of a feature when no row matches (instead of null). */
  public FeatureLookup defaultValue(String feature, Object value) {
    Map<String, Object> d = new LinkedHashMap<>(defaults);
    d.put(Objects.requireNonNull(feature), Objects.requireNonNull(value, "default value"));
    return new FeatureLookup(table, lookupKeys, timestampLookupKey, features, renames, d, lookback, timestampOutput);
  }

  /**
   * Only rows at most this old relative to the spine time count (inclusive boundary).
   *
   * @throws FeatureStoreException for a negative window
   */
  public FeatureLookup lookback(Duration window) {
    if (window.isNegative()) {
      throw Errors.negativeLookback(window, table);
    }
    return new FeatureLookup(table, lookupKeys, timestampLookupKey, features, renames, defaults, window, timestampOutput);
  }

  /**
   * Also output the matched feature row's timestamp key value, as a column of this name (the
   * timestamp key's type; null where no row matched), so you can see how stale each feature was.
   * Time-series tables only. Not a feature: models do not train on it.
   *
   * <pre>{@code
   * FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")
   *     .timestampLookupKey("event_time").includeTimestamp("spend_asof");
   * }</pre>
   */
  public FeatureLookup includeTimestamp(String outputColumn) {
    if (outputColumn == null || outputColumn.isBlank()) {
      throw Errors.includeTimestampNeedsOutputColumn(table);
    }
    return new FeatureLookup(table, lookupKeys, timestampLookupKey, features, renames, defaults, lookback, outputColumn);
  }

  /** The output column of the matched row's timestamp, if requested with {@link #includeTimestamp}. */
  public Optional<String> timestampOutput() {
    return Optional.ofNullable(timestampOutput);
  }

  /** The table name. */
  public String tableName() {
    return table;
  }

  /** The spine key columns. */
  public List<String> lookupKeys() {
    return lookupKeys;
  }

  /** The spine timestamp column. */
  public Optional<String> timestampLookupKey() {
    return Optional.ofNullable(timestampLookupKey);
  }

  /** Requested features (empty = all). */
  public List<String> features() {
    return features;
  }

  /** Renames. */
  public Map<String, String> renames() {
    return renames;
  }

  /** Defaults. */
  public Map<String, Object> defaults() {
    return defaults;
  }

  /** Lookback window. */
  public Optional<Duration> lookback() {
    return Optional.ofNullable(lookback);
  }

  @Override
  public String toString() {
    return "FeatureLookup[" + table + " by " + lookupKeys + (timestampLookupKey == null ? "" : " at " + timestampLookupKey)
        + " features=" + (features.isEmpty() ? "all" : new ArrayList<>(features)) + "]";
  }
}
