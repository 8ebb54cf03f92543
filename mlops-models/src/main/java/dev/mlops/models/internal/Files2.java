package dev.mlops.models.internal;

import dev.mlops.core.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Small file helpers on top of core's AtomicFiles: appends, listings, copies, fsync of directories. */
public final class Files2 {
  private Files2() {}

  /** Appends one line with a single write call and forces it to disk. */
  public static void appendLine(Path file, String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    } catch (IOException e) {
      throw Errors.cannotAppend(file, e);
    }
  }

  /** The complete lines of a file (a last line without '\n' is a torn write and is ignored). */
  public static List<String> completeLines(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw Errors.cannotRead(file, e);
    }
    return completeLines(bytes);
  }

  /** The complete lines of a file's bytes (a last line without '\n' is a torn write and is ignored). */
  public static List<String> completeLines(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        if (i > start) {
          out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The file's text, or empty when it does not exist. */
  public static Optional<String> readString(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Errors.cannotRead(file, e);
    }
  }

  /** Names of the entries of dir that do not start with '.', unsorted; empty when dir is missing. */
  public static List<String> list(Path dir) {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".")) {
          out.add(n);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw Errors.cannotList(dir, e);
    }
    return out;
  }

  /** Creates a directory and its parents. */
  public static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw Errors.cannotCreateDirectory(dir, e);
    }
  }

  /** Copies a file to target atomically (temp copy in target's directory, forced, then moved). */
  public static void copyAtomically(Path source, Path target) {
    mkdirs(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (InputStream in = Files.newInputStream(source);
          FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        in.transferTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw Errors.copySourceMissing(source, e);
    } catch (IOException e) {
      throw Errors.cannotCopy(source, target, e);
    } finally {
      AtomicFiles.deleteQuietly(tmp);
    }
  }

  private static final java.util.concurrent.ExecutorService SYNC_POOL =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mlops-fsync");
        t.setDaemon(true);
        return t;
      });

  /** Writes bytes to a new file without forcing it (call {@link #forceAll} before publishing it). */
  public static void writeNew(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw Errors.cannotWrite(file, e);
    }
  }

  /** Copies a file without forcing it (for private staging directories; call {@link #forceAll} after). */
  public static void copyPlain(Path source, Path target) {
    mkdirs(target.getParent());
    try {
      Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw Errors.cannotCopy(source, target, e);
    }
  }

  /**
   * Forces files and directories to disk concurrently: a journaling filesystem commits concurrent
   * fsyncs together, so this costs about one fsync instead of one per path. Used before the atomic
   * rename that publishes a private staging directory.
   */
  public static void forceAll(List<Path> paths) {
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    for (Path p : paths) {
      fs.add(SYNC_POOL.submit(() -> {
        if (Files.isDirectory(p)) {
          syncDir(p);
        } else {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
          } catch (IOException e) {
            throw Errors.cannotForce(p, e);
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.interruptedForcing(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
            : Errors.cannotForceFiles(e.getCause());
      }
    }
  }

  /** Forces a directory's entries to disk (best effort; some platforms cannot open directories). */
  public static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows and some filesystems: the rename is still atomic, only durability is weaker.
    }
  }

  /**
   * Refuses a write to target when target, or the nearest of its ancestors that exists, leads outside
   * root once symbolic links are resolved (a symlinked folder inside the workspace pointing elsewhere).
   * Call it before creating or writing anything under target. A link created after the check is not
   * caught (no portable API opens a path without following links); the check closes the ordinary case of
   * a folder that is a link.
   *
   * @param root the workspace root
   * @param target the path about to be written
   * @param what the operation, for the message (e.g. "log artifact roc.png")
   * @return target, absolute and normalized
   * @throws dev.mlops.models.UnsafePathException naming the path and where it leads
   */
  public static Path confine(Path root, Path target, String what) {
    Path abs = target.toAbsolutePath().normalize();
    Path realRoot;
    try {
      realRoot = root.toAbsolutePath().normalize().toRealPath();
    } catch (IOException e) {
      throw Errors.unresolvableRoot(root, e);
    }
    Path existing = abs;
    while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) { // a dangling link
      throw Errors.danglingSymlink(what, existing, e, abs);
    }
    if (!real.startsWith(realRoot)) {
      throw Errors.symlinkOutsideWorkspace(what, abs, realRoot, existing, real);
    }
    return abs;
  }

  /** Deletes a directory tree, ignoring failures (for temp and staging directories). */
  public static void deleteTreeQuietly(Path dir) {
    dev.mlops.core.internal.FileTrees.deleteQuietly(dir);
  }
}
