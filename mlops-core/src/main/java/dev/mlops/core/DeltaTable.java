package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.delta.TableOps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Delta Lake table: rows in Parquet files, versions in the {@code _delta_log}. Spark, Databricks,
 * Trino and DuckDB read what this writes. Every write is one atomic commit (a reader sees all of it
 * or none), and concurrent writers in several threads or processes lose nothing.
 *
 * <pre>{@code
 * DeltaTable t = ws.tables().get("main.crm.customers");
 * t.append(frame);                                  // add rows
 * t.upsert(changes, "id");                          // insert new ids, replace existing ones
 * t.deleteKeys(Frame.of(Column.ofLongs("id", 7)));  // delete by key
 * t.delete(Filter.lt("spend", 0.0));                // delete by predicate
 * Frame now = t.read().load();
 * Frame then = t.read().version(1).columns("id", "city").filter(Filter.eq("city", "Oslo")).load();
 * t.history().forEach(System.out::println);
 * }</pre>
 */
public final class DeltaTable {
  static {
    // the SDK's streaming readers (internal.delta.ColumnScan) reach the Delta layer through this
    dev.mlops.core.internal.delta.TableAccess.install(DeltaTable::ops);
  }

  private final TableName name;
  private final TableOps ops;

  DeltaTable(TableName name, TableOps ops) {
    this.name = name;
    this.ops = ops;
  }

  TableOps ops() {
    return ops;
  }

  /** The three-level name; empty for a table opened by path. */
  public Optional<TableName> name() {
    return Optional.ofNullable(name);
  }

  /** Where the table lives (a file: URI or object store URI). */
  public String location() {
    return ops.location();
  }

  String displayName() {
    return name != null ? name.toString() : ops.display();
  }

  /**
   * The latest version as one immutable snapshot (one log load): version, commit time, schema,
   * partition columns, properties and description, and reads of exactly that version.
   *
   * <pre>{@code
   * TableSnapshot s = table.snapshot();
   * Frame rows = s.read().load();    // version s.version(), even if others commit meanwhile
   * }</pre>
   */
  public TableSnapshot snapshot() {
    return snapshotOf(ops.latest());
  }

  TableSnapshot snapshotOf(io.delta.kernel.Snapshot s) {
    TableOps.Described d = ops.describe(s);
    return new TableSnapshot(this, s, d.version(), Instant.ofEpochMilli(d.timestampMillis()), d.schema(),
        d.partitionColumns(), d.properties(), d.description(), d.unsupportedColumns());
  }

  /** Latest version number (one log load; use {@link #snapshot()} to read several facts of one version). */
  public long version() {
    return ops.version();
  }

  /**
   * Latest schema: the columns the SDK can hold. Columns of other types are listed by
   * {@link TableSnapshot#unsupportedColumns()}.
   */
  public Schema schema() {
    return ops.schema();
  }

  /** Partition columns (empty when unpartitioned). */
  public List<String> partitionColumns() {
    return ops.partitionColumns();
  }

  /** Table properties (Delta's, and the SDK's such as "comment"). */
  public Map<String, String> properties() {
    return ops.properties();
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
   * String what = table.description();   // "" when none
   * }</pre>
   */
  public String description() {
    return ops.description();
  }

  private static TableOps.Opts opts(WriteOptions o) {
    Objects.requireNonNull(o, "options");
    io.delta.kernel.Snapshot base = o.basedOn().map(s -> (io.delta.kernel.Snapshot) s.handle()).orElse(null);
    return new TableOps.Opts(base, o.addNewColumns(), o.tags());
  }

  private void checkSnapshotOfThis(WriteOptions o) {
    if (o != null && o.basedOn().isPresent() && !o.basedOn().get().table().location().equals(location())) {
      throw Errors.writeOptionsBasedOnHoldsSnapshot(o.basedOn().get().table().displayName(), displayName());
    }
  }

  /**
   * Appends rows. The frame must have every table column (nulls allowed in nullable columns); INT
   * data may go into LONG columns.
   *
   * @throws SchemaMismatchException naming missing, unknown or mistyped columns; nothing is written
   */
  public CommitResult append(Frame rows) {
    return ops.append(notNull(rows, "rows"));
  }

