package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of a table read file by file and row group by row group, only the columns asked for,
 * on the workspace's I/O threads, without ever holding the whole table: for the SDK's own streaming
 * joins (the point-in-time join reads keys and times first, then only the feature columns of the
 * files that hold matches). Each row group arrives as its own {@link Frame} (the columnar reader's
 * arrays, no copy, no concatenation), decoded into arrays each worker reuses from group to group
 * (with parquet-mr's chunk buffers and the decompressed pages), so a scan allocates almost nothing
 * per row group.
 *
 * <p>A fast path only: {@link #open} answers empty, and {@link #forEach} false, whenever Kernel's
 * general read is needed (files not on local disk, partition columns, deletion vectors, types or
 * encodings the columnar reader does not take, a data file gone); the caller then reads the table
 * the general way, which also gives the typed errors.
 */
public final class ColumnScan {
  private final TableOps ops;
  private final Snapshot snapshot;
  private final Schema schema;
  private final List<Path> files;

  private ColumnScan(TableOps ops, Snapshot snapshot, Schema schema, List<Path> files) {
    this.ops = ops;
    this.snapshot = snapshot;
    this.schema = schema;
    this.files = files;
  }

  /**
   * The data files of a table version, or empty when they need Kernel's general read.
   *
   * @param table the table
   * @param version the version to read, or null for the latest
   */
  public static Optional<ColumnScan> open(DeltaTable table, Long version) {
    TableOps ops = TableAccess.ops(table);
    if (DeltaStore.localPath(ops.location()) == null) {
      return Optional.empty();
    }
    Snapshot s = ops.snapshot(null, version, null);
    if (!s.getPartitionColumnNames().isEmpty()) {
      return Optional.empty();
    }
    List<Path> files = new ArrayList<>();
    boolean[] general = new boolean[1];
    ops.forEachScanFile(s, null, f -> {
      Path local = DeltaStore.localPath(KernelInternals.fileStatus(f).getPath());
      if (local == null || KernelInternals.hasDeletionVector(f)) {
        general[0] = true;
      }
      files.add(local);
    });
    if (general[0]) {
      return Optional.empty();
    }
    return Optional.of(new ColumnScan(ops, s, TypeMapping.fromKernel(s.getSchema()), List.copyOf(files)));
  }

  /** The table's schema at this version. */
  public Schema schema() {
    return schema;
  }

  /** Number of data files. */
  public int files() {
    return files.size();
  }

  /** How many workers {@link #forEach} runs at most (worker numbers are 0 to this - 1). */
  public int workers() {
    return Math.max(1, Math.min(DeltaStore.THREADS, files.size()));
  }

  /** Receives the row groups of the files; called from several threads at once (one per worker). */
  @FunctionalInterface
  public interface Visitor {
    /**
     * One row group.
     *
     * @param worker the calling worker (0 .. workers()-1): state indexed by it is never shared
     * @param file the file's number (0 .. files()-1, the order of the snapshot's file list)
     * @param firstRow the group's first row within its file
     * @param rows the group's rows, the requested columns under their logical names
     */
    void accept(int worker, int file, int firstRow, Frame rows);
  }

  /**
   * Reads the given columns of the given files (or all files when fileNumbers is null), each file
   * by one worker, row groups in file order. The arrays of the columns a visitor receives are the
   * worker's, reused for its next row group: copy what you keep, never keep the frame or its columns.
   *
   * @return false when some file needs Kernel's general read (the visitor may have seen other
   *     files: discard what it gathered)
   */
  public boolean forEach(List<String> columns, int[] fileNumbers, Visitor visitor) {
    StructType full = snapshot.getSchema();
    List<StructField> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(full.get(c));
    }
    Row state = snapshot.getScanBuilder().withReadSchema(new StructType(fields)).build().getScanState(ops.engine());
    StructType physical = KernelInternals.physicalReadSchema(state);
    if (physical.length() != columns.size() || !ColumnarParquet.supports(physical)) {
      return false;
    }
    int[] todo = fileNumbers;
    if (todo == null) {
      todo = new int[files.size()];
      for (int i = 0; i < todo.length; i++) {
        todo[i] = i;
      }
    }
    int[] work = todo;
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean general = new AtomicBoolean();
    List<Integer> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(workers(), Math.max(1, work.length)); w++) {
      workers.add(w);
    }
    Parallel.map(ops.store().executor(), workers.size(), workers, w -> {
      ColumnarParquet.Buffers buffers = ColumnarParquet.Buffers.borrow(); // reused by the next scan
      try {
        int i;
        while (!general.get() && (i = next.getAndIncrement()) < work.length) {
          int file = work[i];
          Path p = files.get(file);
          boolean read;
          try {
            read = ColumnarParquet.scan(p, physical, buffers, (first, cols, n) -> {
              List<Column> named = new ArrayList<>(cols.size());
              for (int c = 0; c < cols.size(); c++) {
                named.add(cols.get(c).rename(columns.get(c)));
              }
              visitor.accept(w, file, first, Frame.of(named));
            });
          } catch (NoSuchFileException e) {
            read = false; // the general read names the missing file and how to recover
          } catch (IOException e) {
            throw Errors.cannotScanDataFile(p, ops.display(), e);
          }
          if (!read) {
            general.set(true);
          }
        }
      } finally {
        ColumnarParquet.Buffers.giveBack(buffers);
      }
      return null;
    }, ops.display());
    return !general.get();
  }
}
