package dev.mlops.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The files of a workspace (or of one table) under a root, local or on a Hadoop filesystem, with the
 * few operations the SDK's metadata needs: whole-file reads and writes that land whole or not at all,
 * atomic create-if-absent and rename-if-absent (what numbers registry versions and stores params once),
 * listings, deletes, a cross-process lock, and copies to and from local disk for big files.
 *
 * <p>Paths are relative to the root, '/'-separated, never starting with '/' ({@code ""} is the root).
 * Obtain the store of a workspace with {@link FileStores#of(dev.mlops.core.Workspace)}:
 *
 * <pre>{@code
 * FileStore files = FileStores.of(ws);
 * if (files.createIfAbsent("registry/main/ml/churn/model.json", bytes)) { ... } // this call created it
 * Optional<byte[]> meta = files.read("registry/main/ml/churn/model.json");
 * }</pre>
 *
 * <p>Implementations: {@link LocalFileStore} (java.nio; temp file + fsync + atomic move or hard link)
 * and {@link HadoopFileStore} (any Hadoop scheme; how each scheme gets its atomicity is documented
 * there). Every failure is a {@link dev.mlops.core.StorageException} naming the URI.
 */
public interface FileStore {

  /** The root (ends with '/'). */
  URI root();

  /** The full URI text of a relative path, for messages. */
  String uri(String rel);

  /** The local path of rel when the store is on local disk; empty for remote stores. */
  Optional<Path> localPath(String rel);

  /** A store rooted at a sub directory (same filesystem, same configuration). */
  FileStore sub(String rel);

  /** The file's bytes, or empty when it does not exist. */
  Optional<byte[]> read(String rel);

  /** Writes the file whole, replacing it atomically: readers see the old bytes or the new ones. */
  void write(String rel, byte[] bytes);

  /**
   * Creates the file with these bytes only if it does not exist; several processes racing on one
   * path: exactly one gets true, and the file is never seen half written.
   *
   * @return true when this call created it
   */
  boolean createIfAbsent(String rel, byte[] bytes);

  /**
   * Appends bytes to a file (creating it), in one write. Concurrent appends to one file from several
   * processes are not supported by every store: callers serialize them (one run appends its metrics).
   */
  void append(String rel, byte[] bytes);

  /** Whether a file or directory exists at rel. */
  boolean exists(String rel);

  /** Whether rel is a directory. */
  boolean isDirectory(String rel);

  /** Names of the entries of a directory that do not start with '.', sorted; empty when it is missing. */
  List<String> list(String dir);

  /** A file found by {@link #files(String)}: its path relative to the listed directory, size and time. */
  record Entry(String path, long size, long modifiedMillis) {}

  /** Every file under dir (recursively), paths relative to dir; empty when dir is missing. */
  List<Entry> files(String dir);

  /** The last modification time of a file or directory, or empty when it does not exist. */
  OptionalLong modifiedMillis(String rel);

  /** Creates a directory and its parents (object stores: nothing to do). */
  void mkdirs(String dir);

  /**
   * Deletes a file (not a directory).
   *
   * @return true when this call deleted it
   */
  boolean delete(String rel);

  /** Deletes a directory tree (or a file) if it exists. */
  void deleteTree(String rel);

  /** Deletes a directory tree if it exists, ignoring failures (temp and staging trees). */
  void deleteTreeQuietly(String rel);

  /**
   * Renames a file or directory to a path that must not exist yet; several processes racing on one
   * target: exactly one gets true. Atomic on local disks and HDFS (see the implementations).
   *
   * @return true when this call renamed it, false when the target already existed
   */
  boolean renameIfAbsent(String from, String to);

  /** Copies a local file to rel, whole or not at all (replacing what is there). */
  void upload(Path localFile, String rel);

  /** Copies the file at rel to a local file (replacing it). */
  void download(String rel, Path localFile);

  /**
   * Runs body while holding the lock named by the file rel, against other threads and processes.
   * Re-entrant within a thread. Local: an OS file lock (released when a process dies). Remote: a lock
   * file created if absent and deleted after; one older than {@link HadoopFileStore#STALE_LOCK} is
   * taken as left by a killed process and removed.
   */
  <T> T withLock(String rel, Supplier<T> body);

  /** Runs body while holding the lock named by rel (see {@link #withLock(String, Supplier)}). */
  default void withLock(String rel, Runnable body) {
    withLock(rel, () -> {
      body.run();
      return null;
    });
  }

  /** How this store makes writes atomic, in words (for Javadoc, messages and tests). */
  Map<String, String> atomicity();

  /** Joins relative path parts with '/', skipping empty ones. */
  static String join(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (p == null || p.isEmpty()) {
        continue;
      }
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(p);
    }
    return b.toString();
  }

  /** The parent of a relative path ("" for a top-level one). */
  static String parent(String rel) {
    int i = rel.lastIndexOf('/');
    return i < 0 ? "" : rel.substring(0, i);
  }

  /** The last part of a relative path. */
  static String name(String rel) {
    return rel.substring(rel.lastIndexOf('/') + 1);
  }
}
