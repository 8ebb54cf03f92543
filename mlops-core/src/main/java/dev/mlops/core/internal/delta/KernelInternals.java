package dev.mlops.core.internal.delta;

import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.FileStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The only place the SDK touches Delta Kernel internals. Kernel 4.4.0's public API has no way to
 * remove data files (copy-on-write upsert, overwrite, delete) nor to read a scan file without these
 * helpers, which its own examples use. The Kernel version is pinned exactly in the parent pom;
 * {@code KernelInternalsTest} checks each method against real tables, so an upgrade that changes
 * them fails there first.
 */
final class KernelInternals {
  private KernelInternals() {}

  /** Names of every table feature the snapshot's protocol supports (explicit, and implied by legacy versions). */
  static java.util.Set<String> tableFeatures(io.delta.kernel.Snapshot s) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (io.delta.kernel.internal.tablefeatures.TableFeature f
        : ((io.delta.kernel.internal.SnapshotImpl) s).getProtocol().getImplicitlyAndExplicitlySupportedFeatures()) {
      out.add(f.featureName());
    }
    return out;
  }

  /** The physical schema (column-mapped names) the data files of a write must have. */
  static StructType physicalWriteSchema(Row transactionState) {
    return TransactionStateRow.getPhysicalSchema(transactionState);
  }

  /** The logical schema of a write (the transaction's, including columns it adds). */
  static StructType logicalWriteSchema(Row transactionState) {
    return TransactionStateRow.getLogicalSchema(transactionState);
  }

  /** The physical schema to read from the data files of a scan. */
  static StructType physicalReadSchema(Row scanState) {
    return ScanStateRow.getPhysicalDataReadSchema(scanState);
  }

  /** Path, size and modification time of the data file of a scan-file row. */
  static FileStatus fileStatus(Row scanFile) {
    return InternalScanFileUtils.getAddFileStatus(scanFile);
  }

  /** The add action of a scan-file row. */
  private static AddFile add(Row scanFile) {
    return new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL));
  }

  /** The relative path of the data file (as in the Delta log). */
  static String path(Row scanFile) {
    return add(scanFile).getPath();
  }

  /** The file's min/max/null-count statistics for the given physical columns, when recorded and readable. */
  static Optional<io.delta.kernel.statistics.DataFileStatistics> stats(Row scanFile, StructType physical) {
    return add(scanFile).getStats(physical);
  }

  /** Rows in the data file according to its statistics, if recorded. */
  static Optional<Long> numRecords(Row scanFile) {
    return add(scanFile).getNumRecords();
  }

  /** True when a deletion vector hides some rows of the file. */
  static boolean hasDeletionVector(Row scanFile) {
    return add(scanFile).getDeletionVector().isPresent();
  }

  /** Identity of the file's deletion vector ("" when none): a new DV on the same file is a change. */
  static String deletionVectorId(Row scanFile) {
    return add(scanFile).getDeletionVector().map(d -> d.getUniqueId()).orElse("");
  }

  /** A remove action (with the file's statistics) for the data file of a scan-file row. */
  static Row removeAction(Row scanFile) {
    return SingleAction.createRemoveFileSingleAction(add(scanFile).toRemoveFileRow(true, Optional.empty()));
  }

  /** Partition values of the file, keyed by physical partition column name. */
  static Map<String, String> partitionValues(Row scanFile) {
    Map<String, String> out = new HashMap<>();
    MapValue m = add(scanFile).getPartitionValues();
    for (int i = 0; i < m.getSize(); i++) {
      out.put(m.getKeys().getString(i), m.getValues().isNullAt(i) ? null : m.getValues().getString(i));
    }
    return out;
  }

  /** One commit of a table's history as the SDK reports it. */
  record CommitSummary(long version, long timestampMillis, String operation, String engineInfo,
      long rowsAdded, long rowsRemoved, int filesAdded, int filesRemoved) {}

  /** Reads every commit still in the log, oldest first (commitInfo, add and remove actions). */
  static java.util.List<CommitSummary> history(io.delta.kernel.engine.Engine engine, String location,
      long fromVersion) {
    java.util.Set<io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction> actions = java.util.EnumSet.of(
        io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction.COMMITINFO,
        io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction.ADD,
        io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction.REMOVE);
    java.util.List<CommitSummary> out = new java.util.ArrayList<>();
    io.delta.kernel.CommitRange range = io.delta.kernel.TableManager
        .loadCommitRange(location, io.delta.kernel.CommitRangeBuilder.CommitBoundary.atVersion(fromVersion))
        .build(engine);
    try (io.delta.kernel.utils.CloseableIterator<io.delta.kernel.CommitActions> commits =
        range.getCommitActions(engine, actions)) {
      while (commits.hasNext()) {
        try (io.delta.kernel.CommitActions c = commits.next()) {
          String op = "";
          String engineInfo = "";
          java.util.List<FileRows> adds = new java.util.ArrayList<>();
          java.util.List<FileRows> removes = new java.util.ArrayList<>();
          try (io.delta.kernel.utils.CloseableIterator<io.delta.kernel.data.ColumnarBatch> it = c.getActions()) {
            while (it.hasNext()) {
              io.delta.kernel.data.ColumnarBatch b = it.next();
              int ci = b.getSchema().indexOf("commitInfo");
              int ai = b.getSchema().indexOf("add");
              int ri = b.getSchema().indexOf("remove");
              for (int r = 0; r < b.getSize(); r++) {
                if (ci >= 0 && !b.getColumnVector(ci).isNullAt(r)) {
                  io.delta.kernel.data.ColumnVector civ = b.getColumnVector(ci);
                  op = childString(civ, "operation", r, op);
                  engineInfo = childString(civ, "engineInfo", r, engineInfo);
                }
                if (ai >= 0 && !b.getColumnVector(ai).isNullAt(r)) {
                  adds.add(FileRows.of(b.getColumnVector(ai), r));
                }
                if (ri >= 0 && !b.getColumnVector(ri).isNullAt(r)) {
                  removes.add(FileRows.of(b.getColumnVector(ri), r));
                }
              }
            }
          }
          long[] rows = logicalRows(adds, removes);
          long added = rows[0];
          long removed = rows[1];
          int filesAdded = adds.size();
          int filesRemoved = removes.size();
          out.add(new CommitSummary(c.getVersion(), c.getTimestamp(), op, engineInfo, added, removed,
              filesAdded, filesRemoved));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    return monotonic(out);
  }

  /**
   * Commit times as time travel sees them: a commit's time is its log file's modification time
   * (without in-commit timestamps), and Kernel's {@code atTimestamp} raises each one that is not
   * after the one before to that time + 1 ms, as Delta does. Stores whose times have seconds only
   * (S3) give two quick commits the same time; without the same rule here, {@code asOf} of a time
   * that {@code history()} reported could read the version before it.
   */
  static java.util.List<CommitSummary> monotonic(java.util.List<CommitSummary> oldestFirst) {
    java.util.List<CommitSummary> out = new java.util.ArrayList<>(oldestFirst.size());
    long last = Long.MIN_VALUE;
    for (CommitSummary c : oldestFirst) {
      long t = last != Long.MIN_VALUE && c.timestampMillis() <= last ? last + 1 : c.timestampMillis();
      out.add(t == c.timestampMillis() ? c : new CommitSummary(c.version(), t, c.operation(), c.engineInfo(),
          c.rowsAdded(), c.rowsRemoved(), c.filesAdded(), c.filesRemoved()));
      last = t;
    }
    return out;
  }

  /** The paths (as written in the log) of data files added by the commits from a version on. */
  static java.util.Set<String> addedPaths(io.delta.kernel.engine.Engine engine, String location, long fromVersion) {
    java.util.Set<io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction> actions = java.util.EnumSet.of(
        io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction.ADD);
    java.util.Set<String> out = new java.util.HashSet<>();
    io.delta.kernel.CommitRange range = io.delta.kernel.TableManager
        .loadCommitRange(location, io.delta.kernel.CommitRangeBuilder.CommitBoundary.atVersion(fromVersion))
        .build(engine);
    try (io.delta.kernel.utils.CloseableIterator<io.delta.kernel.CommitActions> commits =
        range.getCommitActions(engine, actions)) {
      while (commits.hasNext()) {
        try (io.delta.kernel.CommitActions c = commits.next();
            io.delta.kernel.utils.CloseableIterator<io.delta.kernel.data.ColumnarBatch> it = c.getActions()) {
          while (it.hasNext()) {
            io.delta.kernel.data.ColumnarBatch b = it.next();
            int ai = b.getSchema().indexOf("add");
            if (ai < 0) {
              continue;
            }
            io.delta.kernel.data.ColumnVector add = b.getColumnVector(ai);
            for (int r = 0; r < b.getSize(); r++) {
              if (!add.isNullAt(r)) {
                String p = childString(add, "path", r, null);
                if (p != null) {
                  out.add(p);
                }
              }
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static String childString(io.delta.kernel.data.ColumnVector struct, String name, int row, String dflt) {
    io.delta.kernel.types.StructType st = (io.delta.kernel.types.StructType) struct.getDataType();
    int i = st.indexOf(name);
    if (i < 0) {
      return dflt;
    }
    io.delta.kernel.data.ColumnVector v = struct.getChild(i);
    return v.isNullAt(row) ? dflt : v.getString(row);
  }

  /**
   * One add or remove action: its path, the rows its statistics count (0 when it has none) and the
   * cardinality of its deletion vector (0 when none).
   */
  record FileRows(String path, long records, long deleted) {
    static FileRows of(io.delta.kernel.data.ColumnVector action, int row) {
      return new FileRows(childString(action, "path", row, ""), KernelInternals.records(action, row),
          dvCardinality(action, row));
    }

    /** Rows the file shows to readers: its rows less those its deletion vector hides. */
    long visible() {
      return Math.max(0, records - deleted);
    }
  }

  /**
   * Logical rows a commit added and removed ({added, removed}). A deletion-vector commit (DELETE, UPDATE,
   * MERGE by Spark) removes a file and adds the same file back with a larger deletion vector: only the
   * rows the new vector hides were removed, not the whole file, so such a pair counts the difference of
   * the two cardinalities. Every other add counts its visible rows as added, every other remove its
   * visible rows as removed (file statistics less the deletion vector's cardinality).
   */
  static long[] logicalRows(java.util.List<FileRows> adds, java.util.List<FileRows> removes) {
    java.util.Map<String, java.util.Deque<FileRows>> removedByPath = new java.util.HashMap<>();
    for (FileRows r : removes) {
      removedByPath.computeIfAbsent(r.path(), k -> new java.util.ArrayDeque<>()).add(r);
    }
    long added = 0;
    long removed = 0;
    for (FileRows a : adds) {
      java.util.Deque<FileRows> same = removedByPath.get(a.path());
      FileRows r = same == null ? null : same.poll();
      if (r == null) {
        added += a.visible();
      } else if (a.deleted() >= r.deleted()) {
        removed += a.deleted() - r.deleted();
      } else {
        added += r.deleted() - a.deleted(); // a smaller vector shows rows again (e.g. a restore)
      }
    }
    for (java.util.Deque<FileRows> left : removedByPath.values()) {
      for (FileRows r : left) {
        removed += r.visible();
      }
    }
    return new long[] {added, removed};
  }

  /** deletionVector.cardinality of an add or remove action, 0 when it has no deletion vector. */
  private static long dvCardinality(io.delta.kernel.data.ColumnVector action, int row) {
    io.delta.kernel.types.StructType st = (io.delta.kernel.types.StructType) action.getDataType();
    int i = st.indexOf("deletionVector");
    if (i < 0) {
      return 0;
    }
    io.delta.kernel.data.ColumnVector dv = action.getChild(i);
    if (dv.isNullAt(row)) {
      return 0;
    }
    io.delta.kernel.types.StructType dt = (io.delta.kernel.types.StructType) dv.getDataType();
    int ci = dt.indexOf("cardinality");
    return ci < 0 || dv.getChild(ci).isNullAt(row) ? 0 : dv.getChild(ci).getLong(row);
  }

  private static long records(io.delta.kernel.data.ColumnVector action, int row) {
    String stats = childString(action, "stats", row, null);
    if (stats == null) {
      return 0;
    }
    return io.delta.kernel.statistics.DataFileStatistics.getNumRecords(stats).orElse(0L);
  }
}
