package dev.mlops.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion across threads and processes on a local lock file: an in-JVM lock per file
 * (FileChannel locks are held per process, and a second channel of the same JVM on a locked file fails
 * with OverlappingFileLockException, so every user of lock files in the SDK goes through this one map)
 * plus an OS file lock. A crashed process releases its file lock with its file descriptors.
 */
public final class FileLocks {
  private FileLocks() {}

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** Runs body while holding the lock of lockFile (blocking). Re-entrant within a thread. */
  public static <T> T withLock(Path lockFile, Supplier<T> body) {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    jvm.lock();
    try {
      if (jvm.getHoldCount() > 1) {
        return body.get();
      }
      try (FileChannel ch = open(key)) {
        FileLock lock = ch.lock();
        try {
          return body.get();
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw Errors.cannotLock(key, e);
      }
    } finally {
      jvm.unlock();
    }
  }

  /** Runs body if the lock can be taken now; returns false (without running) when someone holds it. */
  public static boolean tryWithLock(Path lockFile, Runnable body) {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    if (!jvm.tryLock()) {
      return false;
    }
    try (FileChannel ch = open(key)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return false;
      }
      try {
        body.run();
        return true;
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw Errors.cannotLock(key, e);
    } finally {
      jvm.unlock();
    }
  }

  private static FileChannel open(Path key) throws IOException {
    Files.createDirectories(key.getParent());
    return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }
}
