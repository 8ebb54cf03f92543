package dev.mlops.features;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameSource;
import dev.mlops.core.FrameStream;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.TableChanges;
import dev.mlops.core.TableName;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.TableSnapshot;
import dev.mlops.core.Workspace;
import dev.mlops.core.WriteOptions;
import dev.mlops.features.internal.AheadStream;
import dev.mlops.features.internal.Errors;
import dev.mlops.features.internal.Joiner;
import dev.mlops.core.internal.KeyIndex;
import dev.mlops.features.internal.StreamKeys;
import dev.mlops.features.internal.PointInTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Feature tables (Delta tables with primary keys and an optional timestamp key), point-in-time
 * training sets, discovery, lineage and publishing to an online store. One per workspace.
 *
 * <pre>{@code
 * FeatureStore fs = FeatureStore.of(ws);
 * fs.createTable("main.crm.customer_features")
 *   .primaryKeys("customer_id").timestampKey("as_of")
 *   .description("Customer aggregates").tag("team", "growth")
 *   .featureDescription("spend_30d", "Spend over the last 30 days")
 *   .create(firstBatch);
 * fs.write("main.crm.customer_features", nextBatch, WriteMode.MERGE, Lineage.Node.table("main.raw.orders"));
 * TrainingSet ts = fs.trainingSet(labels)
 *   .lookup(FeatureLookup.table("main.crm.customer_features")
 *       .lookupKey("customer_id").timestampLookupKey("event_time").features("spend_30d"))
 *   .label("churned").build();
 * OnlineStore online = OnlineStore.inMemory();
 * fs.publish("main.crm.customer_features", online);
 * Frame features = fs.lookupOnline(ts.spec(), Frame.of(Column.ofLongs("customer_id", 7)), online);
 * }</pre>
 */
public final class FeatureStore {
  /** Table property: primary key columns, comma-separated. */
  public static final String PRIMARY_KEYS = "mlops.feature.primaryKeys";
  /** Table property: the timestamp key of a time-series feature table. */
  public static final String TIMESTAMP_KEY = "mlops.feature.timestampKey";
  /** Table property prefix of tags. */
  public static final String TAG_PREFIX = "mlops.feature.tag.";
  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final Workspace ws;
  private final OnDemandRegistry onDemandRegistry;

  /** The default on-demand registry of each Workspace object (weakly held: it goes with its workspace). */
  private static final Map<Workspace, OnDemandRegistry> WORKSPACE_REGISTRIES =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private FeatureStore(Workspace ws, OnDemandRegistry registry) {
    if (ws == null) {
      throw Errors.nullWorkspace();
    }
    if (registry == null) {
      throw Errors.nullOnDemandRegistry();
    }
    this.ws = ws;
    this.onDemandRegistry = registry;
  }

  /**
   * The feature store of a workspace, with the on-demand registry of that {@code Workspace} object
   * (every store, training set and predictor built on the same object shares it).
   */
  public static FeatureStore of(Workspace ws) {
    return new FeatureStore(ws, ws == null ? OnDemandRegistry.create()
        : WORKSPACE_REGISTRIES.computeIfAbsent(ws, w -> OnDemandRegistry.create()));
  }

  /**
   * The feature store of a workspace computing on-demand features from the given registry, e.g. one per
   * library or tenant in a shared JVM.
   */
  public static FeatureStore of(Workspace ws, OnDemandRegistry onDemandRegistry) {
    return new FeatureStore(ws, onDemandRegistry);
  }

  /** The registry this store finds on-demand feature functions in. */
  public OnDemandRegistry onDemandRegistry() {
    return onDemandRegistry;
  }

  /** The workspace. */
  public Workspace workspace() {
    return ws;
  }

  // ---------------------------------------------------------------- tables

  /** Starts creating a feature table; finish with {@link TableCreator#create(Schema)} or {@link TableCreator#create(Frame, Lineage.Node...)}. */
  public TableCreator createTable(String name) {
    return new TableCreator(TableName.parse(name).toString());
  }

  /**
   * A feature table's metadata.
   *
   * @throws TableNotFoundException when the table does not exist
   * @throws FeatureStoreException when it exists but has no primary key (is not a feature table)
   */
  public FeatureTable getTable(String name) {
    return meta(ws.tables().snapshot(name));
  }

