package dev.mlops.core.internal.delta;

import java.util.List;

/**
 * Records every file a data-writing thread opens, so that a write that fails half-way (Kernel's
 * Parquet writer creates the file before it has written a row) can delete what it started. The
 * writer names its files itself and reports them only on success; without this a failed write left
 * a few-byte orphan Parquet file in the table directory.
 *
 * <p>Usage on the writing thread: {@code WrittenFiles.into(list)} before writing, {@code WrittenFiles.stop()} in
 * {@code finally}; {@link LocalFileIO} calls {@link #opened} for every file it creates. Paths are added to the
 * list under its lock.
 */
final class WrittenFiles {
  private WrittenFiles() {}

  private static final ThreadLocal<List<String>> SINK = new ThreadLocal<>();

  /** From now on, files this thread opens are added to the list. */
  static void into(List<String> sink) {
    SINK.set(sink);
  }

  /** Stops recording for this thread. */
  static void stop() {
    SINK.remove();
  }

  /** Called by the file system layer when it creates a file for writing. */
  static void opened(String path) {
    List<String> sink = SINK.get();
    if (sink != null) {
      synchronized (sink) {
        sink.add(path);
      }
    }
  }
}