  /** Appends rows with options (new columns, a snapshot to plan on, commit tags); one commit. */
  public CommitResult append(Frame rows, WriteOptions options) {
    checkSnapshotOfThis(options);
    return ops.append(notNull(rows, "rows"), opts(options));
  }

  /**
   * Rows per data-file write chunk when importing: up to 1M rows, fewer when the heap is small (a
   * chunk takes about an eighth of the maximum heap), so imports fit in any heap.
   */
  static int importChunkRows(Schema schema) {
    long rowBytes = 16;
    for (Field f : schema.fields()) {
      rowBytes += f.type() == DataType.STRING ? 64 : 9;
    }
    long rows = Runtime.getRuntime().maxMemory() / 8 / rowBytes;
    return (int) Math.max(4096, Math.min(1 << 20, rows));
  }

  /**
   * Appends every row of a source (Parquet or CSV files, read in batches) in one commit, with memory
   * bounded by the batch size rather than the source: the rows land whole or not at all.
   *
   * <pre>{@code
   * ws.tables().get("main.raw.events").appendFrom(ParquetSource.of(Path.of("exports/2026-11-30")));
   * }</pre>
   *
   * @throws SchemaMismatchException when the source's columns do not fit the table; nothing is written
   */
  public CommitResult appendFrom(FrameSource source) {
    try (FrameStream batches = Objects.requireNonNull(source, "source").open()) {
      return ops.appendAll(batches, importChunkRows(batches.schema()));
    }
  }

  /** Replaces all rows with these (old versions stay readable by time travel). */
  public CommitResult overwrite(Frame rows) {
    return ops.overwrite(notNull(rows, "rows"));
  }

  /** Replaces all rows, with options (new columns, a snapshot to plan on, commit tags); one commit. */
  public CommitResult overwrite(Frame rows, WriteOptions options) {
    checkSnapshotOfThis(options);
    return ops.overwrite(notNull(rows, "rows"), opts(options));
  }

  private <T> T notNull(T v, String what) {
    if (v == null) {
      throw Errors.argumentTableNullValue(what, displayName());
    }
    return v;
  }

  /**
   * Upsert (MERGE) by key: rows whose key exists replace the old row, others are inserted. Only the
   * data files that hold affected keys are rewritten. Keys stay unique even under concurrent upserts.
   *
   * @throws KeyConstraintException for a null key or a key repeated in {@code rows}; nothing is written
   */
  public CommitResult upsert(Frame rows, String... keyColumns) {
    return upsert(rows, Arrays.asList(keyColumns));
  }

  /** Upsert by key; see {@link #upsert(Frame, String...)}. */
  public CommitResult upsert(Frame rows, List<String> keyColumns) {
    return ops.upsert(notNull(rows, "rows"), keyList(keyColumns));
  }

  /**
   * Upsert by key with options; with {@link WriteOptions#withNewColumns()} the schema change and the
   * rows are one commit (a failed write changes neither).
   *
   * <pre>{@code
   * table.upsert(rows, List.of("id"), WriteOptions.defaults().withNewColumns());
   * }</pre>
   */
  public CommitResult upsert(Frame rows, List<String> keyColumns, WriteOptions options) {
    checkSnapshotOfThis(options);
    return ops.upsert(notNull(rows, "rows"), keyList(keyColumns), opts(options));
  }

  private List<String> keyList(List<String> keyColumns) {
    notNull(keyColumns, "keyColumns");
    for (String k : keyColumns) {
      notNull(k, "key column name");
    }
    return List.copyOf(keyColumns);
  }

  /** Deletes rows whose key columns (the columns of {@code keys}) equal a row of {@code keys}. */
  public CommitResult deleteKeys(Frame keys) {
    return ops.deleteKeys(notNull(keys, "keys"));
  }

  /** Deletes rows where the filter holds; files without such rows are untouched. */
  public CommitResult delete(Filter where) {
    return ops.delete(notNull(where, "where"));
  }

  /**
   * Adds nullable columns: old rows read them as null, no data file is rewritten.
   *
   * @throws SchemaMismatchException when a column exists already or is NOT NULL
   */
  public CommitResult addColumns(Field... fields) {
    notNull(fields, "fields");
    for (Field f : fields) {
      notNull(f, "field");
    }
    return ops.addColumns(Arrays.asList(fields));
  }

