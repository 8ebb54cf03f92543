package dev.mlops.core.internal;

import dev.mlops.core.StorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A {@link FileStore} on a Hadoop filesystem ({@code hdfs://} and any other scheme whose connector is
 * on the class path), configured with the workspace's Hadoop settings (never logged).
 *
 * <p><b>Atomicity per scheme.</b> Everything that must land whole or once goes through a rename that
 * refuses an existing target ({@code FileContext.rename(src, dst, Options.Rename.NONE)}), or that
 * replaces it ({@code Options.Rename.OVERWRITE}), of a temp file written and {@code hsync}ed first:
 * <ul>
 *   <li>{@code hdfs}: the NameNode renames atomically and refuses an existing target, so
 *       create-if-absent, rename-if-absent (a directory too) and replace are atomic, as Delta's own
 *       {@code HDFSLogStore} relies on. Appends use HDFS append (one writer per file at a time: the
 *       NameNode lease; a second appender retries).
 *   <li>other schemes (abfs with hierarchical namespace, gs, ...): only when the configuration says
 *       their rename is atomic and refuses an existing target ({@code mlops.fs.<scheme>.atomic-rename
 *       = true}); otherwise every operation that needs atomicity is refused with a message naming the
 *       URI, never silently unsafe. Reads and listings always work.
 *   <li>{@code s3a}: S3 has no atomic rename; the conditional put ({@code If-None-Match: *}) is what
 *       makes create-if-absent safe there: {@link #create(URI, Map)} gives an {@link S3FileStore}.
 * </ul>
 *
 * <p><b>Locks</b> are lock files created if absent and deleted after (an in-JVM lock first). A lock file
 * older than {@link #STALE_LOCK} is taken as left by a killed process and removed; metadata changes
 * under a lock take milliseconds, so only a process stalled for that long could lose its lock. Known
 * limit: two waiters that both find the same stale lock can both remove it, and one may remove the lock
 * the other has just taken (HDFS has no compare-and-delete); this needs a holder killed while holding
 * the lock and two waiters at once. Version numbering and create-once writes never rely on these locks.
 */
public class HadoopFileStore implements FileStore {
  /** A lock file this old belongs to a killed process. */
  public static final Duration STALE_LOCK = Duration.ofMinutes(2);
  /** How long a lock is waited for before giving up with a message naming the lock file. */
  static final Duration LOCK_WAIT = Duration.ofMinutes(5);

  private static final ConcurrentHashMap<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final URI root;
  private final Map<String, String> conf;
  private final boolean atomicRename;
  /** Shared by a store and its sub stores: one Hadoop Configuration and FileSystem per workspace. */
  private final Conn conn;

  private static final class Conn {
    volatile Configuration hadoopConf;
    volatile FileSystem fs;
    volatile FileContext fc;
  }

  /**
   * The store for a root URI: picks the implementation and atomicity of its scheme (see the class
   * comment). The filesystem is contacted on first use, not here.
   *
   * @param root a Hadoop URI, e.g. {@code hdfs://namenode:8020/lakehouse/}
   * @param conf Hadoop settings (credentials, endpoints); never logged
   * @return the store
   */
  public static FileStore create(URI root, Map<String, String> conf) {
    String s = root.toString();
    URI r = URI.create(s.endsWith("/") ? s : s + "/");
    String scheme = r.getScheme() == null ? "" : r.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "hdfs":
        return new HadoopFileStore(r, conf, true);
      case "s3a":
        return new S3FileStore(r, conf);
      default:
        return new HadoopFileStore(r, conf, Boolean.parseBoolean(conf.get("mlops.fs." + scheme + ".atomic-rename")));
    }
  }

  /**
   * @param root the root URI, ending in '/'
   * @param conf Hadoop settings
   * @param atomicRename whether rename-without-overwrite is atomic on this filesystem
   */
  protected HadoopFileStore(URI root, Map<String, String> conf, boolean atomicRename) {
    this.root = root;
    this.conf = Map.copyOf(conf);
    this.atomicRename = atomicRename;
    this.conn = new Conn();
  }

  /**
   * A store at a sub directory of parent, sharing its filesystem connection and atomicity.
   *
   * @param root the sub directory's URI, ending in '/'
   * @param parent the store it is under
   */
  protected HadoopFileStore(URI root, HadoopFileStore parent) {
    this.root = root;
    this.conf = parent.conf;
    this.atomicRename = parent.atomicRename;
    this.conn = parent.conn;
  }

  /** The Hadoop filesystem of the root (created on first use, from Hadoop's cache). */
  protected FileSystem fs() {
    FileSystem f = conn.fs;
    if (f == null) {
      try {
        f = FileSystem.get(root, hadoopConf());
      } catch (IOException | RuntimeException e) {
        throw Errors.cannotReachFilesystem(uri(""), e);
      }
      conn.fs = f;
    }
    return f;
  }

  private FileContext fc() {
    FileContext c = conn.fc;
    if (c == null) {
      try {
        c = FileContext.getFileContext(root, hadoopConf());
      } catch (IOException | RuntimeException e) {
        throw Errors.cannotReachFileContext(uri(""), e);
      }
      conn.fc = c;
    }
    return c;
  }

  private Configuration hadoopConf() {
    Configuration hc = conn.hadoopConf;
    if (hc == null) {
      hc = new Configuration();
      conf.forEach(hc::set);
      conn.hadoopConf = hc;
    }
    return hc;
  }

  /** The Hadoop path of rel. */
  protected Path path(String rel) {
    if (rel.startsWith("/") || rel.contains("\\") || java.util.Arrays.asList(rel.split("/")).contains("..")) {
      throw Errors.notRelativePathInsideRoot(rel);
    }
    return rel.isEmpty() ? new Path(root) : new Path(root.toString() + rel);
  }

  /** A failure of op on rel, naming the URI. */
  protected StorageException fail(String op, String rel, Exception e) {
    return new StorageException("Cannot " + op + " " + uri(rel) + ": " + e.getMessage(), e);
  }

  /** Refuses an operation that would not be atomic on this filesystem. */
  protected StorageException notAtomic(String op, String rel) {
    String scheme = root.getScheme();
    return new StorageException("Cannot " + op + " " + uri(rel) + " safely: the SDK knows no atomic"
        + " create-if-absent or rename-without-overwrite for the '" + scheme + "' filesystem, so several"
        + " processes could overwrite each other's files. Nothing was written. If this filesystem's rename is"
        + " atomic and refuses an existing target (for example abfs with a hierarchical namespace), set"
        + " mlops.fs." + scheme + ".atomic-rename=true in the Hadoop settings; otherwise keep tracking and"
        + " the registry in a local or hdfs:// workspace.", null);
  }

  private void requireAtomic(String op, String rel) {
    if (!atomicRename) {
      throw notAtomic(op, rel);
    }
  }

  @Override
  public URI root() {
    return root;
  }

  /** The URI text of rel for messages: without user info, so that credentials put in a URI never show. */
  @Override
  public String uri(String rel) {
    return (root.toString() + rel).replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  @Override
  public Optional<java.nio.file.Path> localPath(String rel) {
    return Optional.empty();
  }

  @Override
  public FileStore sub(String rel) {
    path(rel); // checks it
    String u = root.toString() + rel;
    return rel.isEmpty() ? this : new HadoopFileStore(URI.create(u.endsWith("/") ? u : u + "/"), this);
  }

  @Override
  public Optional<byte[]> read(String rel) {
    try (InputStream in = fs().open(path(rel))) {
      return Optional.of(in.readAllBytes());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw fail("read", rel, e);
    }
  }

  /** Writes a temp file next to rel (hsynced) and returns its relative path. */
  private String writeTemp(String rel, byte[] bytes) throws IOException {
    String tmp = tempName(rel);
    try (FSDataOutputStream out = fs().create(path(tmp), false)) {
      out.write(bytes);
      out.hsync();
    }
    return tmp;
  }

  private static String tempName(String rel) {
    return FileStore.join(FileStore.parent(rel), "." + FileStore.name(rel) + "." + UUID.randomUUID() + ".tmp");
  }

  @Override
  public void write(String rel, byte[] bytes) {
    requireAtomic("write", rel);
    String tmp = null;
    try {
      tmp = writeTemp(rel, bytes);
      fc().rename(path(tmp), path(rel), Options.Rename.OVERWRITE);
      tmp = null;
    } catch (IOException e) {
      throw fail("write", rel, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  @Override
  public boolean createIfAbsent(String rel, byte[] bytes) {
    requireAtomic("create", rel);
    if (exists(rel)) {
      return false; // fast path only: the rename below decides a race
    }
    String tmp = null;
    try {
      tmp = writeTemp(rel, bytes);
      try {
        fc().rename(path(tmp), path(rel), Options.Rename.NONE);
        tmp = null;
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    } catch (IOException e) {
      throw fail("create", rel, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private void deleteQuietly(String rel) {
    if (rel != null) {
      try {
        fs().delete(path(rel), false);
      } catch (IOException | RuntimeException ignored) {
        // a stray temp file is harmless: its name starts with '.' and ends with .tmp
      }
    }
  }

  @Override
  public void append(String rel, byte[] bytes) {
    requireAtomic("append to", rel);
    Path p = path(rel);
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent("append:" + uri(rel), k -> new ReentrantLock());
    jvm.lock();
    try {
      IOException last = null;
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          FSDataOutputStream out;
          if (fs().exists(p)) {
            out = fs().append(p);
          } else {
            try {
              out = fs().create(p, false);
            } catch (FileAlreadyExistsException e) {
              continue; // created meanwhile: append to it
            }
          }
          try (FSDataOutputStream o = out) {
            o.write(bytes);
            o.hsync();
          }
          return;
        } catch (FileNotFoundException e) {
          throw fail("append to", rel, e);
        } catch (IOException e) {
          // another process holds the file's lease (it is appending): wait and retry
          last = e;
          sleep(20L * (attempt + 1));
        }
      }
      throw fail("append to", rel, last);
    } finally {
      jvm.unlock();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interruptedWaitingForFilesystem(e);
    }
  }

  @Override
  public boolean exists(String rel) {
    try {
      return fs().exists(path(rel));
    } catch (IOException e) {
      throw fail("check", rel, e);
    }
  }

  @Override
  public boolean isDirectory(String rel) {
    try {
      return fs().getFileStatus(path(rel)).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw fail("check", rel, e);
    }
  }

  @Override
  public List<String> list(String dir) {
    List<String> out = new ArrayList<>();
    try {
      for (FileStatus s : fs().listStatus(path(dir))) {
        String n = s.getPath().getName();
        if (!n.startsWith(".")) {
          out.add(n);
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw fail("list", dir, e);
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<Entry> files(String dir) {
    List<Entry> out = new ArrayList<>();
    try {
      Path d = fs().makeQualified(path(dir));
      String prefix = d.toUri().getPath();
      if (!prefix.endsWith("/")) {
        prefix += "/";
      }
      RemoteIterator<LocatedFileStatus> it = fs().listFiles(d, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        String p = s.getPath().toUri().getPath();
        if (p.startsWith(prefix)) {
          out.add(new Entry(p.substring(prefix.length()), s.getLen(), s.getModificationTime()));
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw fail("list the files under", dir, e);
    }
    return out;
  }

  @Override
  public OptionalLong modifiedMillis(String rel) {
    try {
      return OptionalLong.of(fs().getFileStatus(path(rel)).getModificationTime());
    } catch (FileNotFoundException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw fail("check", rel, e);
    }
  }

  @Override
  public void mkdirs(String dir) {
    try {
      fs().mkdirs(path(dir));
    } catch (IOException e) {
      throw fail("create directory", dir, e);
    }
  }

  @Override
  public boolean delete(String rel) {
    try {
      return fs().delete(path(rel), false);
    } catch (IOException e) {
      throw fail("delete", rel, e);
    }
  }

  @Override
  public void deleteTree(String rel) {
    try {
      fs().delete(path(rel), true);
    } catch (IOException e) {
      throw fail("delete", rel, e);
    }
  }

  @Override
  public void deleteTreeQuietly(String rel) {
    try {
      fs().delete(path(rel), true);
    } catch (IOException | RuntimeException ignored) {
      // best effort: temp and staging trees only
    }
  }

  @Override
  public boolean renameIfAbsent(String from, String to) {
    requireAtomic("rename to", to);
    try {
      fs().mkdirs(path(FileStore.parent(to)));
      fc().rename(path(from), path(to), Options.Rename.NONE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw Errors.cannotRename(uri(from), uri(to), e);
    }
  }

  @Override
  public void upload(java.nio.file.Path localFile, String rel) {
    requireAtomic("write", rel);
    String tmp = tempName(rel);
    try {
      try (InputStream in = Files.newInputStream(localFile);
          FSDataOutputStream out = fs().create(path(tmp), false)) {
        in.transferTo(out);
        out.hsync();
      }
      fc().rename(path(tmp), path(rel), Options.Rename.OVERWRITE);
      tmp = null;
    } catch (IOException e) {
      throw Errors.cannotCopy(localFile.toString(), uri(rel), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  @Override
  public void download(String rel, java.nio.file.Path localFile) {
    try (InputStream in = fs().open(path(rel))) {
      java.nio.file.Path parent = localFile.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      java.nio.file.Path tmp = parent.resolve("." + localFile.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          in.transferTo(out);
        }
        Files.move(tmp, localFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw Errors.cannotCopy(uri(rel), localFile.toString(), e);
    }
  }

  @Override
  public <T> T withLock(String rel, Supplier<T> body) {
    requireAtomic("lock", rel);
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(uri(rel), k -> new ReentrantLock());
    jvm.lock();
    try {
      if (jvm.getHoldCount() > 1) {
        return body.get();
      }
      byte[] owner = (ProcessHandle.current().pid() + "@" + hostName() + " " + java.time.Instant.now())
          .getBytes(StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
      long pause = 5;
      while (!createIfAbsent(rel, owner)) {
        OptionalLong m = modifiedMillis(rel);
        if (m.isPresent() && System.currentTimeMillis() - m.getAsLong() > STALE_LOCK.toMillis()) {
          delete(rel); // left by a killed process
          continue;
        }
        if (System.nanoTime() > deadline) {
          throw Errors.lockHeldTooLong(uri(rel), LOCK_WAIT.toMinutes());
        }
        sleep(pause);
        pause = Math.min(200, pause * 2);
      }
      try {
        return body.get();
      } finally {
        try {
          delete(rel);
        } catch (RuntimeException e) {
          // the lock file goes stale and is removed by the next taker
        }
      }
    } finally {
      jvm.unlock();
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  @Override
  public Map<String, String> atomicity() {
    if (!atomicRename) {
      return Map.of("write", "refused", "createIfAbsent", "refused", "renameIfAbsent", "refused", "lock", "refused");
    }
    return Map.of(
        "write", "hsynced temp file renamed over the target (Options.Rename.OVERWRITE)",
        "createIfAbsent", "hsynced temp file renamed without overwrite (Options.Rename.NONE)",
        "renameIfAbsent", "FileContext rename with Options.Rename.NONE (atomic on the NameNode)",
        "lock", "lock file created if absent, deleted after; stale after " + STALE_LOCK);
  }

  @Override
  public String toString() {
    return "HadoopFileStore[" + uri("") + "]";
  }
}
