package dev.mlops.core.internal;

import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.SchemaMismatchException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Conversions between boxed Java values and the primitive storage of columns. */
public final class Values {
  private Values() {}

  /** A new array of the storage kind for this type. */
  public static Object newArray(DataType type, int n) {
    switch (type) {
      case LONG:
      case TIMESTAMP:
      case TIMESTAMP_NTZ:
        return new long[n];
      case INT:
      case DATE:
        return new int[n];
      case SHORT:
        return new short[n];
      case BYTE:
        return new byte[n];
      case DOUBLE:
        return new double[n];
      case FLOAT:
        return new float[n];
      case BOOLEAN:
        return new boolean[n];
      case STRING:
        return new String[n];
      case DECIMAL:
        return new BigDecimal[n];
      case BINARY:
        return new byte[n][];
      case STRUCT:
      case ARRAY:
      case MAP:
        return new Object[n];
      default:
        throw new AssertionError(type);
    }
  }

  /** A new array of the storage kind for this type. */
  public static Object newArray(ColumnType type, int n) {
    return newArray(type.kind(), n);
  }

  /**
   * Stores a boxed value, converting where no information is lost. For DECIMAL and the nested
   * kinds, which need the full {@link ColumnType} to check a value, this accepts any
   * {@code BigDecimal} / {@code Map} / {@code List} as it is: prefer
   * {@link #set(Object, ColumnType, int, Object, String)}.
   */
  public static void set(Object arr, DataType type, int i, Object v, String column) {
    if (!type.isParameterized()) {
      set(arr, ColumnType.of(type), i, v, column);
      return;
    }
    boolean ok = type == DataType.DECIMAL ? v instanceof BigDecimal
        : type == DataType.ARRAY ? v instanceof List : v instanceof Map;
    if (!ok) {
      throw misfit(v, i, column, type.name());
    }
    ((Object[]) arr)[i] = v;
  }

