package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.delta.DeltaStore;
import dev.mlops.core.internal.delta.TableOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Delta tables of a workspace, by three-level name ({@code catalog.schema.name}), plus external
 * tables by path. Get it from {@link Workspace#tables()}.
 *
 * <pre>{@code
 * Tables tables = ws.tables();
 * DeltaTable t = tables.create("main.crm.customers")
 *     .schema(Schema.of(Field.of("id", DataType.LONG), Field.of("city", DataType.STRING)))
 *     .partitionBy("city")
 *     .description("One row per customer")
 *     .create();
 * tables.get("main.crm.customers").read().load();
 * tables.list("main", "crm");                       // [main.crm.customers]
 * DeltaTable spark = tables.atPath("/data/events");  // a table another engine wrote
 * }</pre>
 */
public final class Tables {
  private final Workspace ws;
  private final DeltaStore store;

  Tables(Workspace ws, DeltaStore store) {
    this.ws = ws;
    this.store = store;
  }

  /** Starts creating a table; finish with {@link Creator#create()}. */
  public Creator create(String name) {
    return new Creator(TableName.parse(name));
  }

  /**
   * The table with this name.
   *
   * @throws TableNotFoundException when it does not exist
   */
  public DeltaTable get(String name) {
    DeltaTable t = handle(TableName.parse(name));
    t.ops().checkExists(); // throws TableNotFoundException with the fix; on local disk without a log load
    return t;
  }

  /**
   * The latest snapshot of the table with this name: one log load gives its version, schema,
   * properties and a read of exactly that version.
   *
   * <pre>{@code
   * TableSnapshot s = ws.tables().snapshot("main.crm.customers");
   * Frame rows = s.read().load();
   * }</pre>
   *
   * @throws TableNotFoundException when it does not exist
   */
  public TableSnapshot snapshot(String name) {
    DeltaTable t = handle(TableName.parse(name));
    return t.snapshot();
  }

  /** The table with this name, if it exists. */
  public Optional<DeltaTable> find(String name) {
    DeltaTable t = handle(TableName.parse(name));
    return t.ops().exists() ? Optional.of(t) : Optional.empty();
  }

  /** True when a table of this name exists. */
  public boolean exists(String name) {
    return find(name).isPresent();
  }

  /**
   * A Delta table at a path or URI outside the workspace's catalogs, e.g. one written by Spark.
   *
   * @throws TableNotFoundException when no Delta table is there
   */
  public DeltaTable atPath(String pathOrUri) {
    String loc = store.externalLocation(Objects.requireNonNull(pathOrUri, "pathOrUri"));
    DeltaTable t = new DeltaTable(null, new TableOps(store, loc, pathOrUri));
    t.ops().version();
    return t;
  }

  private DeltaTable handle(TableName n) {
    return new DeltaTable(n, new TableOps(store, store.location(n), n.toString()));
  }

  /** Tables of one schema, sorted by name. */
  public List<TableName> list(String catalog, String schema) {
    String c = TableName.checkPart(catalog, "catalog");
    String s = TableName.checkPart(schema, "schema");
    List<TableName> out = new ArrayList<>();
    for (String n : listDirs(List.of(c, s))) {
      TableName tn = new TableName(c, s, n);
      if (store.isLocal() ? Files.isDirectory(localTableDir(tn).resolve("_delta_log"))
          : dev.mlops.core.internal.FileStores.of(ws).isDirectory("tables/" + c + "/" + s + "/" + n + "/_delta_log")) {
        out.add(tn);
      }
    }
    return out;
  }

  /** Every table of the workspace, sorted. */
  public List<TableName> list() {
    List<TableName> out = new ArrayList<>();
    for (String c : listDirs(List.of())) {
      for (String s : listDirs(List.of(c))) {
        out.addAll(list(c, s));
      }
    }
    return out;
  }

  /**
   * Deletes a table and its files. Other processes reading it at that moment fail; there is no undo.
   *
   * @return true when a table was dropped, false when none existed
   */
  public boolean drop(String name) {
    TableName n = TableName.parse(name);
    if (!store.isLocal()) {
      throw Errors.droppingTablesSupportedLocal(store.location(n));
    }
    Path dir = localTableDir(n);
    if (!Files.isDirectory(dir.resolve("_delta_log"))) {
      return false;
    }
    store.forget(store.location(n));
    dev.mlops.core.internal.FileTrees.delete(dir);
    store.deleteLock(store.location(n));
    return true;
  }

  private Path localTableDir(TableName n) {
    return store.localTablesDir().resolve(n.catalog()).resolve(n.schema()).resolve(n.name());
  }

  List<String> listDirs(List<String> parts) {
    if (!store.isLocal()) {
      dev.mlops.core.internal.FileStore files = dev.mlops.core.internal.FileStores.of(ws);
      String rel = dev.mlops.core.internal.FileStore.join("tables", String.join("/", parts));
      List<String> out = new ArrayList<>();
      for (String n : files.list(rel)) {
        if (!n.startsWith("_") && files.isDirectory(rel + "/" + n)) {
          out.add(n);
        }
      }
      return out;
    }
    Path p = store.localTablesDir();
    for (String part : parts) {
      p = p.resolve(part);
    }
    return Workspace.sortedDirs(p);
  }

  /**
   * Builds a new table; {@link #create()} commits version 0.
   *
   * <pre>{@code
   * ws.tables().create("main.ml.scores")
   *     .schema(schema).partitionBy("day").property("delta.checkpointInterval", "20")
   *     .description("Daily scores").ifNotExists().create();
   * }</pre>
   */
  public final class Creator {
    private final TableName name;
    private Schema schema;
    private final List<String> partitionBy = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String description = "";
    private boolean ifNotExists;

    private Creator(TableName name) {
      this.name = name;
    }

    /** The columns (required unless {@link #create(Frame)} is used). */
    public Creator schema(Schema s) {
      this.schema = Objects.requireNonNull(s, "schema");
      return this;
    }

    /** Partition columns (low-cardinality columns such as a date). */
    public Creator partitionBy(String... columns) {
      partitionBy.addAll(List.of(columns));
      return this;
    }

    /** A Delta table property, e.g. {@code delta.checkpointInterval}. */
    public Creator property(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Several table properties. */
    public Creator properties(Map<String, String> props) {
      props.forEach(this::property);
      return this;
    }

    /**
     * Free-text description, stored as the table's {@code comment} property (Kernel 4.4 cannot set
     * the Delta metadata {@code description}; see {@link TableSnapshot#description()}).
     */
    public Creator description(String text) {
      this.description = Objects.requireNonNull(text, "description");
      return this;
    }

    /** Return the existing table instead of failing when it already exists. */
    public Creator ifNotExists() {
      this.ifNotExists = true;
      return this;
    }

    /**
     * Creates the table (version 0, no rows).
     *
     * @throws TableAlreadyExistsException when it exists and {@link #ifNotExists()} was not called
     */
    public DeltaTable create() {
      if (schema == null) {
        throw Errors.tableNeedsSchemaSchema(name);
      }
      DeltaTable t = handle(name);
      t.ops().create(schema, partitionBy, properties, description, ifNotExists);
      return t;
    }

    /**
     * Creates the table with the source's schema (unless {@link #schema} was given) and appends all its
     * rows as version 1 in one commit, reading the source in batches (bounded memory). When the import
     * fails, the table this call created is dropped again, so nothing is left half-made.
     *
     * <pre>{@code
     * DeltaTable t = ws.tables().create("main.raw.features")
     *     .createFrom(ParquetSource.of(Path.of("exports/features.parquet")));
     * }</pre>
     *
     * @throws TableAlreadyExistsException when it exists and {@link #ifNotExists()} was not called
     */
    public DeltaTable createFrom(FrameSource source) {
      Objects.requireNonNull(source, "source");
      boolean existed = exists(name.toString());
      if (schema == null) {
        schema = source.schema();
      }
      DeltaTable t = create();
      try {
        t.appendFrom(source);
      } catch (RuntimeException e) {
        if (!existed) {
          try {
            drop(name.toString());
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
      return t;
    }

    /** Creates the table with the frame's schema and appends the frame's rows as version 1. */
    public DeltaTable create(Frame first) {
      if (schema == null) {
        schema = first.schema();
      }
      DeltaTable t = create();
      if (first.rowCount() > 0) {
        t.append(first);
      }
      return t;
    }
  }
}
