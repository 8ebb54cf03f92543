package dev.mlops.core;

import dev.mlops.core.internal.Csv;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.FrameFormat;
import dev.mlops.core.internal.Values;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The SDK's immutable, columnar in-memory table: the exchange type between feature tables, training,
 * scoring and monitoring. Columns are primitive arrays with null masks; see {@link DataType} for the
 * types. Small on purpose: it moves data, it is not a dataframe library.
 *
 * <pre>{@code
 * record Customer(long id, String city, double spend) {}
 * Frame f = Frame.fromRecords(List.of(new Customer(1, "Oslo", 9.5), new Customer(2, "Lima", 3.0)));
 * f.rowCount();                    // 2
 * f.column("spend").getDouble(0);  // 9.5
 * System.out.println(f);           // a readable table
 *
 * Frame g = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("ok", DataType.BOOLEAN)))
 *     .row(1L, true).row(2L, null).build();
 * Frame csv = Frame.readCsv(Path.of("customers.csv"));   // types inferred from the text
 * }</pre>
 */
public final class Frame {
  private static final dev.mlops.core.internal.ColumnAccess.Access COLUMNS = dev.mlops.core.internal.ColumnAccess.obtain();

  private final Schema schema;
  private final List<Column> columns;
  private final int rowCount;

  private Frame(Schema schema, List<Column> columns, int rowCount) {
    this.schema = schema;
    this.columns = columns;
    this.rowCount = rowCount;
  }

  /**
   * A frame of the given columns, all of the same length.
   *
   * @throws IllegalArgumentException naming the column whose length differs, or a repeated name
   */
  public static Frame of(Column... columns) {
    return of(Arrays.asList(columns));
  }

  /** A frame of the given columns, all of the same length. */
  public static Frame of(List<Column> columns) {
    List<Column> cols = List.copyOf(columns);
    int n = cols.isEmpty() ? 0 : cols.get(0).size();
    List<Field> fields = new ArrayList<>(cols.size());
    for (Column c : cols) {
      if (c.size() != n) {
        throw Errors.columnValuesColumnAll(c.name(), c.size(), cols.get(0).name(), n);
      }
      fields.add(new Field(c.name(), c.columnType(), true, ""));
    }
    return new Frame(new Schema(fields), cols, n);
  }

  /** A frame with this schema and no rows. */
  public static Frame empty(Schema schema) {
    List<Column> cols = new ArrayList<>();
    for (Field f : schema.fields()) {
      cols.add(Column.nulls(f.name(), f.columnType(), 0));
    }
    return new Frame(schema, List.copyOf(cols), 0);
  }

  /** A builder that takes rows one at a time, in schema order. */
  public static Builder builder(Schema schema) {
    return new Builder(schema);
  }

  /**
   * A frame from Java records: one column per record component, typed from the component's Java type
   * ({@code long/Long}→LONG, {@code int/Integer}→INT, {@code short/Short}→SHORT, {@code byte/Byte}→BYTE,
   * {@code double/Double}→DOUBLE, {@code float/Float}→FLOAT, {@code BigDecimal}→DECIMAL(38,18),
   * {@code boolean/Boolean}→BOOLEAN, {@code String/enum/char}→STRING, {@code byte[]}→BINARY,
   * {@code Instant/OffsetDateTime/ZonedDateTime}→TIMESTAMP, {@code LocalDateTime}→TIMESTAMP_NTZ,
   * {@code LocalDate}→DATE, a nested record→STRUCT of its components, {@code List<T>}/{@code T[]}→ARRAY
   * of T, {@code Map<K,V>}→MAP). For other decimal precisions use {@link #fromMaps(Schema, List)} or a builder.
   *
   * <pre>{@code
   * record Window(Instant start, Instant end) {}
   * record Stats(String feature, Window window, List<Double> quantiles) {}
   * Frame f = Frame.fromRecords(List.of(new Stats("age", new Window(t0, t1), List.of(18.0, 35.0, 70.0))));
   * }</pre>
   *
   * @throws SchemaMismatchException naming the component whose Java type has no column type
   * @throws IllegalArgumentException when the list is empty (use {@link #fromRecords(Class, List)})
   */
  public static <R extends Record> Frame fromRecords(List<R> records) {
    if (records.isEmpty()) {
      throw Errors.fromRecordsNeedsLeastRecord();
    }
    @SuppressWarnings("unchecked")
    Class<R> type = (Class<R>) records.get(0).getClass();
    return fromRecords(type, records);
  }

