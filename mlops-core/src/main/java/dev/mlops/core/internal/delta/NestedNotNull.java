package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.Field;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Errors;
import java.util.List;
import java.util.Map;

/**
 * NOT NULL inside nested columns, enforced on write as Spark enforces it: a STRUCT field declared NOT
 * NULL, an ARRAY without null elements ({@code containsNull = false}) or a MAP without null values. A
 * data column may carry a looser nested type than the table's (the write conforms it to the table's),
 * so its values are checked here against the table's type. The error names the path the way Spark
 * does: {@code a.b} for field b of struct a, {@code a.element} for an array's elements,
 * {@code a.value} for a map's values.
 */
final class NestedNotNull {
  private NestedNotNull() {}

  /**
   * Checks every value of the column against the nested nullability of the table's field.
   *
   * @throws SchemaMismatchException naming the table, the path, the row and the fix; nothing is written
   */
  static void check(Column c, Field target, String table) {
    if (!hasNotNull(target.columnType())) {
      return;
    }
    for (int row = 0; row < c.size(); row++) {
      if (!c.isNull(row)) {
        String path = firstNull(c.get(row), target.columnType(), target.name());
        if (path != null) {
          throw Errors.nullInNestedNotNull(path, table, row);
        }
      }
    }
  }

  /** True when the type declares any nested NOT NULL (most types do not: then no value is walked). */
  static boolean hasNotNull(ColumnType t) {
    if (t instanceof ColumnType.Struct s) {
      for (Field f : s.fields()) {
        if (!f.nullable() || hasNotNull(f.columnType())) {
          return true;
        }
      }
      return false;
    }
    if (t instanceof ColumnType.ArrayOf a) {
      return !a.containsNull() || hasNotNull(a.element());
    }
    if (t instanceof ColumnType.MapOf m) {
      return !m.valueContainsNull() || hasNotNull(m.key()) || hasNotNull(m.value());
    }
    return false;
  }

  /** The path of the first null a NOT NULL forbids inside the (non-null) value, or null when there is none. */
  static String firstNull(Object v, ColumnType t, String path) {
    if (t instanceof ColumnType.Struct s && v instanceof Map<?, ?> m) {
      for (Field f : s.fields()) {
        Object x = m.get(f.name());
        String p = path + "." + f.name();
        String found = x == null ? (f.nullable() ? null : p) : firstNull(x, f.columnType(), p);
        if (found != null) {
          return found;
        }
      }
    } else if (t instanceof ColumnType.ArrayOf a && v instanceof List<?> l) {
      for (Object x : l) {
        String p = path + ".element";
        String found = x == null ? (a.containsNull() ? null : p) : firstNull(x, a.element(), p);
        if (found != null) {
          return found;
        }
      }
    } else if (t instanceof ColumnType.MapOf mt && v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String found = firstNull(e.getKey(), mt.key(), path + ".key");
        if (found == null) {
          Object x = e.getValue();
          String p = path + ".value";
          found = x == null ? (mt.valueContainsNull() ? null : p) : firstNull(x, mt.value(), p);
        }
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
