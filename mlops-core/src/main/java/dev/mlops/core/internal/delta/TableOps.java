package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.Commit;
import dev.mlops.core.CommitResult;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import dev.mlops.core.TableAlreadyExistsException;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.VersionNotFoundException;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.KeyIndex;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every operation on one Delta table: create, append, overwrite, upsert (copy-on-write), delete,
 * add columns, read with projection / filter / time travel, history, vacuum and checkpoints.
 *
 * <p>This class loads snapshots, reads, and routes writes; the write path is split along its three
 * concerns: {@link WritePlanner} turns a snapshot and the caller's rows into a {@link WritePlan}
 * (files to remove, rows to write, a schema change in the same commit); {@link CommitLoop} commits
 * plans optimistically under the table's writer lock and re-plans when another writer committed
 * first (any commit that removes files is made with Kernel's retries off, so it fails instead of
 * being silently rebased: that keeps primary keys unique under concurrent upserts), and confirms
 * every "nothing to do" against the latest snapshot; {@link TableFiles} lists, reads and writes data
 * files. {@link Vacuum}, {@link LogCheck} and {@link Parallel} are the table's other helpers.
 */
public final class TableOps {
  private static final Logger LOG = LoggerFactory.getLogger(TableOps.class);
  /** Table property holding the description (Spark keeps it in metadata.description, shown as "comment"). */
  public static final String DESCRIPTION_PROPERTY = "comment";

