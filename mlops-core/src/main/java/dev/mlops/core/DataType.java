package dev.mlops.core;

/**
 * The column types a {@link Frame} and an SDK table hold.
 *
 * <p>Each maps to one Delta Lake type: {@code LONG}→bigint, {@code INT}→int, {@code DOUBLE}→double,
 * {@code BOOLEAN}→boolean, {@code STRING}→string, {@code TIMESTAMP}→timestamp (microseconds since
 * the epoch, UTC), {@code DATE}→date (days since the epoch).
 *
 * <pre>{@code
 * Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP));
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
  DATE;

  /** True for the types whose values are numbers (long, int, double). */
  public boolean isNumeric() {
    return this == LONG || this == INT || this == DOUBLE;
  }
}
