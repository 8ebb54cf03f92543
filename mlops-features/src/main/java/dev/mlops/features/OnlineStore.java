package dev.mlops.features;

import dev.mlops.core.Frame;
import java.util.List;
import java.util.OptionalLong;

/**
 * Low-latency lookups of the latest feature values by primary key. {@link FeatureStore#publish}
 * fills it from a feature table (incrementally after the first time); serving looks features up
 * through the same feature spec as training. {@link #inMemory()} is the embedded, in-process store;
 * a shared store for several application instances implements this interface.
 *
 * <pre>{@code
 * OnlineStore online = OnlineStore.inMemory();
 * fs.publish("main.crm.customer_features", online);
 * online.lookup("main.crm.customer_features", 42L);                 // one row (or none)
 * online.lookup("main.crm.customer_features", keysFrame, List.of("spend_30d"));
 * online.publishedVersion("main.crm.customer_features");            // freshness
 *
 * FeatureReader reader = online.reader("main.crm.customer_features"); // the one-key hot path
 * MutableFeatureRow row = new MutableFeatureRow();
 * if (reader.read(42L, row)) { double spend = row.getDouble("spend_30d"); }
 * }</pre>
 */
public interface OnlineStore extends AutoCloseable {

  /** A new embedded in-process store. */
  static OnlineStore inMemory() {
    return new dev.mlops.features.internal.InMemoryOnlineStore();
  }

  /** The Delta version of a table this store reflects, if it was published. */
  OptionalLong publishedVersion(String table);

  /**
   * Applies a publish atomically: readers see the table before or after, never half. Called by
   * {@link FeatureStore#publish}.
   *
   * @param table table name
   * @param version the Delta version the store reflects afterwards
   * @param keys primary key columns
   * @param upserts latest rows of changed keys (all columns of the table)
   * @param deletedKeys keys to remove (key columns only)
   * @param replaceAll true for a full publish: drop everything the store held for the table first
   */
  void apply(String table, long version, List<String> keys, Frame upserts, Frame deletedKeys, boolean replaceAll);

  /**
   * Rows for a batch of keys, in the order of {@code keys}; a key with no row gives nulls.
   *
   * @param table table name
   * @param keys key columns named like the table's primary keys
   * @param features columns to return (after the key columns)
   */
  Frame lookup(String table, Frame keys, List<String> features);

  /** The row of one key (primary key values in order): one row, or none when the key is absent. */
  Frame lookup(String table, Object... key);

  /**
   * A prepared reader of single keys of a table, all its columns (as they are now) in table order: the
   * allocation-free form of {@link #lookup(String, Object...)}.
   *
   * <pre>{@code
   * FeatureReader reader = online.reader("main.crm.customer_features");
   * MutableFeatureRow row = new MutableFeatureRow();
   * boolean found = reader.read(42L, row);
   * }</pre>
   *
   * @param table table name
   * @return the reader (thread-safe; keep it)
   * @throws FeatureStoreException when the table was never published to this store
   */
  default FeatureReader reader(String table) {
    return dev.mlops.features.internal.FrameFeatureReader.of(this, table, null);
  }

  /**
   * A prepared reader of single keys of a table that fills rows with these columns, in this order.
   *
   * <pre>{@code
   * FeatureReader reader = online.reader("main.crm.customer_features", List.of("spend_30d"));
   * }</pre>
   *
   * @param table table name
   * @param columns columns a row holds (primary key columns may be among them)
   * @return the reader (thread-safe; keep it)
   * @throws FeatureStoreException when the table was never published to this store
   * @throws dev.mlops.core.ColumnNotFoundException when the table has no such column
   */
  default FeatureReader reader(String table, List<String> columns) {
    return dev.mlops.features.internal.FrameFeatureReader.of(this, table, List.copyOf(columns));
  }

  /** Number of keys held for a table. */
  int size(String table);

  /** Releases resources. */
  @Override
  default void close() {}
}
