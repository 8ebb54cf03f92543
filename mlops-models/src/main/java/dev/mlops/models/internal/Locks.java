package dev.mlops.models.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Mutual exclusion across threads and processes: an in-JVM lock per lock file (FileChannel locks are
 * held per process, so threads need their own) plus an OS file lock on the file (core's FileLocks, shared
 * with the workspace's LocalFileStore so both agree on one in-JVM lock per file). A crashed process
 * releases its file lock with its file descriptors, so a SIGKILL never leaves a stale lock.
 */
public final class Locks {
  private Locks() {}

  /** Runs body while holding the lock of lockFile (blocking). Re-entrant within a thread. */
  public static <T> T withLock(Path lockFile, Supplier<T> body) {
    return dev.mlops.core.internal.FileLocks.withLock(lockFile, body);
  }

  /** Runs body while holding the lock of lockFile (blocking). */
  public static void withLock(Path lockFile, Runnable body) {
    withLock(lockFile, () -> {
      body.run();
      return null;
    });
  }

  /** Runs body if the lock can be taken now; returns false (without running) when someone holds it. */
  public static boolean tryWithLock(Path lockFile, Runnable body) {
    return dev.mlops.core.internal.FileLocks.tryWithLock(lockFile, body);
  }

  /**
   * An OS lock held on a file for as long as its owner uses something (a staging directory), so other
   * processes can tell a live owner from a dead one: a killed process's lock is released with its file
   * descriptors. The file appears already locked (locked under a temporary dot-name, then renamed), so no
   * one ever sees it unlocked while its owner lives.
   */
  public static final class Held implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private Held(Path file, FileChannel channel, FileLock lock) {
      this.file = file;
      this.channel = channel;
      this.lock = lock;
    }

    /** Deletes the file, then releases the lock. */
    @Override
    public void close() {
      dev.mlops.core.internal.AtomicFiles.deleteQuietly(file);
      try {
        lock.release();
        channel.close();
      } catch (IOException ignored) {
        // closing releases the lock anyway
      }
    }
  }

  /** Creates file and holds an OS lock on it until the returned handle is closed. */
  public static Held hold(Path file) {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    FileChannel ch = null;
    try {
      ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      FileLock lock = ch.lock();
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new Held(file, ch, lock);
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // reported below
        }
      }
      dev.mlops.core.internal.AtomicFiles.deleteQuietly(tmp);
      throw Errors.cannotCreateLockFile(file, e);
    }
  }

  /**
   * Whether some process (this one included) holds the OS lock of file; false when the file is missing
   * or unlocked (its owner ended or was killed).
   */
  public static boolean isHeld(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true; // held by this JVM
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true; // cannot tell: treat as in use
    }
  }
}
