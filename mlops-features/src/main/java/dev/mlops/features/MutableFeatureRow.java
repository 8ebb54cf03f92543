package dev.mlops.features;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Values;
import dev.mlops.features.internal.Errors;
import dev.mlops.features.internal.PackedRows;
import dev.mlops.features.internal.RowAccess;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reusable row that a {@link FeatureReader} fills with the values of one key: the allocation-free
 * form of {@link OnlineStore#lookup(String, Object...)}. Mutable (each read replaces its contents) and
 * not thread-safe: keep one per thread. Values read the same as the one-row {@code Frame} that
 * {@code lookup} returns, column for column: the typed getters are those of {@code Column} (0, false
 * or NaN where null as there), {@link #get} boxes as {@code Column.get} does.
 *
 * <pre>{@code
 * FeatureReader reader = online.reader("main.crm.customer_features", List.of("spend_30d", "plan"));
 * MutableFeatureRow row = new MutableFeatureRow();
 * int spend = reader.columns().indexOf("spend_30d");           // resolve names once
 * if (reader.read(42L, row) && !row.isNull(spend)) {
 *   double s = row.getDouble(spend);
 * }
 * }</pre>
 */
public final class MutableFeatureRow {
  static {
    RowAccess.install((row, layout, id) -> {
      row.layout = layout;
      row.id = id;
    });
  }

  private PackedRows.Layout layout;
  private int id = -1;

  /** An empty row: {@link #found()} is false until a read fills it. */
  public MutableFeatureRow() {}

  /** True when the last read found its key (the values are that key's row). */
  public boolean found() {
    return id >= 0;
  }

  /** The columns of the last read, in order (empty before the first read). */
  public List<String> columns() {
    return layout == null ? List.of() : layout.names();
  }

  /**
   * The position of a column in {@link #columns()}.
   *
   * @throws ColumnNotFoundException when the last read had no such column
   */
  public int indexOf(String column) {
    int i = layout == null ? -1 : layout.indexOf(column);
    if (i < 0) {
      throw Errors.columnNotInRow(column, columns());
    }
    return i;
  }

  /** The type of column i. */
  public DataType type(int i) {
    check(i);
    return layout.type(i);
  }

  /** True when the value of column i is null. */
  public boolean isNull(int i) {
    check(i);
    return layout.isNull(id, i);
  }

  /**
   * Value of an integer column (LONG, INT, SHORT, BYTE), of a TIMESTAMP / TIMESTAMP_NTZ column
   * (microseconds) or of a DATE column (days); 0 where null.
   */
  public long getLong(int i) {
    DataType t = type(i);
    switch (t) {
      case LONG, INT, SHORT, BYTE, TIMESTAMP, TIMESTAMP_NTZ, DATE:
        return layout.bits(id, i);
      default:
        throw wrongType(i, "getLong");
    }
  }

  /** Value of an INT, SHORT or BYTE column, or of a DATE column (days); 0 where null. */
  public int getInt(int i) {
    DataType t = type(i);
    switch (t) {
      case INT, SHORT, BYTE, DATE:
        return (int) layout.bits(id, i);
      default:
        throw wrongType(i, "getInt");
    }
  }

  /**
   * Value of a numeric column (DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, or DECIMAL rounded to the
   * nearest double) as a double; NaN where null.
   */
  public double getDouble(int i) {
    DataType t = type(i);
    if (!t.isNumeric()) {
      throw wrongType(i, "getDouble");
    }
    if (layout.isNull(id, i)) {
      return Double.NaN;
    }
    return switch (t) {
      case DOUBLE -> Double.longBitsToDouble(layout.bits(id, i));
      case FLOAT -> Float.intBitsToFloat((int) layout.bits(id, i));
      case DECIMAL -> ((BigDecimal) layout.ref(id, i)).doubleValue();
      default -> layout.bits(id, i);
    };
  }

  /** Value of a FLOAT column; 0 where null. */
  public float getFloat(int i) {
    if (type(i) != DataType.FLOAT) {
      throw wrongType(i, "getFloat");
    }
    return Float.intBitsToFloat((int) layout.bits(id, i));
  }

  /** Value of a BOOLEAN column; false where null. */
  public boolean getBoolean(int i) {
    if (type(i) != DataType.BOOLEAN) {
      throw wrongType(i, "getBoolean");
    }
    return layout.bits(id, i) != 0;
  }

  /** Value of a STRING column; null where null. */
  public String getString(int i) {
    if (type(i) != DataType.STRING) {
      throw wrongType(i, "getString");
    }
    return (String) layout.ref(id, i);
  }

  /** Value of a DECIMAL column with the column's scale; null where null. */
  public BigDecimal getDecimal(int i) {
    if (type(i) != DataType.DECIMAL) {
      throw wrongType(i, "getDecimal");
    }
    return (BigDecimal) layout.ref(id, i);
  }

  /** A copy of the bytes of a BINARY column; null where null. */
  public byte[] getBinary(int i) {
    if (type(i) != DataType.BINARY) {
      throw wrongType(i, "getBinary");
    }
    byte[] b = (byte[]) layout.ref(id, i);
    return b == null ? null : b.clone();
  }

  /**
   * The value of column i boxed as {@code Column.get} boxes it ({@code Long}, {@code Double},
   * {@code Instant} for TIMESTAMP, {@code LocalDate} for DATE, a copy of a {@code byte[]}, ...), or
   * null for a null value.
   */
  public Object get(int i) {
    DataType t = type(i);
    if (layout.isNull(id, i)) {
      return null;
    }
    if (t == DataType.BINARY) {
      return ((byte[]) layout.ref(id, i)).clone();
    }
    if (PackedRows.isRef(t)) {
      return layout.ref(id, i); // STRING, DECIMAL and nested values are immutable
    }
    long v = layout.bits(id, i);
    return switch (t) {
      case LONG -> v;
      case INT -> (int) v;
      case SHORT -> (short) v;
      case BYTE -> (byte) v;
      case DOUBLE -> Double.longBitsToDouble(v);
      case FLOAT -> Float.intBitsToFloat((int) v);
      case BOOLEAN -> v != 0;
      case TIMESTAMP -> Values.microsToInstant(v);
      case TIMESTAMP_NTZ -> Values.microsToLocal(v);
      case DATE -> LocalDate.ofEpochDay((int) v);
      default -> throw Errors.unexpectedPackedType(t);
    };
  }

  /** The value of a column by name, boxed as {@link #get(int)}. */
  public Object get(String column) {
    return get(indexOf(column));
  }

  /** The value of a numeric column by name, as {@link #getDouble(int)}. */
  public double getDouble(String column) {
    return getDouble(indexOf(column));
  }

  /** The value of an integer, timestamp or date column by name, as {@link #getLong(int)}. */
  public long getLong(String column) {
    return getLong(indexOf(column));
  }

  /** The value of a STRING column by name, as {@link #getString(int)}. */
  public String getString(String column) {
    return getString(indexOf(column));
  }

  /** The row as an ordered map of column name to boxed value (as {@code Frame.row(0)}). */
  public Map<String, Object> toMap() {
    checkFound();
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < layout.size(); i++) {
      m.put(layout.name(i), get(i));
    }
    return m;
  }

  private void check(int i) {
    checkFound();
    Objects.checkIndex(i, layout.size());
  }

  private void checkFound() {
    if (id < 0) {
      throw layout == null ? Errors.rowNeverFilled() : Errors.rowNotFoundForKey();
    }
  }

  private SchemaMismatchException wrongType(int i, String method) {
    DataType t = layout.type(i);
    return new SchemaMismatchException("Column '" + layout.name(i) + "' is " + t + "; " + method
        + " does not apply to it. Use the getter for " + t + " or get(i).");
  }

  @Override
  public String toString() {
    return id < 0 ? "MutableFeatureRow(no row)" : "MutableFeatureRow" + toMap();
  }
}
