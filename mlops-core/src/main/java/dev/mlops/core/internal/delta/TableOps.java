package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.Commit;
import dev.mlops.core.CommitResult;
import dev.mlops.core.ConcurrentWriteException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import dev.mlops.core.TableAlreadyExistsException;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.VersionNotFoundException;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.KeyIndex;
import dev.mlops.core.internal.Sdk;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every operation on one Delta table: create, append, overwrite, upsert (copy-on-write), delete,
 * add columns, read with projection / filter / time travel, and history.
 *
 * <p>Writes are optimistic: plan against the latest snapshot, write new data files, commit. Any
 * commit that removes files (overwrite, upsert, delete) is committed with Kernel's retries off, so a
 * concurrent commit makes it fail instead of being silently rebased; the SDK then deletes the files
 * it wrote and re-plans against the new snapshot. That is what keeps primary keys unique under
 * concurrent upserts (Kernel's own conflict checks only cover blind appends). A per-table writer
 * lock (JVM + OS file lock on local disk) makes SDK writers take turns so they rarely conflict.
 */
public final class TableOps {
  private static final Logger LOG = LoggerFactory.getLogger(TableOps.class);
  private static final String ENGINE_PREFIX = "mlops-sdk/";
  private static final int MAX_ATTEMPTS = 64;
  /** Rows per slice below which a write stays on one thread. */
  private static final int MIN_SLICE_ROWS = 250_000;
  /** Table property holding the description (Spark keeps it in metadata.description, shown as "comment"). */
  public static final String DESCRIPTION_PROPERTY = "comment";

  private final DeltaStore store;
  private final Engine engine;
  private final String location;
  private final String display;

  /**
   * @param store the workspace store
   * @param location Kernel location of the table
   * @param display the table's name for messages (three-level name or path)
   */
  public TableOps(DeltaStore store, String location, String display) {
    this.store = store;
    this.engine = store.engine();
    this.location = location;
    this.display = display;
  }

  /** Location of the table. */
  public String location() {
    return location;
  }

  /** Name used in messages. */
  public String display() {
    return display;
  }

  // ------------------------------------------------------------------ snapshots

  /** True when a Delta table exists at the location. */
  public boolean exists() {
    try {
      latest();
      return true;
    } catch (TableNotFoundException e) {
      return false;
    }
  }

  /** Loads the latest snapshot (one log load, counted by {@link LogLoads}). */
  public Snapshot latest() {
    LogLoads.record();
    Snapshot s;
    try {
      s = TableManager.loadSnapshot(location).build(engine);
    } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
      throw notFound();
    } catch (RuntimeException e) {
      throw translate(e, null);
    }
    java.nio.file.Path local = DeltaStore.localPath(location);
    if (local != null) {
      // Kernel reads an empty latest commit file as "no actions" and may not parse every line of it:
      // a write on top of such a file would commit on damage nobody can read back.
      LogCheck.checkLatest(display, local, s.getVersion());
    }
    return s;
  }

  /** A Kernel failure to load the log, as a typed SDK exception naming the table, version and file. */
  private RuntimeException translate(RuntimeException e, Long version) {
    if (e instanceof MlopsException m) {
      return m;
    }
    if (e instanceof io.delta.kernel.exceptions.UnsupportedProtocolVersionException
        || e instanceof io.delta.kernel.exceptions.UnsupportedTableFeatureException) {
      return new UnsupportedTableFeatureException("Cannot read table " + display + ": " + sentence(e.getMessage())
          + " The SDK's Delta reader does not support it; read the table with Spark/Databricks.", e);
    }
    java.nio.file.Path local = DeltaStore.localPath(location);
    if (local != null) {
      Optional<RuntimeException> d = LogCheck.diagnose(display, local, e);
      if (d.isPresent()) {
        return d.get();
      }
    }
    if (e instanceof UncheckedIOException) {
      return new StorageException("Cannot read the Delta log of table " + display + " at " + location + ": "
          + sentence(e.getMessage()) + " Check that the files are readable.", e);
    }
    return new dev.mlops.core.CorruptTableException(display, version, null, "The Delta log of table " + display
        + " at " + location + " cannot be loaded" + (version == null ? "" : " at version " + version) + ": "
        + sentence(e.getMessage()) + " It was not written as Delta Lake expects; restore _delta_log from a"
        + " backup, or rewrite the table with the engine that created it.", e);
  }

  /** A data file the log references that is not on storage. */
  private static final class MissingDataFile extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String path;

    MissingDataFile(String path, Throwable cause) {
      super(path, cause);
      this.path = path;
    }
  }

  private static boolean isMissingFile(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.io.FileNotFoundException || c instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  private TableNotFoundException notFound() {
    java.nio.file.Path p = DeltaStore.localPath(location);
    if (p != null && java.nio.file.Files.isDirectory(p) && hasFiles(p)) {
      return new TableNotFoundException("'" + display + "' at " + location + " holds files but no Delta log"
          + " (_delta_log/): it is not a Delta table. Point to the table's root directory, or convert the"
          + " data to Delta first.");
    }
    return new TableNotFoundException("Table '" + display + "' does not exist (nothing at " + location
        + "). Create it first, e.g. ws.tables().create(\"" + display + "\").schema(...).create(), or check the name.");
  }

  private static boolean hasFiles(java.nio.file.Path p) {
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(p)) {
      return s.anyMatch(x -> !x.getFileName().toString().equals("_delta_log"));
    } catch (IOException e) {
      return false;
    }
  }

  Snapshot snapshot(Long version, Instant timestamp) {
    return snapshot(null, version, timestamp);
  }

  /**
   * The snapshot a read binds to: {@code base} (or the latest) unless a version or timestamp is asked
   * for. A version is loaded directly (one log load); the latest is loaded only to explain a failure.
   */
  public Snapshot snapshot(Snapshot base, Long version, Instant timestamp) {
    if (version == null && timestamp == null) {
      return base != null ? base : latest();
    }
    if (version != null) {
      if (version < 0) {
        throw new VersionNotFoundException("Table " + display + " has no version " + version
            + ": versions start at 0. Use a version listed by history().");
      }
      if (base != null && base.getVersion() == version) {
        return base;
      }
      try {
        LogLoads.record();
        return TableManager.loadSnapshot(location).atVersion(version).build(engine);
      } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
        throw notFound();
      } catch (KernelException | UncheckedIOException | IllegalStateException e) {
        long latestVersion = (base != null && base.getVersion() > version) ? base.getVersion() : latest().getVersion();
        if (version > latestVersion) {
          throw new VersionNotFoundException("Table " + display + " has no version " + version
              + ": its versions run up to " + latestVersion + ". Use a version in that range (see history()).", e);
        }
        java.nio.file.Path local = DeltaStore.localPath(location);
        if (local != null) {
          Optional<RuntimeException> d = LogCheck.diagnose(display, local, e);
          if (d.isPresent()) {
            throw d.get();
          }
        }
        throw new VersionNotFoundException("Table " + display + " cannot be read at version " + version + ": "
            + sentence(e.getMessage()) + " The log files of that version may have been cleaned up after a"
            + " checkpoint. Pick a version listed by history().", e);
      }
    }
    Snapshot latest = base != null ? base : latest();
    try {
      LogLoads.record();
      return TableManager.loadSnapshot(location).atTimestamp(timestamp.toEpochMilli(), latest).build(engine);
    } catch (KernelException e) {
      String range = "";
      try {
        List<Commit> h = history();
        if (!h.isEmpty()) {
          range = " Its commits span " + h.get(h.size() - 1).timestamp() + " (version "
              + h.get(h.size() - 1).version() + ") to " + h.get(0).timestamp() + " (version " + h.get(0).version() + ").";
        }
      } catch (RuntimeException ignored) {
        // the range is a hint only
      }
      throw new VersionNotFoundException("Table " + display + " has no snapshot at " + timestamp + "."
          + range + " Use a timestamp within that span.", e);
    }
  }

  /** What a {@code TableSnapshot} shows of a Kernel snapshot. */
  public record Described(long version, long timestampMillis, Schema schema, List<String> partitionColumns,
      Map<String, String> properties, String description, List<String> unsupportedColumns) {}

  /** Reads a snapshot's version, time, schema, partitioning, properties and description (no log load). */
  public Described describe(Snapshot s) {
    long ts;
    try {
      ts = s.getTimestamp(engine);
    } catch (RuntimeException e) {
      ts = 0L;
    }
    return new Described(s.getVersion(), ts, TypeMapping.fromKernel(s.getSchema()),
        List.copyOf(s.getPartitionColumnNames()), Map.copyOf(s.getTableProperties()), description(s),
        TypeMapping.unsupported(s.getSchema()));
  }

  /** The latest snapshot, for a write. */
  private Snapshot latestForWrite() {
    return latest();
  }

  /** Current version. */
  public long version() {
    return latest().getVersion();
  }

  /** Schema of the latest snapshot (columns of types the SDK cannot hold are left out). */
  public Schema schema() {
    return TypeMapping.fromKernel(latest().getSchema());
  }

  /** Schema at a version. */
  public Schema schema(long version) {
    return TypeMapping.fromKernel(snapshot(version, null).getSchema());
  }

  /** Partition columns. */
  public List<String> partitionColumns() {
    return List.copyOf(latest().getPartitionColumnNames());
  }

  /** Table properties. */
  public Map<String, String> properties() {
    return Map.copyOf(latest().getTableProperties());
  }

  /** The description: metadata.description when another engine set it, else the "comment" property. */
  public String description() {
    return description(latest());
  }

  private static String description(Snapshot s) {
    try {
      Optional<String> d = s.getMetadata().getDescription();
      if (d.isPresent() && !d.get().isEmpty()) {
        return d.get();
      }
    } catch (RuntimeException ignored) {
      // fall back to the property
    }
    return s.getTableProperties().getOrDefault(DESCRIPTION_PROPERTY, "");
  }

  // ------------------------------------------------------------------ create

  /**
   * Creates the table. SDK tables use column mapping by name so that columns can be added later
   * (new features) without rewriting data; Spark 3.2+/Delta 1.2+ and Databricks read them.
   */
  public CommitResult create(Schema schema, List<String> partitionColumns, Map<String, String> properties,
      String description, boolean ifNotExists) {
    if (schema.size() == 0) {
      throw new SchemaMismatchException("Table " + display + " needs at least one column: pass a schema.");
    }
    Map<String, String> seen = new HashMap<>();
    for (String n : schema.names()) {
      String prev = seen.putIfAbsent(n.toLowerCase(java.util.Locale.ROOT), n);
      if (prev != null) {
        throw new SchemaMismatchException("Columns '" + prev + "' and '" + n + "' of table " + display + " differ only"
            + " in case; Delta column names are case-insensitive (Spark would see one column). Rename one of them.");
      }
    }
    for (String p : partitionColumns) {
      if (!schema.contains(p)) {
        throw new dev.mlops.core.ColumnNotFoundException(p, schema.names(), "the schema of " + display
            + " (named as a partition column)");
      }
      if (!TypeMapping.canPartitionBy(schema.type(p))) {
        throw new SchemaMismatchException("Partition column '" + p + "' of " + display + " is " + schema.columnType(p)
            + "; partition by a column with few distinct values (string, date, int, long, boolean).");
      }
    }
    if (partitionColumns.size() == schema.size()) {
      throw new SchemaMismatchException("Table " + display + " partitions by all its columns " + partitionColumns
          + "; at least one column must hold data. Partition by fewer columns.");
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("delta.columnMapping.mode", "name");
    props.putAll(properties);
    if ("none".equalsIgnoreCase(props.get("delta.columnMapping.mode"))) {
      schema.names().forEach(n -> dev.mlops.core.internal.Errors.checkColumnNameWithoutMapping(n, display));
    }
    if (description != null && !description.isEmpty()) {
      props.put(DESCRIPTION_PROPERTY, description);
    }
    return store.withWriteLock(location, () -> {
      if (exists()) {
        if (ifNotExists) {
          Snapshot s = latest();
          return new CommitResult(s.getVersion(), "CREATE", 0, 0, 0, 0, 0, 0);
        }
        throw new TableAlreadyExistsException("Table " + display + " already exists (at " + location + ", version "
            + version() + "). Use ifNotExists() to reuse it, or drop it first.");
      }
      try {
        var b = TableManager.buildCreateTableTransaction(location, TypeMapping.toKernel(schema),
                engineInfo("CREATE", 0, 0, 0))
            .withTableProperties(props);
        if (!partitionColumns.isEmpty()) {
          List<io.delta.kernel.expressions.Column> pcs = new ArrayList<>();
          for (String p : partitionColumns) {
            pcs.add(new io.delta.kernel.expressions.Column(p));
          }
          b = b.withDataLayoutSpec(DataLayoutSpec.partitioned(pcs));
        }
        TransactionCommitResult r = b.build(engine).commit(engine, CloseableIterable.emptyIterable());
        runHooks(r);
        LOG.info("Created table {} at {}", display, location);
        return new CommitResult(r.getVersion(), "CREATE", 0, 0, 0, 0, 0, 1);
      } catch (io.delta.kernel.exceptions.TableAlreadyExistsException e) {
        throw new TableAlreadyExistsException("Table " + display + " was created by another writer at the same time."
            + " Use ifNotExists() to reuse it.");
      } catch (KernelException | IllegalArgumentException e) {
        throw new MlopsException("Cannot create table " + display + ": " + e.getMessage()
            + ". Check the table properties given.", e);
      }
    });
  }

  // ------------------------------------------------------------------ writes

  /** What a write plans against one snapshot. */
  private static final class Plan {
    final List<Row> scanFilesToRemove = new ArrayList<>();
    Frame data;
    long inserted;
    long updated;
    long deleted;
    StructType newSchema;
    Map<String, String> newProperties;
    boolean noop;
  }

  /**
   * How one write is made: the snapshot to plan on (null: this workspace's last commit, else the
   * latest), whether the data's new columns are added in the same commit, and commit tags.
   */
  public record Opts(Snapshot base, boolean addNewColumns, Map<String, String> tags) {
    /** Plan on the latest version, no new columns, no tags. */
    public static final Opts NONE = new Opts(null, false, Map.of());

    /** Copies the tags. */
    public Opts {
      tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
  }

  /** Appends rows. */
  public CommitResult append(Frame frame) {
    return append(frame, Opts.NONE);
  }

  /** Appends rows with options. */
  public CommitResult append(Frame frame, Opts o) {
    return write("APPEND", true, o, s -> {
      Plan p = new Plan();
      p.data = align(frame, evolve(s, frame, o, p));
      p.inserted = frame.rowCount();
      p.noop = frame.rowCount() == 0;
      return p;
    });
  }

  /**
   * Appends every batch of a stream in one commit: batches are written to data files as they come
   * (memory holds one write chunk, not the stream), and the files are committed together at the end,
   * or deleted when anything fails, so the rows land whole or not at all. Kernel rebases the commit
   * over concurrent blind appends.
   */
  public CommitResult appendAll(java.util.Iterator<Frame> batches, int chunkRows) {
    return store.withWriteLock(location, () -> {
      Snapshot s = latest();
      checkWritable(s, "APPEND");
      List<String> written = new ArrayList<>();
      try {
        Transaction txn = s.buildUpdateTableTransaction(engineInfo("APPEND", 0, 0, 0), Operation.WRITE).build(engine);
        Row state = txn.getTransactionState(engine);
        List<Row> actions = new ArrayList<>();
        long inserted = 0;
        int files = 0;
        List<Frame> chunk = new ArrayList<>();
        int chunkSize = 0;
        while (true) {
          boolean more = batches.hasNext();
          if (more) {
            Frame f = batches.next();
            if (f.rowCount() > 0) {
              chunk.add(align(f, s.getSchema()));
              chunkSize += f.rowCount();
            }
          }
          if (chunkSize > 0 && (!more || chunkSize >= chunkRows)) {
            Frame data = chunk.size() == 1 ? chunk.get(0) : Frame.concat(chunk);
            chunk.clear();
            chunkSize = 0;
            files += writeData(s, state, data, actions, written);
            inserted += data.rowCount();
          }
          if (!more) {
            break;
          }
        }
        if (inserted == 0) {
          return new CommitResult(s.getVersion(), "APPEND", 0, 0, 0, 0, 0, 1);
        }
        TransactionCommitResult r = txn.commit(engine, CloseableIterable.inMemoryIterable(Iters.of(actions)));
        r.getPostCommitSnapshot().ifPresentOrElse(snap -> store.rememberCommitted(location, snap),
            () -> store.forget(location));
        runHooks(r);
        return new CommitResult(r.getVersion(), "APPEND", inserted, 0, 0, files, 0, 1);
      } catch (io.delta.kernel.exceptions.ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
        store.forget(location);
        deleteQuietly(written);
        throw new ConcurrentWriteException("Gave up APPEND on table " + display + ": another writer changed it in a"
            + " way this import cannot be rebased over (" + sentence(e.getMessage()) + ") Nothing of this import was"
            + " committed; run it again.", e);
      } catch (KernelException e) {
        deleteQuietly(written);
        throw new MlopsException("Cannot APPEND to table " + display + ": " + sentence(e.getMessage())
            + " Nothing was changed.", e);
      } catch (RuntimeException e) {
        store.forget(location);
        deleteQuietly(written);
        throw e;
      }
    });
  }

  /** Replaces all rows. */
  public CommitResult overwrite(Frame frame) {
    return overwrite(frame, Opts.NONE);
  }

  /** Replaces all rows, with options. */
  public CommitResult overwrite(Frame frame, Opts o) {
    return write("OVERWRITE", false, o, s -> {
      Plan p = new Plan();
      p.data = align(frame, evolve(s, frame, o, p));
      p.inserted = frame.rowCount();
      forEachScanFile(s, null, f -> {
        p.scanFilesToRemove.add(f);
        p.deleted += KernelInternals.numRecords(f).orElse(0L);
      });
      return p;
    });
  }

  /** Inserts rows whose keys are new and replaces rows whose keys exist. */
  public CommitResult upsert(Frame frame, List<String> keys) {
    return upsert(frame, keys, Opts.NONE);
  }

  /** Upsert with options. */
  public CommitResult upsert(Frame frame, List<String> keys, Opts o) {
    checkKeys(frame, keys, "Upsert into");
    KeyIndex ks = KeyIndex.build(frame, keys);
    int[] dup = ks.firstDuplicate();
    if (dup != null) {
      throw duplicateKey(frame, keys, dup);
    }
    return write("UPSERT", false, o, s -> {
      Plan p = new Plan();
      StructType logical = evolve(s, frame, o, p);
      Frame data = align(frame, logical);
      checkKeysInTable(s, keys);
      List<Frame> kept = new ArrayList<>();
      long[] matched = {0};
      rewriteMatching(s, keyRange(frame, keys), keys, ks, p, kept, matched);
      if (p.newSchema != null) {
        Schema target = TypeMapping.fromKernel(logical);
        kept.replaceAll(k -> withNullColumns(k, target));
      }
      p.updated = matched[0];
      p.inserted = frame.rowCount() - matched[0];
      kept.add(data);
      p.data = Frame.concat(kept);
      p.noop = frame.rowCount() == 0;
      return p;
    });
  }

  /** Deletes the rows whose key columns equal a row of {@code keys}. */
  public CommitResult deleteKeys(Frame keys) {
    List<String> names = keys.schema().names();
    checkKeys(keys, names, "deleteKeys on");
    KeyIndex ks = KeyIndex.build(keys, names);
    return write("DELETE", false, Opts.NONE, s -> {
      checkKeysInTable(s, names);
      Schema ts = TypeMapping.fromKernel(s.getSchema());
      for (String k : names) {
        if (ts.type(k) != keys.column(k).type()) {
          throw new SchemaMismatchException("Key column '" + k + "' is " + keys.column(k).type() + " but column '"
              + k + "' of table " + display + " is " + ts.type(k) + ". Pass keys of the table's type.");
        }
      }
      Plan p = new Plan();
      List<Frame> kept = new ArrayList<>();
      long[] matched = {0};
      rewriteMatching(s, keyRange(keys, names), names, ks, p, kept, matched);
      p.deleted = matched[0];
      p.data = kept.isEmpty() ? null : Frame.concat(kept);
      p.noop = p.scanFilesToRemove.isEmpty();
      return p;
    });
  }

  /** Deletes the rows where the filter holds. */
  public CommitResult delete(Filter filter) {
    return write("DELETE", false, Opts.NONE, s -> {
      Schema ts = TypeMapping.fromKernel(s.getSchema());
      FilterEval.validate(filter, ts, "table " + display);
      Plan p = new Plan();
      List<Frame> kept = new ArrayList<>();
      Predicate pred = FilterEval.toKernel(filter, ts).orElse(null);
      Scan full = s.getScanBuilder().build();
      Row fullState = full.getScanState(engine);
      forEachScanFile(s, pred, f -> {
        Frame rows = readScanFile(fullState, f, ts);
        boolean[] hit = FilterEval.evaluate(filter, rows);
        int n = 0;
        for (boolean b : hit) {
          n += b ? 1 : 0;
        }
        if (n > 0) {
          p.scanFilesToRemove.add(f);
          p.deleted += n;
          if (n < rows.rowCount()) {
            kept.add(rows.filter(i -> !hit[i]));
          }
        }
      });
      p.data = kept.isEmpty() ? null : Frame.concat(kept);
      p.noop = p.scanFilesToRemove.isEmpty();
      return p;
    });
  }

  /** Adds nullable columns; existing rows read them as null. No data file is rewritten. */
  public CommitResult addColumns(List<Field> fields) {
    return write("ADD COLUMNS", false, Opts.NONE, s -> {
      checkColumnMapping(s);
      StructType cur = s.getSchema();
      List<StructField> out = new ArrayList<>(cur.fields());
      Map<String, String> seen = new HashMap<>();
      for (StructField f : cur.fields()) {
        seen.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getName());
      }
      List<StructField> added = new ArrayList<>();
      for (Field f : fields) {
        if (cur.indexOf(f.name()) >= 0) {
          throw new SchemaMismatchException("Column '" + f.name() + "' already exists in table " + display
              + ". Add only new columns.");
        }
        String prev = seen.putIfAbsent(f.name().toLowerCase(java.util.Locale.ROOT), f.name());
        if (prev != null) {
          throw new SchemaMismatchException("New column '" + f.name() + "' differs only in case from column '" + prev
              + "' of table " + display + "; Delta column names are case-insensitive. Give it a distinct name."
              + " Nothing was changed.");
        }
        if (!f.nullable()) {
          throw new SchemaMismatchException("New column '" + f.name() + "' of table " + display + " is NOT NULL,"
              + " but existing rows have no value for it. Add it as nullable.");
        }
        added.add(TypeMapping.toKernel(f));
      }
      WriteProtocol.NewColumns nc = WriteProtocol.assignColumnMapping(cur, s.getTableProperties(), added);
      out.addAll(nc.fields());
      Plan p = new Plan();
      p.newSchema = new StructType(out);
      return p;
    });
  }

  /** Sets table properties. */
  public CommitResult setProperties(Map<String, String> props) {
    return write("SET PROPERTIES", false, Opts.NONE, s -> {
      Plan p = new Plan();
      p.newProperties = Map.copyOf(props);
      return p;
    });
  }

  private void checkColumnMapping(Snapshot s) {
    if (!"name".equals(s.getTableProperties().get("delta.columnMapping.mode"))
        && !"id".equals(s.getTableProperties().get("delta.columnMapping.mode"))) {
      throw new UnsupportedTableFeatureException("Cannot add columns to table " + display + ": it does not use"
          + " Delta column mapping, which Delta Kernel needs to change a schema. Tables the SDK creates have it;"
          + " for this table run in Spark: ALTER TABLE ... SET TBLPROPERTIES ('delta.columnMapping.mode'='name').");
    }
  }

  /**
   * The logical schema the data is written with: the snapshot's, plus (when the options ask for it)
   * the data's columns the table lacks, as nullable columns recorded in the plan's new schema so the
   * schema change and the rows are one commit.
   */
  private StructType evolve(Snapshot s, Frame frame, Opts o, Plan p) {
    StructType cur = s.getSchema();
    if (!o.addNewColumns()) {
      return cur;
    }
    List<StructField> out = new ArrayList<>(cur.fields());
    List<StructField> added = new ArrayList<>();
    Set<String> lower = new HashSet<>();
    for (StructField f : cur.fields()) {
      lower.add(f.getName().toLowerCase(java.util.Locale.ROOT));
    }
    for (Column c : frame.columns()) {
      if (cur.indexOf(c.name()) >= 0) {
        continue;
      }
      if (!lower.add(c.name().toLowerCase(java.util.Locale.ROOT))) {
        throw new SchemaMismatchException("Column '" + c.name() + "' of the data differs only in case from a"
            + " column of table " + display + " " + TypeMapping.fromKernel(cur).names() + "; Delta column names are"
            + " case-insensitive. Rename it to the existing column's spelling or to a distinct name. Nothing was"
            + " written.");
      }
      added.add(TypeMapping.toKernel(Field.of(c.name(), c.type())));
    }
    if (added.isEmpty()) {
      return cur;
    }
    checkColumnMapping(s);
    // unique physical names and ids, as for addColumns: a column re-added after Spark dropped or renamed one
    out.addAll(WriteProtocol.assignColumnMapping(cur, s.getTableProperties(), added).fields());
    p.newSchema = new StructType(out);
    return p.newSchema;
  }

  /** The frame with null columns for the target's columns it lacks, in the target's order. */
  private static Frame withNullColumns(Frame f, Schema target) {
    Frame out = f;
    for (Field t : target.fields()) {
      if (!out.hasColumn(t.name())) {
        out = out.withColumn(Column.nulls(t.name(), t.type(), out.rowCount()));
      }
    }
    return out.select(target.names());
  }

  private void checkKeys(Frame frame, List<String> keys, String what) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(what.startsWith("deleteKeys")
          ? "deleteKeys on " + display + " got a frame with no columns: pass the key columns and the keys to"
              + " delete, e.g. deleteKeys(Frame.of(Column.ofLongs(\"id\", 7)))."
          : what + " " + display + " needs key columns, e.g. upsert(frame, \"id\").");
    }
    for (String k : keys) {
      if (!frame.hasColumn(k)) {
        throw new dev.mlops.core.ColumnNotFoundException(k, frame.schema().names(),
            "the data for " + display + " (named as a key column)");
      }
      Column c = frame.column(k);
      if (!KeyIndex.canBeKey(c.type())) {
        throw new SchemaMismatchException("Key column '" + k + "' of " + display + " is " + c.columnType() + ", which"
            + " cannot be a key (values of it do not compare exactly). Use a " + KeyIndex.KEY_KINDS + " key.");
      }
      if (c.hasNulls()) {
        int row = c.firstNull();
        throw new KeyConstraintException("Key column '" + k + "' is null at row " + row + " of the data for table "
            + display + " (" + c.nullCount() + " null key(s) in all). Every row needs a key: fill or drop those rows.");
      }
    }
  }

  private KeyConstraintException duplicateKey(Frame frame, List<String> keys, int[] dup) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (String k : keys) {
      key.put(k, frame.column(k).get(dup[1]));
    }
    return new KeyConstraintException("Key " + key + " appears more than once in the data for table " + display
        + " (rows " + dup[0] + " and " + dup[1] + "). Each key may appear once per write: deduplicate the rows"
        + " first (keep the latest per key).");
  }

  private void checkKeysInTable(Snapshot s, List<String> keys) {
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    for (String k : keys) {
      if (!ts.contains(k)) {
        throw new dev.mlops.core.ColumnNotFoundException(k, ts.names(), "table " + display + " (named as a key column)");
      }
    }
  }

  /** A skipping predicate covering the min..max of each key column of the frame. */
  private Predicate keyRange(Frame frame, List<String> keys) {
    if (frame.rowCount() == 0) {
      return null;
    }
    Predicate acc = null;
    for (String k : keys) {
      Column c = frame.column(k);
      Object min = null;
      Object max = null;
      for (int i = 0; i < c.size(); i++) {
        Object v = FilterEval.storage(c, i);
        if (min == null || cmp(v, min) < 0) {
          min = v;
        }
        if (max == null || cmp(v, max) > 0) {
          max = v;
        }
      }
      io.delta.kernel.expressions.Column col = new io.delta.kernel.expressions.Column(k);
      Predicate range = new Predicate("AND", new Predicate(">=", col, FilterEval.literal(min, c.columnType())),
          new Predicate("<=", col, FilterEval.literal(max, c.columnType())));
      acc = acc == null ? range : new Predicate("AND", acc, range);
    }
    return acc;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int cmp(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /**
   * Finds the files holding any key of {@code ks}; adds them to the plan's removals and their other
   * rows to {@code kept}; counts matched rows.
   */
  private void rewriteMatching(Snapshot s, Predicate range, List<String> keys, KeyIndex ks, Plan p,
      List<Frame> kept, long[] matched) {
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    Schema keySchema = ts.select(keys);
    Scan keyScan = s.getScanBuilder().withReadSchema(readSchema(s, keys)).build();
    Row keyState = keyScan.getScanState(engine);
    Row fullState = s.getScanBuilder().build().getScanState(engine);
    List<Row> candidates = new ArrayList<>();
    forEachScanFile(s, range, candidates::add);
    record FileHits(Row file, int hits, Frame kept) {}
    // Each candidate file is probed (key columns only) and, when hit, read whole: on all cores.
    List<FileHits> results = parallel(candidates, f -> {
      Frame fileKeys = readScanFile(keyState, f, keySchema);
      int hits = 0;
      for (int id : ks.find(fileKeys, keys)) { // a null key in the table is -1: it matches nothing
        if (id >= 0) {
          hits++;
        }
      }
      if (hits == 0 || hits == fileKeys.rowCount()) {
        return new FileHits(f, hits, null);
      }
      Frame rows = readScanFile(fullState, f, ts);
      int[] ids = ks.find(rows, keys);
      return new FileHits(f, hits, rows.filter(r -> ids[r] < 0));
    });
    for (FileHits h : results) {
      if (h.hits() > 0) {
        p.scanFilesToRemove.add(h.file());
        matched[0] += h.hits();
        if (h.kept() != null) {
          kept.add(h.kept());
        }
      }
    }
  }

  private StructType readSchema(Snapshot s, List<String> columns) {
    StructType full = s.getSchema();
    List<StructField> out = new ArrayList<>();
    for (String c : columns) {
      out.add(full.get(c));
    }
    return new StructType(out);
  }

  void forEachScanFile(Snapshot s, Predicate filter, java.util.function.Consumer<Row> action) {
    var sb = s.getScanBuilder();
    if (filter != null) {
      sb = sb.withFilter(filter);
    }
    Scan scan = sb.build();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine, true)) {
      while (files.hasNext()) {
        FilteredColumnarBatch fb = files.next();
        try (CloseableIterator<Row> rows = fb.getRows()) {
          while (rows.hasNext()) {
            action.accept(rows.next());
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot list the data files of table " + display, e);
    }
  }

  private Frame readScanFile(Row scanState, Row scanFile, Schema schema) {
    FileStatus fs = KernelInternals.fileStatus(scanFile);
    StructType physical = KernelInternals.physicalReadSchema(scanState);
    List<Frame> parts = new ArrayList<>();
    try (CloseableIterator<FileReadResult> raw = engine.getParquetHandler()
            .readParquetFiles(Iters.of(List.of(fs)), physical, Optional.empty());
        CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile,
            raw.map(FileReadResult::getData))) {
      while (logical.hasNext()) {
        parts.add(BatchReader.toFrame(logical.next(), schema));
      }
    } catch (IOException | RuntimeException e) {
      java.nio.file.Path lp = DeltaStore.localPath(fs.getPath());
      if (isMissingFile(e) || (lp != null && !java.nio.file.Files.exists(lp))) {
        throw new MissingDataFile(fs.getPath(), e);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new StorageException("Cannot read data file " + fs.getPath() + " of table " + display, e);
    }
    return parts.isEmpty() ? Frame.empty(schema) : Frame.concat(parts);
  }

  /** Plans, writes and commits; re-plans on conflict. */
  private CommitResult write(String op, boolean blindAppend, Opts o, Function<Snapshot, Plan> planner) {
    return store.withWriteLock(location, () -> {
      RuntimeException last = null;
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // First attempt: start from the caller's snapshot or this workspace's own last commit when
        // there is one (saves a log listing and replay per write); any later attempt loads the latest.
        Optional<Snapshot> given = attempt > 1 ? Optional.empty()
            : o.base() != null ? Optional.of(o.base()) : store.lastCommitted(location);
        boolean fresh = given.isEmpty();
        Snapshot s = given.orElseGet(this::latestForWrite);
        Plan p;
        try {
          checkWritable(s, op);
          p = planner.apply(s);
        } catch (MissingDataFile m) {
          if (!fresh) {
            store.forget(location);
            continue;
          }
          throw LogCheck.missingDataFile(display, s.getVersion(), m.path, true, m.getCause());
        } catch (MlopsException e) {
          if (!fresh) {
            store.forget(location); // judged against a possibly stale snapshot: judge again on the latest
            continue;
          }
          throw e;
        }
        if (p.noop && p.newSchema == null && p.newProperties == null) {
          if (!fresh) {
            // "Nothing to do" on a possibly stale snapshot (another process may have written the rows
            // this delete is about): confirm it against the latest version.
            store.forget(location);
            continue;
          }
          return new CommitResult(s.getVersion(), op, 0, 0, 0, 0, 0, attempt);
        }
        List<String> written = new ArrayList<>();
        try {
          UpdateTableTransactionBuilder b = s.buildUpdateTableTransaction(
              engineInfo(op, p.inserted, p.updated, p.deleted) + tagText(o.tags()), Operation.WRITE);
          if (!blindAppend || p.newSchema != null || p.newProperties != null) {
            b = b.withMaxRetries(0);
          }
          if (p.newSchema != null) {
            b = b.withUpdatedSchema(p.newSchema);
          }
          if (p.newProperties != null) {
            b = b.withTablePropertiesAdded(p.newProperties);
          }
          Transaction txn = b.build(engine);
          Row state = txn.getTransactionState(engine);
          List<Row> actions = new ArrayList<>();
          for (Row f : p.scanFilesToRemove) {
            actions.add(KernelInternals.removeAction(f));
          }
          int filesAdded = 0;
          if (p.data != null && p.data.rowCount() > 0) {
            filesAdded = writeData(s, state, p.data, actions, written);
          }
          TransactionCommitResult r = txn.commit(engine, CloseableIterable.inMemoryIterable(Iters.of(actions)));
          r.getPostCommitSnapshot().ifPresentOrElse(snap -> store.rememberCommitted(location, snap),
              () -> store.forget(location));
          runHooks(r);
          LOG.debug("{} on {} committed version {} (attempt {})", op, display, r.getVersion(), attempt);
          return new CommitResult(r.getVersion(), op, p.inserted, p.updated, p.deleted, filesAdded,
              p.scanFilesToRemove.size(), attempt);
        } catch (io.delta.kernel.exceptions.ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
          store.forget(location);
          deleteQuietly(written);
          last = e;
          backoff(attempt);
        } catch (io.delta.kernel.exceptions.UnsupportedTableFeatureException
            | io.delta.kernel.exceptions.UnsupportedProtocolVersionException e) {
          deleteQuietly(written);
          throw new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": " + sentence(e.getMessage())
              + " Nothing was changed. The SDK reads this table; write it with an engine that supports the"
              + " feature (Spark/Databricks).", e);
        } catch (KernelException e) {
          deleteQuietly(written);
          throw new MlopsException("Cannot " + op + " table " + display + ": " + sentence(e.getMessage())
              + " Nothing was changed.", e);
        } catch (RuntimeException e) {
          store.forget(location);
          deleteQuietly(written);
          throw e;
        }
      }
      throw new ConcurrentWriteException("Gave up " + op + " on table " + display + " after " + MAX_ATTEMPTS
          + " attempts: other writers kept committing first. Nothing of this write was committed; retry later"
          + " or write less often to this table.", last);
    });
  }

  /** Text ending in exactly one period. */
  private static String sentence(String s) {
    String t = s == null ? "" : s.strip();
    while (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return t + ".";
  }

  private static void backoff(int attempt) {
    long max = Math.min(200, 2L << Math.min(attempt, 7));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, max + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlopsException("Interrupted while retrying a write", e);
    }
  }

  private void deleteQuietly(List<String> paths) {
    for (String path : paths) {
      try {
        java.nio.file.Path lp = DeltaStore.localPath(path);
        if (lp != null) {
          java.nio.file.Files.deleteIfExists(lp);
        }
      } catch (IOException e) {
        LOG.debug("Could not delete uncommitted file {}", path, e);
      }
    }
  }

  private void runHooks(TransactionCommitResult r) {
    for (PostCommitHook h : r.getPostCommitHooks()) {
      if (h.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT && r.getPostCommitSnapshot()
          .map(ps -> !WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(ps)))
          .orElseGet(() -> !WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(latest())))) {
        continue; // v2 checkpoints (or unknown protocol): leave checkpoints to the engine that owns the feature
      }
      try {
        h.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        // A checkpoint another writer already wrote, or a failed one: the commit itself stands.
        LOG.debug("Post-commit hook {} on {} did not complete: {}", h.getType(), display, e.toString());
      }
    }
  }

  private void checkWritable(Snapshot s, String op) {
    Map<String, String> props = s.getTableProperties();
    WriteProtocol.checkWriterFeatures(KernelInternals.tableFeatures(s), s.getSchema(), op, display);
    List<String> unsupported = TypeMapping.unsupported(s.getSchema());
    if (!unsupported.isEmpty() && !op.equals("SET PROPERTIES")) {
      throw new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has columns of types"
          + " the SDK cannot hold " + unsupported + ". Nothing was changed; write this table with Spark, or read"
          + " the other columns with read().columns(...).");
    }
    for (String k : List.of("delta.enableIcebergCompatV1", "delta.enableIcebergCompatV2",
        "delta.enableIcebergCompatV3")) {
      if ("true".equalsIgnoreCase(props.get(k))) {
        throw new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has " + k
            + "=true, which the SDK does not write. Nothing was changed.");
      }
    }
    if ("true".equalsIgnoreCase(props.get("delta.appendOnly")) && !op.equals("APPEND")
        && !op.equals("ADD COLUMNS") && !op.equals("SET PROPERTIES")) {
      throw new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it is append-only"
          + " (delta.appendOnly=true). Nothing was changed. Use append, or unset the property.");
    }
    for (String k : props.keySet()) {
      if (k.startsWith("delta.constraints.")) {
        throw new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has the CHECK"
            + " constraint " + k + ", which the SDK does not enforce. Nothing was changed.");
      }
    }
  }

  /** The frame's columns in table order with table types; errors name what does not fit. */
  private Frame align(Frame frame, StructType logical) {
    Schema ts = TypeMapping.fromKernel(logical);
    List<String> extra = new ArrayList<>();
    for (String n : frame.schema().names()) {
      if (!ts.contains(n)) {
        extra.add(n);
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<Column> out = new ArrayList<>();
    for (Field f : ts.fields()) {
      if (!frame.hasColumn(f.name())) {
        missing.add(f.name() + " " + f.type());
        continue;
      }
      Column c = TypeMapping.conform(frame.column(f.name()), f);
      if (c == null) {
        wrong.add("'" + f.name() + "' is " + frame.column(f.name()).columnType() + " in the data but "
            + f.columnType() + " in the table");
        continue;
      }
      if (!f.nullable() && c.hasNulls()) {
        int row = c.firstNull();
        throw new SchemaMismatchException("Column '" + f.name() + "' of table " + display + " is NOT NULL but row "
            + row + " of the data is null. Fill the value or drop the row.");
      }
      NestedNotNull.check(c, f, display);
      out.add(c);
    }
    if (!extra.isEmpty() || !missing.isEmpty() || !wrong.isEmpty()) {
      StringBuilder sb = new StringBuilder("The data does not fit table " + display + ":");
      if (!missing.isEmpty()) {
        sb.append(" missing column(s) ").append(missing).append(" (add them, with nulls if unknown, e.g."
            + " frame.withColumn(Column.nulls(name, type, frame.rowCount())));");
      }
      if (!extra.isEmpty()) {
        sb.append(" column(s) ").append(extra).append(" not in the table (add them first with addColumns(...),"
            + " or drop them from the data);");
      }
      if (!wrong.isEmpty()) {
        sb.append(" wrong type: ").append(String.join("; ", wrong)).append(" (convert the data);");
      }
      sb.append(" table columns: ").append(ts).append(". Nothing was written.");
      throw new SchemaMismatchException(sb.toString());
    }
    return WriteProtocol.applyCharVarchar(logical, Frame.of(out), display);
  }

  /** Writes data files (one group per partition) and adds their add actions; returns files written. */
  private int writeData(Snapshot s, Row state, Frame data, List<Row> actions, List<String> written) {
    StructType logical = KernelInternals.logicalWriteSchema(state);
    StructType physical = KernelInternals.physicalWriteSchema(state);
    List<String> partCols = s.getPartitionColumnNames();
    Set<String> partSet = new HashSet<>(partCols);
    List<StructField> dataFields = new ArrayList<>();
    List<String> dataCols = new ArrayList<>();
    List<io.delta.kernel.expressions.Column> stats = new ArrayList<>();
    for (int i = 0; i < logical.length(); i++) {
      String name = logical.at(i).getName();
      if (partSet.contains(name)) {
        continue;
      }
      StructField pf = physical.at(i);
      dataFields.add(WriteProtocol.dataField(pf, s.getTableProperties()));
      dataCols.add(name);
      if (stats.size() < 32) {
        stats.add(new io.delta.kernel.expressions.Column(pf.getName()));
      }
    }
    StructType dataSchema = new StructType(dataFields);
    // Large groups are cut into slices written on all cores (one or more files each).
    List<Map.Entry<Map<String, Literal>, Frame>> jobs = new ArrayList<>();
    for (Map.Entry<Map<String, Literal>, Frame> g : partitions(data, partCols).entrySet()) {
      Frame part = g.getValue();
      int slices = part.rowCount() >= 2 * MIN_SLICE_ROWS ? Math.min(THREADS, part.rowCount() / MIN_SLICE_ROWS) : 1;
      for (int k = 0; k < slices; k++) {
        int lo = (int) ((long) part.rowCount() * k / slices);
        int hi = (int) ((long) part.rowCount() * (k + 1) / slices);
        jobs.add(Map.entry(g.getKey(), slices == 1 ? part : part.slice(lo, hi)));
      }
    }
    List<List<DataFileStatus>> results = parallel(jobs, job -> {
      Frame part = job.getValue();
      DataWriteContext ctx = Transaction.getWriteContext(engine, state, job.getKey());
      List<Column> cols = new ArrayList<>();
      for (String c : dataCols) {
        cols.add(part.column(c));
      }
      FrameBatch batch = new FrameBatch(dataSchema, cols, 0, part.rowCount());
      List<DataFileStatus> statuses = new ArrayList<>();
      WrittenFiles.into(written); // a file the writer opens and then fails on is deleted with the others
      try (CloseableIterator<DataFileStatus> st = engine.getParquetHandler().writeParquetFiles(
          ctx.getTargetDirectory(), Iters.of(List.of(new FilteredColumnarBatch(batch, Optional.empty()))), stats)) {
        while (st.hasNext()) {
          DataFileStatus d = st.next();
          statuses.add(d);
          synchronized (written) {
            written.add(d.getPath());
          }
        }
      } catch (IOException e) {
        throw new StorageException("Cannot write data files of table " + display + " under "
            + ctx.getTargetDirectory() + ": " + e.getMessage(), e);
      } finally {
        WrittenFiles.stop();
      }
      return statuses;
    });
    int files = 0;
    for (int j = 0; j < jobs.size(); j++) {
      DataWriteContext ctx = Transaction.getWriteContext(engine, state, jobs.get(j).getKey());
      files += results.get(j).size();
      try (CloseableIterator<Row> adds = Transaction.generateAppendActions(engine, state, Iters.of(results.get(j)), ctx)) {
        while (adds.hasNext()) {
          actions.add(adds.next());
        }
      } catch (IOException e) {
        throw new StorageException("Cannot record data files of table " + display, e);
      }
    }
    return files;
  }

  /** Rows grouped by partition values (one group with an empty map when unpartitioned). */
  private static Map<Map<String, Literal>, Frame> partitions(Frame data, List<String> partCols) {
    Map<Map<String, Literal>, Frame> out = new LinkedHashMap<>();
    if (partCols.isEmpty()) {
      out.put(Map.of(), data);
      return out;
    }
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < data.rowCount(); r++) {
      Object[] key = new Object[partCols.size()];
      for (int i = 0; i < key.length; i++) {
        key[i] = data.column(partCols.get(i)).isNull(r) ? null : FilterEval.storage(data.column(partCols.get(i)), r);
      }
      groups.computeIfAbsent(Arrays.asList(key), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<List<Object>, List<Integer>> g : groups.entrySet()) {
      Map<String, Literal> pv = new HashMap<>();
      for (int i = 0; i < partCols.size(); i++) {
        ColumnType t = data.column(partCols.get(i)).columnType();
        Object v = g.getKey().get(i);
        pv.put(partCols.get(i), v == null ? Literal.ofNull(TypeMapping.toKernel(t)) : FilterEval.literal(v, t));
      }
      int[] rows = g.getValue().stream().mapToInt(Integer::intValue).toArray();
      out.put(pv, data.take(rows));
    }
    return out;
  }

  /** Commit tags as engineInfo words: " tag.key=url-encoded-value". */
  private static String tagText(Map<String, String> tags) {
    StringBuilder sb = new StringBuilder();
    tags.forEach((k, v) -> sb.append(" tag.").append(k).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return sb.toString();
  }

  /** The tags of an SDK commit's engineInfo. */
  public static Map<String, String> tags(String engineInfo) {
    Map<String, String> out = new LinkedHashMap<>();
    if (engineInfo == null || !engineInfo.contains(ENGINE_PREFIX)) {
      return out;
    }
    for (String part : engineInfo.split(" ")) {
      int eq = part.indexOf('=');
      if (part.startsWith("tag.") && eq > 4) {
        out.put(part.substring(4, eq), java.net.URLDecoder.decode(part.substring(eq + 1),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String engineInfo(String op, long inserted, long updated, long deleted) {
    return ENGINE_PREFIX + Sdk.VERSION + " op=" + op.replace(' ', '_') + " inserted=" + inserted + " updated="
        + updated + " deleted=" + deleted;
  }

  // ------------------------------------------------------------------ reads

  /**
   * Reads rows: at a version or timestamp (or latest), only some columns (or all), only rows where
   * the filter holds (or all). Files ruled out by their statistics are not opened.
   */
  public Frame read(Long version, Instant timestamp, List<String> columns, Filter filter) {
    return read(null, version, timestamp, columns, filter);
  }

  /** Reads rows of {@code base} (null: the latest) or of the version / timestamp asked for. */
  public Frame read(Snapshot base, Long version, Instant timestamp, List<String> columns, Filter filter) {
    Snapshot s = snapshot(base, version, timestamp);
    try {
      return read(s, columns, filter);
    } catch (MissingDataFile m) {
      throw LogCheck.missingDataFile(display, s.getVersion(), m.path, version == null && timestamp == null, m.getCause());
    }
  }

  private Frame read(Snapshot s, List<String> columns, Filter filter) {
    StructType full = s.getSchema();
    Schema ts = TypeMapping.fromKernel(full);
    List<String> want = columns == null || columns.isEmpty() ? null : List.copyOf(columns);
    if (want == null) {
      List<String> unsupported = TypeMapping.unsupported(full);
      if (!unsupported.isEmpty()) {
        throw new UnsupportedTableFeatureException("Table " + display + " has columns of types the SDK cannot"
            + " hold " + unsupported + ". Read the others with read().columns(...).");
      }
      want = ts.names();
    }
    for (String c : want) {
      if (!ts.contains(c)) {
        if (full.indexOf(c) >= 0) {
          throw new UnsupportedTableFeatureException("Column '" + c + "' of table " + display + " is "
              + TypeMapping.shortName(full.get(c).getDataType()) + ", which the SDK cannot hold. Leave it out of columns(...).");
        }
        throw new dev.mlops.core.ColumnNotFoundException(c, ts.names(), "table " + display);
      }
    }
    Predicate pred = null;
    List<String> readCols = new ArrayList<>(want);
    if (filter != null) {
      FilterEval.validate(filter, ts, "table " + display);
      pred = FilterEval.toKernel(filter, ts).orElse(null);
      for (String c : FilterEval.columns(filter)) {
        if (!readCols.contains(c)) {
          readCols.add(c);
        }
      }
    }
    Schema readSchema = ts.select(readCols);
    var sb = s.getScanBuilder().withReadSchema(readSchema(s, readCols));
    if (pred != null) {
      sb = sb.withFilter(pred);
    }
    Scan scan = sb.build();
    Row state = scan.getScanState(engine);
    List<Row> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> it = scan.getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          rows.forEachRemaining(files::add);
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot list the data files of table " + display, e);
    }
    // Files are independent: decode them on all cores, keep their order.
    List<Frame> parts = parallel(files, f -> {
      Frame rows = readScanFile(state, f, readSchema);
      if (filter != null) {
        boolean[] keep = FilterEval.evaluate(filter, rows);
        rows = rows.filter(i -> keep[i]);
      }
      return rows;
    });
    parts.removeIf(Frame::isEmpty);
    Frame out = parts.isEmpty() ? Frame.empty(readSchema) : Frame.concat(parts);
    return readCols.size() == want.size() ? out : out.select(want);
  }

  /** Rows of the data files added and removed between two versions (toVersion null = latest). */
  public dev.mlops.core.TableChanges changes(long fromVersion, Long toVersion) {
    try {
      return changesOf(fromVersion, toVersion);
    } catch (MissingDataFile m) {
      throw LogCheck.missingDataFile(display, fromVersion, m.path, false, m.getCause());
    }
  }

  private dev.mlops.core.TableChanges changesOf(long fromVersion, Long toVersion) {
    Snapshot to = toVersion == null ? latest() : snapshot(toVersion, null);
    Snapshot from = snapshot(fromVersion, null);
    if (from.getVersion() > to.getVersion()) {
      throw new VersionNotFoundException("Table " + display + ": version " + fromVersion + " is newer than "
          + to.getVersion() + ". Ask for changes from an older version.");
    }
    Map<String, Row> before = activeFiles(from);
    Map<String, Row> after = activeFiles(to);
    Schema toSchema = TypeMapping.fromKernel(to.getSchema());
    Schema fromSchema = TypeMapping.fromKernel(from.getSchema());
    Row toState = to.getScanBuilder().build().getScanState(engine);
    Row fromState = from.getScanBuilder().build().getScanState(engine);
    List<Frame> added = new ArrayList<>();
    List<Frame> removed = new ArrayList<>();
    for (Map.Entry<String, Row> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        added.add(readScanFile(toState, e.getValue(), toSchema));
      }
    }
    for (Map.Entry<String, Row> e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        Frame old = readScanFile(fromState, e.getValue(), fromSchema);
        for (Field f : toSchema.fields()) {
          if (!old.hasColumn(f.name())) {
            old = old.withColumn(Column.nulls(f.name(), f.columnType(), old.rowCount()));
          }
        }
        removed.add(old.select(toSchema.names()));
      }
    }
    return new dev.mlops.core.TableChanges(from.getVersion(), to.getVersion(),
        added.isEmpty() ? Frame.empty(toSchema) : Frame.concat(added),
        removed.isEmpty() ? Frame.empty(toSchema) : Frame.concat(removed));
  }

  private Map<String, Row> activeFiles(Snapshot s) {
    Map<String, Row> out = new LinkedHashMap<>();
    forEachScanFile(s, null, f -> out.put(KernelInternals.path(f) + "|" + KernelInternals.deletionVectorId(f), f));
    return out;
  }

  private static final int THREADS = DeltaStore.THREADS;

  private <T, R> List<R> parallel(List<T> items, Function<T, R> fn) {
    return Parallel.map(store.executor(), THREADS, items, fn, display);
  }

  /** Every commit in the log, newest first. */
  public List<Commit> history() {
    long from = 0;
    List<KernelInternals.CommitSummary> raw;
    try {
      raw = KernelInternals.history(engine, location, from);
    } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
      throw notFound();
    } catch (KernelException e) {
      // older commits were cleaned up after a checkpoint: start from the oldest still present
      raw = KernelInternals.history(engine, location, earliestLogVersion(latest()));
    }
    List<Commit> out = new ArrayList<>(raw.size());
    for (KernelInternals.CommitSummary c : raw) {
      String op = c.operation();
      long added = c.rowsAdded();
      long removed = c.rowsRemoved();
      if (c.engineInfo().contains(ENGINE_PREFIX)) {
        Map<String, String> kv = new HashMap<>();
        for (String part : c.engineInfo().split(" ")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            kv.put(part.substring(0, eq), part.substring(eq + 1));
          }
        }
        if (kv.containsKey("op")) {
          op = kv.get("op").replace('_', ' ');
          long ins = Long.parseLong(kv.getOrDefault("inserted", "0"));
          long upd = Long.parseLong(kv.getOrDefault("updated", "0"));
          long del = Long.parseLong(kv.getOrDefault("deleted", "0"));
          added = ins + upd;
          removed = upd + del;
        }
      }
      out.add(new Commit(c.version(), Instant.ofEpochMilli(c.timestampMillis()), op, added, removed,
          c.filesAdded(), c.filesRemoved(), c.engineInfo()));
    }
    java.util.Collections.reverse(out);
    return out;
  }

  long earliestLogVersion(Snapshot latest) {
    java.nio.file.Path p = DeltaStore.localPath(location);
    if (p == null) {
      return latest.getVersion();
    }
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(p.resolve("_delta_log"))) {
      return s.map(x -> x.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).min().orElse(latest.getVersion());
    } catch (IOException e) {
      return latest.getVersion();
    }
  }

  /** Delta's default retention of files removed from a table (delta.deletedFileRetentionDuration). */
  public static final java.time.Duration DEFAULT_RETENTION = Vacuum.DEFAULT_RETENTION;

  /**
   * Deletes data files no retained version references and stale temp files of killed writers (see
   * {@link Vacuum}); null retention means the table's.
   */
  public dev.mlops.core.VacuumResult vacuum(java.time.Duration retention, boolean force) {
    return new Vacuum(this).run(retention, force);
  }

  DeltaStore store() {
    return store;
  }

  Engine engine() {
    return engine;
  }

  /** Writes a checkpoint of the latest version now (normally done every 10 commits by the hooks). */
  public void checkpoint() {
    try {
      Snapshot s = latest();
      if (!WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(s))) {
        throw new UnsupportedTableFeatureException("Cannot checkpoint table " + display + ": it uses v2 checkpoints,"
            + " which the SDK does not write. Nothing was changed; checkpoint it with Spark/Databricks.");
      }
      s.writeCheckpoint(engine);
    } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint already exists for {}", display);
    } catch (IOException e) {
      throw new StorageException("Cannot write a checkpoint of table " + display, e);
    }
  }
}
