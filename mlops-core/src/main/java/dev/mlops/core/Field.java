package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.Objects;

/**
 * One named, typed column of a {@link Schema} (or one field of a STRUCT).
 *
 * <pre>{@code
 * Field spend = Field.of("spend_30d", DataType.DOUBLE).withComment("Spend over 30 days");
 * Field amount = Field.of("amount", ColumnType.decimal(12, 2));
 * Field tags = Field.of("tags", ColumnType.array(DataType.STRING));
 * }</pre>
 *
 * @param name column name: 1 to 255 characters, no control characters (spaces and {@code ,;{}()=} are
 *     fine: SDK tables use Delta column mapping; a table created with {@code delta.columnMapping.mode=none}
 *     refuses them)
 * @param columnType the full column type (kind plus decimal precision/scale or nested types)
 * @param nullable whether the column may hold nulls
 * @param comment free-text description, empty when none (stored in the Delta schema metadata)
 */
public record Field(String name, ColumnType columnType, boolean nullable, String comment) {

  /** Validates the name and type. */
  public Field {
    Errors.checkColumnName(name);
    Objects.requireNonNull(columnType, () -> "type of column '" + name + "' must not be null");
    comment = comment == null ? "" : comment;
  }

  /**
   * A field of a kind without parameters.
   *
   * @throws IllegalArgumentException for DECIMAL, STRUCT, ARRAY and MAP (use the {@link ColumnType} constructor)
   */
  public Field(String name, DataType type, boolean nullable, String comment) {
    this(name, simple(name, type), nullable, comment);
  }

  private static ColumnType simple(String name, DataType type) {
    Objects.requireNonNull(type, () -> "type of column '" + name + "' must not be null");
    return ColumnType.of(type);
  }

  /** A nullable column without comment. */
  public static Field of(String name, DataType type) {
    return new Field(name, type, true, "");
  }

  /** A nullable column of a full type (DECIMAL, STRUCT, ARRAY, MAP or any other) without comment. */
  public static Field of(String name, ColumnType type) {
    return new Field(name, type, true, "");
  }

  /** The kind of the column's type. */
  public DataType type() {
    return columnType.kind();
  }

  /** A copy with the given comment. */
  public Field withComment(String newComment) {
    return new Field(name, columnType, nullable, newComment);
  }

  /** A copy with the given nullability. */
  public Field withNullable(boolean newNullable) {
    return new Field(name, columnType, newNullable, comment);
  }

  @Override
  public String toString() {
    return name + " " + columnType.sql() + (nullable ? "" : " not null");
  }
}
