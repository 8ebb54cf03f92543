package dev.mlops.core.internal;

import dev.mlops.core.internal.delta.S3Commits;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The {@link FileStore} of an {@code s3a://} workspace (tracking, registry). S3 has no rename and no
 * append, but every PUT is atomic (an object is visible whole or not at all) and a PUT with
 * {@code If-None-Match: *} is refused (412) when the key exists. So:
 * <ul>
 *   <li>{@link #write} and {@link #upload} are one PUT of the whole object (no temp file, no rename);
 *   <li>{@link #createIfAbsent} is a conditional PUT through {@link S3Commits} (the code Delta commits
 *       use): probed once per bucket; when the store does not apply the condition, the create runs
 *       under this process's writer lease of the workspace's metadata, and another process holding one
 *       is refused with {@link dev.mlops.core.UnsafeConcurrentWriteException} (never silently unsafe);
 *   <li>{@link #renameIfAbsent} of a directory first claims the target by creating
 *       {@code <target>/.mlops-claim} if absent (the race is decided there: a registry version number
 *       is taken exactly once), then copies the files (server-side) deepest first and the top-level
 *       files last, so a reader keyed on a top-level file ({@code version.json}) sees the version only
 *       when all of it is there; then the claim and the source are deleted. A process killed while
 *       copying leaves a claimed number without {@code version.json}: skipped by readers, never reused;
 *   <li>{@link #append} rewrites the whole object under a lock file ({@code .<name>.lock}, a
 *       conditional create): cost grows with the file, fine for metric histories of thousands of
 *       points;
 *   <li>the modification time of a directory (a prefix) is that of its newest file.
 * </ul>
 * The S3A {@link FileSystem} is this store's own instance (Hadoop's cache keys S3A instances by bucket
 * only, so two workspaces on one bucket with different endpoints or credentials would share one); it
 * is closed, and the store's writer leases given up, when the workspace closes ({@link #close()}).
 */
public final class S3FileStore extends HadoopFileStore implements AutoCloseable {
  /** The object that claims a directory's target in {@link #renameIfAbsent}. */
  static final String CLAIM = ".mlops-claim";

  /** Shared by a store and its sub stores. */
  private static final class Shared {
    final URI top;
    final Configuration hc;
    final S3Commits commits;
    volatile FileSystem fs;

    Shared(URI top, Map<String, String> conf) {
      this.top = top;
      this.hc = new Configuration();
      conf.forEach(hc::set);
      this.commits = new S3Commits(top, hc);
    }
  }

  private final Shared shared;

  /**
   * The store of a workspace root.
   *
   * @param root an {@code s3a://bucket/path/} URI, ending in '/'
   * @param conf the workspace's Hadoop settings (never logged)
   */
  S3FileStore(URI root, Map<String, String> conf) {
    super(root, conf, true);
    this.shared = new Shared(root, conf);
  }

  private S3FileStore(URI root, S3FileStore parent) {
    super(root, parent);
    this.shared = parent.shared;
  }

  @Override
  protected FileSystem fs() {
    FileSystem f = shared.fs;
    if (f == null) {
      synchronized (shared) {
        f = shared.fs;
        if (f == null) {
          try {
            f = FileSystem.newInstance(URI.create("s3a://" + root().getAuthority() + "/"), shared.hc);
          } catch (IOException | RuntimeException e) {
            throw Errors.cannotReachFilesystem(uri(""), e);
          }
          shared.fs = f;
        }
      }
    }
    return f;
  }

  @Override
  public FileStore sub(String rel) {
    path(rel); // checks it
    String u = root().toString() + rel;
    return rel.isEmpty() ? this : new S3FileStore(URI.create(u.endsWith("/") ? u : u + "/"), this);
  }

  @Override
  public void write(String rel, byte[] bytes) {
    try (FSDataOutputStream out = fs().create(path(rel), true)) {
      out.write(bytes);
    } catch (IOException e) {
      throw fail("write", rel, e);
    }
  }

  @Override
  public boolean createIfAbsent(String rel, byte[] bytes) {
    try {
      return shared.commits.createIfAbsent(fs(), path(rel), bytes, new Path(shared.top), uri(rel));
    } catch (IOException e) {
      throw fail("create", rel, e);
    } catch (java.io.UncheckedIOException e) {
      throw fail("create", rel, e.getCause());
    }
  }

  @Override
  public void append(String rel, byte[] bytes) {
    withLock(FileStore.join(FileStore.parent(rel), "." + FileStore.name(rel) + ".lock"), () -> {
      byte[] old = read(rel).orElse(new byte[0]);
      byte[] all = java.util.Arrays.copyOf(old, old.length + bytes.length);
      System.arraycopy(bytes, 0, all, old.length, bytes.length);
      write(rel, all);
    });
  }

  @Override
  public OptionalLong modifiedMillis(String rel) {
    FileStatus st;
    try {
      st = fs().getFileStatus(path(rel));
    } catch (FileNotFoundException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw fail("check", rel, e);
    }
    if (!st.isDirectory()) {
      return OptionalLong.of(st.getModificationTime());
    }
    // S3A gives a prefix no time of its own: its newest file's.
    return files(rel).stream().mapToLong(Entry::modifiedMillis).max();
  }

  @Override
  public boolean renameIfAbsent(String from, String to) {
    if (exists(to)) {
      return false;
    }
    FileStatus src;
    try {
      src = fs().getFileStatus(path(from));
    } catch (IOException e) {
      throw Errors.cannotRename(uri(from), uri(to), e);
    }
    if (!src.isDirectory()) {
      byte[] bytes = read(from).orElseThrow(() -> Errors.cannotRename(uri(from), uri(to),
          new FileNotFoundException(uri(from))));
      if (!createIfAbsent(to, bytes)) {
        return false;
      }
      delete(from);
      return true;
    }
    String claim = FileStore.join(to, CLAIM);
    if (!createIfAbsent(claim, ("claimed by " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8))) {
      return false; // another process took this target
    }
    List<Entry> all = new ArrayList<>(files(from));
    // Deepest first, the directory's own files last (by depth, then name).
    all.sort(Comparator.comparingLong((Entry e) -> -e.path().chars().filter(c -> c == '/').count())
        .thenComparing(Entry::path));
    try {
      for (Entry e : all) {
        Path s = path(FileStore.join(from, e.path()));
        Path d = path(FileStore.join(to, e.path()));
        if (!fs().rename(s, d)) {
          throw Errors.s3CopyRefused(uri(FileStore.join(from, e.path())), uri(FileStore.join(to, e.path())));
        }
      }
      fs().delete(path(claim), false);
    } catch (IOException e) {
      throw Errors.cannotRename(uri(from), uri(to), e);
    }
    deleteTreeQuietly(from);
    return true;
  }

  @Override
  public void upload(java.nio.file.Path localFile, String rel) {
    try (InputStream in = Files.newInputStream(localFile); FSDataOutputStream out = fs().create(path(rel), true)) {
      in.transferTo(out);
    } catch (IOException e) {
      throw Errors.cannotCopy(localFile.toString(), uri(rel), e);
    }
  }

  @Override
  public Map<String, String> atomicity() {
    return Map.of(
        "write", "one PUT of the whole object (atomic on S3)",
        "createIfAbsent", "PUT with If-None-Match: * (S3Commits); without conditional writes, a writer lease"
            + " of the workspace's metadata refuses other processes",
        "renameIfAbsent", "the target claimed by a create-if-absent of <target>/" + CLAIM + ", then the files"
            + " copied, top-level files last",
        "append", "whole-object rewrite under a lock file",
        "lock", "lock file created if absent, deleted after; stale after " + STALE_LOCK);
  }

  /** Gives up this store's writer leases and closes its S3A instance (the workspace is closing). */
  @Override
  public void close() {
    shared.commits.releaseLeases();
    FileSystem f;
    synchronized (shared) {
      f = shared.fs;
      shared.fs = null;
    }
    if (f != null) {
      try {
        f.close();
      } catch (IOException | RuntimeException e) {
        // closing releases threads and connections; nothing is left to write
      }
    }
  }

  @Override
  public String toString() {
    return "S3FileStore[" + uri("") + "]";
  }
}