  /** The feature table of a snapshot (one version: keys, schema and properties agree). */
  private static FeatureTable meta(TableSnapshot s) {
    String name = s.table().name().map(TableName::toString).orElse(s.table().location());
    return meta(name, s).orElseThrow(() -> Errors.tablePrimaryKeyFeature(name, PRIMARY_KEYS));
  }

  /** The feature table, if it exists and has a primary key. */
  public Optional<FeatureTable> findTable(String name) {
    TableSnapshot s;
    try {
      s = ws.tables().snapshot(name);
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
    return meta(TableName.parse(name).toString(), s);
  }

  private static Optional<FeatureTable> meta(String name, TableSnapshot t) {
    Map<String, String> p = t.properties();
    String pk = p.get(PRIMARY_KEYS);
    if (pk == null || pk.isBlank()) {
      return Optional.empty();
    }
    List<String> keys = Arrays.asList(pk.split(","));
    Optional<String> ts = Optional.ofNullable(p.get(TIMESTAMP_KEY)).filter(s -> !s.isBlank());
    Map<String, String> tags = new LinkedHashMap<>();
    p.forEach((k, v) -> {
      if (k.startsWith(TAG_PREFIX)) {
        tags.put(k.substring(TAG_PREFIX.length()), v);
      }
    });
    List<Field> features = new ArrayList<>();
    for (Field f : t.schema().fields()) {
      if (!keys.contains(f.name()) && !ts.map(f.name()::equals).orElse(false)) {
        features.add(f);
      }
    }
    return Optional.of(new FeatureTable(name, keys, ts, t.partitionColumns(), t.description(), tags, features,
        t.version()));
  }

  /** Reads a feature table (latest, or refine with version / asOf / columns / filter). */
  public DeltaTable.Reader read(String name) {
    TableSnapshot s = ws.tables().snapshot(name);
    meta(s);
    return s.read();
  }

  /** Every feature table of the workspace. */
  public List<FeatureTable> listTables() {
    List<FeatureTable> out = new ArrayList<>();
    for (TableName n : ws.tables().list()) {
      if (n.catalog().equals("system")) {
        continue;
      }
      findTable(n.toString()).ifPresent(out::add);
    }
    return out;
  }

  /** Drops a feature table (its files are deleted). */
  public boolean dropTable(String name) {
    return ws.tables().drop(name);
  }

  /** Sets (or replaces) a tag of a feature table. */
  public CommitResult setTag(String name, String key, String value) {
    checkTagKey(key, name);
    getTable(name);
    return ws.tables().get(name).setProperties(Map.of(TAG_PREFIX + key, Objects.requireNonNull(value, "value")));
  }

  private static void checkTagKey(String key, String table) {
    if (key == null || !TAG_KEY.matcher(key).matches()) {
      throw Errors.badTagKey(key, table);
    }
  }

  /**
   * Finds feature tables and features whose name, description, tags or feature descriptions contain
   * the text (case-insensitive). Several words must all match the same table or feature.
   */
  public List<SearchHit> search(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
    List<SearchHit> out = new ArrayList<>();
    for (FeatureTable t : listTables()) {
      String tableText = (t.name() + " " + t.description() + " " + String.join(" ", t.tags().keySet()) + " "
          + String.join(" ", t.tags().values())).toLowerCase(Locale.ROOT);
      if (all(tableText, words)) {
        String where = t.name().toLowerCase(Locale.ROOT).contains(words[0]) ? "name"
            : t.description().toLowerCase(Locale.ROOT).contains(words[0]) ? "description" : "tag";
        out.add(new SearchHit(t.name(), Optional.empty(), where, where.equals("name") ? t.name()
            : where.equals("description") ? t.description() : t.tags().toString()));
      }
      for (Field f : t.features()) {
        String ft = (f.name() + " " + f.comment()).toLowerCase(Locale.ROOT);
        if (all(ft, words)) {
          out.add(new SearchHit(t.name(), Optional.of(f.name()), "feature",
              f.comment().isEmpty() ? f.name() : f.name() + ": " + f.comment()));
        }
      }
    }
    return out;
  }

  private static boolean all(String text, String[] words) {
    for (String w : words) {
      if (!text.contains(w)) {
        return false;
      }
    }
    return true;
  }

  /** Feature tables with this tag (value null: any value). */
  public List<FeatureTable> searchByTag(String key, String value) {
    List<FeatureTable> out = new ArrayList<>();
    for (FeatureTable t : listTables()) {
      String v = t.tags().get(key);
      if (v != null && (value == null || value.equals(v))) {
        out.add(t);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes rows: MERGE upserts by primary key (+ timestamp key), OVERWRITE replaces all rows, APPEND
   * inserts rows whose keys are new (refusing a key the table has). Columns
   * the table lacks are added first (old rows read them as null). Sources become lineage edges into
   * the new table version.
   *
   * @throws FeatureStoreException for a missing key column
   * @throws KeyConstraintException for a null or duplicate key, or (APPEND) a key the table has; nothing
   *     is written
   */
  public CommitResult write(String name, Frame rows, WriteMode mode, Lineage.Node... sources) {
    if (rows == null || mode == null) {
      throw Errors.nullWriteArgument(name, rows == null);
    }
    TableSnapshot snap = ws.tables().snapshot(name);
    FeatureTable meta = meta(snap);
    DeltaTable t = snap.table();
    // One key pass per write: a MERGE's keys are checked for repeats by the upsert's own key index
    // (primitive for an id + timestamp key), which it needs anyway to find the rows it replaces.
    StreamKeys batchKeys = null;
    if (mode == WriteMode.MERGE) {
      checkKeyColumns(meta, rows, 0);
    } else {
      batchKeys = checkRowKeys(meta, rows, null);
    }
    Schema ts = snap.schema();
    for (Field f : ts.fields()) {
      if (rows.hasColumn(f.name()) && rows.column(f.name()).type() != f.type()
          && !(rows.column(f.name()).type() == DataType.INT && f.type() == DataType.LONG)) {
        throw Errors.columnTypeMismatch(f.name(), rows.column(f.name()).type(), f.type(), name);
      }
    }
    if (mode == WriteMode.APPEND) {
      checkNewKeys(meta, snap, batchKeys);
    }
    // Columns the table lacks are added in the same commit as the rows: a failed write changes nothing.
    return ws.lineage().recordWrite(meta.name(), resolveSources(sources), "writes", tags -> {
      WriteOptions o = WriteOptions.defaults().withNewColumns().basedOn(snap);
      for (Map.Entry<String, String> e : tags.entrySet()) {
        o = o.tag(e.getKey(), e.getValue());
      }
      return switch (mode) {
        case MERGE -> t.upsert(rows, meta.rowKeys(), o);
        case OVERWRITE -> t.overwrite(rows, o);
        case APPEND -> t.append(rows, o);
      };
    });
  }

  /** Table sources without a version are pinned to their current version (left as given when absent). */
  private List<Lineage.Node> resolveSources(Lineage.Node... sources) {
    List<Lineage.Node> srcs = new ArrayList<>();
    for (Lineage.Node s : sources) {
      Lineage.Node src = Objects.requireNonNull(s, "source");
      if (s.type().equals("TABLE") && s.version() == null) {
        try {
          src = Lineage.Node.table(s.name(), ws.tables().snapshot(s.name()).version());
        } catch (TableNotFoundException | dev.mlops.core.InvalidNameException e) {
          src = s;
        }
      }
      srcs.add(src);
    }
    return srcs;
  }

  /** Lineage of a streamed write (its commit is already made): edges from each source to the new version. */
  private void recordSources(FeatureTable meta, CommitResult r, Lineage.Node... sources) {
    if (sources.length > 0) {
      List<Lineage.Edge> edges = new ArrayList<>();
      for (Lineage.Node src : resolveSources(sources)) {
        edges.add(Lineage.Edge.of(src, Lineage.Node.table(meta.name(), r.version()), "writes"));
      }
      ws.lineage().record(edges);
    }
  }

  /** Refuses keys of the new rows that the table already has (reads only the table's key columns). */
  private static void checkNewKeys(FeatureTable meta, TableSnapshot t, StreamKeys rowKeys) {
    if (t.version() < 0 || rowKeys.size() == 0) {
      return;
    }
    Frame existing = t.read().columns(meta.rowKeys().toArray(new String[0])).load();
    int hit = rowKeys.firstPresent(existing);
    if (hit >= 0) {
      throw Errors.keyAlreadyInTable(rowKeys.describe(existing, hit), meta.name());
    }
  }

  /**
   * Checks key columns (present, no nulls) and uniqueness, adding the keys to {@code seen} (a new
   * set when null), which is returned; {@code offset} numbers rows in messages.
   */
  private static StreamKeys checkRowKeys(FeatureTable meta, Frame rows, StreamKeys seen) {
    return checkRowKeys(meta, rows, seen, 0);
  }

  private static StreamKeys checkRowKeys(FeatureTable meta, Frame rows, StreamKeys seen, long offset) {
    checkKeyColumns(meta, rows, offset);
    List<String> keys = meta.rowKeys();
    // one pass over the keys, primitive for one or two integral key columns (id + timestamp)
    StreamKeys set = seen != null ? seen : new StreamKeys(keys, keys.stream().map(k -> rows.column(k).type()).toList());
    int dup = set.addAll(rows);
    if (dup >= 0) {
      Map<String, Object> key = new LinkedHashMap<>();
      for (String k : keys) {
        key.put(k, rows.column(k).get(dup));
      }
      throw Errors.duplicateKey(key, meta.name(), (offset + dup));
    }
    return set;
  }

  /** Checks that the rows have every key column of the table, with no nulls (no pass over the keys). */
  private static void checkKeyColumns(FeatureTable meta, Frame rows, long offset) {
    List<String> keys = meta.rowKeys();
    for (String k : keys) {
      if (!rows.hasColumn(k)) {
        throw Errors.missingKeyColumn(meta.name(), k, keys);
      }
      Column c = rows.column(k);
      if (c.hasNulls()) {
        int row = c.firstNull();
        throw Errors.nullKey(k, meta.name(), (offset + row), c.nullCount());
      }
    }
  }

  /**
   * Appends every row of a source (Parquet or CSV files read in batches) to a feature table in one
   * commit, with bounded memory: keys must be new (checked across the source and against the table's
   * key columns) and non-null. The source's columns must be the table's.
   *
   * <pre>{@code
   * fs.appendFrom("main.crm.customer_features", ParquetSource.of(Path.of("exports/2026-12")));
   * }</pre>
   *
   * @throws KeyConstraintException for a null, repeated or existing key; nothing is written
   */
  public CommitResult appendFrom(String name, FrameSource source, Lineage.Node... sources) {
    FeatureTable meta = getTable(name);
    DeltaTable t = ws.tables().get(name);
    CommitResult r = t.appendFrom(checked(meta, Objects.requireNonNull(source, "source"), t));
    recordSources(meta, r, sources);
    return r;
  }

  /** The source with its key columns checked batch by batch (and against the table's keys when given). */
  private static FrameSource checked(FeatureTable meta, FrameSource source, DeltaTable existing) {
    return new FrameSource() {
      @Override
      public Schema schema() {
        return source.schema();
      }

      @Override
      public String describe() {
        return source.describe();
      }

      @Override
      public FrameStream open() {
        FrameStream in = source.open();
        StreamKeys tableKeys = null;
        if (existing != null) {
          Frame k = existing.read().columns(meta.rowKeys().toArray(new String[0])).load();
          tableKeys = new StreamKeys(meta.rowKeys(), meta.rowKeys().stream().map(c -> k.column(c).type()).toList());
          tableKeys.addAll(k);
        }
        StreamKeys inTable = tableKeys;
        // The key check of a batch runs on a helper thread, one batch ahead of the writer (with the
        // source's own reading and decoding): it no longer holds the writer's threads idle.
        return new AheadStream(in, new java.util.function.Consumer<Frame>() {
          private StreamKeys seen;
          private long rows;

          @Override
          public void accept(Frame f) {
            seen = checkRowKeys(meta, f, seen, rows);
            int hit = inTable == null ? -1 : inTable.firstPresent(f);
            if (hit >= 0) {
              throw Errors.streamedKeyAlreadyInTable(inTable.describe(f, hit), (rows + hit), source.describe(),
                  meta.name());
            }
            rows += f.rowCount();
          }
        }, source.describe(), meta.name());
      }
    };
  }

  // ---------------------------------------------------------------- training sets

  /** Starts a training set over the spine (one row per example: keys, timestamps, label). */
  public TrainingSetBuilder trainingSet(Frame spine) {
    return new TrainingSetBuilder(Objects.requireNonNull(spine, "spine"));
  }

  /**
   * Rebuilds a training set from a spec, reading each table at the version the spec recorded (time
   * travel): the same spine gives the identical frame even after the tables changed.
   */
  public TrainingSet trainingSet(Frame spine, FeatureSpec spec) {
    Frame f = Joiner.join(spine, spec, Joiner.offline(ws, false), onDemandRegistry);
    return new TrainingSet(UUID.randomUUID().toString(), spec, f, spine);
  }

  /**
   * Looks up a spec's features for scoring from the latest table versions (point in time when the
   * keys frame has the spec's timestamp lookup columns, else the latest row per key), then computes
   * the on-demand features. Feature columns already in {@code keys} are kept as given.
   */
  public Frame lookupFeatures(FeatureSpec spec, Frame keys) {
    return Joiner.join(keys, scoringSpec(spec, keys), Joiner.offline(ws, true), onDemandRegistry);
  }

  /** Like {@link #lookupFeatures} but from an online store (latest values per key). */
  public Frame lookupOnline(FeatureSpec spec, Frame keys, OnlineStore store) {
    return Joiner.join(keys, scoringSpec(spec, keys), Joiner.online(store), onDemandRegistry);
  }

  /** The spec as scoring uses it: no label, no exclusions. */
  private static FeatureSpec scoringSpec(FeatureSpec spec, Frame keys) {
    for (String k : spec.keyColumns()) {
      boolean isTs = spec.lookups().stream().anyMatch(l -> l.timestampLookupKey().filter(k::equals).isPresent());
      if (!keys.hasColumn(k) && !isTs) {
        throw Errors.scoringNeedsLookupKey(k, spec.tables(), spec.keyColumns(), keys.schema().names());
      }
    }
    return new FeatureSpec(spec.lookups(), spec.onDemand(), Optional.empty(), List.of());
  }

  /**
   * Builds a training set; {@link #build()} validates everything, pins each table's version and joins.
   */
  public final class TrainingSetBuilder {
    private final Frame spine;
    private final List<FeatureLookup> lookups = new ArrayList<>();
    private final List<OnDemandFeature> onDemand = new ArrayList<>();
    private String label = "";
    private final List<String> exclude = new ArrayList<>();

    private TrainingSetBuilder(Frame spine) {
      this.spine = spine;
    }

    /** Adds a feature lookup. */
    public TrainingSetBuilder lookup(FeatureLookup l) {
      lookups.add(Objects.requireNonNull(l, "lookup"));
      return this;
    }

    /**
     * Adds an on-demand feature, computed after the lookups, and registers it in the store's
     * {@link OnDemandRegistry} (so scoring through this store finds it).
     *
     * @throws FeatureStoreException when the registry holds another function under the same name
     */
    public TrainingSetBuilder onDemand(OnDemandFeature f) {
      onDemand.add(onDemandRegistry.register(f));
      return this;
    }

    /** The label column (a spine column). */
    public TrainingSetBuilder label(String column) {
      this.label = Objects.requireNonNull(column, "label");
      return this;
    }

    /** Spine columns to leave out of the result (e.g. ids and timestamps). */
    public TrainingSetBuilder exclude(String... columns) {
      exclude.addAll(Arrays.asList(columns));
      return this;
    }

    /**
     * Validates, pins table versions, joins, and records lineage (each table version feeds the training set).
     *
     * @throws FeatureStoreException naming the table/column/value for every kind of mismatch
     */
    public TrainingSet build() {
      List<FeatureSpec.Lookup> specs = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>(spine.schema().names());
      for (FeatureLookup l : lookups) {
        FeatureSpec.Lookup s = resolve(l, spine);
        List<String> outs = new ArrayList<>(s.outputColumns());
        s.timestampOutput().ifPresent(outs::add);
        for (String out : outs) {
          if (!names.add(out)) {
            throw Errors.outputColumnCollides(out, l.tableName(), spine.hasColumn(out));
          }
        }
        specs.add(s);
      }
      List<FeatureSpec.Function> fns = new ArrayList<>();
      for (OnDemandFeature f : onDemand) {
        for (String in : f.inputs()) {
          if (!names.contains(in)) {
            throw Errors.onDemandFeatureReadsColumn(f.name(), in, names);
          }
        }
        if (!names.add(f.name())) {
          throw Errors.onDemandFeatureCollidesExisting(f.name());
        }
        fns.add(new FeatureSpec.Function(f.name(), f.type(), f.inputs()));
      }
      if (!label.isEmpty() && !spine.hasColumn(label)) {
        throw Errors.labelNotInSpine(label, spine.schema().names());
      }
      for (String e : exclude) {
        if (!spine.hasColumn(e)) {
          throw Errors.excludedNotInSpine(e, spine.schema().names());
        }
        if (e.equals(label)) {
          throw Errors.labelExcluded(label);
        }
      }
      FeatureSpec spec = new FeatureSpec(specs, fns, Optional.of(label).filter(x -> !x.isEmpty()), exclude);
      Frame f = Joiner.join(spine, spec, Joiner.offline(ws, false), onDemandRegistry);
      TrainingSet ts = new TrainingSet(specId(spec), spec, f, spine);
      List<Lineage.Edge> edges = new ArrayList<>();
      for (FeatureSpec.Lookup s : specs) {
        edges.add(new Lineage.Edge(Lineage.Node.table(s.table(), s.tableVersion()),
            new Lineage.Node("TRAINING_SET", ts.id(), null), "feeds", null, String.join(",", s.features())));
      }
      ws.lineage().record(edges);
      return ts;
    }
  }

  /**
   * A training set's id: a digest of its spec (tables at pinned versions, features, label), so
   * building the same set again is the same lineage node and records no new edges.
   */
  private static String specId(FeatureSpec spec) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest(spec.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private FeatureSpec.Lookup resolve(FeatureLookup l, Frame spine) {
    TableSnapshot snap = ws.tables().snapshot(l.tableName());
    FeatureTable meta = meta(snap);
    Schema ts = snap.schema();
    if (l.lookupKeys().size() != meta.primaryKeys().size()) {
      throw Errors.lookupKeyCountMismatch(meta.name(), l.lookupKeys().size(), l.lookupKeys(), meta.primaryKeys().size(),
          meta.primaryKeys());
    }
    for (int i = 0; i < l.lookupKeys().size(); i++) {
      String sk = l.lookupKeys().get(i);
      String pk = meta.primaryKeys().get(i);
      if (!spine.hasColumn(sk)) {
        throw Errors.lookupKeySpineColumn(sk, meta.name(), spine.schema().names());
      }
      if (spine.column(sk).type() != ts.type(pk)) {
        throw Errors.lookupKeyPrimaryKey(sk, spine.column(sk).type(), pk, meta.name(), ts.type(pk));
      }
    }
    String tsKey = meta.timestampKey().orElse("");
    String tsLookup = l.timestampLookupKey().orElse("");
    if (!tsLookup.isEmpty() && tsKey.isEmpty()) {
      throw Errors.tableTimestampKeyTimestampLookupKey(meta.name(), tsLookup);
    }
    if (tsLookup.isEmpty() && !tsKey.isEmpty()) {
      throw Errors.tableTimeSeriesTableTimestamp(meta.name(), tsKey);
    }
    if (!tsLookup.isEmpty()) {
      if (!spine.hasColumn(tsLookup)) {
        throw Errors.timestampLookupKeySpine(tsLookup, spine.schema().names());
      }
      Column c = spine.column(tsLookup);
      if (c.type() != ts.type(tsKey)) {
        throw Errors.timestampLookupKeyTimestamp(tsLookup, c.type(), tsKey, meta.name(), ts.type(tsKey));
      }
      // a null spine time matches no feature row: its features are null (or the default), as in Databricks
    }
    List<String> features = l.features().isEmpty() ? meta.featureNames() : l.features();
    Map<String, DataType> types = new LinkedHashMap<>();
    for (String f : features) {
      if (!meta.featureNames().contains(f)) {
        throw Errors.featureNotInTable(f, meta.name(), meta.featureNames());
      }
      types.put(f, ts.type(f));
    }
    for (String r : l.renames().keySet()) {
      if (!features.contains(r)) {
        throw Errors.renameNamesFeatureTaken(r, meta.name(), features);
      }
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (Map.Entry<String, Object> d : l.defaults().entrySet()) {
      if (!features.contains(d.getKey())) {
        throw Errors.defaultValueNamesFeatureTaken(d.getKey(), meta.name(), features);
      }
      defaults.put(d.getKey(), d.getValue()); // the spec converts it to its type's canonical value, or says why not
    }
    if (l.lookback().isPresent() && tsKey.isEmpty()) {
      throw Errors.lookbackWindowAppliesTimeSeries(meta.name());
    }
    if (l.timestampOutput().isPresent() && tsKey.isEmpty()) {
      throw Errors.includeTimestampAppliesTimeSeriesTables(l.timestampOutput().get(), meta.name());
    }
    return new FeatureSpec.Lookup(meta.name(), meta.version(), meta.primaryKeys(), l.lookupKeys(),
        Optional.of(tsKey).filter(s -> !s.isEmpty()), Optional.of(tsLookup).filter(s -> !s.isEmpty()), features, types,
        l.renames(), defaults, l.lookback(), l.timestampOutput());
  }

  // ---------------------------------------------------------------- online store

  /**
   * Publishes a feature table's latest values (the latest row per primary key) to an online store.
   * The first publish loads everything; later ones load only keys in data files changed since the
   * version the store reflects.
   */
  public PublishResult publish(String name, OnlineStore store) {
    FeatureTable meta = getTable(name);
    DeltaTable t = ws.tables().get(name);
    long latest = t.version();
    OptionalLong have = store.publishedVersion(meta.name());
    if (have.isPresent() && have.getAsLong() == latest) {
      return new PublishResult(meta.name(), latest, latest, 0, 0, false);
    }
    List<String> pk = meta.primaryKeys();
    String tsKey = meta.timestampKey().orElse(null);
    if (have.isEmpty() || have.getAsLong() > latest) {
      Frame all = t.read().version(latest).load();
      Frame rows = tsKey == null ? all : all.take(PointInTime.index(all, pk, tsKey).latestPerKey());
      store.apply(meta.name(), latest, pk, rows, Frame.empty(rows.schema().select(pk)), true);
      return new PublishResult(meta.name(), -1, latest, rows.rowCount(), 0, true);
    }
    TableChanges c = t.changesSince(have.getAsLong());
    Frame dirty = Frame.concat(List.of(c.added().select(pk), c.removed().select(pk)));
    KeyIndex dirtyIdx = KeyIndex.build(dirty, pk);
    Frame current;
    if (tsKey == null) {
      current = c.added(); // primary keys are unique: rows of added files are the current rows of their keys
    } else {
      // the latest row of a dirty key may sit in an untouched file: read the table for the dirty keys
      Frame all = t.read().version(c.toVersion()).load();
      int[] hit = dirtyIdx.find(all, pk);
      Frame rows = all.filter(i -> hit[i] >= 0);
      current = rows.take(PointInTime.index(rows, pk, tsKey).latestPerKey());
    }
    int[] present = KeyIndex.build(current, pk).find(dirty, pk);
    boolean[] gone = new boolean[dirty.rowCount()];
    for (int i = 0; i < gone.length; i++) {
      gone[i] = present[i] < 0;
    }
    Frame deleted = dirty.filter(i -> gone[i]);
    KeyIndex delIdx = KeyIndex.build(deleted, pk);
    store.apply(meta.name(), c.toVersion(), pk, current, deleted, false);
    return new PublishResult(meta.name(), have.getAsLong(), c.toVersion(), current.rowCount(), delIdx.distinct(), false);
  }

  /**
   * Builds a new feature table.
   *
   * <pre>{@code
   * fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of")
   *   .partitionBy("region").description("...").tag("team", "growth")
   *   .featureDescription("spend_30d", "Spend over 30 days").create(schema);
   * }</pre>
   */
  public final class TableCreator {
    private final String name;
    private final List<String> primaryKeys = new ArrayList<>();
    private String timestampKey;
    private final List<String> partitionBy = new ArrayList<>();
    private String description = "";
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, String> featureDescriptions = new LinkedHashMap<>();
    private boolean ifNotExists;

    private TableCreator(String name) {
      this.name = name;
    }

    /** Primary key columns (required). */
    public TableCreator primaryKeys(String... columns) {
      primaryKeys.addAll(Arrays.asList(columns));
      return this;
    }

    /** The timestamp key: makes this a time-series feature table. */
    public TableCreator timestampKey(String column) {
      this.timestampKey = Objects.requireNonNull(column, "timestampKey");
      return this;
    }

    /** Partition columns. */
    public TableCreator partitionBy(String... columns) {
      partitionBy.addAll(Arrays.asList(columns));
      return this;
    }

    /** Table description. */
    public TableCreator description(String text) {
      this.description = Objects.requireNonNull(text, "description");
      return this;
    }

    /** A tag. */
    public TableCreator tag(String key, String value) {
      checkTagKey(key, name);
      tags.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A feature column's description (stored as the column's comment). */
    public TableCreator featureDescription(String column, String text) {
      featureDescriptions.put(column, Objects.requireNonNull(text, "text"));
      return this;
    }

    /** Reuse the table if it exists. */
    public TableCreator ifNotExists() {
      this.ifNotExists = true;
      return this;
    }

    /**
     * Creates the (empty) table.
     *
     * @throws FeatureStoreException when no primary key is given or a key column is missing or unsuitable
     */
    public FeatureTable create(Schema schema) {
      if (primaryKeys.isEmpty()) {
        throw Errors.noPrimaryKey(name);
      }
      List<String> keys = new ArrayList<>(primaryKeys);
      if (timestampKey != null) {
        if (!schema.contains(timestampKey)) {
          throw Errors.timestampKeyNotAColumn(timestampKey, name, schema.names());
        }
        DataType tt = schema.type(timestampKey);
        if (tt != DataType.TIMESTAMP && tt != DataType.DATE) {
          throw Errors.badTimestampKeyType(timestampKey, name, tt);
        }
        keys.add(timestampKey);
      }
      for (String k : primaryKeys) {
        if (!schema.contains(k)) {
          throw Errors.primaryKeyNotAColumn(k, name, schema.names());
        }
        if (!dev.mlops.core.internal.KeyIndex.canBeKey(schema.type(k))) {
          throw Errors.primaryKeyCannotBeKey(k, name, schema.columnType(k), dev.mlops.core.internal.KeyIndex.KEY_KINDS);
        }
      }
      for (String c : featureDescriptions.keySet()) {
        if (!schema.contains(c)) {
          throw Errors.describedColumnMissing(c, name, schema.names());
        }
      }
      List<Field> fields = new ArrayList<>();
      for (Field f : schema.fields()) {
        Field g = keys.contains(f.name()) ? f.withNullable(false) : f;
        if (featureDescriptions.containsKey(f.name())) {
          g = g.withComment(featureDescriptions.get(f.name()));
        }
        fields.add(g);
      }
      Map<String, String> props = new LinkedHashMap<>();
      props.put(PRIMARY_KEYS, String.join(",", primaryKeys));
      if (timestampKey != null) {
        props.put(TIMESTAMP_KEY, timestampKey);
      }
      tags.forEach((k, v) -> props.put(TAG_PREFIX + k, v));
      var c = ws.tables().create(name).schema(new Schema(fields)).partitionBy(partitionBy.toArray(new String[0]))
          .properties(props).description(description);
      if (ifNotExists) {
        c.ifNotExists();
      }
      c.create();
      return getTable(name);
    }

    /**
     * Creates the table with the source's schema and imports every row in one commit, with bounded
     * memory (Parquet or CSV files read in batches). Keys are checked on the way: a null key or a key
     * that repeats anywhere in the source fails the import, and the table is dropped again, so nothing
     * is left half-made.
     *
     * <pre>{@code
     * fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of")
     *   .createFrom(ParquetSource.of(Path.of("exports/customer_features.parquet")));
     * }</pre>
     *
     * @throws KeyConstraintException for a null or repeated key (naming it and its row)
     */
    public FeatureTable createFrom(FrameSource source, Lineage.Node... sources) {
      Objects.requireNonNull(source, "source");
      boolean existed = ws.tables().exists(name);
      FeatureTable meta = create(source.schema());
      DeltaTable t = ws.tables().get(name);
      try {
        CommitResult r = t.appendFrom(checked(meta, source, !existed || t.version() == 0 ? null : t));
        recordSources(meta, r, sources);
      } catch (RuntimeException e) {
        if (!existed) {
          try {
            ws.tables().drop(name);
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      return getTable(name);
    }

    /** Creates the table with the frame's schema and merges the frame's rows into it. */
    public FeatureTable create(Frame first, Lineage.Node... sources) {
      create(first.schema());
      if (first.rowCount() > 0) {
        write(name, first, WriteMode.MERGE, sources);
      }
      return getTable(name);
    }
  }
}
