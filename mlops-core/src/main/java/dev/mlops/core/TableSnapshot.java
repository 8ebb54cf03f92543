package dev.mlops.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of one table, immutable: its version, commit time, schema, partition columns,
 * properties and description, all read from the same log load. Reads made from a snapshot see
 * exactly that version, however many commits other writers add meanwhile, and a write can be
 * planned on it (see {@link WriteOptions#basedOn(TableSnapshot)}).
 *
 * <pre>{@code
 * TableSnapshot s = table.snapshot();          // one log load
 * s.version();  s.schema();  s.properties();   // no further loads
 * Frame rows = s.read().columns("id").load();  // reads version s.version()
 * }</pre>
 */
public final class TableSnapshot {
  private final DeltaTable table;
  private final Object handle; // the Kernel snapshot, for the Delta layer only
  private final long version;
  private final Instant timestamp;
  private final Schema schema;
  private final List<String> partitionColumns;
  private final Map<String, String> properties;
  private final String description;
  private final List<String> unsupportedColumns;

  TableSnapshot(DeltaTable table, Object handle, long version, Instant timestamp, Schema schema,
      List<String> partitionColumns, Map<String, String> properties, String description,
      List<String> unsupportedColumns) {
    this.table = Objects.requireNonNull(table, "table");
    this.handle = Objects.requireNonNull(handle, "handle");
    this.version = version;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.partitionColumns = List.copyOf(partitionColumns);
    this.properties = Map.copyOf(properties);
    this.description = Objects.requireNonNull(description, "description");
    this.unsupportedColumns = List.copyOf(unsupportedColumns);
  }

  Object handle() {
    return handle;
  }

  /** The table this is a snapshot of. */
  public DeltaTable table() {
    return table;
  }

  /** The table version. */
  public long version() {
    return version;
  }

  /** When this version was committed. */
  public Instant timestamp() {
    return timestamp;
  }

  /**
   * The columns the SDK can hold, in table order. Columns of types it cannot hold are not in it:
   * they are listed by {@link #unsupportedColumns()}, never dropped silently.
   */
  public Schema schema() {
    return schema;
  }

  /**
   * Columns of the table whose types the SDK cannot hold, as {@code "name type"} (e.g.
   * {@code "tags array<string>"}); empty for tables the SDK wrote.
   */
  public List<String> unsupportedColumns() {
    return unsupportedColumns;
  }

  /** Partition columns (empty when unpartitioned). */
  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** Table properties (Delta's, and the SDK's such as "comment"). */
  public Map<String, String> properties() {
    return properties;
  }

  /**
   * The description given at creation (or by another engine), or "".
   *
   * <p>Where it lives: Delta keeps a table description in two places, the {@code description} field of
   * the log's metadata action (what Spark's {@code DESCRIBE DETAIL} shows, and what Spark's
   * {@code CREATE TABLE ... COMMENT} sets) and the {@code comment} table property (what
   * {@code SHOW TBLPROPERTIES} and {@code DESCRIBE TABLE EXTENDED} show). This returns the metadata
   * description when another engine set one, else the {@code comment} property. The SDK writes only
   * the {@code comment} property: Delta Kernel 4.4's create and update transaction builders set schema,
   * partitioning, properties and clustering but have no way to set the metadata description, and the
   * SDK writes no hand-made log actions; so {@code DESCRIBE DETAIL} shows NULL for tables the SDK
   * created (see {@code tools/spark-fixtures/README.md}).
   *
   * <pre>{@code
   * String what = table.snapshot().description();   // "" when none
   * }</pre>
   */
  public String description() {
    return description;
  }

  /** A read of exactly this version; refine with columns and filter. */
  public DeltaTable.Reader read() {
    return table.readAt(this);
  }

  @Override
  public String toString() {
    return "TableSnapshot[" + table.displayName() + " v" + version + ", " + schema.size() + " columns]";
  }
}
