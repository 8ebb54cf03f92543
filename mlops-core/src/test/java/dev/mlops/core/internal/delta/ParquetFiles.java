package dev.mlops.core.internal.delta;

import io.delta.kernel.Transaction;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test helpers: read Parquet files row by row through either reader; commit outside files to a Delta table with Kernel. */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Kernel's own default Parquet reader (no SDK code in the path). */
  static ParquetHandler kernelReader() {
    // LocalFileIO, not Hadoop's FileSystem: the SDK ships hadoop-common without Hadoop's security
    // libraries, so FileSystem.get fails in UserGroupInformation (as it would for a user)
    return DefaultEngine.create(new LocalFileIO(Map.of())).getParquetHandler();
  }

  /** The rows of a file as Kernel's default reader returns them. */
  static List<List<Object>> kernelRows(Path file, StructType schema) throws IOException {
    return rows(kernelReader(), file, schema);
  }

  /** The rows of a file through a Parquet handler (e.g. the SDK's). */
  static List<List<Object>> rows(ParquetHandler h, Path file, StructType schema) throws IOException {
    List<List<Object>> out = new ArrayList<>();
    try (CloseableIterator<FileReadResult> it = h.readParquetFiles(
        Iters.of(List.of(FileStatus.of(file.toUri().toString(), Files.size(file), 0))), schema, Optional.empty())) {
      while (it.hasNext()) {
        rows(it.next().getData(), out);
      }
    }
    return out;
  }

  /** The rows the SDK's columnar reader returns; fails when it would hand the file to Kernel. */
  static List<List<Object>> fastRows(Path file, StructType schema) throws IOException {
    Optional<List<ColumnarBatch>> batches = ColumnarParquet.read(file, schema);
    if (batches.isEmpty()) {
      throw new AssertionError("the columnar reader handed " + file + " to Kernel's reader");
    }
    List<List<Object>> out = new ArrayList<>();
    for (ColumnarBatch b : batches.get()) {
      rows(b, out);
    }
    return out;
  }

  static void rows(ColumnarBatch b, List<List<Object>> out) {
    StructType s = b.getSchema();
    for (int r = 0; r < b.getSize(); r++) {
      List<Object> row = new ArrayList<>(s.length());
      for (int c = 0; c < s.length(); c++) {
        row.add(value(b.getColumnVector(c), r, s.at(c).getDataType()));
      }
      out.add(row);
    }
  }

  /** A comparable Java value of a vector's row: numbers boxed, binary as hex, structs as maps. */
  static Object value(ColumnVector v, int r, DataType t) {
    if (v.isNullAt(r)) {
      return null;
    }
    if (t instanceof LongType || t instanceof TimestampType || t instanceof TimestampNTZType) {
      return v.getLong(r);
    } else if (t instanceof IntegerType || t instanceof DateType) {
      return v.getInt(r);
    } else if (t instanceof ShortType) {
      return v.getShort(r);
    } else if (t instanceof ByteType) {
      return v.getByte(r);
    } else if (t instanceof DoubleType) {
      return v.getDouble(r);
    } else if (t instanceof FloatType) {
      return v.getFloat(r);
    } else if (t instanceof BooleanType) {
      return v.getBoolean(r);
    } else if (t instanceof StringType) {
      return v.getString(r);
    } else if (t instanceof BinaryType) {
      return HexFormat.of().formatHex(v.getBinary(r));
    } else if (t instanceof DecimalType) {
      return v.getDecimal(r);
    } else if (t instanceof StructType st) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < st.length(); i++) {
        StructField f = st.at(i);
        m.put(f.getName(), value(v.getChild(i), r, f.getDataType()));
      }
      return m;
    }
    throw new AssertionError("no test conversion for " + t);
  }

  /** A decimal for comparisons that ignore nothing (scale included). */
  static BigDecimal dec(long unscaled, int scale) {
    return BigDecimal.valueOf(unscaled, scale);
  }

  /**
   * Creates a Delta table at {@code table} (no column mapping: physical names are the logical ones)
   * whose only version after creation adds these Parquet files, already inside the table directory,
   * through Kernel's transaction API.
   */
  static void commitFiles(Path table, StructType schema, List<Path> files) throws IOException {
    Engine engine = DefaultEngine.create(new LocalFileIO(Map.of()));
    String location = table.toUri().toString();
    TableManager.buildCreateTableTransaction(location, schema, "test").build(engine)
        .commit(engine, CloseableIterable.emptyIterable());
    Transaction txn = TableManager.loadSnapshot(location).build(engine)
        .buildUpdateTableTransaction("test", io.delta.kernel.Operation.WRITE).build(engine);
    Row state = txn.getTransactionState(engine);
    var ctx = Transaction.getWriteContext(engine, state, Map.of());
    List<DataFileStatus> st = new ArrayList<>();
    for (Path f : files) {
      st.add(new DataFileStatus(f.toUri().toString(), Files.size(f), Files.getLastModifiedTime(f).toMillis(),
          Optional.empty()));
    }
    List<Row> actions = new ArrayList<>();
    try (CloseableIterator<Row> adds = Transaction.generateAppendActions(engine, state, Iters.of(st), ctx)) {
      while (adds.hasNext()) {
        actions.add(adds.next());
      }
    }
    txn.commit(engine, CloseableIterable.inMemoryIterable(Iters.of(actions)));
  }
}