  /** A frame from Java records of the given class (works for an empty list). */
  public static <R extends Record> Frame fromRecords(Class<R> type, List<? extends R> records) {
    RecordComponent[] comps = type.getRecordComponents();
    List<Field> fields = new ArrayList<>();
    Method[] accessors = new Method[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent rc = comps[i];
      fields.add(Field.of(rc.getName(), typeOf(rc.getGenericType(), type.getSimpleName() + "." + rc.getName())));
      accessors[i] = rc.getAccessor();
      // Records declared without 'public' (the usual local or nested record) are package-private:
      // their accessors are public methods of a class this package cannot reach without this.
      accessors[i].trySetAccessible();
    }
    Builder b = builder(new Schema(fields));
    Object[] row = new Object[comps.length];
    for (R r : records) {
      for (int i = 0; i < comps.length; i++) {
        try {
          row[i] = accessors[i].invoke(r);
        } catch (InvocationTargetException e) {
          throw Errors.frameRecordAccessorThrew(comps[i].getName(), type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
          throw Errors.frameRecordNotAccessible(comps[i].getName(), type.getName(), e);
        }
      }
      b.row(row);
    }
    return b.build();
  }

  private static ColumnType typeOf(java.lang.reflect.Type g, String where) {
    if (g instanceof java.lang.reflect.ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      java.lang.reflect.Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        return ColumnType.array(typeOf(args[0], where + " element"));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return ColumnType.map(typeOf(args[0], where + " key"), typeOf(args[1], where + " value"));
      }
    }
    if (g instanceof Class<?> c) {
      if (c.isArray() && c != byte[].class) {
        return ColumnType.array(typeOf(c.getComponentType(), where + " element"));
      }
      if (c.isRecord()) {
        List<Field> fields = new ArrayList<>();
        for (RecordComponent rc : c.getRecordComponents()) {
          fields.add(Field.of(rc.getName(), typeOf(rc.getGenericType(), where + "." + rc.getName())));
        }
        return new ColumnType.Struct(fields);
      }
      if (c == BigDecimal.class) {
        return ColumnType.decimal(38, 18);
      }
      DataType k = simpleTypeOf(c);
      if (k != null) {
        return ColumnType.of(k);
      }
    }
    throw Errors.columnTypeLongInt(where, g.getTypeName());
  }

  private static DataType simpleTypeOf(Class<?> c) {
    if (c == long.class || c == Long.class) {
      return DataType.LONG;
    } else if (c == int.class || c == Integer.class) {
      return DataType.INT;
    } else if (c == short.class || c == Short.class) {
      return DataType.SHORT;
    } else if (c == byte.class || c == Byte.class) {
      return DataType.BYTE;
    } else if (c == double.class || c == Double.class) {
      return DataType.DOUBLE;
    } else if (c == float.class || c == Float.class) {
      return DataType.FLOAT;
    } else if (c == boolean.class || c == Boolean.class) {
      return DataType.BOOLEAN;
    } else if (c == String.class || Enum.class.isAssignableFrom(c) || c == char.class
        || c == Character.class) {
      return DataType.STRING;
    } else if (c == byte[].class) {
      return DataType.BINARY;
    } else if (c == Instant.class || c == OffsetDateTime.class || c == ZonedDateTime.class) {
      return DataType.TIMESTAMP;
    } else if (c == LocalDateTime.class) {
      return DataType.TIMESTAMP_NTZ;
    } else if (c == LocalDate.class) {
      return DataType.DATE;
    }
    return null;
  }

