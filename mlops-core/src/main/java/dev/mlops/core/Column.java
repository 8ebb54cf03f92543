package dev.mlops.core;

import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Values;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One immutable, typed column of a {@link Frame}: a primitive array plus a null mask.
 *
 * <p>Read values with the typed getters ({@link #getLong}, {@link #getDouble}, ...) after checking
 * {@link #isNull}; {@link #get} returns boxed values ({@code Long}, {@code Integer}, {@code Double},
 * {@code Boolean}, {@code String}, {@link Instant} for timestamps, {@link LocalDate} for dates).
 *
 * <pre>{@code
 * Column ids = Column.ofLongs("customer_id", 1, 2, 3);
 * Column spend = Column.ofDoubles("spend", 9.5, Double.NaN, 3.0);
 * Column city = Column.of("city", DataType.STRING, Arrays.asList("Oslo", null, "Lima"));
 * Frame f = Frame.of(ids, spend, city);
 * }</pre>
 */
public final class Column {
  static {
    ColumnAccess.install(new ColumnAccess.Access() {
      @Override
      public Column wrap(String name, DataType type, Object values, boolean[] nulls, int size) {
        return new Column(name, type, values, nulls, size);
      }

      @Override
      public Object values(Column column) {
        return column.values;
      }

      @Override
      public boolean[] nulls(Column column) {
        return column.nulls;
      }
    });
  }

  private final String name;
  private final DataType type;
  private final Object values; // long[] int[] double[] boolean[] String[]; may be longer than size
  private final boolean[] nulls; // null when no value is null
  private final int size;

  private Column(String name, DataType type, Object values, boolean[] nulls, int size) {
    this(name, type, values, nulls, size, true);
  }

  /** check=false only for columns derived from a column (same name, already checked): a hot path of joins. */
  private Column(String name, DataType type, Object values, boolean[] nulls, int size, boolean check) {
    if (check) {
      Errors.checkColumnName(name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.values = values;
    this.nulls = hasAny(nulls, size) ? nulls : null;
    this.size = size;
  }

  private static boolean hasAny(boolean[] mask, int size) {
    if (mask == null) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (mask[i]) {
        return true;
      }
    }
    return false;
  }

  /** A LONG column without nulls (the array is copied). */
  public static Column ofLongs(String name, long... values) {
    return new Column(name, DataType.LONG, values.clone(), null, values.length);
  }

  /** An INT column without nulls (the array is copied). */
  public static Column ofInts(String name, int... values) {
    return new Column(name, DataType.INT, values.clone(), null, values.length);
  }

  /** A DOUBLE column without nulls (the array is copied). NaN is a value, not a null. */
  public static Column ofDoubles(String name, double... values) {
    return new Column(name, DataType.DOUBLE, values.clone(), null, values.length);
  }

  /** A BOOLEAN column without nulls (the array is copied). */
  public static Column ofBooleans(String name, boolean... values) {
    return new Column(name, DataType.BOOLEAN, values.clone(), null, values.length);
  }

  /** A STRING column; null elements are nulls. */
  public static Column ofStrings(String name, String... values) {
    return of(name, DataType.STRING, Arrays.asList(values));
  }

  /**
   * A column of the given type from boxed values; null elements are nulls. Accepts the boxed types
   * of {@link #get} and, for timestamps, also {@code OffsetDateTime}, {@code ZonedDateTime},
   * {@code LocalDateTime} (taken as UTC) and {@code Long} microseconds.
   *
   * @throws SchemaMismatchException naming the column, row and value when one does not fit
   */
  public static Column of(String name, DataType type, List<?> values) {
    Errors.checkColumnName(name);
    int n = values.size();
    Object arr = Values.newArray(type, n);
    boolean[] nulls = new boolean[n];
    for (int i = 0; i < n; i++) {
      Object v = values.get(i);
      if (v == null) {
        nulls[i] = true;
      } else {
        Values.set(arr, type, i, v, name);
      }
    }
    return new Column(name, type, arr, nulls, n);
  }

  /** A column of {@code size} nulls. */
  public static Column nulls(String name, DataType type, int size) {
    boolean[] nulls = new boolean[size];
    Arrays.fill(nulls, true);
    return new Column(name, type, Values.newArray(type, size), nulls, size);
  }

  /** Column name. */
  public String name() {
    return name;
  }

  /** Column type. */
  public DataType type() {
    return type;
  }

  /** Number of values. */
  public int size() {
    return size;
  }

  /** True when the value at this row is null. */
  public boolean isNull(int row) {
    Objects.checkIndex(row, size);
    return nulls != null && nulls[row];
  }

  /** True when any value is null. */
  public boolean hasNulls() {
    return nulls != null;
  }

  /** The first row holding a null, or -1 when there is none. */
  public int firstNull() {
    if (nulls != null) {
      for (int i = 0; i < size; i++) {
        if (nulls[i]) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Number of null values. */
  public int nullCount() {
    if (nulls == null) {
      return 0;
    }
    int c = 0;
    for (int i = 0; i < size; i++) {
      if (nulls[i]) {
        c++;
      }
    }
    return c;
  }

  /** Value of a LONG or TIMESTAMP (microseconds) column; 0 where null. */
  public long getLong(int row) {
    Objects.checkIndex(row, size);
    if (values instanceof long[]) {
      return ((long[]) values)[row];
    }
    if (values instanceof int[]) {
      return ((int[]) values)[row];
    }
    throw wrongType("getLong");
  }

  /** Value of an INT or DATE (days) column; 0 where null. */
  public int getInt(int row) {
    Objects.checkIndex(row, size);
    if (values instanceof int[]) {
      return ((int[]) values)[row];
    }
    throw wrongType("getInt");
  }

  /** Value of a numeric column (DOUBLE, LONG or INT) as a double; NaN where null. */
  public double getDouble(int row) {
    Objects.checkIndex(row, size);
    if (!type.isNumeric()) {
      throw wrongType("getDouble");
    }
    if (nulls != null && nulls[row]) {
      return Double.NaN;
    }
    switch (type) {
      case DOUBLE:
        return ((double[]) values)[row];
      case LONG:
        return ((long[]) values)[row];
      case INT:
        return ((int[]) values)[row];
      default:
        throw wrongType("getDouble");
    }
  }

  /** Value of a BOOLEAN column; false where null. */
  public boolean getBoolean(int row) {
    Objects.checkIndex(row, size);
    if (values instanceof boolean[]) {
      return ((boolean[]) values)[row];
    }
    throw wrongType("getBoolean");
  }

  /** Value of a STRING column; null where null. */
  public String getString(int row) {
    Objects.checkIndex(row, size);
    if (values instanceof String[]) {
      return nulls != null && nulls[row] ? null : ((String[]) values)[row];
    }
    throw wrongType("getString");
  }

  /** The value at a row, boxed ({@code Instant} for timestamps, {@code LocalDate} for dates), or null. */
  public Object get(int row) {
    if (isNull(row)) {
      return null;
    }
    return Values.box(values, type, row);
  }

  /** The values boxed into a list (nulls included). */
  public List<Object> toList() {
    Object[] out = new Object[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(i);
    }
    return Arrays.asList(out);
  }

  /** A copy of the values of a LONG or TIMESTAMP column (0 where null). */
  public long[] toLongArray() {
    if (!(values instanceof long[])) {
      throw wrongType("toLongArray");
    }
    return Arrays.copyOf((long[]) values, size);
  }

  /** A copy of the values of an INT or DATE column (0 where null). */
  public int[] toIntArray() {
    if (!(values instanceof int[])) {
      throw wrongType("toIntArray");
    }
    return Arrays.copyOf((int[]) values, size);
  }

  /** The values of a numeric column (DOUBLE, LONG or INT) as doubles (NaN where null). */
  public double[] toDoubleArray() {
    if (!type.isNumeric()) {
      throw wrongType("toDoubleArray");
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = getDouble(i);
    }
    return out;
  }

  /** A copy of the values of a STRING column (null where null). */
  public String[] toStringArray() {
    if (type != DataType.STRING) {
      throw wrongType("toStringArray");
    }
    String[] out = new String[size];
    for (int i = 0; i < size; i++) {
      out[i] = getString(i);
    }
    return out;
  }

  /** The same values under another name. */
  public Column rename(String newName) {
    return new Column(newName, type, values, nulls, size);
  }

  /**
   * The rows at the given indexes, in that order; an index of -1 gives a null.
   *
   * @throws IndexOutOfBoundsException for an index below -1 or not below {@link #size()}
   */
  public Column take(int[] rows) {
    int n = rows.length;
    Object out = Values.newArray(type, n);
    boolean[] outNulls = null;
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      if (r != -1) {
        // the backing array may be longer than size: never read past the last row
        Objects.checkIndex(r, size);
      }
      if (r == -1 || (nulls != null && nulls[r])) {
        if (outNulls == null) {
          outNulls = new boolean[n];
        }
        outNulls[i] = true;
      }
    }
    // Type-specialised gather (hot path of joins); null rows get the default value.
    if (values instanceof long[] src) {
      long[] dst = (long[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values instanceof double[] src) {
      double[] dst = (double[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values instanceof int[] src) {
      int[] dst = (int[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values instanceof boolean[] src) {
      boolean[] dst = (boolean[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r >= 0 && src[r];
      }
    } else {
      String[] src = (String[]) values;
      String[] dst = (String[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 || (nulls != null && nulls[r]) ? null : src[r];
      }
    }
    if (outNulls != null && !(values instanceof String[])) {
      // keep "0 where null" for primitive storage
      for (int i = 0; i < n; i++) {
        if (outNulls[i]) {
          Values.clear(out, i);
        }
      }
    }
    return new Column(name, type, out, outNulls, n, false);
  }

  /** Rows from (inclusive) to (exclusive). */
  public Column slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    int n = to - from;
    Object out = Values.newArray(type, n);
    System.arraycopy(values, from, out, 0, n);
    boolean[] outNulls = nulls == null ? null : Arrays.copyOfRange(nulls, from, to);
    return new Column(name, type, out, outNulls, n, false);
  }

  /** The values of several columns of one type one after another. */
  static Column concat(String name, DataType type, List<Column> parts) {
    int n = 0;
    for (Column c : parts) {
      n += c.size;
    }
    Object out = Values.newArray(type, n);
    boolean[] outNulls = null;
    int at = 0;
    for (Column c : parts) {
      System.arraycopy(c.values, 0, out, at, c.size);
      if (c.nulls != null) {
        if (outNulls == null) {
          outNulls = new boolean[n];
        }
        System.arraycopy(c.nulls, 0, outNulls, at, c.size);
      }
      at += c.size;
    }
    return new Column(name, type, out, outNulls, n, false);
  }

  /** Same values at the same rows (NaN equals NaN). */
  boolean sameValues(Column o) {
    if (type != o.type || size != o.size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      boolean an = isNull(i);
      boolean bn = o.isNull(i);
      if (an != bn) {
        return false;
      }
      if (!an && !Values.equalAt(values, i, o.values, i)) {
        return false;
      }
    }
    return true;
  }

  int valuesHash() {
    int h = type.hashCode();
    for (int i = 0; i < size; i++) {
      h = 31 * h + (isNull(i) ? 0 : Values.hashAt(values, i));
    }
    return h;
  }

  private SchemaMismatchException wrongType(String method) {
    return new SchemaMismatchException("Column '" + name + "' is " + type + "; " + method
        + " does not apply to it. Use the getter for " + type + " or get(row).");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Column && ((Column) o).name.equals(name) && sameValues((Column) o);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + valuesHash();
  }

  @Override
  public String toString() {
    return name + " " + type + " (" + size + " values)";
  }
}
