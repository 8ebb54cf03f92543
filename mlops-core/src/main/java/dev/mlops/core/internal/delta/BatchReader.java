package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.MapValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Copies Kernel batches (honouring the selection vector) into SDK columns. */
final class BatchReader {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

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
    if (rows == null && v instanceof FrameBatch.Vector fv && fv.wholeColumn() != null
        && fv.wholeColumn().columnType().equals(f.columnType())) {
      return fv.wholeColumn().rename(f.name()); // read by ColumnarParquet: the arrays are already ours
    }
    Object arr = Values.newArray(t, m);
    boolean[] nulls = null;
    // one type decision per column; the loops below are monomorphic
    switch (t) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
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
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getInt(r);
          }
        }
      }
      case SHORT -> {
        short[] a = (short[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getShort(r);
          }
        }
      }
      case BYTE -> {
        byte[] a = (byte[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getByte(r);
          }
        }
      }
      case DOUBLE -> {
        double[] a = (double[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getDouble(r);
          }
        }
      }
      case FLOAT -> {
        float[] a = (float[]) arr;
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = v.getFloat(r);
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
      default -> {
        Object[] a = (Object[]) arr;
        ColumnType ct = f.columnType();
        for (int i = 0; i < m; i++) {
          int r = rows == null ? i : rows[i];
          if (v.isNullAt(r)) {
            nulls = mark(nulls, m, i);
          } else {
            a[i] = value(v, r, ct);
          }
        }
      }
    }
    return COLUMNS.wrap(f.name(), f.columnType(), arr, nulls, m);
  }

  /** The canonical SDK value at a non-null row of a vector (see {@code Values.convert}). */
  static Object value(ColumnVector v, int r, ColumnType t) {
    switch (t.kind()) {
      case LONG:
        return v.getLong(r);
      case INT:
        return v.getInt(r);
      case SHORT:
        return v.getShort(r);
      case BYTE:
        return v.getByte(r);
      case DOUBLE:
        return v.getDouble(r);
      case FLOAT:
        return v.getFloat(r);
      case BOOLEAN:
        return v.getBoolean(r);
      case STRING:
        return v.getString(r);
      case BINARY:
        return v.getBinary(r);
      case TIMESTAMP:
        return Values.microsToInstant(v.getLong(r));
      case TIMESTAMP_NTZ:
        return Values.microsToLocal(v.getLong(r));
      case DATE:
        return LocalDate.ofEpochDay(v.getInt(r));
      case DECIMAL: {
        BigDecimal d = v.getDecimal(r);
        int scale = ((ColumnType.Decimal) t).scale();
        return d.scale() == scale ? d : d.setScale(scale, RoundingMode.UNNECESSARY);
      }
      case STRUCT: {
        List<Field> fields = ((ColumnType.Struct) t).fields();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
          ColumnVector c = v.getChild(i);
          out.put(fields.get(i).name(), c.isNullAt(r) ? null : value(c, r, fields.get(i).columnType()));
        }
        return Collections.unmodifiableMap(out);
      }
      case ARRAY: {
        ArrayValue a = v.getArray(r);
        ColumnVector e = a.getElements();
        ColumnType et = ((ColumnType.ArrayOf) t).element();
        List<Object> out = new ArrayList<>(a.getSize());
        for (int i = 0; i < a.getSize(); i++) {
          out.add(e.isNullAt(i) ? null : value(e, i, et));
        }
        return Collections.unmodifiableList(out);
      }
      case MAP: {
        MapValue mv = v.getMap(r);
        ColumnType.MapOf mt = (ColumnType.MapOf) t;
        ColumnVector keys = mv.getKeys();
        ColumnVector vals = mv.getValues();
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < mv.getSize(); i++) {
          out.put(value(keys, i, mt.key()), vals.isNullAt(i) ? null : value(vals, i, mt.value()));
        }
        return Collections.unmodifiableMap(out);
      }
      default:
        throw new AssertionError(t);
    }
  }

  private static boolean[] mark(boolean[] nulls, int m, int i) {
    boolean[] n = nulls == null ? new boolean[m] : nulls;
    n[i] = true;
    return n;
  }
}
