package dev.mlops.monitor.internal;

import dev.mlops.core.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock held by one thread of one process at a time: a JVM lock per file (an OS file lock is held
 * per process, not per thread) plus an OS lock on the file. Monitors and alerts use it.
 */
public final class ProcessLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final ReentrantLock jvm;
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(ReentrantLock jvm, FileChannel channel, FileLock lock) {
    this.jvm = jvm;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for and takes the lock on file p (created with its folders when missing). */
  public static ProcessLock acquire(Path p) {
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(p.toAbsolutePath(), k -> new ReentrantLock());
    jvm.lock();
    try {
      Files.createDirectories(p.getParent());
      FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new ProcessLock(jvm, ch, ch.lock());
    } catch (IOException e) {
      jvm.unlock();
      throw Errors.cannotLock(p, e);
    } catch (RuntimeException e) {
      jvm.unlock();
      throw e;
    }
  }

  /** Releases the OS lock and the JVM lock. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel (or the process ending) releases the OS lock anyway
    } finally {
      jvm.unlock();
    }
  }
}
