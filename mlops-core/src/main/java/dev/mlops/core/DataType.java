package dev.mlops.core;

/**
 * The kinds of column a {@link Frame} and an SDK table hold: one per Delta Lake type.
 *
 * <p>{@code LONG}→bigint, {@code INT}→int, {@code SHORT}→smallint, {@code BYTE}→tinyint,
 * {@code DOUBLE}→double, {@code FLOAT}→float, {@code DECIMAL}→decimal(p,s), {@code BOOLEAN}→boolean,
 * {@code STRING}→string, {@code BINARY}→binary, {@code TIMESTAMP}→timestamp (an instant, microseconds
 * since the epoch, UTC), {@code TIMESTAMP_NTZ}→timestamp_ntz (a local date-time without zone),
 * {@code DATE}→date (days since the epoch), and the nested {@code STRUCT}, {@code ARRAY} and {@code MAP}.
 * DECIMAL and the nested kinds need parameters: give them as a {@link ColumnType}
 * ({@code ColumnType.decimal(12, 2)}, {@code ColumnType.array(DataType.DOUBLE)}, ...).
 *
 * <p>Java values of each kind (what {@link Column#get} returns and the builders take): Long,
 * Integer, Short, Byte, Double, Float, {@link java.math.BigDecimal}, Boolean, String, byte[],
 * {@link java.time.Instant}, {@link java.time.LocalDateTime}, {@link java.time.LocalDate}, and for
 * nested values {@code Map<String, Object>} (STRUCT, field name to value), {@code List<Object>}
 * (ARRAY) and {@code Map<Object, Object>} (MAP).
 *
 * <pre>{@code
 * Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
 *     Field.of("amount", ColumnType.decimal(12, 2)));
 * }</pre>
 */
public enum DataType {
  /** 64-bit signed integer. */
  LONG,
  /** 32-bit signed integer. */
  INT,
  /** 64-bit IEEE 754 floating point. */
  DOUBLE,
  /** true / false. */
  BOOLEAN,
  /** UTF-8 text. */
  STRING,
  /** An instant with microsecond precision, stored as microseconds since 1970-01-01T00:00Z. */
  TIMESTAMP,
  /** A calendar date, stored as days since 1970-01-01. */
  DATE,
  /** 16-bit signed integer (Spark's SMALLINT). */
  SHORT,
  /** 8-bit signed integer (Spark's TINYINT). */
  BYTE,
  /** 32-bit IEEE 754 floating point. */
  FLOAT,
  /** Exact decimal number of a fixed precision and scale; held as {@link java.math.BigDecimal}. */
  DECIMAL,
  /** Bytes; held as {@code byte[]}. */
  BINARY,
  /**
   * A local date-time without time zone with microsecond precision, held as
   * {@link java.time.LocalDateTime} (stored as microseconds since 1970-01-01T00:00 on the wall clock).
   */
  TIMESTAMP_NTZ,
  /** Named, typed fields; held per row as {@code Map<String, Object>}. */
  STRUCT,
  /** A list of values of one type; held per row as {@code List<Object>}. */
  ARRAY,
  /** Keys to values, each of one type; held per row as {@code Map<Object, Object>}. */
  MAP;

  /** True for the types whose values are numbers (long, int, short, byte, double, float, decimal). */
  public boolean isNumeric() {
    return this == LONG || this == INT || this == DOUBLE || this == SHORT || this == BYTE || this == FLOAT
        || this == DECIMAL;
  }

  /** True for STRUCT, ARRAY and MAP. */
  public boolean isNested() {
    return this == STRUCT || this == ARRAY || this == MAP;
  }

  /** True for the kinds that need a {@link ColumnType} with parameters: DECIMAL, STRUCT, ARRAY, MAP. */
  public boolean isParameterized() {
    return this == DECIMAL || isNested();
  }
}
