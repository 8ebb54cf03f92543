package dev.mlops.core.internal.delta;

import dev.mlops.core.StorageException;
import dev.mlops.core.TableName;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.engine.Engine;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * A workspace's Delta engine, table locations and writer locks. One per {@link dev.mlops.core.Workspace}.
 */
public final class DeltaStore {
  /** Parquet codec for data files unless the workspace configuration says otherwise. */
  public static final String DEFAULT_CODEC = "ZSTD";

  private final URI root;
  private final Path localRoot;
  private final Engine engine;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, io.delta.kernel.Snapshot> committed = new ConcurrentHashMap<>();

  /**
   * @param root workspace root URI (ending in '/')
   * @param localRoot the root as a local path, or null for Hadoop filesystems
   * @param conf Hadoop / Parquet configuration; {@code parquet.compression} defaults to ZSTD
   */
  public DeltaStore(URI root, Path localRoot, Map<String, String> conf) {
    this.root = root;
    this.localRoot = localRoot;
    Map<String, String> c = new HashMap<>(conf);
    c.putIfAbsent("parquet.compression", DEFAULT_CODEC);
    // Kernel's default of 1,024 rows per batch costs a frame per thousand rows on read.
    c.putIfAbsent("delta.kernel.default.parquet.reader.batch-size", "65536");
    FileIO io;
    if (localRoot != null) {
      io = new LocalFileIO(c);
    } else {
      Configuration hc = new Configuration();
      c.forEach(hc::set);
      io = new HadoopFileIO(hc);
    }
    Engine base = DefaultEngine.create(io);
    // local data files are read column by column (ColumnarParquet), the rest by Kernel's reader
    this.engine = localRoot != null ? new SdkEngine(base) : base;
  }

  /** The Kernel engine. */
  public Engine engine() {
    return engine;
  }

  /** The workspace root. */
  public URI root() {
    return root;
  }

  /** True when the workspace is on local disk. */
  public boolean isLocal() {
    return localRoot != null;
  }

  /** Local directory holding the catalogs' tables, or null. */
  public Path localTablesDir() {
    return localRoot == null ? null : localRoot.resolve("tables");
  }

  /** Location string Kernel uses for a named table. */
  public String location(TableName name) {
    if (localRoot != null) {
      return LocalFileIO.toUriString(localTablesDir().resolve(name.catalog()).resolve(name.schema())
          .resolve(name.name()));
    }
    return root.toString() + "tables/" + name.catalog() + "/" + name.schema() + "/" + name.name();
  }

  /** Location string for a user-given path or URI of an external table. */
  public String externalLocation(String pathOrUri) {
    if (pathOrUri.contains("://") || pathOrUri.startsWith("file:")) {
      return pathOrUri.startsWith("file:") ? LocalFileIO.toUriString(LocalFileIO.toPath(pathOrUri)) : pathOrUri;
    }
    return LocalFileIO.toUriString(Path.of(pathOrUri));
  }

  /** The local path of a location, when it is local. */
  public static Path localPath(String location) {
    return location.startsWith("file:") ? LocalFileIO.toPath(location) : null;
  }

  /**
   * Runs a write holding this JVM's lock on the table and, on local disk, an OS file lock that
   * serialises writers in other processes. Correctness never depends on the lock (commits are
   * optimistic and re-planned on conflict); the lock keeps SDK writers from wasting work on conflicts.
   */
  public <T> T withWriteLock(String location, Supplier<T> body) {
    ReentrantLock lock = locks.computeIfAbsent(location, k -> new ReentrantLock());
    lock.lock();
    try {
      Path dir = localPath(location);
      if (dir == null) {
        return body.get();
      }
      // Outside the table (a refused write to another engine's table must not add files to it, and the
      // table may be read-only): one lock file per table location under the system temp directory.
      Path lockFile = LOCK_DIR.resolve(lockName(dir));
      try {
        Files.createDirectories(lockFile.getParent());
      } catch (IOException e) {
        throw new StorageException("Cannot create " + lockFile.getParent(), e);
      }
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        return body.get();
      } catch (IOException e) {
        throw new StorageException("Cannot lock " + lockFile + " for writing", e);
      }
    } finally {
      lock.unlock();
    }
  }

  private static final Path LOCK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "mlops-table-locks");

  private static String lockName(Path tableDir) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest(tableDir.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 16) + ".lock";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The snapshot this workspace's last commit to a table produced, if any. Only a write's first
   * attempt may start from it: a write planned on it that lost a race to another process fails its
   * commit (or is rebased by Kernel for blind appends) and is re-planned on a freshly loaded snapshot.
   * Reads always load the latest snapshot.
   */
  java.util.Optional<io.delta.kernel.Snapshot> lastCommitted(String location) {
    return java.util.Optional.ofNullable(committed.get(location));
  }

  void rememberCommitted(String location, io.delta.kernel.Snapshot s) {
    committed.put(location, s);
  }

  /** Forgets what was remembered about a table (dropped, or a write failed). */
  public void forget(String location) {
    committed.remove(location);
  }

  /** Nothing to release today; kept so the workspace can own pooled resources later. */
  public void close() {}
}
