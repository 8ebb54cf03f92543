package dev.mlops.core.internal.delta;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.StorageException;
import dev.mlops.core.TableName;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
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

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeltaStore.class);
  /** How long a writer waits for another writer's table lock by default before going ahead optimistically. */
  public static final java.time.Duration DEFAULT_LOCK_WAIT = java.time.Duration.ofSeconds(10);
  /** Threads of the workspace's own I/O pool (when the host gives no executor). */
  static final int THREADS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

  /**
   * JVM-wide: one lock per lock file. A JVM can hold an OS file lock on a file only once (a second
   * FileChannel.lock throws OverlappingFileLockException), so every Workspace object of this JVM on
   * the same directory must take turns through the same in-JVM lock before taking the OS lock.
   */
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final URI root;
  private final Path localRoot;
  private final Engine engine;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, io.delta.kernel.Snapshot> committed = new ConcurrentHashMap<>();
  private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
  private final java.time.Duration lockWait;
  private final java.util.concurrent.Executor givenExecutor;
  private volatile java.util.concurrent.ExecutorService ownPool;
  private final Path lockDir;
  private final Map<String, String> conf;
  /** The file I/O of a remote workspace (null on local disk): gives up S3 writer leases on close. */
  private final RemoteFileIO remoteIo;

  /**
   * @param root workspace root URI (ending in '/')
   * @param localRoot the root as a local path, or null for Hadoop filesystems
   * @param conf Hadoop / Parquet configuration; {@code parquet.compression} defaults to ZSTD
   */
  public DeltaStore(URI root, Path localRoot, Map<String, String> conf) {
    this(root, localRoot, conf, null, DEFAULT_LOCK_WAIT);
  }

  /**
   * @param root workspace root URI (ending in '/')
   * @param localRoot the root as a local path, or null for Hadoop filesystems
   * @param conf Hadoop / Parquet configuration; {@code parquet.compression} defaults to ZSTD
   * @param executor runs parallel file reads and writes, or null for a pool of the workspace's own
   * @param lockWait how long a writer waits for a table's writer lock before going ahead without it
   */
  public DeltaStore(URI root, Path localRoot, Map<String, String> conf, java.util.concurrent.Executor executor,
      java.time.Duration lockWait) {
    this.root = root;
    this.localRoot = localRoot;
    this.givenExecutor = executor;
    this.lockWait = lockWait;
    Path ld = null;
    if (localRoot != null) {
      Path real = localRoot;
      try {
        real = localRoot.toRealPath();
      } catch (IOException e) {
        // not created yet: the normalized path names it
      }
      ld = real.resolve(".mlops").resolve("locks");
    }
    this.lockDir = ld;
    Map<String, String> c = new HashMap<>(conf);
    c.putIfAbsent("parquet.compression", DEFAULT_CODEC);
    // Kernel's default of 1,024 rows per batch costs a frame per thousand rows on read.
    c.putIfAbsent("delta.kernel.default.parquet.reader.batch-size", "65536");
    this.conf = Map.copyOf(c);
    FileIO io;
    RemoteFileIO remote = null;
    if (localRoot != null) {
      io = new LocalFileIO(c);
    } else {
      StorageConnectors.require(root, c);
      Configuration hc = new Configuration();
      c.forEach(hc::set);
      // Kernel's Hadoop I/O, with typed errors naming the workspace (credentials removed) and, on
      // s3a, commits that claim their version with a conditional write (see RemoteFileIO, S3Commits)
      remote = new RemoteFileIO(root, hc, c);
      io = remote;
    }
    this.remoteIo = remote;
    Engine base = DefaultEngine.create(io);
    // local data files are read column by column (ColumnarParquet), the rest by Kernel's reader;
    // written files get their statistics from FooterStats (local and remote alike)
    this.engine = new SdkEngine(base, io);
  }

  /** The Kernel engine. */
  public Engine engine() {
    return engine;
  }

  /**
   * The files of a table (or any directory) at a location: local disk through java.nio, anything
   * else through Hadoop's FileSystem with the workspace's settings.
   */
  public dev.mlops.core.internal.FileStore filesAt(String location) {
    Path local = localPath(location);
    if (local != null) {
      return new dev.mlops.core.internal.LocalFileStore(local);
    }
    return dev.mlops.core.internal.HadoopFileStore.create(URI.create(location), conf);
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
   * Runs a write holding the table's writer lock: a JVM-wide lock, then (on local disk) an OS file
   * lock under {@code <workspace>/.mlops/locks} that makes writers in other processes take turns.
   * Correctness never depends on the lock (commits are optimistic and re-planned on conflict); it
   * only keeps SDK writers from wasting work on conflicts. So the wait is bounded: a writer stopped
   * while holding it (SIGSTOP, a debugger) delays others by at most the lock wait, after which they
   * go ahead optimistically, logged once per write at WARN.
   */
  public <T> T withWriteLock(String location, Supplier<T> body) {
    Path dir = localPath(location);
    Path lockFile = dir == null || lockDir == null ? null : lockDir.resolve(lockName(dir));
    ReentrantLock lock = lockFile != null ? JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock())
        : locks.computeIfAbsent(location, k -> new ReentrantLock());
    long deadline = System.nanoTime() + lockWait.toNanos();
    boolean held;
    try {
      held = lock.tryLock(lockWait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interruptedWaitingToWrite(location, e);
    }
    if (!held) {
      LOG.warn("Waited {} for another writer of {} in this process; writing without the lock (commits stay"
          + " safe: a conflict is re-planned).", lockWait, location);
      return body.get();
    }
    try {
      if (lockFile == null || lock.getHoldCount() > 1) {
        return body.get();
      }
      FileChannel ch;
      try {
        Files.createDirectories(lockDir);
        ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (java.nio.channels.ClosedByInterruptException e) {
        throw interrupted(location, e);
      } catch (IOException e) {
        LOG.debug("Cannot open lock file {} ({}); writing without the cross-process lock", lockFile, e.toString());
        return body.get();
      }
      FileLock fl;
      try {
        fl = acquire(ch, deadline);
      } catch (java.io.InterruptedIOException | java.nio.channels.ClosedByInterruptException e) {
        closeQuietly(ch);
        throw interrupted(location, e);
      } catch (IOException e) {
        closeQuietly(ch);
        throw Errors.cannotUseLockFile(lockFile, location, e);
      }
      if (fl == null) {
        LOG.warn("Waited {} for the writer lock of {} ({}), which another process holds (stopped or slow);"
            + " writing without it (commits stay safe: a conflict is re-planned).", lockWait, location, lockFile);
      }
      try {
        return body.get();
      } finally {
        // Closing the channel releases the OS lock. A failure to close (the thread was interrupted
        // during the write, say) must not turn a committed write into an error: the OS releases the
        // lock with the file descriptor at the latest.
        closeQuietly(ch);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("Cannot close a table lock file: {}", e.toString());
    }
  }

  private static dev.mlops.core.MlopsException interrupted(String location, IOException cause) {
    Thread.currentThread().interrupt();
    return new dev.mlops.core.MlopsException("Interrupted while waiting for the writer lock of " + location
        + " (held by another writer). Nothing was written.", cause);
  }

  /**
   * Polls for the OS lock until the deadline; null when another process still holds it.
   *
   * <p>Why polling: {@link FileChannel#lock()} blocks with no timeout (a stopped holder would block
   * us forever) and there is no timed variant, while {@link FileChannel#tryLock()} never blocks. The
   * poll backs off from 1 ms to 50 ms, so a lock freed by a quick writer is taken within a few ms and
   * a long wait costs at most 20 wake-ups a second. It is bounded by the deadline (the workspace's
   * lock wait) and interruptible: an interrupt ends the wait with {@link java.io.InterruptedIOException}
   * and the interrupt flag set. Writers of this JVM never get here while another holds the lock: they
   * wait on the JVM-wide {@link ReentrantLock} first, a proper (timed, interruptible) wait.
   */
  private static FileLock acquire(FileChannel ch, long deadline) throws IOException {
    long sleep = 1;
    while (true) {
      FileLock fl;
      try {
        fl = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        fl = null; // held in this JVM through another path spelling: wait like for another process
      }
      if (fl != null) {
        return fl;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      try {
        Thread.sleep(Math.min(sleep, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.interruptedWaitingForWriterLock();
      }
      sleep = Math.min(50, sleep * 2);
    }
  }

  /** The lock file of a local table directory (under the workspace's .mlops/locks), or empty. */
  public java.util.Optional<Path> lockFile(String location) {
    Path dir = localPath(location);
    return dir == null || lockDir == null ? java.util.Optional.empty()
        : java.util.Optional.of(lockDir.resolve(lockName(dir)));
  }

  /** Deletes the lock file of a dropped table. */
  public void deleteLock(String location) {
    lockFile(location).ifPresent(f -> {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        LOG.debug("Cannot delete lock file {}: {}", f, e.toString());
      }
    });
  }

  /**
   * Deletes lock files nobody holds that were last used over a day ago (tables dropped by other
   * processes or tools); a lock file in use is never deleted.
   */
  void sweepLocks() {
    if (lockDir == null || !Files.isDirectory(lockDir)) {
      return;
    }
    long cutoff = System.currentTimeMillis() - java.time.Duration.ofDays(1).toMillis();
    try (java.util.stream.Stream<Path> st = Files.list(lockDir)) {
      for (Path f : (Iterable<Path>) st::iterator) {
        if (!f.getFileName().toString().endsWith(".lock") || Files.getLastModifiedTime(f).toMillis() > cutoff
            || JVM_LOCKS.containsKey(f)) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE); FileLock fl = ch.tryLock()) {
          if (fl != null) {
            Files.deleteIfExists(f);
          }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
          // in use or gone: leave it
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot sweep lock files in {}: {}", lockDir, e.toString());
    }
  }

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
   * The executor parallel file reads and writes run on: the host's (Workspace options), else one
   * pool of daemon threads per workspace, created on first use and shut down by {@link #close()}.
   */
  java.util.concurrent.Executor executor() {
    if (givenExecutor != null) {
      return givenExecutor;
    }
    java.util.concurrent.ExecutorService p = ownPool;
    if (p == null) {
      synchronized (this) {
        if (ownPool == null) {
          java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
          ownPool = java.util.concurrent.Executors.newFixedThreadPool(THREADS, r -> {
            Thread th = new Thread(r, "mlops-delta-io-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
          });
        }
        p = ownPool;
      }
    }
    return p;
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

  /** A latest snapshot loaded from local disk, with the size and time of its commit file then. */
  private record Loaded(io.delta.kernel.Snapshot snapshot, long size, java.nio.file.attribute.FileTime modified) {}

  /**
   * Remembers the latest snapshot a read loaded of a local table, so that a read of exactly that
   * version soon after (a version pinned from it, e.g. "read version v of the table I just looked
   * at") needs no second log load. Versions are immutable; the commit file's size and time guard
   * against a table dropped and re-created (by any process) under the same name since.
   */
  void rememberLoaded(String location, io.delta.kernel.Snapshot s) {
    Path local = localPath(location);
    if (local == null) {
      return;
    }
    try {
      java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(LogCheck.commitFile(local, s.getVersion()),
          java.nio.file.attribute.BasicFileAttributes.class);
      loaded.put(location, new Loaded(s, a.size(), a.lastModifiedTime()));
    } catch (IOException e) {
      loaded.remove(location); // e.g. a version only in a checkpoint: load versions again
    }
  }

  /** The remembered snapshot of exactly this version of a local table, if its commit file is unchanged. */
  java.util.Optional<io.delta.kernel.Snapshot> loadedVersion(String location, long version) {
    Loaded l = loaded.get(location);
    Path local = localPath(location);
    if (l == null || local == null || l.snapshot().getVersion() != version) {
      return java.util.Optional.empty();
    }
    try {
      java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(LogCheck.commitFile(local, version),
          java.nio.file.attribute.BasicFileAttributes.class);
      if (a.size() == l.size() && a.lastModifiedTime().equals(l.modified())) {
        return java.util.Optional.of(l.snapshot());
      }
    } catch (IOException e) {
      // gone: the table was dropped or its log cleaned up
    }
    loaded.remove(location, l);
    return java.util.Optional.empty();
  }

  /** Forgets what was remembered about a table (dropped, or a write failed). */
  public void forget(String location) {
    committed.remove(location);
    loaded.remove(location);
  }

  /** Shuts down the workspace's own I/O pool (a host's executor is left alone) and sweeps stale lock files. */
  public void close() {
    java.util.concurrent.ExecutorService p = ownPool;
    if (p != null) {
      p.shutdown();
    }
    if (remoteIo != null) {
      remoteIo.close();
    }
    sweepLocks();
  }
}