  /** Sets table properties. */
  public CommitResult setProperties(Map<String, String> properties) {
    notNull(properties, "properties");
    properties.forEach((k, v) -> {
      notNull(k, "property key");
      notNull(v, "value of property '" + k + "'");
    });
    return ops.setProperties(Map.copyOf(properties));
  }

  /** A read of the latest version; refine with version, timestamp, columns and filter. */
  public Reader read() {
    return new Reader(null);
  }

  Reader readAt(TableSnapshot s) {
    return new Reader(s);
  }

  /**
   * Rows in data files added and removed since a version, up to the latest (see {@link TableChanges}).
   *
   * @throws VersionNotFoundException when the version does not exist
   */
  public TableChanges changesSince(long version) {
    return ops.changes(version, null);
  }

  /** Every commit still in the log, newest first. */
  public List<Commit> history() {
    return ops.history();
  }

  /**
   * Deletes data files no version of the last 7 days (or the table's
   * {@code delta.deletedFileRetentionDuration}) references and that are older than that, like Delta's
   * VACUUM, plus temporary files killed writers left in {@code _delta_log}. Versions current within
   * the retention period stay readable; older ones may no longer be (time travel to them fails with
   * a {@link CorruptTableException} saying so).
   *
   * <pre>{@code
   * VacuumResult r = table.vacuum();
   * }</pre>
   */
  public VacuumResult vacuum() {
    return ops.vacuum(null, false);
  }

  /**
   * Vacuum with another retention.
   *
   * @throws IllegalArgumentException when it is shorter than the table's retention (default 7 days);
   *     use {@link #vacuumForced(java.time.Duration)} when no reader or writer needs older files
   */
  public VacuumResult vacuum(java.time.Duration retention) {
    return ops.vacuum(notNull(retention, "retention"), false);
  }

  /**
   * Vacuum with a retention shorter than the table's, even zero: files of versions older than the
   * retention become unreadable, and a writer of another process that is still running may lose the
   * files it has not committed yet. Files the latest version references are never deleted.
   */
  public VacuumResult vacuumForced(java.time.Duration retention) {
    return ops.vacuum(notNull(retention, "retention"), true);
  }

  /** Writes a checkpoint now (commits already trigger one every {@code delta.checkpointInterval}). */
  public void checkpoint() {
    ops.checkpoint();
  }

  @Override
  public String toString() {
    return "DeltaTable[" + (name != null ? name : ops.display()) + " @ " + ops.location() + "]";
  }

  /**
   * One read of the table; {@link #load()} runs it.
   *
   * <pre>{@code
   * Frame f = table.read().asOf(Instant.parse("2024-05-01T00:00:00Z")).columns("id", "spend")
   *     .filter(Filter.gt("spend", 10.0)).load();
   * }</pre>
   */
  public final class Reader {
    private final TableSnapshot pinned;
    private Long version;
    private Instant timestamp;
    private List<String> columns = new ArrayList<>();
    private Filter filter;

    private Reader(TableSnapshot pinned) {
      this.pinned = pinned;
    }

    private io.delta.kernel.Snapshot base() {
      return pinned == null ? null : (io.delta.kernel.Snapshot) pinned.handle();
    }

    /** Read this version (time travel). */
    public Reader version(long v) {
      this.version = v;
      this.timestamp = null;
      return this;
    }

    /** Read the version that was latest at this instant (time travel). */
    public Reader asOf(Instant t) {
      this.timestamp = notNull(t, "timestamp");
      this.version = null;
      return this;
    }

    /** Only these columns, in this order. */
    public Reader columns(String... names) {
      notNull(names, "columns");
      for (String n : names) {
        notNull(n, "column name");
      }
      this.columns = List.of(names);
      return this;
    }

    /** Only rows where the filter holds. */
    public Reader filter(Filter f) {
      this.filter = notNull(f, "filter");
      return this;
    }

    /**
     * Runs the read.
     *
     * @throws VersionNotFoundException for a version or timestamp the table has no snapshot for
     * @throws ColumnNotFoundException for an unknown column in columns or filter
     */
    public Frame load() {
      return ops.read(base(), version, timestamp, columns, filter);
    }

    /** The schema this read returns. */
    public Schema schema() {
      Schema s = pinned != null && version == null && timestamp == null ? pinned.schema()
          : version != null ? ops.schema(version) : ops.schema();
      return columns.isEmpty() ? s : s.select(columns);
    }
  }
}
