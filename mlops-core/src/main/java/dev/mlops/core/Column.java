package dev.mlops.core;

import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Utf8Values;
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
        return new Column(name, ColumnType.of(type), values, nulls, size);
      }

      @Override
      public Column wrap(String name, ColumnType type, Object values, boolean[] nulls, int size) {
        return new Column(name, type, values, nulls, size);
      }

      @Override
      public Column wrapUtf8(String name, Utf8Values values, boolean[] nulls, int size) {
        return new Column(name, ColumnType.of(DataType.STRING), values, nulls, size);
      }

      @Override
      public Object values(Column column) {
        return column.values();
      }

      @Override
      public Utf8Values utf8(Column column) {
        return column.stored instanceof Utf8Values u ? u : null;
      }

      @Override
      public boolean[] nulls(Column column) {
        return column.nulls;
      }
    });
  }

  private final String name;
  private final ColumnType columnType;
  private final DataType type; // columnType.kind()
  /**
   * See Values.newArray; may be longer than size. A STRING column may instead hold {@link Utf8Values}
   * (made by the SDK only, for the Parquet writer), decoded into {@link #decoded} when first read.
   */
  private final Object stored;
  private volatile String[] decoded;
  private final boolean[] nulls; // null when no value is null
  private final int size;

  private Column(String name, ColumnType type, Object values, boolean[] nulls, int size) {
    this(name, type, values, nulls, size, true);
  }

  /** check=false only for columns derived from a column (same name, already checked): a hot path of joins. */
  private Column(String name, ColumnType type, Object values, boolean[] nulls, int size, boolean check) {
    if (check) {
      Errors.checkColumnName(name);
    }
    this.name = name;
    this.columnType = Objects.requireNonNull(type, "type");
    this.type = type.kind();
    this.stored = values;
    this.nulls = hasAny(nulls, size) ? nulls : null;
    this.size = size;
  }

  /** The value array: {@link #stored}, or for UTF-8 storage its strings (decoded once, on first read). */
  private Object values() {
    Object v = stored;
    if (!(v instanceof Utf8Values u)) {
      return v;
    }
    String[] d = decoded;
    if (d == null) {
      d = u.decode();
      decoded = d; // a race decodes twice, into equal arrays; the volatile write publishes the elements
    }
    return d;
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
    return primitive(name, DataType.LONG, values.clone(), null, values.length);
  }

  /**
   * A LONG column with nulls where {@code nulls[i]} is true (both arrays are copied; nulls may be
   * null for none). The same form exists for every primitive kind, so large columns need no boxing.
   *
   * <pre>{@code
   * Column c = Column.ofLongs("clicks", new long[] {3, 0, 7}, new boolean[] {false, true, false});
   * }</pre>
   *
   * @throws IllegalArgumentException when the arrays' lengths differ
   */
  public static Column ofLongs(String name, long[] values, boolean[] nulls) {
    return primitive(name, DataType.LONG, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** An INT column without nulls (the array is copied). */
  public static Column ofInts(String name, int... values) {
    return primitive(name, DataType.INT, values.clone(), null, values.length);
  }

  /** An INT column with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofInts(String name, int[] values, boolean[] nulls) {
    return primitive(name, DataType.INT, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** A SHORT column without nulls (the array is copied). */
  public static Column ofShorts(String name, short... values) {
    return primitive(name, DataType.SHORT, values.clone(), null, values.length);
  }

  /** A SHORT column with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofShorts(String name, short[] values, boolean[] nulls) {
    return primitive(name, DataType.SHORT, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** A BYTE column without nulls (the array is copied). */
  public static Column ofBytes(String name, byte... values) {
    return primitive(name, DataType.BYTE, values.clone(), null, values.length);
  }

  /** A BYTE column with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofBytes(String name, byte[] values, boolean[] nulls) {
    return primitive(name, DataType.BYTE, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** A DOUBLE column without nulls (the array is copied). NaN is a value, not a null. */
  public static Column ofDoubles(String name, double... values) {
    return primitive(name, DataType.DOUBLE, values.clone(), null, values.length);
  }

  /** A DOUBLE column with a null mask (NaN stays a value); see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofDoubles(String name, double[] values, boolean[] nulls) {
    return primitive(name, DataType.DOUBLE, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** A FLOAT column without nulls (the array is copied). NaN is a value, not a null. */
  public static Column ofFloats(String name, float... values) {
    return primitive(name, DataType.FLOAT, values.clone(), null, values.length);
  }

  /** A FLOAT column with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofFloats(String name, float[] values, boolean[] nulls) {
    return primitive(name, DataType.FLOAT, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /** A BOOLEAN column without nulls (the array is copied). */
  public static Column ofBooleans(String name, boolean... values) {
    return primitive(name, DataType.BOOLEAN, values.clone(), null, values.length);
  }

  /** A BOOLEAN column with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofBooleans(String name, boolean[] values, boolean[] nulls) {
    return primitive(name, DataType.BOOLEAN, values.clone(), mask(name, nulls, values.length), values.length);
  }

  /**
   * A TIMESTAMP column from microseconds since 1970-01-01T00:00Z, without nulls (the array is copied).
   *
   * <pre>{@code
   * Column t = Column.ofTimestamps("as_of", 1_700_000_000_000_000L);
   * }</pre>
   */
  public static Column ofTimestamps(String name, long... micros) {
    return primitive(name, DataType.TIMESTAMP, micros.clone(), null, micros.length);
  }

  /** A TIMESTAMP column from microseconds with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofTimestamps(String name, long[] micros, boolean[] nulls) {
    return primitive(name, DataType.TIMESTAMP, micros.clone(), mask(name, nulls, micros.length), micros.length);
  }

  /** A TIMESTAMP_NTZ column from wall-clock microseconds since 1970-01-01T00:00, without nulls. */
  public static Column ofTimestampsNtz(String name, long... micros) {
    return primitive(name, DataType.TIMESTAMP_NTZ, micros.clone(), null, micros.length);
  }

  /** A TIMESTAMP_NTZ column from wall-clock microseconds with a null mask. */
  public static Column ofTimestampsNtz(String name, long[] micros, boolean[] nulls) {
    return primitive(name, DataType.TIMESTAMP_NTZ, micros.clone(), mask(name, nulls, micros.length), micros.length);
  }

  /**
   * A DATE column from days since 1970-01-01, without nulls (the array is copied).
   *
   * <pre>{@code
   * Column d = Column.ofDates("day", (int) LocalDate.of(2024, 2, 29).toEpochDay());
   * }</pre>
   */
  public static Column ofDates(String name, int... days) {
    return primitive(name, DataType.DATE, days.clone(), null, days.length);
  }

  /** A DATE column from days with a null mask; see {@link #ofLongs(String, long[], boolean[])}. */
  public static Column ofDates(String name, int[] days, boolean[] nulls) {
    return primitive(name, DataType.DATE, days.clone(), mask(name, nulls, days.length), days.length);
  }

  /**
   * A DECIMAL(precision, scale) column from unscaled values ({@code 1234} with scale 2 is 12.34); a
   * null mask may be null for none.
   *
   * <pre>{@code
   * Column amount = Column.ofDecimals("amount", ColumnType.decimal(12, 2), new long[] {1234, -5}, null);
   * }</pre>
   *
   * @throws SchemaMismatchException naming the row whose value needs more digits than the precision
   */
  public static Column ofDecimals(String name, ColumnType.Decimal type, long[] unscaled, boolean[] nulls) {
    Errors.checkColumnName(name);
    boolean[] m = mask(name, nulls, unscaled.length);
    java.math.BigDecimal[] out = new java.math.BigDecimal[unscaled.length];
    for (int i = 0; i < out.length; i++) {
      if (m == null || !m[i]) {
        Values.set(out, type, i, java.math.BigDecimal.valueOf(unscaled[i], type.scale()), name);
      }
    }
    return new Column(name, type, out, m, out.length);
  }

  /** A STRING column; null elements are nulls. */
  public static Column ofStrings(String name, String... values) {
    return of(name, DataType.STRING, Arrays.asList(values));
  }

  private static Column primitive(String name, DataType type, Object values, boolean[] nulls, int size) {
    return new Column(name, ColumnType.of(type), values, nulls, size);
  }

  private static boolean[] mask(String name, boolean[] nulls, int n) {
    if (nulls == null) {
      return null;
    }
    if (nulls.length != n) {
      throw Errors.columnValuesNullMask(name, n, nulls.length);
    }
    return nulls.clone();
  }

  /**
   * A column of the given type from boxed values; null elements are nulls. Accepts the boxed types
   * of {@link #get} and, for timestamps, also {@code OffsetDateTime}, {@code ZonedDateTime},
   * {@code LocalDateTime} (taken as UTC) and {@code Long} microseconds.
   *
   * @throws SchemaMismatchException naming the column, row and value when one does not fit
   * @throws IllegalArgumentException for DECIMAL, STRUCT, ARRAY and MAP, which need
   *     {@link #of(String, ColumnType, List)}
   */
  public static Column of(String name, DataType type, List<?> values) {
    return of(name, ColumnType.of(type), values);
  }

  /**
   * A column of the given full type from boxed values; null elements are nulls. A DECIMAL takes
   * {@code BigDecimal} (or whole numbers) and refuses values with more digits than its precision or
   * scale; a STRUCT takes a {@code Map<String, ?>} of field name to value or a record; an ARRAY a
   * {@code List} or an array; a MAP a {@code Map}. Nested values are checked and copied.
   *
   * <pre>{@code
   * ColumnType window = ColumnType.struct(Field.of("start", DataType.DATE), Field.of("end", DataType.DATE));
   * Column w = Column.of("window", window, List.of(Map.of("start", LocalDate.of(2024, 1, 1), "end", LocalDate.of(2024, 1, 8))));
   * Column q = Column.of("quantiles", ColumnType.array(DataType.DOUBLE), List.of(List.of(0.1, 0.5, 0.9)));
   * }</pre>
   *
   * @throws SchemaMismatchException naming the column, row (and nested place) and value when one does not fit
   */
  public static Column of(String name, ColumnType type, List<?> values) {
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

  /**
   * A column of {@code size} nulls.
   *
   * @throws IllegalArgumentException for DECIMAL, STRUCT, ARRAY and MAP (use {@link #nulls(String, ColumnType, int)})
   */
  public static Column nulls(String name, DataType type, int size) {
    return nulls(name, ColumnType.of(type), size);
  }

  /** A column of {@code size} nulls of a full type. */
  public static Column nulls(String name, ColumnType type, int size) {
    boolean[] nulls = new boolean[size];
    Arrays.fill(nulls, true);
    return new Column(name, type, Values.newArray(type, size), nulls, size);
  }

  /** Column name. */
  public String name() {
    return name;
  }

  /** The kind of the column's type. */
  public DataType type() {
    return type;
  }

  /** The column's full type (with decimal precision/scale and nested types). */
  public ColumnType columnType() {
    return columnType;
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

  /**
   * Value of an integer column (LONG, INT, SHORT, BYTE) or of a TIMESTAMP / TIMESTAMP_NTZ column
   * (microseconds); 0 where null.
   */
  public long getLong(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof long[] a) {
      return a[row];
    }
    if (stored instanceof int[] || stored instanceof short[] || stored instanceof byte[]) {
      return getInt(row); // the narrower integers, widened
    }
    throw wrongType("getLong");
  }

  /** Value of an INT, SHORT or BYTE column, or of a DATE column (days); 0 where null. */
  public int getInt(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof int[] a) {
      return a[row];
    }
    if (stored instanceof short[] || stored instanceof byte[]) {
      return getShort(row); // the narrower integers, widened
    }
    throw wrongType("getInt");
  }

  /** Value of a SHORT or BYTE column; 0 where null. */
  public short getShort(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof short[] a) {
      return a[row];
    }
    if (stored instanceof byte[] a) {
      return a[row];
    }
    throw wrongType("getShort");
  }

  /** Value of a BYTE column; 0 where null. */
  public byte getByte(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof byte[] a) {
      return a[row];
    }
    throw wrongType("getByte");
  }

  /** Value of a FLOAT column; 0 where null. */
  public float getFloat(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof float[] a) {
      return a[row];
    }
    throw wrongType("getFloat");
  }

  /** Value of a DECIMAL column with the column's scale; null where null. */
  public java.math.BigDecimal getDecimal(int row) {
    Objects.checkIndex(row, size);
    if (type == DataType.DECIMAL) {
      return (java.math.BigDecimal) ((Object[]) stored)[row];
    }
    throw wrongType("getDecimal");
  }

  /** A copy of the bytes of a BINARY column; null where null. */
  public byte[] getBinary(int row) {
    Objects.checkIndex(row, size);
    if (type == DataType.BINARY) {
      byte[] b = ((byte[][]) values())[row];
      return b == null ? null : b.clone();
    }
    throw wrongType("getBinary");
  }

  /**
   * Value of a numeric column (DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, or DECIMAL rounded to the
   * nearest double) as a double; NaN where null.
   */
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
        return ((double[]) stored)[row];
      case LONG:
        return ((long[]) stored)[row];
      case INT:
        return ((int[]) stored)[row];
      case FLOAT:
        return ((float[]) stored)[row];
      case SHORT:
        return ((short[]) stored)[row];
      case BYTE:
        return ((byte[]) stored)[row];
      case DECIMAL:
        return ((java.math.BigDecimal) ((Object[]) stored)[row]).doubleValue();
      default:
        throw wrongType("getDouble");
    }
  }

  /** Value of a BOOLEAN column; false where null. */
  public boolean getBoolean(int row) {
    Objects.checkIndex(row, size);
    if (stored instanceof boolean[] a) {
      return a[row];
    }
    throw wrongType("getBoolean");
  }

  /** Value of a STRING column; null where null. */
  public String getString(int row) {
    Objects.checkIndex(row, size);
    if (values() instanceof String[]) {
      return nulls != null && nulls[row] ? null : ((String[]) values())[row];
    }
    throw wrongType("getString");
  }

  /**
   * The value at a row, boxed as {@link DataType} lists ({@code Instant} for TIMESTAMP,
   * {@code LocalDateTime} for TIMESTAMP_NTZ, {@code LocalDate} for DATE, {@code BigDecimal},
   * a copy of the {@code byte[]}, unmodifiable {@code Map}/{@code List} for nested values), or null.
   */
  public Object get(int row) {
    if (isNull(row)) {
      return null;
    }
    return Values.box(values(), type, row);
  }

  /** The values boxed into a list (nulls included). */
  public List<Object> toList() {
    Object[] out = new Object[size];
    for (int i = 0; i < size; i++) {
      out[i] = get(i);
    }
    return Arrays.asList(out);
  }

  /** A copy of the values of a LONG, TIMESTAMP or TIMESTAMP_NTZ (microseconds) column (0 where null). */
  public long[] toLongArray() {
    if (!(stored instanceof long[])) {
      throw wrongType("toLongArray");
    }
    return Arrays.copyOf((long[]) stored, size);
  }

  /** A copy of the values of an INT or DATE column (0 where null). */
  public int[] toIntArray() {
    if (!(stored instanceof int[])) {
      throw wrongType("toIntArray");
    }
    return Arrays.copyOf((int[]) stored, size);
  }

  /** The values of a numeric column (see {@link #getDouble}) as doubles (NaN where null). */
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
    return new Column(newName, columnType, stored, nulls, size); // UTF-8 storage stays UTF-8
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
    if (values() instanceof long[] src) {
      long[] dst = (long[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values() instanceof double[] src) {
      double[] dst = (double[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values() instanceof int[] src) {
      int[] dst = (int[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 ? 0 : src[r];
      }
    } else if (values() instanceof boolean[] src) {
      boolean[] dst = (boolean[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r >= 0 && src[r];
      }
    } else if (values() instanceof Object[] src) {
      Object[] dst = (Object[]) out;
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        dst[i] = r < 0 || (nulls != null && nulls[r]) ? null : src[r];
      }
    } else {
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        if (r >= 0) {
          Values.copy(values(), r, out, i);
        }
      }
    }
    if (outNulls != null && !(values() instanceof Object[])) {
      // keep "0 where null" for primitive storage
      for (int i = 0; i < n; i++) {
        if (outNulls[i]) {
          Values.clear(out, i);
        }
      }
    }
    return new Column(name, columnType, out, outNulls, n, false);
  }

  /** Rows from (inclusive) to (exclusive). */
  public Column slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    int n = to - from;
    Object out = Values.newArray(type, n);
    System.arraycopy(values(), from, out, 0, n);
    boolean[] outNulls = nulls == null ? null : Arrays.copyOfRange(nulls, from, to);
    return new Column(name, columnType, out, outNulls, n, false);
  }

  /** The values of several columns of one type one after another. */
  static Column concat(String name, ColumnType type, List<Column> parts) {
    int n = 0;
    for (Column c : parts) {
      n += c.size;
    }
    Object out = Values.newArray(type, n);
    boolean[] outNulls = null;
    int at = 0;
    for (Column c : parts) {
      System.arraycopy(c.values(), 0, out, at, c.size);
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
    if (!columnType.equals(o.columnType) || size != o.size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      boolean an = isNull(i);
      boolean bn = o.isNull(i);
      if (an != bn) {
        return false;
      }
      if (!an && !Values.equalAt(values(), i, o.values(), i)) {
        return false;
      }
    }
    return true;
  }

  int valuesHash() {
    int h = type.hashCode();
    for (int i = 0; i < size; i++) {
      h = 31 * h + (isNull(i) ? 0 : Values.hashAt(values(), i));
    }
    return h;
  }

  private SchemaMismatchException wrongType(String method) {
    return Errors.getterDoesNotApply(name, type, method);
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
    return name + " " + columnType + " (" + size + " values)";
  }
}
