package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.Objects;

/**
 * One named, typed column of a {@link Schema}.
 *
 * <pre>{@code
 * Field spend = Field.of("spend_30d", DataType.DOUBLE).withComment("Spend over 30 days");
 * }</pre>
 *
 * @param name column name: 1 to 255 characters, no control characters, no comma/semicolon/braces
 *     (Delta Lake reserves them without column mapping)
 * @param type column type
 * @param nullable whether the column may hold nulls
 * @param comment free-text description, empty when none (stored in the Delta schema metadata)
 */
public record Field(String name, DataType type, boolean nullable, String comment) {

  /** Validates the name and type. */
  public Field {
    Errors.checkColumnName(name);
    Objects.requireNonNull(type, () -> "type of column '" + name + "' must not be null");
    comment = comment == null ? "" : comment;
  }

  /** A nullable column without comment. */
  public static Field of(String name, DataType type) {
    return new Field(name, type, true, "");
  }

  /** A copy with the given comment. */
  public Field withComment(String newComment) {
    return new Field(name, type, nullable, newComment);
  }

  /** A copy with the given nullability. */
  public Field withNullable(boolean newNullable) {
    return new Field(name, type, newNullable, comment);
  }

  @Override
  public String toString() {
    return name + " " + type.name().toLowerCase(java.util.Locale.ROOT) + (nullable ? "" : " not null");
  }
}
