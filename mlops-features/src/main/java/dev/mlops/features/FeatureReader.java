package dev.mlops.features;

import java.util.List;

/**
 * Single-key reads from one online table, prepared once: the table and its columns are resolved when
 * the reader is made (and again only after a publish changes the table), a read looks one key up and
 * points a reusable {@link MutableFeatureRow} at its values, with no {@code Frame}, no boxing of the
 * key and no allocation in the embedded store. A read sees the table as one publish left it, like
 * {@link OnlineStore#lookup(String, Object...)}, whose row it equals value for value. Thread-safe: share
 * one reader; give each thread its own row.
 *
 * <pre>{@code
 * FeatureReader reader = online.reader("main.crm.customer_features", List.of("spend_30d", "visits_7d"));
 * MutableFeatureRow row = new MutableFeatureRow();
 * if (reader.read(42L, row)) {                       // one integral primary key
 *   double spend = row.getDouble(0);
 * }
 * reader.read(row, "acme", 7L);                      // any primary key, values in key order
 * }</pre>
 */
public interface FeatureReader {

  /** The table read. */
  String table();

  /** The columns a filled row holds, in order (fixed when the reader was made). */
  List<String> columns();

  /**
   * Reads the row of a table whose primary key is one integral column (LONG, INT, TIMESTAMP,
   * TIMESTAMP_NTZ in microseconds, DATE in days), as {@code lookup(table, key)} with a boxed key.
   *
   * @param key the primary key value
   * @param into the row to fill (its previous contents are replaced)
   * @return true when the key has a row; false when it has none ({@code into.found()} is false then)
   * @throws FeatureStoreException when the table's primary key is not one integral column (use
   *     {@link #read(MutableFeatureRow, Object...)}), or when the table was never published
   * @throws dev.mlops.core.ColumnNotFoundException when a publish removed a column of {@link #columns()}
   */
  boolean read(long key, MutableFeatureRow into);

  /**
   * Reads the row of any primary key, values in key order, as {@link OnlineStore#lookup(String,
   * Object...)} finds it.
   *
   * @param into the row to fill (its previous contents are replaced)
   * @param key one value per primary key column
   * @return true when the key has a row
   * @throws FeatureStoreException when the number of values differs from the table's primary key
   */
  boolean read(MutableFeatureRow into, Object... key);
}