  private final DeltaStore store;
  private final Engine engine;
  private final String location;
  private final String display;
  private final TableFiles files;
  private final WritePlanner planner;
  private final CommitLoop commits;

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
    this.files = new TableFiles(this);
    this.planner = new WritePlanner(this, files);
    this.commits = new CommitLoop(this, files, planner);
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
    // On local disk latest() answers not-found from the missing log files, without a Kernel load.
    try {
      latest();
      return true;
    } catch (TableNotFoundException e) {
      return false;
    }
  }

  /** Loads the latest snapshot (one log load, counted by {@link LogLoads}). */
  public Snapshot latest() {
    java.nio.file.Path dir = DeltaStore.localPath(location);
    if (dir != null && !hasLogFile(dir.resolve("_delta_log"))) {
      // Nothing to load: Kernel would find no table too, after WARNing that it found no checkpoint
      // (the lineage table's first snapshot, any read of a table not created yet).
      throw notFound();
    }
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
      store.rememberLoaded(location, s);
    }
    return s;
  }

  /**
   * Throws {@link TableNotFoundException} unless a Delta table is at the location. On local disk a
   * commit or checkpoint file in {@code _delta_log} is enough (no log load: the operation that
   * follows loads the log and reports any damage, naming the file); elsewhere the log is loaded.
   */
  public void checkExists() {
    java.nio.file.Path local = DeltaStore.localPath(location);
    if (local != null && hasLogFile(local.resolve("_delta_log"))) {
      return;
    }
    latest(); // throws the right error: not found, not a Delta table, or damaged
  }

  private static boolean hasLogFile(java.nio.file.Path log) {
    if (!java.nio.file.Files.isDirectory(log)) {
      return false;
    }
    try (java.nio.file.DirectoryStream<java.nio.file.Path> ds = java.nio.file.Files.newDirectoryStream(log)) {
      for (java.nio.file.Path p : ds) {
        String n = p.getFileName().toString();
        if (n.matches("\\d{20}\\.(json|checkpoint.*\\.parquet)")) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /**
   * The SDK's own exception inside Kernel's wrapper, else {@code e}: Kernel wraps what the engine's
   * file I/O throws unchecked (a {@link dev.mlops.core.StorageAccessException}, an
   * {@link dev.mlops.core.UnsafeConcurrentWriteException} from a commit on S3) in its
   * {@code KernelEngineException}, which would hide the type callers branch on.
   */
  static RuntimeException unwrapped(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MlopsException m) {
        return m;
      }
    }
    return e;
  }

  /** A Kernel failure to load the log, as a typed SDK exception naming the table, version and file. */
  private RuntimeException translate(RuntimeException e, Long version) {
    if (unwrapped(e) instanceof MlopsException m) {
      return m;
    }
    if (e instanceof io.delta.kernel.exceptions.UnsupportedProtocolVersionException
        || e instanceof io.delta.kernel.exceptions.UnsupportedTableFeatureException) {
      return Errors.unsupportedOnRead(display, sentence(e.getMessage()), e);
    }
    java.nio.file.Path local = DeltaStore.localPath(location);
    if (local != null) {
      Optional<RuntimeException> d = LogCheck.diagnose(display, local, e);
      if (d.isPresent()) {
        return d.get();
      }
    }
    if (e instanceof UncheckedIOException) {
      return Errors.cannotReadLog(display, location, sentence(e.getMessage()), e);
    }
    return Errors.logNotLoadable(display, version, location, sentence(e.getMessage()), e);
  }

  private TableNotFoundException notFound() {
    java.nio.file.Path p = DeltaStore.localPath(location);
    if (p != null && java.nio.file.Files.isDirectory(p) && hasFiles(p)) {
      return Errors.notADeltaTable(display, location);
    }
    return Errors.tableNotFound(display, location);
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
        throw Errors.negativeVersion(display, version);
      }
      if (base != null && base.getVersion() == version) {
        return base;
      }
      Optional<Snapshot> known = store.loadedVersion(location, version);
      if (known.isPresent()) {
        return known.get(); // the latest this workspace loaded is that version: no second log load
      }
      try {
        LogLoads.record();
        return TableManager.loadSnapshot(location).atVersion(version).build(engine);
      } catch (io.delta.kernel.exceptions.TableNotFoundException e) {
        throw notFound();
      } catch (KernelException | UncheckedIOException | IllegalStateException e) {
        long latestVersion = (base != null && base.getVersion() > version) ? base.getVersion() : latest().getVersion();
        if (version > latestVersion) {
          throw Errors.versionAfterLatest(display, version, latestVersion, e);
        }
        java.nio.file.Path local = DeltaStore.localPath(location);
        if (local != null) {
          Optional<RuntimeException> d = LogCheck.diagnose(display, local, e);
          if (d.isPresent()) {
            throw d.get();
          }
        }
        throw Errors.versionUnreadable(display, version, sentence(e.getMessage()), e);
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
        if (!h.isEmpty() && !timestamp.isAfter(h.get(0).timestamp())
            && !timestamp.isBefore(h.get(h.size() - 1).timestamp())) {
          // Kernel finds versions by commit times raised to be increasing (the times history()
          // reports) but refuses any time after the latest commit file's own time: when the last
          // commits share one file time (S3 keeps seconds), the version history() names is read here.
          for (Commit c : h) {
            if (!c.timestamp().isAfter(timestamp)) {
              LogLoads.record();
              return TableManager.loadSnapshot(location).atVersion(c.version()).build(engine);
            }
          }
        }
        if (!h.isEmpty()) {
          range = " Its commits span " + h.get(h.size() - 1).timestamp() + " (version "
              + h.get(h.size() - 1).version() + ") to " + h.get(0).timestamp() + " (version " + h.get(0).version() + ").";
        }
      } catch (RuntimeException ignored) {
        // the range is a hint only
      }
      throw Errors.noVersionAtTimestamp(display, timestamp, range, e);
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
      throw Errors.tableNeedsLeastColumn(display);
    }
    Map<String, String> seen = new HashMap<>();
    for (String n : schema.names()) {
      String prev = seen.putIfAbsent(n.toLowerCase(java.util.Locale.ROOT), n);
      if (prev != null) {
        throw Errors.columnsTableDifferCase(prev, n, display);
      }
    }
    for (String p : partitionColumns) {
      if (!schema.contains(p)) {
        throw Errors.schemaNamedPartitionColumn(p, schema.names(), display);
      }
      if (!TypeMapping.canPartitionBy(schema.type(p))) {
        throw Errors.partitionColumnPartitionColumn(p, display, schema.columnType(p));
      }
    }
    if (partitionColumns.size() == schema.size()) {
      throw Errors.tablePartitionsAllColumns(display, partitionColumns);
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
        throw Errors.tableExists(display, location, version());
      }
      try {
        var b = TableManager.buildCreateTableTransaction(location, TypeMapping.toKernel(schema),
                CommitLoop.engineInfo("CREATE", 0, 0, 0))
            .withTableProperties(props);
        if (!partitionColumns.isEmpty()) {
          List<io.delta.kernel.expressions.Column> pcs = new ArrayList<>();
          for (String p : partitionColumns) {
            pcs.add(new io.delta.kernel.expressions.Column(p));
          }
          b = b.withDataLayoutSpec(DataLayoutSpec.partitioned(pcs));
        }
        TransactionCommitResult r = b.build(engine).commit(engine, CloseableIterable.emptyIterable());
        commits.runHooks(r);
        checkpointVersion0(r);
        LOG.info("Created table {} at {}", display, location);
        return new CommitResult(r.getVersion(), "CREATE", 0, 0, 0, 0, 0, 1);
      } catch (io.delta.kernel.exceptions.TableAlreadyExistsException e) {
        throw Errors.tableCreatedConcurrently(display);
      } catch (KernelException | IllegalArgumentException e) {
        throw Errors.cannotCreateTable(display, e.getMessage(), e);
      } catch (RuntimeException e) {
        throw unwrapped(e);
      }
    });
  }


  // ------------------------------------------------------------------ writes
  // Each write is a plan (WritePlanner: snapshot + rows -> files to remove, rows to write) committed
  // by the commit loop (CommitLoop: optimistic commit, re-plan on conflict); TableFiles does the I/O.

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
    return commits.write("APPEND", true, o, s -> planner.append(s, frame, o));
  }

  /**
   * Appends every batch of a stream in one commit, with memory bounded by one chunk of
   * {@code chunkRows} rows; the rows land whole or not at all.
   */
  public CommitResult appendAll(java.util.Iterator<Frame> batches, int chunkRows) {
    return commits.appendAll(batches, chunkRows);
  }

  /** Replaces all rows. */
  public CommitResult overwrite(Frame frame) {
    return overwrite(frame, Opts.NONE);
  }

  /** Replaces all rows, with options. */
  public CommitResult overwrite(Frame frame, Opts o) {
    return commits.write("OVERWRITE", false, o, s -> planner.overwrite(s, frame, o));
  }

  /** Inserts rows whose keys are new and replaces rows whose keys exist. */
  public CommitResult upsert(Frame frame, List<String> keys) {
    return upsert(frame, keys, Opts.NONE);
  }

  /** Upsert with options; the rows' keys are indexed once, whatever the re-plans. */
  public CommitResult upsert(Frame frame, List<String> keys, Opts o) {
    KeyIndex ks = planner.upsertKeys(frame, keys);
    return commits.write("UPSERT", false, o, s -> planner.upsert(s, frame, keys, ks, o));
  }

  /** Deletes the rows whose key columns equal a row of {@code keys}. */
  public CommitResult deleteKeys(Frame keys) {
    KeyIndex ks = planner.deleteKeysIndex(keys);
    return commits.write("DELETE", false, Opts.NONE, s -> planner.deleteKeys(s, keys, ks));
  }

  /** Deletes the rows where the filter holds. */
  public CommitResult delete(Filter filter) {
    return commits.write("DELETE", false, Opts.NONE, s -> planner.delete(s, filter));
  }

  /** Adds nullable columns; existing rows read them as null. No data file is rewritten. */
  public CommitResult addColumns(List<Field> fields) {
    return commits.write("ADD COLUMNS", false, Opts.NONE, s -> planner.addColumns(s, fields));
  }

  /** Sets table properties. */
  public CommitResult setProperties(Map<String, String> props) {
    return commits.write("SET PROPERTIES", false, Opts.NONE, s -> planner.setProperties(props));
  }

  /** The tags of an SDK commit's engineInfo. */
  public static Map<String, String> tags(String engineInfo) {
    return CommitLoop.tags(engineInfo);
  }

  /** Text ending in exactly one period. */
  static String sentence(String s) {
    String t = s == null ? "" : s.strip();
    while (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return t + ".";
  }

  /** The snapshot's schema narrowed to some columns (Kernel types, for a scan's read schema). */
  static StructType readSchema(Snapshot s, List<String> columns) {
    StructType full = s.getSchema();
    List<StructField> out = new ArrayList<>();
    for (String c : columns) {
      out.add(full.get(c));
    }
    return new StructType(out);
  }

  /** Calls action for every scan file of the snapshot that the filter does not rule out. */
  void forEachScanFile(Snapshot s, Predicate filter, java.util.function.Consumer<Row> action) {
    files.forEachScanFile(s, filter, action);
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
    } catch (TableFiles.MissingDataFile m) {
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
        throw Errors.unsupportedColumns(display, unsupported);
      }
      want = ts.names();
    }
    for (String c : want) {
      if (!ts.contains(c)) {
        if (full.indexOf(c) >= 0) {
          throw Errors.columnTableSdkHold(c, display, TypeMapping.shortName(full.get(c).getDataType()));
        }
        throw Errors.columnNotInTable(c, ts.names(), display);
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
    List<Row> scanFiles = files.scanFiles(scan);
    // Files are independent: decode them on all cores, keep their order.
    List<Frame> parts = files.parallel(scanFiles, f -> {
      Frame rows = files.readScanFile(state, f, readSchema);
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
    } catch (TableFiles.MissingDataFile m) {
      throw LogCheck.missingDataFile(display, fromVersion, m.path, false, m.getCause());
    }
  }

  private dev.mlops.core.TableChanges changesOf(long fromVersion, Long toVersion) {
    Snapshot to = toVersion == null ? latest() : snapshot(toVersion, null);
    Snapshot from = snapshot(fromVersion, null);
    if (from.getVersion() > to.getVersion()) {
      throw Errors.tableVersionNewerAsk(display, fromVersion, to.getVersion());
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
        added.add(files.readScanFile(toState, e.getValue(), toSchema));
      }
    }
    for (Map.Entry<String, Row> e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        Frame old = files.readScanFile(fromState, e.getValue(), fromSchema);
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
      if (c.engineInfo().contains(CommitLoop.ENGINE_PREFIX)) {
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

  /**
   * Writes a checkpoint of a new table's version 0. Delta Kernel starts every load of the latest
   * version from the checkpoint {@code _last_checkpoint} names (and every time-travel load from the
   * newest checkpoint file at or before the version), and WARNs "Cannot find a complete checkpoint.
   * Listing from version 0." when there is none: on every load of a table until its tenth commit,
   * when the hooks write the first one. A classic checkpoint of version 0 (one small Parquet file with
   * the protocol and metadata, plus {@code _last_checkpoint}) is what Spark reads and writes too. A
   * failure leaves the table as created, without it (Kernel then lists the log from version 0).
   */
  private void checkpointVersion0(TransactionCommitResult r) {
    try {
      Snapshot s = r.getPostCommitSnapshot().orElseGet(this::latest);
      if (s.getVersion() == 0 && WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(s))) {
        s.writeCheckpoint(engine);
      }
    } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint of version 0 already exists for {}", display);
    } catch (IOException | RuntimeException e) {
      LOG.debug("No checkpoint of version 0 of {}: {}", display, e.toString());
    }
  }

  /** Writes a checkpoint of the latest version now (normally done every 10 commits by the hooks). */
  public void checkpoint() {
    try {
      Snapshot s = latest();
      if (!WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(s))) {
        throw Errors.v2CheckpointsUnsupported(display);
      }
      s.writeCheckpoint(engine);
    } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
      LOG.debug("Checkpoint already exists for {}", display);
    } catch (IOException e) {
      throw Errors.cannotCheckpoint(display, e);
    }
  }
}
