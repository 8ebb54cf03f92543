package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.delta.DeltaStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The root everything lives under: Delta tables, the model registry, experiments, lineage. A
 * directory on local disk by default; a Hadoop filesystem URI ({@code s3a://}, {@code abfss://},
 * {@code hdfs://}) with its configuration for tables that outgrow one machine.
 *
 * <pre>{@code
 * try (Workspace ws = Workspace.open(Path.of("lakehouse"))) {
 *   DeltaTable t = ws.tables().create("main.crm.customers")
 *       .schema(Schema.of(Field.of("id", DataType.LONG), Field.of("city", DataType.STRING)))
 *       .create();
 *   t.upsert(frame, "id");
 *   ws.tables().list("main", "crm");
 * }
 *
 * // HDFS: tables, tracking, the registry, deployment jobs, monitors, alerts and vacuum (atomic renames
 * // on the NameNode keep several processes safe); needs hadoop-common and hadoop-hdfs-client:
 * Workspace hdfs = Workspace.open(URI.create("hdfs://namenode:8020/lakehouse"), Map.of());
 *
 * // Object store (tables; tracking and the registry refuse writes the store cannot make atomic):
 * Workspace s3 = Workspace.open(URI.create("s3a://bucket/lakehouse"),
 *     Map.of("fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"));
 * }</pre>
 *
 * <p>Layout under the root: {@code tables/<catalog>/<schema>/<name>/} holds each Delta table;
 * other modules keep their files under their own top-level folder ({@code registry/},
 * {@code experiments/}, {@code monitors/}, ...), on local disk or on the workspace's Hadoop filesystem.
 * A workspace is thread-safe and meant to be opened once per process and shared.
 */
public final class Workspace implements AutoCloseable {
  private final URI root;
  private final Path localRoot; // null for non-local roots
  private final DeltaStore store;
  private final Tables tables;
  private final Lineage lineage;

  private Workspace(URI root, Path localRoot, Map<String, String> conf, java.util.concurrent.Executor executor,
      java.time.Duration lockWait) {
    this.root = root;
    this.localRoot = localRoot;
    this.store = new DeltaStore(root, localRoot, conf, executor, lockWait);
    FileStores.register(this, FileStores.create(root, localRoot, conf));
    this.tables = new Tables(this, store);
    this.lineage = new Lineage(tables, localRoot == null ? null : localRoot.resolve(".mlops").resolve("lineage-outbox"));
  }

  /**
   * Opens (creating if needed) a workspace in a local directory.
   *
   * @throws StorageException when the directory cannot be created
   */
  public static Workspace open(Path dir) {
    return builder(dir).open();
  }

  /**
   * Options for a workspace in a local directory; finish with {@link Builder#open()}.
   *
   * <pre>{@code
   * ExecutorService io = Executors.newFixedThreadPool(4);
   * Workspace ws = Workspace.builder(Path.of("lakehouse"))
   *     .executor(io)                            // parallel Parquet reads/writes run here
   *     .writerLockWait(Duration.ofSeconds(5))   // then write optimistically without the lock
   *     .open();
   * }</pre>
   */
  public static Builder builder(Path dir) {
    if (dir == null) {
      throw Errors.workspaceNullDirectory();
    }
    return new Builder(dir, null);
  }

  /** Options for a workspace at a URI (see {@link #open(URI, Map)}); finish with {@link Builder#open()}. */
  public static Builder builder(URI uri) {
    if (uri == null) {
      throw Errors.workspaceNullUri();
    }
    return new Builder(null, uri);
  }

  /**
   * How a workspace is opened. Everything the SDK runs in the background goes through what is given
   * here; what stays JVM-wide, and why:
   * <ul>
   *   <li>the per-table writer lock registry: a JVM can hold an OS file lock only once, so all
   *       workspaces of one JVM on the same directory share it (the lock files themselves live in
   *       {@code <root>/.mlops/locks});
   *   <li>a per-thread count of Delta log loads, read by tests only;
   *   <li>Delta Kernel's and Hadoop's own static state (file system cache, codecs), which the SDK does
   *       not configure.
   * </ul>
   */
  public static final class Builder {
    private final Path dir;
    private final URI uri;
    private Map<String, String> hadoopConf = Map.of();
    private java.util.concurrent.Executor executor;
    private java.time.Duration lockWait = DeltaStore.DEFAULT_LOCK_WAIT;

    private Builder(Path dir, URI uri) {
      this.dir = dir;
      this.uri = uri;
    }

    /**
     * Runs the parallel parts of reads and writes (one task per data file or slice) on this executor
     * instead of the workspace's own pool of daemon threads. The caller's thread takes part, so a
     * small or busy executor slows work down but never blocks it. The workspace does not shut it down.
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      if (executor == null) {
        throw Errors.workspaceNullExecutor();
      }
      this.executor = executor;
      return this;
    }

    /**
     * How long a writer waits for another writer of the same table (default 10 s) before writing
     * without the lock. The lock only saves wasted work; commits stay safe without it.
     */
    public Builder writerLockWait(java.time.Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw Errors.workspaceBadLockWait(wait);
      }
      this.lockWait = wait;
      return this;
    }

    /** Hadoop / Parquet configuration (object store credentials, {@code parquet.compression}, ...). */
    public Builder hadoopConf(Map<String, String> conf) {
      this.hadoopConf = Map.copyOf(Objects.requireNonNull(conf, "conf"));
      return this;
    }

    /**
     * Opens (creating a local directory if needed) the workspace.
     *
     * @throws StorageException when the local directory cannot be created
     */
    public Workspace open() {
      if (dir != null || uri.getScheme() == null || "file".equals(uri.getScheme())) {
        Path d = dir != null ? dir : uri.getScheme() == null ? Path.of(uri.getPath()) : Path.of(uri);
        Path abs = d.toAbsolutePath().normalize();
        try {
          Files.createDirectories(abs);
        } catch (IOException e) {
          throw Errors.cannotCreateWorkspaceDirectory(abs, e);
        }
        return new Workspace(abs.toUri(), abs, hadoopConf, executor, lockWait);
      }
      String s = uri.toString();
      URI normalized = URI.create(s.endsWith("/") ? s : s + "/");
      return new Workspace(normalized, null, hadoopConf, executor, lockWait);
    }
  }

  /**
   * Opens a workspace at a URI. {@code file:} URIs are local directories; other schemes go through
   * Hadoop's FileSystem with the given configuration (for example {@code fs.s3a.*} keys), which needs
   * the matching Hadoop connector (hadoop-aws, hadoop-azure) on the classpath.
   */
  public static Workspace open(URI uri, Map<String, String> hadoopConf) {
    return builder(uri).hadoopConf(hadoopConf).open();
  }

  /** The root as a URI (ends with '/'). */
  public URI root() {
    return root;
  }

  /** The root directory, when the workspace is on local disk. */
  public Optional<Path> localRoot() {
    return Optional.ofNullable(localRoot);
  }

  /**
   * A top-level directory of a local workspace for files of your own, created if needed. The SDK's
   * modules (tracking, the registry, deployment jobs, monitors, alerts) no longer need it: they work on
   * any workspace root.
   *
   * @throws MlopsException when the root is not local
   */
  public Path localDir(String name) {
    if (localRoot == null) {
      throw Errors.needsLocalWorkspace(name, root);
    }
    TableName.checkPart(name, "directory");
    Path p = localRoot.resolve(name);
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw Errors.cannotCreateWorkspaceFolder(p, e);
    }
    return p;
  }

  /** The Delta tables of this workspace. */
  public Tables tables() {
    return tables;
  }

  /** The workspace's lineage graph (table {@code system.lineage.edges}). */
  public Lineage lineage() {
    return lineage;
  }

  /** Catalog names that hold at least one schema directory, sorted. */
  public List<String> catalogs() {
    return tables.listDirs(List.of());
  }

  /** Schema names of a catalog, sorted. */
  public List<String> schemas(String catalog) {
    return tables.listDirs(List.of(TableName.checkPart(catalog, "catalog")));
  }

  /** Releases the workspace. Tables already written stay as they are. */
  @Override
  public void close() {
    store.close();
    FileStores.release(this);
  }

  @Override
  public String toString() {
    return "Workspace[" + root + "]";
  }

  static List<String> sortedDirs(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> out = new ArrayList<>();
      s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_") && !n.startsWith(".")).sorted().forEach(out::add);
      return out;
    } catch (IOException e) {
      throw Errors.cannotListWorkspaceFolder(dir, e);
    }
  }
}
