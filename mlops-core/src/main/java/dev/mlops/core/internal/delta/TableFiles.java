package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Pacing;
import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-file I/O of one table: listing the files of a snapshot, decoding one file into a frame,
 * writing a frame as data files (one group per partition, large groups sliced over all cores) with
 * their add actions, and deleting files a failed commit left behind. No planning and no commits.
 */
final class TableFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);
  /** Rows per slice below which a write stays on one thread. */
  private static final int MIN_SLICE_ROWS = 250_000;
  private static final int THREADS = DeltaStore.THREADS;

  private final TableOps table;
  private final Engine engine;

  TableFiles(TableOps table) {
    this.table = table;
    this.engine = table.engine();
  }

  /** A data file the log references that is not on storage. */
  static final class MissingDataFile extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String path;

    MissingDataFile(String path, Throwable cause) {
      super(path, cause);
      this.path = path;
    }
  }

  private static boolean isMissingFile(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.io.FileNotFoundException || c instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  /** Runs fn on every item, on all cores of the workspace's executor, results in item order. */
  <T, R> List<R> parallel(List<T> items, Function<T, R> fn) {
    return Parallel.map(table.store().executor(), THREADS, items, fn, table.display());
  }

  /** Calls action for every scan file (add action) of the snapshot that the filter does not rule out. */
  void forEachScanFile(Snapshot s, Predicate filter, Consumer<Row> action) {
    var sb = s.getScanBuilder();
    if (filter != null) {
      sb = sb.withFilter(filter);
    }
    Scan scan = sb.build();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine, true)) {
      while (files.hasNext()) {
        FilteredColumnarBatch fb = files.next();
        try (CloseableIterator<Row> rows = fb.getRows()) {
          while (rows.hasNext()) {
            action.accept(rows.next());
          }
        }
      }
    } catch (IOException e) {
      throw Errors.listDataFilesTable(table.display(), e);
    }
  }

  /** Every scan file of a scan (the read path's listing, data skipping applied). */
  List<Row> scanFiles(Scan scan) {
    List<Row> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> it = scan.getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          rows.forEachRemaining(files::add);
        }
      }
    } catch (IOException e) {
      throw Errors.listDataFilesTable(table.display(), e);
    }
    return files;
  }

  /**
   * Decodes one data file into a frame of the given logical schema.
   *
   * @throws MissingDataFile when the file is not on storage (the caller says which version needs it)
   */
  Frame readScanFile(Row scanState, Row scanFile, Schema schema) {
    FileStatus fs = KernelInternals.fileStatus(scanFile);
    StructType physical = KernelInternals.physicalReadSchema(scanState);
    List<Frame> parts = new ArrayList<>();
    try (CloseableIterator<FileReadResult> raw = engine.getParquetHandler()
            .readParquetFiles(Iters.of(List.of(fs)), physical, Optional.empty());
        CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile,
            raw.map(FileReadResult::getData))) {
      while (logical.hasNext()) {
        parts.add(BatchReader.toFrame(logical.next(), schema));
      }
    } catch (IOException | RuntimeException e) {
      java.nio.file.Path lp = DeltaStore.localPath(fs.getPath());
      if (isMissingFile(e) || (lp != null && !java.nio.file.Files.exists(lp))) {
        throw new MissingDataFile(fs.getPath(), e);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw Errors.cannotReadDataFile(fs.getPath(), table.display(), e);
    }
    return parts.isEmpty() ? Frame.empty(schema) : Frame.concat(parts);
  }

  /**
   * Writes data files (one group per partition) and adds their add actions to {@code actions};
   * every file written (also one a writer opened and then failed on) is added to {@code written}, so
   * the caller can delete them when the commit does not happen. Returns the number of files.
   */
  int writeData(Snapshot s, Row state, Frame data, List<Row> actions, List<String> written) {
    StructType logical = KernelInternals.logicalWriteSchema(state);
    StructType physical = KernelInternals.physicalWriteSchema(state);
    List<String> partCols = s.getPartitionColumnNames();
    Set<String> partSet = new HashSet<>(partCols);
    List<StructField> dataFields = new ArrayList<>();
    List<String> dataCols = new ArrayList<>();
    List<io.delta.kernel.expressions.Column> stats = new ArrayList<>();
    for (int i = 0; i < logical.length(); i++) {
      String name = logical.at(i).getName();
      if (partSet.contains(name)) {
        continue;
      }
      StructField pf = physical.at(i);
      dataFields.add(WriteProtocol.dataField(pf, s.getTableProperties()));
      dataCols.add(name);
      if (stats.size() < 32) {
        stats.add(new io.delta.kernel.expressions.Column(pf.getName()));
      }
    }
    StructType dataSchema = new StructType(dataFields);
    // Large groups are cut into slices written on all cores (one or more files each); a slice is a
    // row range of the group's columns, not a copy.
    List<Slice> jobs = new ArrayList<>();
    for (Map.Entry<Map<String, Literal>, Frame> g : partitions(data, partCols).entrySet()) {
      Frame part = g.getValue();
      int slices = part.rowCount() >= 2 * MIN_SLICE_ROWS ? Math.min(THREADS, part.rowCount() / MIN_SLICE_ROWS) : 1;
      for (int k = 0; k < slices; k++) {
        int lo = (int) ((long) part.rowCount() * k / slices);
        int hi = (int) ((long) part.rowCount() * (k + 1) / slices);
        jobs.add(new Slice(g.getKey(), part, lo, hi));
      }
    }
    List<List<DataFileStatus>> results = parallel(jobs, job -> {
      Frame part = job.rows();
      // a paced write (background commits) may leave the CPU between Kernel's steps
      DataWriteContext ctx = Transaction.getWriteContext(engine, state, job.partition());
      Pacing.point();
      List<Column> cols = new ArrayList<>();
      for (String c : dataCols) {
        cols.add(part.column(c));
      }
      FrameBatch batch = new FrameBatch(dataSchema, cols, job.from(), job.to() - job.from());
      List<DataFileStatus> statuses = new ArrayList<>();
      WrittenFiles.into(written); // a file the writer opens and then fails on is deleted with the others
      try (CloseableIterator<DataFileStatus> st = engine.getParquetHandler().writeParquetFiles(
          ctx.getTargetDirectory(), Iters.of(List.of(new FilteredColumnarBatch(batch, Optional.empty()))), stats)) {
        while (st.hasNext()) {
          DataFileStatus d = st.next();
          statuses.add(d);
          synchronized (written) {
            written.add(d.getPath());
          }
        }
      } catch (IOException e) {
        throw Errors.writeDataFilesTable(table.display(), ctx.getTargetDirectory(), e.getMessage(), e);
      } finally {
        WrittenFiles.stop();
      }
      return statuses;
    });
    int files = 0;
    for (int j = 0; j < jobs.size(); j++) {
      Pacing.point();
      DataWriteContext ctx = Transaction.getWriteContext(engine, state, jobs.get(j).partition());
      Pacing.point();
      files += results.get(j).size();
      try (CloseableIterator<Row> adds = Transaction.generateAppendActions(engine, state, Iters.of(results.get(j)), ctx)) {
        while (adds.hasNext()) {
          actions.add(adds.next());
        }
      } catch (IOException e) {
        throw Errors.recordDataFilesTable(table.display(), e);
      }
    }
    return files;
  }

  /** Rows [from, to) of one partition's rows, written as one or more files by one thread. */
  private record Slice(Map<String, Literal> partition, Frame rows, int from, int to) {}

  /** Rows grouped by partition values (one group with an empty map when unpartitioned). */
  private static Map<Map<String, Literal>, Frame> partitions(Frame data, List<String> partCols) {
    Map<Map<String, Literal>, Frame> out = new LinkedHashMap<>();
    if (partCols.isEmpty()) {
      out.put(Map.of(), data);
      return out;
    }
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < data.rowCount(); r++) {
      Object[] key = new Object[partCols.size()];
      for (int i = 0; i < key.length; i++) {
        key[i] = data.column(partCols.get(i)).isNull(r) ? null : FilterEval.storage(data.column(partCols.get(i)), r);
      }
      groups.computeIfAbsent(Arrays.asList(key), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<List<Object>, List<Integer>> g : groups.entrySet()) {
      Map<String, Literal> pv = new HashMap<>();
      for (int i = 0; i < partCols.size(); i++) {
        ColumnType t = data.column(partCols.get(i)).columnType();
        Object v = g.getKey().get(i);
        pv.put(partCols.get(i), v == null ? Literal.ofNull(TypeMapping.toKernel(t)) : FilterEval.literal(v, t));
      }
      int[] rows = g.getValue().stream().mapToInt(Integer::intValue).toArray();
      out.put(pv, data.take(rows));
    }
    return out;
  }

  /** Deletes files written for a commit that did not happen (local disk; elsewhere vacuum removes them). */
  void deleteQuietly(List<String> paths) {
    for (String path : paths) {
      try {
        java.nio.file.Path lp = DeltaStore.localPath(path);
        if (lp != null) {
          java.nio.file.Files.deleteIfExists(lp);
        }
      } catch (IOException e) {
        LOG.debug("Could not delete uncommitted file {}", path, e);
      }
    }
  }
}