  /** The type of one value, for fromMaps: from its class, or from its content for lists and maps. */
  private static ColumnType typeOfValue(Object v, String where) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ColumnType.of(DataType.INT);
    } else if (v instanceof Long) {
      return ColumnType.of(DataType.LONG);
    } else if (v instanceof BigDecimal d) {
      return ColumnType.decimal(38, Math.min(38, Math.max(0, d.scale())));
    } else if (v instanceof Number) {
      return ColumnType.of(DataType.DOUBLE);
    } else if (v instanceof List<?> l) {
      ColumnType e = null;
      for (Object x : l) {
        if (x != null) {
          e = e == null ? typeOfValue(x, where + " element") : widen(e, typeOfValue(x, where + " element"), where);
        }
      }
      if (e == null) {
        throw Errors.holdsEmptyListsNulls(where);
      }
      return ColumnType.array(e);
    } else if (v instanceof Map<?, ?> m) {
      // a map with String keys reads as a STRUCT (as JSON objects do); give a schema for a MAP column
      List<Field> fields = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k) || e.getValue() == null) {
          throw Errors.holdsMapWhoseType(where);
        }
        fields.add(Field.of(k, typeOfValue(e.getValue(), where + "." + k)));
      }
      return new ColumnType.Struct(fields);
    }
    return typeOf(v.getClass(), where);
  }

  /** The type that holds values of both types, for fromMaps (numbers widen as JSON needs). */
  private static ColumnType widen(ColumnType a, ColumnType b, String where) {
    if (a.equals(b)) {
      return a;
    }
    DataType x = a.kind();
    DataType y = b.kind();
    if (x.isNumeric() && y.isNumeric()) {
      if (x == DataType.DOUBLE || y == DataType.DOUBLE) {
        return ColumnType.of(DataType.DOUBLE);
      }
      if (x == DataType.DECIMAL || y == DataType.DECIMAL) {
        int sa = a instanceof ColumnType.Decimal d ? d.scale() : 0;
        int sb = b instanceof ColumnType.Decimal d ? d.scale() : 0;
        return ColumnType.decimal(38, Math.max(sa, sb));
      }
      return ColumnType.of(x == DataType.LONG || y == DataType.LONG ? DataType.LONG : DataType.INT);
    }
    if (a instanceof ColumnType.ArrayOf p && b instanceof ColumnType.ArrayOf q) {
      return ColumnType.array(widen(p.element(), q.element(), where));
    }
    return a; // the first type wins; a value that does not fit is reported with its row
  }

  /**
   * A frame from maps (column name → value); column types are inferred from the non-null values of
   * each column (Integer→INT, Long→LONG, BigDecimal→DECIMAL(38, largest scale seen), other
   * numbers→DOUBLE, String/enum→STRING, Instant→TIMESTAMP, LocalDateTime→TIMESTAMP_NTZ, LocalDate→DATE,
   * byte[]→BINARY, List→ARRAY, a Map with String keys→STRUCT, ...). Numbers widen as a JSON parser's
   * output needs: Integer and Long give LONG, any number with a Double gives DOUBLE. Columns are ordered by first appearance; a key missing
   * from a map is a null.
   *
   * @throws SchemaMismatchException when a column is null in every map (its type is unknown), a
   *     value has no column type, or a value does not fit the column's type (naming column and row)
   */
  public static Frame fromMaps(List<? extends Map<String, ?>> rows) {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, ?> m : rows) {
      names.addAll(m.keySet());
    }
    List<Field> fields = new ArrayList<>();
    for (String n : names) {
      ColumnType t = null;
      for (Map<String, ?> m : rows) {
        Object v = m.get(n);
        if (v == null) {
          continue;
        }
        ColumnType vt = typeOfValue(v, "column '" + n + "'");
        t = t == null ? vt : widen(t, vt, "column '" + n + "'");
      }
      if (t == null) {
        throw Errors.columnNullRowType(n);
      }
      fields.add(Field.of(n, t));
    }
    return fromMaps(new Schema(fields), rows);
  }


  /**
   * A frame from maps with the given schema; a missing key is a null.
   *
   * @throws ColumnNotFoundException naming a key that is not in the schema
   * @throws SchemaMismatchException naming the column, row and value of the wrong type
   */
  public static Frame fromMaps(Schema schema, List<? extends Map<String, ?>> rows) {
    Builder b = builder(schema);
    for (Map<String, ?> m : rows) {
      b.row(m);
    }
    return b.build();
  }

  /**
   * Reads a CSV file (RFC 4180: comma-separated, double-quoted fields, header line) and infers each
   * column's type: LONG, DOUBLE, BOOLEAN, DATE (yyyy-MM-dd), TIMESTAMP (ISO-8601) or STRING. Empty
   * fields are nulls.
   *
   * @throws StorageException when the file cannot be read
   */
  public static Frame readCsv(Path path) {
    return Csv.read(path, null);
  }

  /**
   * Reads a CSV file with the given schema (header names must match the schema's names).
   *
   * @throws SchemaMismatchException naming the column, row and text that does not parse
   */
  public static Frame readCsv(Path path, Schema schema) {
    return Csv.read(path, Objects.requireNonNull(schema, "schema"));
  }

  /** Writes this frame as CSV with a header line (timestamps ISO-8601 UTC, dates yyyy-MM-dd). */
  public void writeCsv(Path path) {
    Csv.write(this, path);
  }

  /** The columns' names and types. */
  public Schema schema() {
    return schema;
  }

  /** Number of rows. */
  public int rowCount() {
    return rowCount;
  }

  /** Number of columns. */
  public int columnCount() {
    return columns.size();
  }

  /** True when there are no rows. */
  public boolean isEmpty() {
    return rowCount == 0;
  }

  /** All columns in order. */
  public List<Column> columns() {
    return columns;
  }

  /**
   * The column with this name.
   *
   * @throws ColumnNotFoundException listing the columns that exist
   */
  public Column column(String name) {
    int i = schema.indexOf(name);
    if (i < 0) {
      throw Errors.columnNotInFrame(name, schema.names());
    }
    return columns.get(i);
  }

  /** The column at a position. */
  public Column column(int index) {
    return columns.get(index);
  }

  /** True when a column of this name exists. */
  public boolean hasColumn(String name) {
    return schema.contains(name);
  }

  /** The value at (row, column), boxed as in {@link Column#get}. */
  public Object get(int row, String column) {
    return column(column).get(row);
  }

  /** One row as an ordered map of column name to boxed value. */
  public Map<String, Object> row(int row) {
    Objects.checkIndex(row, rowCount);
    Map<String, Object> m = new LinkedHashMap<>();
    for (Column c : columns) {
      m.put(c.name(), c.get(row));
    }
    return m;
  }

  /** All rows as maps (convenient for small frames and tests). */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> out = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      out.add(row(i));
    }
    return out;
  }

  /** Only the named columns, in that order. */
  public Frame select(String... names) {
    return select(Arrays.asList(names));
  }

  /** Only the named columns, in that order. */
  public Frame select(Collection<String> names) {
    List<Column> out = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (String n : names) {
      out.add(column(n));
      fields.add(schema.field(n));
    }
    return new Frame(new Schema(fields), List.copyOf(out), rowCount);
  }

  /** All columns except the named ones (names that do not exist are an error). */
  public Frame drop(String... names) {
    Set<String> gone = new LinkedHashSet<>(Arrays.asList(names));
    for (String n : gone) {
      column(n);
    }
    List<String> keep = new ArrayList<>();
    for (String n : schema.names()) {
      if (!gone.contains(n)) {
        keep.add(n);
      }
    }
    return select(keep);
  }

  /** The first n rows (all when fewer). */
  public Frame head(int n) {
    return slice(0, Math.min(Math.max(n, 0), rowCount));
  }

  /**
   * Rows from (inclusive) to (exclusive).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= rowCount()}
   */
  public Frame slice(int from, int to) {
    Objects.checkFromToIndex(from, to, rowCount);
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.slice(from, to));
    }
    return new Frame(schema, List.copyOf(out), to - from);
  }

  /**
   * The rows at the given indexes, in that order (an index may repeat; -1 gives a row of nulls).
   *
   * @throws IndexOutOfBoundsException for an index below -1 or not below {@link #rowCount()}
   */
  public Frame take(int[] rows) {
    for (int r : rows) {
      if (r != -1) {
        Objects.checkIndex(r, rowCount);
      }
    }
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(c.take(rows));
    }
    return new Frame(schema, List.copyOf(out), rows.length);
  }

  /** The rows for which the predicate (given a row index) is true. */
  public Frame filter(IntPredicate row) {
    int[] idx = new int[rowCount];
    int n = 0;
    for (int i = 0; i < rowCount; i++) {
      if (row.test(i)) {
        idx[n++] = i;
      }
    }
    return n == rowCount ? this : take(Arrays.copyOf(idx, n));
  }

  /** This frame with the column added at the end, or replacing the column of the same name. */
  public Frame withColumn(Column column) {
    return withColumns(List.of(column));
  }

  /**
   * This frame with the columns added at the end, or each replacing the column of its name: the same
   * frame as {@link #withColumn} once per column, built in one step. The other columns keep their
   * fields (nullability, comment).
   *
   * <pre>{@code
   * Frame scored = rows.withColumns(List.of(Column.ofDoubles("score", s), Column.ofLongs("bucket", b)));
   * }</pre>
   *
   * @throws IllegalArgumentException naming a column whose length differs from the frame's rows
   */
  public Frame withColumns(List<Column> added) {
    if (added.isEmpty()) {
      return this;
    }
    int rows = columns.isEmpty() ? added.get(0).size() : rowCount;
    Column[] out = columns.toArray(new Column[columns.size() + added.size()]);
    Field[] fields = schema.fields().toArray(new Field[out.length]);
    int n = columns.size();
    for (Column c : added) {
      if (c.size() != rows) {
        throw Errors.columnValuesFrameRows(c.name(), c.size(), rows);
      }
      int i = schema.indexOf(c.name());
      for (int j = columns.size(); i < 0 && j < n; j++) {
        if (out[j].name().equals(c.name())) {
          i = j; // added earlier in this call
        }
      }
      if (i < 0) {
        i = n++;
      }
      out[i] = c;
      fields[i] = new Field(c.name(), c.columnType(), true, "");
    }
    Schema grown = new Schema(Arrays.asList(fields).subList(0, n));
    return new Frame(grown, List.copyOf(Arrays.asList(out).subList(0, n)), rows);
  }

  /** This frame with a column renamed. */
  public Frame rename(String from, String to) {
    int i = schema.indexOf(from);
    if (i < 0) {
      throw Errors.columnNotInFrame(from, schema.names());
    }
    List<Column> out = new ArrayList<>(columns);
    List<Field> fields = new ArrayList<>(schema.fields());
    out.set(i, columns.get(i).rename(to));
    Field old = fields.get(i);
    fields.set(i, new Field(to, old.columnType(), old.nullable(), old.comment()));
    return new Frame(new Schema(fields), List.copyOf(out), rowCount);
  }

  /**
   * The rows of several frames one after another. All must have the same column names and types
   * (in the same order).
   *
   * @throws SchemaMismatchException naming the first frame whose schema differs
   */
  public static Frame concat(List<Frame> frames) {
    if (frames.isEmpty()) {
      throw Errors.concatNeedsLeastFrame();
    }
    Frame first = frames.get(0);
    for (int k = 1; k < frames.size(); k++) {
      if (!sameShape(first.schema, frames.get(k).schema)) {
        throw Errors.frameColumnsFrameConcat(k, frames.get(k).schema, first.schema);
      }
    }
    if (frames.size() == 1) {
      return first;
    }
    List<Column> out = new ArrayList<>();
    int rows = 0;
    for (Frame f : frames) {
      rows += f.rowCount;
    }
    for (int c = 0; c < first.columnCount(); c++) {
      List<Column> parts = new ArrayList<>(frames.size());
      for (Frame f : frames) {
        parts.add(f.columns.get(c));
      }
      Field fld = first.schema.get(c);
      out.add(Column.concat(fld.name(), fld.columnType(), parts));
    }
    return new Frame(first.schema, List.copyOf(out), rows);
  }

  private static boolean sameShape(Schema a, Schema b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equals(b.get(i).name()) || !a.get(i).columnType().equals(b.get(i).columnType())) {
        return false;
      }
    }
    return true;
  }

  /** Equal names, types and values in the same order (NaN equals NaN). Nullability and comments are ignored. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Frame)) {
      return false;
    }
    Frame f = (Frame) o;
    if (rowCount != f.rowCount || !sameShape(schema, f.schema)) {
      return false;
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!columns.get(i).sameValues(f.columns.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = rowCount;
    for (Column c : columns) {
      h = 31 * h + c.name().hashCode() * 17 + c.valuesHash();
    }
    return h;
  }

  /** A readable table of the first 20 rows (use {@link #toString(int)} for more). */
  @Override
  public String toString() {
    return toString(20);
  }

  /** A readable table of the first maxRows rows. */
  public String toString(int maxRows) {
    return FrameFormat.format(this, maxRows);
  }

  /**
   * Builds a frame row by row. Values are given in schema order or as maps; see
   * {@link Column#of(String, DataType, List)} for the Java types each column takes.
   *
   * <pre>{@code
   * Frame f = Frame.builder(schema).row(1L, "Oslo").row(2L, null).build();
   * }</pre>
   */
  public static final class Builder {
    private final Schema schema;
    private final Object[] arrays;
    private final boolean[][] nulls;
    private int rows;
    private int capacity = 16;
    private Frame built;

    private Builder(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      arrays = new Object[schema.size()];
      nulls = new boolean[schema.size()][];
      for (int c = 0; c < schema.size(); c++) {
        arrays[c] = Values.newArray(schema.get(c).columnType(), capacity);
        nulls[c] = new boolean[capacity];
      }
    }

    private void grow() {
      if (rows < capacity) {
        return;
      }
      capacity = Math.max(16, capacity * 2);
      for (int c = 0; c < arrays.length; c++) {
        Object n = Values.newArray(schema.get(c).columnType(), capacity);
        System.arraycopy(arrays[c], 0, n, 0, rows);
        arrays[c] = n;
        nulls[c] = Arrays.copyOf(nulls[c], capacity);
      }
    }

    /**
     * Adds one row, values in schema order.
     *
     * @throws SchemaMismatchException when the count or a value's type does not fit; the row is
     *     then not added and the builder may go on
     * @throws IllegalStateException after {@link #build()}
     */
    public Builder row(Object... values) {
      checkNotBuilt();
      if (values.length != schema.size()) {
        throw Errors.rowValuesSchemaColumns(rows, values.length, schema.size(), schema.names());
      }
      grow();
      for (int c = 0; c < values.length; c++) {
        put(c, values[c]);
      }
      rows++;
      return this;
    }

    /**
     * Adds one row from a map; missing keys are nulls.
     *
     * @throws ColumnNotFoundException for a key that is not a column of the schema
     * @throws SchemaMismatchException naming the column, row and value that does not fit
     * @throws IllegalStateException after {@link #build()}
     */
    public Builder row(Map<String, ?> values) {
      checkNotBuilt();
      for (String k : values.keySet()) {
        if (!schema.contains(k)) {
          throw Errors.columnNotInFrameSchema(k, schema.names());
        }
      }
      grow();
      for (int c = 0; c < schema.size(); c++) {
        put(c, values.get(schema.get(c).name()));
      }
      rows++;
      return this;
    }

    private void put(int c, Object v) {
      Field f = schema.get(c);
      if (v == null) {
        nulls[c][rows] = true;
        // a rejected row may have left a value here; a null reads as 0 through the getters
        Values.clear(arrays[c], rows);
      } else {
        try {
          Values.set(arrays[c], f.columnType(), rows, v, f.name());
        } catch (SchemaMismatchException e) {
          // Reset the partial row so the builder stays consistent for callers that catch.
          for (int k = 0; k < c; k++) {
            nulls[k][rows] = false;
          }
          throw e;
        }
      }
    }

    /** Number of rows added so far. */
    public int rowCount() {
      return rows;
    }

    private void checkNotBuilt() {
      if (built != null) {
        throw Errors.builderAlreadyBuiltFrame();
      }
    }

    /**
     * The frame. It shares the builder's storage, so the builder takes no more rows afterwards
     * (calling build again returns the same frame).
     */
    public Frame build() {
      if (built != null) {
        return built;
      }
      List<Column> cols = new ArrayList<>(schema.size());
      for (int c = 0; c < schema.size(); c++) {
        Field f = schema.get(c);
        cols.add(COLUMNS.wrap(f.name(), f.columnType(), arrays[c], nulls[c], rows));
      }
      built = new Frame(schema, List.copyOf(cols), rows);
      return built;
    }
  }
}
