package dev.mlops.features;

import dev.mlops.core.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature table's metadata, as stored in its Delta table (properties and column comments), so
 * Spark and Databricks users see the same keys, tags and descriptions.
 *
 * <pre>{@code
 * FeatureTable t = fs.getTable("main.crm.customer_features");
 * t.primaryKeys();    // [customer_id]
 * t.timestampKey();   // Optional[as_of]
 * t.features();       // the non-key columns, with their descriptions as comments
 * }</pre>
 *
 * @param name three-level name
 * @param primaryKeys primary key columns
 * @param timestampKey the timestamp key of a time-series table
 * @param partitionColumns partition columns
 * @param description table description ("" when none)
 * @param tags tags
 * @param features the feature columns (all columns except keys), with descriptions as comments
 * @param version the Delta version this metadata was read at
 */
public record FeatureTable(String name, List<String> primaryKeys, Optional<String> timestampKey,
    List<String> partitionColumns, String description, Map<String, String> tags, List<Field> features,
    long version) {

  /** Copies collections. */
  public FeatureTable {
    primaryKeys = List.copyOf(primaryKeys);
    partitionColumns = List.copyOf(partitionColumns);
    tags = Map.copyOf(tags);
    features = List.copyOf(features);
  }

  /** The names of the feature columns. */
  public List<String> featureNames() {
    return features.stream().map(Field::name).toList();
  }

  /** Primary keys plus the timestamp key: what identifies a row. */
  public List<String> rowKeys() {
    return timestampKey.map(ts -> {
      java.util.List<String> k = new java.util.ArrayList<>(primaryKeys);
      k.add(ts);
      return List.copyOf(k);
    }).orElse(primaryKeys);
  }
}
