package dev.mlops.core.internal;

import dev.mlops.core.DataType;
import dev.mlops.core.SchemaMismatchException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Conversions between boxed Java values and the primitive storage of columns. */
public final class Values {
  private Values() {}

  /** A new array of the storage kind for this type. */
  public static Object newArray(DataType type, int n) {
    switch (type) {
      case LONG:
      case TIMESTAMP:
        return new long[n];
      case INT:
      case DATE:
        return new int[n];
      case DOUBLE:
        return new double[n];
      case BOOLEAN:
        return new boolean[n];
      case STRING:
        return new String[n];
      default:
        throw new AssertionError(type);
    }
  }

  /** Stores a boxed value, converting where no information is lost. */
  public static void set(Object arr, DataType type, int i, Object v, String column) {
    switch (type) {
      case LONG:
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          ((long[]) arr)[i] = ((Number) v).longValue();
          return;
        }
        break;
      case INT:
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          ((int[]) arr)[i] = ((Number) v).intValue();
          return;
        }
        if (v instanceof Long && (long) (int) (long) (Long) v == (Long) v) {
          ((int[]) arr)[i] = (int) (long) (Long) v;
          return;
        }
        break;
      case DOUBLE:
        if (v instanceof Number) {
          ((double[]) arr)[i] = ((Number) v).doubleValue();
          return;
        }
        break;
      case BOOLEAN:
        if (v instanceof Boolean) {
          ((boolean[]) arr)[i] = (Boolean) v;
          return;
        }
        break;
      case STRING:
        if (v instanceof String || v instanceof Character || v instanceof Enum) {
          ((String[]) arr)[i] = v.toString();
          return;
        }
        break;
      case TIMESTAMP:
        Long micros = toMicros(v);
        if (micros != null) {
          ((long[]) arr)[i] = micros;
          return;
        }
        break;
      case DATE:
        if (v instanceof LocalDate) {
          ((int[]) arr)[i] = Math.toIntExact(((LocalDate) v).toEpochDay());
          return;
        }
        if (v instanceof Integer) {
          ((int[]) arr)[i] = (Integer) v;
          return;
        }
        break;
      default:
        break;
    }
    throw new SchemaMismatchException("Value " + quote(v) + " (" + v.getClass().getSimpleName()
        + ") at row " + i + " does not fit column '" + column + "' of type " + type
        + ". Pass " + javaTypeFor(type) + ".");
  }

  /** Java types accepted for a column type, for messages. */
  public static String javaTypeFor(DataType type) {
    switch (type) {
      case LONG:
        return "a Long (or Integer)";
      case INT:
        return "an Integer";
      case DOUBLE:
        return "a Double (or any Number)";
      case BOOLEAN:
        return "a Boolean";
      case STRING:
        return "a String";
      case TIMESTAMP:
        return "an Instant (or OffsetDateTime, ZonedDateTime, LocalDateTime as UTC, Long microseconds)";
      case DATE:
        return "a LocalDate";
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

  /** The boxed value at a row (no null check). */
  public static Object box(Object arr, DataType type, int i) {
    switch (type) {
      case LONG:
        return ((long[]) arr)[i];
      case INT:
        return ((int[]) arr)[i];
      case DOUBLE:
        return ((double[]) arr)[i];
      case BOOLEAN:
        return ((boolean[]) arr)[i];
      case STRING:
        return ((String[]) arr)[i];
      case TIMESTAMP:
        return microsToInstant(((long[]) arr)[i]);
      case DATE:
        return LocalDate.ofEpochDay(((int[]) arr)[i]);
      default:
        throw new AssertionError(type);
    }
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
    } else {
      ((Object[]) dst)[to] = ((Object[]) src)[from];
    }
  }

  /** Equality of two elements (NaN equals NaN). */
  public static boolean equalAt(Object a, int i, Object b, int j) {
    if (a instanceof long[]) {
      return ((long[]) a)[i] == ((long[]) b)[j];
    } else if (a instanceof int[]) {
      return ((int[]) a)[i] == ((int[]) b)[j];
    } else if (a instanceof double[]) {
      return Double.compare(((double[]) a)[i], ((double[]) b)[j]) == 0;
    } else if (a instanceof boolean[]) {
      return ((boolean[]) a)[i] == ((boolean[]) b)[j];
    }
    return java.util.Objects.equals(((Object[]) a)[i], ((Object[]) b)[j]);
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
    }
    return java.util.Objects.hashCode(((Object[]) a)[i]);
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
        default:
          throw new AssertionError(type);
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new SchemaMismatchException("Cannot read " + quote(text) + " in column '" + column
          + "', " + where + ", as " + type + " (" + javaTextFor(type) + "). Fix the value or declare"
          + " the column's type as STRING in the schema you pass.");
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