  /** Stores a boxed value of a column of the given full type, converting where no information is lost. */
  public static void set(Object arr, ColumnType type, int i, Object v, String column) {
    DataType k = type.kind();
    switch (k) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
        Long l = k == DataType.LONG ? toLong(v) : k == DataType.TIMESTAMP ? toMicros(v) : toNtzMicros(v);
        if (l != null) {
          ((long[]) arr)[i] = l;
          return;
        }
      }
      case INT, DATE -> {
        Integer n = k == DataType.INT ? toInt(v) : toDays(v);
        if (n != null) {
          ((int[]) arr)[i] = n;
          return;
        }
      }
      case SHORT -> {
        Long l = toLong(v);
        if (l != null && l == (short) (long) l) {
          ((short[]) arr)[i] = (short) (long) l;
          return;
        }
      }
      case BYTE -> {
        Long l = toLong(v);
        if (l != null && l == (byte) (long) l) {
          ((byte[]) arr)[i] = (byte) (long) l;
          return;
        }
      }
      case DOUBLE -> {
        if (v instanceof Number) {
          ((double[]) arr)[i] = ((Number) v).doubleValue();
          return;
        }
      }
      case FLOAT -> {
        Float f = toFloat(v);
        if (f != null) {
          ((float[]) arr)[i] = f;
          return;
        }
      }
      case BOOLEAN -> {
        if (v instanceof Boolean) {
          ((boolean[]) arr)[i] = (Boolean) v;
          return;
        }
      }
      case STRING -> {
        if (v instanceof String || v instanceof Character || v instanceof Enum) {
          ((String[]) arr)[i] = v.toString();
          return;
        }
      }
      default -> {
        Object c = convert(type, v, column, "row " + i);
        if (c != null) {
          ((Object[]) arr)[i] = c;
          return;
        }
      }
    }
    throw misfit(v, i, column, type.toString());
  }

  private static SchemaMismatchException misfit(Object v, int i, String column, String type) {
    return Errors.valueRowFitColumn(quote(v), v.getClass().getSimpleName(), i, column, type, javaTypeFor(kindOf(type)));
  }

  private static DataType kindOf(String typeText) {
    String t = typeText.toUpperCase(java.util.Locale.ROOT);
    for (DataType k : DataType.values()) {
      if (t.equals(k.name())) {
        return k;
      }
    }
    return t.startsWith("DECIMAL") ? DataType.DECIMAL : t.startsWith("ARRAY") ? DataType.ARRAY
        : t.startsWith("MAP") ? DataType.MAP : DataType.STRUCT;
  }

  /**
   * The canonical Java value of a value of this type (what {@code Column.get} returns, also inside
   * nested values), or null when it does not fit; throws naming the place when a nested part does
   * not fit or a decimal has too many digits.
   */
  public static Object convert(ColumnType type, Object v, String column, String where) {
    if (v == null) {
      return null;
    }
    switch (type.kind()) {
      case LONG:
        return toLong(v);
      case INT:
        return toInt(v);
      case SHORT: {
        Long l = toLong(v);
        return l != null && l == (short) (long) l ? Short.valueOf((short) (long) l) : null;
      }
      case BYTE: {
        Long l = toLong(v);
        return l != null && l == (byte) (long) l ? Byte.valueOf((byte) (long) l) : null;
      }
      case DOUBLE:
        return v instanceof Number ? ((Number) v).doubleValue() : null;
      case FLOAT:
        return toFloat(v);
      case BOOLEAN:
        return v instanceof Boolean ? v : null;
      case STRING:
        return v instanceof String || v instanceof Character || v instanceof Enum ? v.toString() : null;
      case TIMESTAMP: {
        Long m = toMicros(v);
        return m == null ? null : microsToInstant(m);
      }
      case TIMESTAMP_NTZ: {
        Long m = toNtzMicros(v);
        return m == null ? null : microsToLocal(m);
      }
      case DATE: {
        Integer d = toDays(v);
        return d == null ? null : LocalDate.ofEpochDay(d);
      }
      case BINARY:
        if (v instanceof byte[]) {
          return ((byte[]) v).clone();
        }
        if (v instanceof ByteBuffer) {
          ByteBuffer b = ((ByteBuffer) v).duplicate();
          byte[] out = new byte[b.remaining()];
          b.get(out);
          return out;
        }
        return null;
      case DECIMAL:
        return toDecimal((ColumnType.Decimal) type, v, column, where);
      case STRUCT:
        return toStruct((ColumnType.Struct) type, v, column, where);
      case ARRAY:
        return toArray((ColumnType.ArrayOf) type, v, column, where);
      case MAP:
        return toMap((ColumnType.MapOf) type, v, column, where);
      default:
        throw new AssertionError(type);
    }
  }

  /** As {@link #convert}, throwing a message that names the place when the value does not fit. */
  private static Object convertOrThrow(ColumnType type, Object v, boolean nullable, String column, String where) {
    if (v == null) {
      if (!nullable) {
        throw Errors.nullColumnTypeAllows(where, column, type);
      }
      return null;
    }
    Object c = convert(type, v, column, where);
    if (c == null) {
      throw Errors.valueFitColumnType(quote(v), v.getClass().getSimpleName(), where, column, type,
          javaTypeFor(type.kind()));
    }
    return c;
  }

  private static BigDecimal toDecimal(ColumnType.Decimal t, Object v, String column, String where) {
    BigDecimal d;
    if (v instanceof BigDecimal) {
      d = (BigDecimal) v;
    } else if (v instanceof BigInteger) {
      d = new BigDecimal((BigInteger) v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
      d = v instanceof Float ? new BigDecimal(v.toString()) : BigDecimal.valueOf((Double) v);
    } else {
      return null;
    }
    BigDecimal out;
    try {
      out = d.setScale(t.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw Errors.valueColumnMoreDigits(d.toPlainString(), where, column, t.scale(), t);
    }
    if (out.precision() > t.precision() && out.signum() != 0) {
      throw Errors.valueColumnNeedsDigits(d.toPlainString(), where, column, out.precision(), t,
          (t.precision() - t.scale()));
    }
    return out;
  }

  private static Map<String, Object> toStruct(ColumnType.Struct t, Object v, String column, String where) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (v instanceof Map<?, ?> m) {
      for (Object key : m.keySet()) {
        if (!(key instanceof String) || t.fields().stream().noneMatch(f -> f.name().equals(key))) {
          throw Errors.keyColumnFieldField(quote(key), where, column, t, t.names());
        }
      }
      for (Field f : t.fields()) {
        out.put(f.name(), convertOrThrow(f.columnType(), m.get(f.name()), f.nullable(), column,
            where + ", field '" + f.name() + "'"));
      }
    } else if (v instanceof Record r) {
      RecordComponent[] comps = r.getClass().getRecordComponents();
      Map<String, Object> byName = new LinkedHashMap<>();
      for (RecordComponent rc : comps) {
        byName.put(rc.getName(), component(r, rc));
      }
      return toStruct(t, byName, column, where);
    } else {
      return null;
    }
    return Collections.unmodifiableMap(out);
  }

  /** The value of one component of a record (package-private records included). */
  public static Object component(Record r, RecordComponent rc) {
    Method m = rc.getAccessor();
    m.trySetAccessible();
    try {
      return m.invoke(r);
    } catch (InvocationTargetException e) {
      throw Errors.recordAccessorThrew(rc.getName(), r.getClass().getName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw Errors.recordNotAccessible(rc.getName(), r.getClass().getName(), e);
    }
  }

  private static List<Object> toArray(ColumnType.ArrayOf t, Object v, String column, String where) {
    List<?> in;
    if (v instanceof List<?> l) {
      in = l;
    } else if (v instanceof Collection<?> c) {
      in = new ArrayList<>(c);
    } else if (v instanceof Object[] a) {
      in = Arrays.asList(a);
    } else if (v.getClass().isArray() && !(v instanceof byte[] && t.element().kind() != DataType.BYTE)) {
      int n = java.lang.reflect.Array.getLength(v);
      List<Object> b = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        b.add(java.lang.reflect.Array.get(v, i));
      }
      in = b;
    } else {
      return null;
    }
    List<Object> out = new ArrayList<>(in.size());
    int i = 0;
    for (Object e : in) {
      out.add(convertOrThrow(t.element(), e, t.containsNull(), column, where + ", element " + i));
      i++;
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<Object, Object> toMap(ColumnType.MapOf t, Object v, String column, String where) {
    if (!(v instanceof Map<?, ?> m)) {
      return null;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object k = convertOrThrow(t.key(), e.getKey(), false, column, where + ", a key");
      out.put(k, convertOrThrow(t.value(), e.getValue(), t.valueContainsNull(), column,
          where + ", value of key " + quote(e.getKey())));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Long toLong(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return null;
  }

  private static Integer toInt(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).intValue();
    }
    if (v instanceof Long && (long) (int) (long) (Long) v == (Long) v) {
      return (int) (long) (Long) v;
    }
    return null;
  }

  private static Float toFloat(Object v) {
    if (v instanceof Float) {
      return (Float) v;
    }
    if (v instanceof Double) {
      double d = (Double) v;
      float f = (float) d;
      return f == d || Double.isNaN(d) ? f : null; // only when no digit is lost
    }
    Long l = toLong(v);
    if (l != null && (long) (float) (long) l == l) {
      return (float) (long) l;
    }
    return null;
  }

  private static Integer toDays(Object v) {
    if (v instanceof LocalDate) {
      return Math.toIntExact(((LocalDate) v).toEpochDay());
    }
    if (v instanceof Integer) {
      return (Integer) v;
    }
    return null;
  }

  private static Long toNtzMicros(Object v) {
    if (v instanceof LocalDateTime) {
      return localToMicros((LocalDateTime) v);
    }
    if (v instanceof Long) {
      return (Long) v;
    }
    return null;
  }

  /** Java types accepted for a column type, for messages. */
  public static String javaTypeFor(DataType type) {
    switch (type) {
      case LONG:
        return "a Long (or Integer)";
      case INT:
        return "an Integer";
      case SHORT:
        return "a Short (or an Integer in range)";
      case BYTE:
        return "a Byte (or an Integer in range)";
      case DOUBLE:
        return "a Double (or any Number)";
      case FLOAT:
        return "a Float (or a Double that is exactly a float)";
      case DECIMAL:
        return "a BigDecimal (or Long/Integer)";
      case BOOLEAN:
        return "a Boolean";
      case STRING:
        return "a String";
      case BINARY:
        return "a byte[]";
      case TIMESTAMP:
        return "an Instant (or OffsetDateTime, ZonedDateTime, LocalDateTime as UTC, Long microseconds)";
      case TIMESTAMP_NTZ:
        return "a LocalDateTime (or Long microseconds)";
      case DATE:
        return "a LocalDate";
      case STRUCT:
        return "a Map<String, ?> of field name to value, or a record";
      case ARRAY:
        return "a List (or an array)";
      case MAP:
        return "a Map";
      default:
        throw new AssertionError(type);
    }
  }

  private static Long toMicros(Object v) {
    Instant t = null;
    if (v instanceof Instant) {
      t = (Instant) v;
    } else if (v instanceof OffsetDateTime) {
      t = ((OffsetDateTime) v).toInstant();
    } else if (v instanceof ZonedDateTime) {
      t = ((ZonedDateTime) v).toInstant();
    } else if (v instanceof LocalDateTime) {
      t = ((LocalDateTime) v).toInstant(ZoneOffset.UTC);
    } else if (v instanceof java.util.Date) {
      t = ((java.util.Date) v).toInstant();
    } else if (v instanceof Long) {
      return (Long) v;
    }
    return t == null ? null : instantToMicros(t);
  }

  /** Microseconds since the epoch (sub-microsecond digits are truncated). */
  public static long instantToMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** The instant for microseconds since the epoch. */
  public static Instant microsToInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** Wall-clock microseconds since 1970-01-01T00:00 (sub-microsecond digits are truncated). */
  public static long localToMicros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000);
  }

  /** The local date-time for wall-clock microseconds since 1970-01-01T00:00. */
  public static LocalDateTime microsToLocal(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
  }

  /** The boxed value at a row (no null check). */
  public static Object box(Object arr, DataType type, int i) {
    switch (type) {
      case LONG:
        return ((long[]) arr)[i];
      case INT:
        return ((int[]) arr)[i];
      case SHORT:
        return ((short[]) arr)[i];
      case BYTE:
        return ((byte[]) arr)[i];
      case DOUBLE:
        return ((double[]) arr)[i];
      case FLOAT:
        return ((float[]) arr)[i];
      case BOOLEAN:
        return ((boolean[]) arr)[i];
      case STRING:
        return ((String[]) arr)[i];
      case TIMESTAMP:
        return microsToInstant(((long[]) arr)[i]);
      case TIMESTAMP_NTZ:
        return microsToLocal(((long[]) arr)[i]);
      case DATE:
        return LocalDate.ofEpochDay(((int[]) arr)[i]);
      case BINARY:
        byte[] b = ((byte[][]) arr)[i];
        return b == null ? null : b.clone();
      case DECIMAL:
      case STRUCT:
      case ARRAY:
      case MAP:
        return ((Object[]) arr)[i]; // immutable (nested binary values are copied by the caller if needed)
      default:
        throw new AssertionError(type);
    }
  }

  /** A copy of a column array ({@link #newArray}'s kinds) with {@code cap} elements, zero- or null-padded. */
  public static Object grow(Object arr, int cap) {
    if (arr instanceof long[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof int[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof double[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof boolean[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof short[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof byte[] a) {
      return Arrays.copyOf(a, cap);
    } else if (arr instanceof float[] a) {
      return Arrays.copyOf(a, cap);
    }
    return Arrays.copyOf((Object[]) arr, cap, ((Object[]) arr).getClass());
  }

  /** Resets one element to its zero value (0, false, null). */
  public static void clear(Object arr, int i) {
    if (arr instanceof long[]) {
      ((long[]) arr)[i] = 0L;
    } else if (arr instanceof int[]) {
      ((int[]) arr)[i] = 0;
    } else if (arr instanceof double[]) {
      ((double[]) arr)[i] = 0.0;
    } else if (arr instanceof boolean[]) {
      ((boolean[]) arr)[i] = false;
    } else if (arr instanceof short[]) {
      ((short[]) arr)[i] = 0;
    } else if (arr instanceof byte[]) {
      ((byte[]) arr)[i] = 0;
    } else if (arr instanceof float[]) {
      ((float[]) arr)[i] = 0f;
    } else {
      ((Object[]) arr)[i] = null;
    }
  }

  /** Copies one element between arrays of the same kind. */
  public static void copy(Object src, int from, Object dst, int to) {
    if (src instanceof long[]) {
      ((long[]) dst)[to] = ((long[]) src)[from];
    } else if (src instanceof int[]) {
      ((int[]) dst)[to] = ((int[]) src)[from];
    } else if (src instanceof double[]) {
      ((double[]) dst)[to] = ((double[]) src)[from];
    } else if (src instanceof boolean[]) {
      ((boolean[]) dst)[to] = ((boolean[]) src)[from];
    } else if (src instanceof short[]) {
      ((short[]) dst)[to] = ((short[]) src)[from];
    } else if (src instanceof byte[]) {
      ((byte[]) dst)[to] = ((byte[]) src)[from];
    } else if (src instanceof float[]) {
      ((float[]) dst)[to] = ((float[]) src)[from];
    } else {
      ((Object[]) dst)[to] = ((Object[]) src)[from];
    }
  }

  /** Equality of two elements (NaN equals NaN; byte arrays and nested values by content). */
  public static boolean equalAt(Object a, int i, Object b, int j) {
    if (a instanceof long[]) {
      return ((long[]) a)[i] == ((long[]) b)[j];
    } else if (a instanceof int[]) {
      return ((int[]) a)[i] == ((int[]) b)[j];
    } else if (a instanceof double[]) {
      return Double.compare(((double[]) a)[i], ((double[]) b)[j]) == 0;
    } else if (a instanceof boolean[]) {
      return ((boolean[]) a)[i] == ((boolean[]) b)[j];
    } else if (a instanceof short[]) {
      return ((short[]) a)[i] == ((short[]) b)[j];
    } else if (a instanceof byte[]) {
      return ((byte[]) a)[i] == ((byte[]) b)[j];
    } else if (a instanceof float[]) {
      return Float.compare(((float[]) a)[i], ((float[]) b)[j]) == 0;
    }
    return deepEquals(((Object[]) a)[i], ((Object[]) b)[j]);
  }

  /** Hash of one element, consistent with {@link #equalAt}. */
  public static int hashAt(Object a, int i) {
    if (a instanceof long[]) {
      return Long.hashCode(((long[]) a)[i]);
    } else if (a instanceof int[]) {
      return ((int[]) a)[i];
    } else if (a instanceof double[]) {
      return Double.hashCode(((double[]) a)[i]);
    } else if (a instanceof boolean[]) {
      return Boolean.hashCode(((boolean[]) a)[i]);
    } else if (a instanceof short[]) {
      return ((short[]) a)[i];
    } else if (a instanceof byte[]) {
      return ((byte[]) a)[i];
    } else if (a instanceof float[]) {
      return Float.hashCode(((float[]) a)[i]);
    }
    return deepHash(((Object[]) a)[i]);
  }

  /** Equality of canonical values: byte arrays by content, lists and maps element by element. */
  public static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int k = 0; k < x.size(); k++) {
        if (!deepEquals(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Hash consistent with {@link #deepEquals}. */
  public static int deepHash(Object a) {
    if (a == null) {
      return 0;
    }
    if (a instanceof byte[] x) {
      return Arrays.hashCode(x);
    }
    if (a instanceof List<?> x) {
      int h = 1;
      for (Object e : x) {
        h = 31 * h + deepHash(e);
      }
      return h;
    }
    if (a instanceof Map<?, ?> x) {
      int h = 0;
      for (Map.Entry<?, ?> e : x.entrySet()) {
        h += java.util.Objects.hashCode(e.getKey()) ^ deepHash(e.getValue());
      }
      return h;
    }
    return a.hashCode();
  }

  /** Text of a canonical value for tables and messages (hex for bytes, plain decimals, nested in brackets). */
  public static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[] b) {
      StringBuilder sb = new StringBuilder("0x");
      for (byte x : b) {
        sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
      }
      return sb.toString().toUpperCase(java.util.Locale.ROOT).replace("0X", "0x");
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int k = 0; k < l.size(); k++) {
        sb.append(k == 0 ? "" : ", ").append(text(l.get(k)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ", ").append(text(e.getKey())).append(": ").append(text(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    return String.valueOf(v);
  }

  private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]+");
  // What Double.toString writes and people type; not Java's "7d", "1f" or hex literals.
  private static final Pattern DECIMAL_TEXT =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(NaN|Infinity)");

  /** True when trimmed text is an integer literal as CSV reads it (ASCII digits, optional sign). */
  public static boolean isIntegerText(String t) {
    return INTEGER_TEXT.matcher(t).matches();
  }

  /** True when trimmed text is a decimal literal as CSV reads it (also NaN and Infinity). */
  public static boolean isDecimalText(String t) {
    return DECIMAL_TEXT.matcher(t).matches();
  }

  /**
   * Parses text (from CSV) as a value of the type; null is null, and so is blank text except in a
   * STRING column.
   *
   * @throws SchemaMismatchException naming the column, row and text
   */
  public static Object parse(String text, DataType type, String column, long row) {
    return parse(text, type, column, "row " + row);
  }

  /**
   * As {@link #parse(String, DataType, String, long)}, with the place of the value in words for the
   * message (e.g. "row 3 (line 5 of a.csv)").
   */
  public static Object parse(String text, DataType type, String column, String where) {
    if (text == null || (type != DataType.STRING && text.isBlank())) {
      return null;
    }
    String t = text.trim();
    try {
      switch (type) {
        case LONG:
          if (!isIntegerText(t)) {
            throw new NumberFormatException();
          }
          return Long.parseLong(t);
        case INT:
          if (!isIntegerText(t)) {
            throw new NumberFormatException();
          }
          return Integer.parseInt(t);
        case DOUBLE:
          if (!isDecimalText(t)) {
            throw new NumberFormatException();
          }
          return Double.parseDouble(t);
        case BOOLEAN:
          if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          if (t.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
          }
          throw new NumberFormatException();
        case STRING:
          return text;
        case TIMESTAMP:
          return parseTimestamp(t);
        case DATE:
          return LocalDate.parse(t);
        case SHORT:
          if (!isIntegerText(t)) {
            throw new NumberFormatException();
          }
          return Short.parseShort(t);
        case BYTE:
          if (!isIntegerText(t)) {
            throw new NumberFormatException();
          }
          return Byte.parseByte(t);
        case FLOAT:
          if (!isDecimalText(t)) {
            throw new NumberFormatException();
          }
          return Float.parseFloat(t);
        case DECIMAL:
          if (!isDecimalText(t) || t.contains("N") || t.contains("I")) {
            throw new NumberFormatException();
          }
          return new BigDecimal(t);
        case TIMESTAMP_NTZ:
          return LocalDateTime.parse(t.replace(' ', 'T'));
        default:
          throw Errors.columnReadTextRead(column, type);
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw Errors.readColumnFixValue(quote(text), column, where, type, javaTextFor(type));
    }
  }

  private static String javaTextFor(DataType type) {
    switch (type) {
      case LONG:
      case INT:
        return "digits with an optional sign";
      case DOUBLE:
        return "a decimal number like -1.5e3, NaN or Infinity";
      case BOOLEAN:
        return "true or false";
      case TIMESTAMP:
        return "ISO-8601 like 2024-01-31T12:00:00Z; without offset it is UTC";
      case DATE:
        return "yyyy-MM-dd";
      case TIMESTAMP_NTZ:
        return "ISO-8601 local date-time like 2024-01-31T12:00:00";
      case SHORT:
      case BYTE:
        return "digits with an optional sign, in range";
      case FLOAT:
      case DECIMAL:
        return "a decimal number like -1.5e3";
      default:
        return "text";
    }
  }

  /** ISO-8601 instant, offset date-time, or local date-time (taken as UTC; 'T' or space). */
  public static Instant parseTimestamp(String t) {
    String s = t.replace(' ', 'T');
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      }
    }
  }

  /** A value quoted for an error message, cut to 60 characters. */
  public static String quote(Object v) {
    if (v == null) {
      return "null";
    }
    String s = String.valueOf(v);
    if (s.length() > 60) {
      s = s.substring(0, 57) + "...";
    }
    return v instanceof String ? "'" + s + "'" : s;
  }
}
