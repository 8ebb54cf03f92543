package dev.mlops.core;

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
 * // Object store (tables only; the registry and tracking need a local or mounted directory):
 * Workspace s3 = Workspace.open(URI.create("s3a://bucket/lakehouse"),
 *     Map.of("fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"));
 * }</pre>
 *
 * <p>Layout under the root: {@code tables/<catalog>/<schema>/<name>/} holds each Delta table;
 * other modules keep their files under their own top-level folder (see {@link #localDir(String)}).
 * A workspace is thread-safe and meant to be opened once per process and shared.
 */
public final class Workspace implements AutoCloseable {
  private final URI root;
  private final Path localRoot; // null for non-local roots
  private final DeltaStore store;
  private final Tables tables;
  private final Lineage lineage;

  private Workspace(URI root, Path localRoot, Map<String, String> conf) {
    this.root = root;
    this.localRoot = localRoot;
    this.store = new DeltaStore(root, localRoot, conf);
    this.tables = new Tables(this, store);
    this.lineage = new Lineage(tables, localRoot == null ? null : localRoot.resolve(".mlops").resolve("lineage-outbox"));
  }

  /**
   * Opens (creating if needed) a workspace in a local directory.
   *
   * @throws StorageException when the directory cannot be created
   */
  public static Workspace open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new StorageException("Cannot create the workspace directory " + abs
          + ": check that the parent exists and is writable.", e);
    }
    return new Workspace(abs.toUri(), abs, Map.of());
  }

  /**
   * Opens a workspace at a URI. {@code file:} URIs are local directories; other schemes go through
   * Hadoop's FileSystem with the given configuration (for example {@code fs.s3a.*} keys), which needs
   * the matching Hadoop connector (hadoop-aws, hadoop-azure) on the classpath.
   */
  public static Workspace open(URI uri, Map<String, String> hadoopConf) {
    Objects.requireNonNull(uri, "uri");
    if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
      return open(uri.getScheme() == null ? Path.of(uri.getPath()) : Path.of(uri));
    }
    String s = uri.toString();
    URI normalized = URI.create(s.endsWith("/") ? s : s + "/");
    return new Workspace(normalized, null, Map.copyOf(hadoopConf));
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
   * A top-level directory of a local workspace for a module's files (e.g. "registry", "experiments"),
   * created if needed.
   *
   * @throws UnsupportedOperationException (as an {@link MlopsException}) when the root is not local
   */
  public Path localDir(String name) {
    if (localRoot == null) {
      throw new MlopsException("'" + name + "' needs a workspace on a local or mounted directory, but this "
          + "workspace is at " + root + ". Open a local workspace for the registry and tracking; keep "
          + "tables on the object store by opening it as a second workspace.");
    }
    TableName.checkPart(name, "directory");
    Path p = localRoot.resolve(name);
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new StorageException("Cannot create " + p, e);
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
      throw new StorageException("Cannot list " + dir, e);
    }
  }
}
