package dev.mlops.features;

import dev.mlops.core.DataType;
import dev.mlops.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything needed to compute a model's features again: the tables and the exact Delta version of
 * each that was read, keys, features and their output names, defaults, lookback windows, on-demand
 * functions, the label. Stored with a training set's model; {@link FeatureStore#trainingSet(dev.mlops.core.Frame,
 * FeatureSpec)} rebuilds the identical training set from it, and scoring uses it to look features up.
 * Serializes to JSON.
 *
 * <pre>{@code
 * String json = trainingSet.spec().toJson();
 * FeatureSpec again = FeatureSpec.fromJson(json);
 * Frame same = fs.trainingSet(spine, again).load();
 * }</pre>
 *
 * @param lookups one per feature table
 * @param onDemand on-demand features, in computation order
 * @param label the label column ("" when none)
 * @param exclude spine columns left out of the result
 */
public record FeatureSpec(List<Lookup> lookups, List<Function> onDemand, String label, List<String> exclude) {

  /** Copies collections. */
  public FeatureSpec {
    lookups = List.copyOf(lookups);
    onDemand = List.copyOf(onDemand);
    label = label == null ? "" : label;
    exclude = List.copyOf(exclude);
  }

  /**
   * One feature table lookup, pinned to a version.
   *
   * @param table three-level table name
   * @param tableVersion the Delta version read
   * @param primaryKeys the table's primary keys
   * @param lookupKeys spine columns matched to them
   * @param timestampKey the table's timestamp key ("" when none)
   * @param timestampLookupKey the spine's timestamp column ("" when none)
   * @param features feature columns taken
   * @param featureTypes their types
   * @param outputs output name of each feature
   * @param defaults value when no row matches, per feature
   * @param lookbackMicros lookback window in microseconds, -1 for none
   */
  public record Lookup(String table, long tableVersion, List<String> primaryKeys, List<String> lookupKeys,
      String timestampKey, String timestampLookupKey, List<String> features, Map<String, DataType> featureTypes,
      Map<String, String> outputs, Map<String, Object> defaults, long lookbackMicros) {
    /** Copies collections. */
    public Lookup {
      primaryKeys = List.copyOf(primaryKeys);
      lookupKeys = List.copyOf(lookupKeys);
      timestampKey = timestampKey == null ? "" : timestampKey;
      timestampLookupKey = timestampLookupKey == null ? "" : timestampLookupKey;
      features = List.copyOf(features);
      featureTypes = Map.copyOf(featureTypes);
      outputs = Map.copyOf(outputs);
      defaults = Map.copyOf(defaults);
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
      if (!l.timestampLookupKey().isEmpty()) {
        out.add(l.timestampLookupKey());
      }
    }
    return List.copyOf(out);
  }

  /** Every feature output column (looked up and on-demand), in order. */
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

  /** JSON text. */
  public String toJson() {
    return Json.write(this);
  }

  /** Parses JSON written by {@link #toJson()}. */
  public static FeatureSpec fromJson(String json) {
    return Json.read(json, FeatureSpec.class);
  }
}
