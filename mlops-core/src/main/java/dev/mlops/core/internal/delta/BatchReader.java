package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.ShortType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Copies Kernel batches (honouring the selection vector) into SDK columns. */
final class BatchReader {
  private BatchReader() {}

  /**
   * The selected rows of a batch as a frame with the given schema; columns are looked up by name in
   * the batch.
   */
  static Frame toFrame(FilteredColumnarBatch fb, Schema schema) {
    ColumnarBatch b = fb.getData();
    int n = b.getSize();
    int[] rows = selected(fb.getSelectionVector(), n);
    int m = rows == null ? n : rows.length;
    List<Column> cols = new ArrayList<>(schema.size());
    for (Field f : schema.fields()) {
      int ord = b.getSchema().indexOf(f.name());
      ColumnVector v = b.getColumnVector(ord);
      cols.add(read(v, f, rows, m));
    }
    return Frame.of(cols);
  }

  private static int[] selected(Optional<ColumnVector> sel, int n) {
    if (sel.isEmpty()) {
      return null;
    }
    ColumnVector s = sel.get();
    int[] idx = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!s.isNullAt(i) && s.getBoolean(i)) {
        idx[k++] = i;
      }
    }
    if (k == n) {
      return null;
    }
    return java.util.Arrays.copyOf(idx, k);
  }

  private static Column read(ColumnVector v, Field f, int[] rows, int m) {
    DataType t = f.type();
    if (rows == null && v instanceof FrameBatch.Vector fv && fv.wholeColumn() != null && fv.wholeColumn().type() == t) {
      return fv.wholeColumn().rename(f.name()); // read by ColumnarParquet: the arrays are already ours
    }
    Object arr = Values.newArray(t, m);
    boolean[] nulls = null;
    io.delta.kernel.types.DataType kt = v.getDataType();
    // one type decision per column; the loops below are monomorphic
    switch (t) {
      case LONG, TIMESTAMP -> {
        long[] a = (long[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getLong(r);
          }
        }
      }
      case INT, DATE -> {
        int[] a = (int[]) arr;
        boolean isShort = kt instanceof ShortType;
        boolean isByte = kt instanceof ByteType;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = isShort ? v.getShort(r) : isByte ? v.getByte(r) : v.getInt(r);
          }
        }
      }
      case DOUBLE -> {
        double[] a = (double[]) arr;
        boolean isFloat = kt instanceof FloatType;
        boolean isDecimal = kt instanceof DecimalType;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = isFloat ? v.getFloat(r) : isDecimal ? v.getDecimal(r).doubleValue() : v.getDouble(r);
          }
        }
      }
      case BOOLEAN -> {
        boolean[] a = (boolean[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getBoolean(r);
          }
        }
      }
      case STRING -> {
        String[] a = (String[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getString(r);
          }
        }
      }
      default -> throw new AssertionError(t);
    }
    return ColumnAccess.wrap(f.name(), t, arr, nulls, m);
  }

  private static boolean[] mark(boolean[] nulls, int m, int i) {
    boolean[] n = nulls == null ? new boolean[m] : nulls;
    n[i] = true;
    return n;
  }
}
