package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ordered, named and typed columns of a {@link Frame} or a table. Column names are unique.
 *
 * <pre>{@code
 * Schema s = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("spend", DataType.DOUBLE));
 * s.type("spend");   // DOUBLE
 * }</pre>
 *
 * @param fields the columns, in order
 */
public record Schema(List<Field> fields) {

  /**
   * Copies the list and checks names are unique.
   *
   * @throws IllegalArgumentException naming a column that appears twice
   */
  public Schema {
    fields = List.copyOf(fields);
    String twice = firstRepeated(fields);
    if (twice != null) {
      // not names(): the record's field is not assigned yet inside the compact constructor
      List<String> all = fields.stream().map(Field::name).collect(Collectors.toList());
      throw Errors.columnAppearsTwiceSchema(twice, all);
    }
  }

  /**
   * The first name that appears a second time, or null. Up to 16 columns by comparing pairs, without
   * allocating: a scoring server builds several small schemas per request, and a hash set per schema
   * was a tenth of the bytes it allocated.
   */
  private static String firstRepeated(List<Field> fields) {
    int n = fields.size();
    if (n <= 16) {
      for (int i = 1; i < n; i++) {
        String name = fields.get(i).name();
        for (int j = 0; j < i; j++) {
          if (fields.get(j).name().equals(name)) {
            return name;
          }
        }
      }
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (Field f : fields) {
      if (!seen.add(f.name())) {
        return f.name();
      }
    }
    return null;
  }

  /** A schema of the given fields. */
  public static Schema of(Field... fields) {
    return new Schema(List.of(fields));
  }

  /** Number of columns. */
  public int size() {
    return fields.size();
  }

  /** Column names in order. */
  public List<String> names() {
    return fields.stream().map(Field::name).collect(Collectors.toUnmodifiableList());
  }

  /** Index of a column, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The field with this name, if any. */
  public Optional<Field> find(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
  }

  /**
   * The field with this name.
   *
   * @throws ColumnNotFoundException if there is none
   */
  public Field field(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw Errors.columnNotInSchema(name, names());
    }
    return fields.get(i);
  }

  /** The type of a column; throws {@link ColumnNotFoundException} if missing. */
  public DataType type(String name) {
    return field(name).type();
  }

  /** The full type of a column (with decimal precision/scale, nested types); throws {@link ColumnNotFoundException} if missing. */
  public ColumnType columnType(String name) {
    return field(name).columnType();
  }

  /** True when a column of this name exists. */
  public boolean contains(String name) {
    return indexOf(name) >= 0;
  }

  /** The field at a position. */
  public Field get(int index) {
    return fields.get(index);
  }

  /** A schema of only the given columns, in the given order. */
  public Schema select(List<String> names) {
    List<Field> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(field(n));
    }
    return new Schema(out);
  }

  /** This schema plus the given fields at the end. */
  public Schema plus(List<Field> more) {
    List<Field> out = new ArrayList<>(fields);
    out.addAll(more);
    return new Schema(out);
  }

  @Override
  public String toString() {
    return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
