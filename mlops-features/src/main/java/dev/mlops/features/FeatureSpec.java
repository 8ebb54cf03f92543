package dev.mlops.features;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.mlops.core.DataType;
import dev.mlops.features.internal.Errors;
import dev.mlops.features.internal.SpecJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything needed to compute a model's features again: the tables and the exact Delta version of
 * each that was read, keys, features and their output names, defaults, lookback windows, on-demand
 * functions, the label. Stored with a training set's model; {@link FeatureStore#trainingSet(dev.mlops.core.Frame,
 * FeatureSpec)} rebuilds the identical training set from it, and scoring uses it to look features up.
 *
 * <p>Saved as JSON with a {@code formatVersion} (currently {@value #FORMAT_VERSION}); every default
 * value of every type comes back exactly (dates, timestamps, NaN and infinities, longs beyond
 * 2<sup>53</sup>), so a model scores with the defaults it was trained with.
 *
 * <pre>{@code
 * String json = trainingSet.spec().toJson();
 * FeatureSpec again = FeatureSpec.fromJson(json);   // equals the original
 * Frame same = fs.trainingSet(spine, again).load();
 * }</pre>
 *
 * @param lookups one per feature table
 * @param onDemand on-demand features, in computation order
 * @param label the label column, if any
 * @param exclude spine columns left out of the result
 */
@JsonSerialize(using = SpecJson.Writer.class)
@JsonDeserialize(using = SpecJson.Reader.class)
public record FeatureSpec(List<Lookup> lookups, List<Function> onDemand, Optional<String> label, List<String> exclude) {

  /** The saved format this release writes (and the newest it reads). */
  public static final int FORMAT_VERSION = 1;

  /** Copies collections. */
  public FeatureSpec {
    lookups = List.copyOf(lookups);
    onDemand = List.copyOf(onDemand);
    label = Objects.requireNonNull(label, "label (use Optional.empty())").filter(s -> !s.isEmpty());
    exclude = List.copyOf(exclude);
  }

  /**
   * One feature table lookup, pinned to a version.
   *
   * <p>Defaults are held as the canonical Java value of the feature's type (Long, Integer, Double,
   * Boolean, String, {@link java.time.Instant} for TIMESTAMP, {@link java.time.LocalDate} for DATE):
   * the constructor converts any value the column type accepts (e.g. {@code 0} for a DOUBLE feature).
   *
   * @param table three-level table name
   * @param tableVersion the Delta version read
   * @param primaryKeys the table's primary keys
   * @param lookupKeys spine columns matched to them, in the same order
   * @param timestampKey the table's timestamp key (time-series tables)
   * @param timestampLookupKey the spine's timestamp column (time-series tables)
   * @param features feature columns taken
   * @param featureTypes their types
   * @param outputs output name of each renamed feature
   * @param defaults value when no row matches, per feature
   * @param lookback only feature rows at most this old relative to the spine time match; for DATE
   *     timestamp keys it counts whole days ({@link Duration#toDays()})
   * @param timestampOutput output column receiving the matched row's timestamp key value (null when
   *     no row matched), if requested
   */
  public record Lookup(String table, long tableVersion, List<String> primaryKeys, List<String> lookupKeys,
      Optional<String> timestampKey, Optional<String> timestampLookupKey, List<String> features,
      Map<String, DataType> featureTypes, Map<String, String> outputs, Map<String, Object> defaults,
      Optional<Duration> lookback, Optional<String> timestampOutput) {
    /** Validates and copies collections; converts defaults to the canonical value of their type. */
    public Lookup {
      Objects.requireNonNull(table, "table");
      primaryKeys = List.copyOf(primaryKeys);
      lookupKeys = List.copyOf(lookupKeys);
      timestampKey = Objects.requireNonNull(timestampKey, "timestampKey").filter(s -> !s.isEmpty());
      timestampLookupKey = Objects.requireNonNull(timestampLookupKey, "timestampLookupKey").filter(s -> !s.isEmpty());
      features = List.copyOf(features);
      featureTypes = Map.copyOf(featureTypes);
      outputs = Map.copyOf(outputs);
      lookback = Objects.requireNonNull(lookback, "lookback");
      timestampOutput = Objects.requireNonNull(timestampOutput, "timestampOutput").filter(s -> !s.isEmpty());
      if (lookupKeys.size() != primaryKeys.size()) {
        throw Errors.specLookupKeyCountMismatch(table, lookupKeys.size(), lookupKeys, primaryKeys);
      }
      for (String f : features) {
        if (!featureTypes.containsKey(f)) {
          throw Errors.featureLookupTypeFeatureTypes(f, table, featureTypes.keySet());
        }
      }
      Map<String, Object> d = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : defaults.entrySet()) {
        DataType t = featureTypes.get(e.getKey());
        if (t == null || !features.contains(e.getKey())) {
          throw Errors.defaultNamesFeatureTaken(e.getKey(), table, features);
        }
        d.put(e.getKey(), SpecJson.canonical(t, e.getValue(), e.getKey(), table));
      }
      defaults = java.util.Collections.unmodifiableMap(d);
      if (lookback.isPresent() && lookback.get().isNegative()) {
        throw Errors.specNegativeLookback(lookback.get(), table);
      }
      if ((lookback.isPresent() || timestampOutput.isPresent()) && timestampKey.isEmpty()) {
        throw Errors.lookbackWindowTimestampOutput(table);
      }
    }

    /** Output column names in feature order. */
    public List<String> outputColumns() {
      List<String> out = new ArrayList<>();
      for (String f : features) {
        out.add(outputs.getOrDefault(f, f));
      }
      return out;
    }
  }

  /**
   * An on-demand feature by name (the function itself is found in {@link OnDemandFeature#registered}).
   *
   * @param name output column
   * @param type output type
   * @param inputs input columns
   */
  public record Function(String name, DataType type, List<String> inputs) {
    /** Copies the list. */
    public Function {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      inputs = List.copyOf(inputs);
    }
  }

  /** The tables read. */
  public List<String> tables() {
    return lookups.stream().map(Lookup::table).toList();
  }

  /** The spine columns a scoring request must provide (lookup keys and timestamp lookup keys). */
  public List<String> keyColumns() {
    Set<String> out = new LinkedHashSet<>();
    for (Lookup l : lookups) {
      out.addAll(l.lookupKeys());
      l.timestampLookupKey().ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * Every feature output column (looked up and on-demand), in order. Matched-timestamp columns
   * ({@link Lookup#timestampOutput()}) are not features: they are left out.
   */
  public List<String> featureColumns() {
    List<String> out = new ArrayList<>();
    for (Lookup l : lookups) {
      out.addAll(l.outputColumns());
    }
    for (Function f : onDemand) {
      out.add(f.name());
    }
    return out;
  }

  /** JSON text (with {@code formatVersion}). */
  public String toJson() {
    return SpecJson.write(this);
  }

  /**
   * Parses JSON written by {@link #toJson()} (this or an earlier format version).
   *
   * @throws FeatureStoreException for a newer format version, or a value that does not fit its type
   */
  public static FeatureSpec fromJson(String json) {
    return SpecJson.read(json);
  }
}
