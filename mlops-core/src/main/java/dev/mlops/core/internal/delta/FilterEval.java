package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Values;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Checks filters against a schema, turns them into Kernel predicates (file skipping) and evaluates them on frames. */
public final class FilterEval {
  private FilterEval() {}

  private static final byte F = 0;
  private static final byte T = 1;
  private static final byte U = 2;

  /** Column names a filter uses (see {@link Filter#columns()}). */
  public static Set<String> columns(Filter f) {
    return f.columns();
  }


  /**
   * Checks that every column exists and every value fits its column's type.
   *
   * @throws ColumnNotFoundException naming the column and the table
   * @throws SchemaMismatchException naming the column, type and value
   */
  public static void validate(Filter f, Schema schema, String where) {
    for (String c : columns(f)) {
      if (!schema.contains(c)) {
        throw Errors.usedFilter(c, schema.names(), where, f);
      }
    }
    check(f, schema, where);
  }

  private static void check(Filter f, Schema schema, String where) {
    if (f instanceof Filter.Compare c) {
      coerce(c.value(), schema.columnType(c.column()), c.column(), where);
    } else if (f instanceof Filter.In in) {
      for (Object v : in.values()) {
        if (v == null) {
          throw Errors.filterContainsNullNever(f, where, in.column());
        }
        coerce(v, schema.columnType(in.column()), in.column(), where);
      }
    } else if (f instanceof Filter.And a) {
      a.filters().forEach(x -> check(x, schema, where));
    } else if (f instanceof Filter.Or o) {
      o.filters().forEach(x -> check(x, schema, where));
    } else if (f instanceof Filter.Not n) {
      check(n.filter(), schema, where);
    }
  }

  /**
   * The value converted to what {@link #storage} gives for the column's type: Long (LONG, and
   * microseconds of TIMESTAMP and TIMESTAMP_NTZ), Integer (INT, and days of DATE), Short, Byte, Double
   * (any number for a DOUBLE column), Float, BigDecimal with the column's scale, Boolean, String, or
   * byte[]. A literal that would need rounding to fit the column's type is refused, never rounded.
   *
   * @throws SchemaMismatchException naming the value, column and type; also for a nested column
   *     (only isNull applies to STRUCT, ARRAY and MAP)
   */
  static Object coerce(Object v, ColumnType t, String column, String where) {
    if (t.kind().isNested()) {
      throw Errors.columnFiltersCompareFlat(column, where, t);
    }
    Object c;
    try {
      if (t.kind() == DataType.DOUBLE && v instanceof Number) {
        c = ((Number) v).doubleValue();
      } else if (t.kind() == DataType.DECIMAL && v instanceof Number) {
        c = Values.convert(t, v, column, "the filter");
      } else {
        Object arr = Values.newArray(t, 1);
        Values.set(arr, t, 0, v, column);
        c = storedAt(arr);
      }
    } catch (SchemaMismatchException e) {
      throw Errors.filterValueDoesNotFit(Values.quote(v), v.getClass().getSimpleName(), column, where, t,
          e.getMessage());
    }
    if (c == null) {
      throw Errors.filterValueNotConvertible(Values.quote(v), v.getClass().getSimpleName(), column, where, t,
          Values.javaTypeFor(t.kind()));
    }
    return c;
  }

  /** As {@link #coerce(Object, ColumnType, String, String)} for a kind without parameters. */
  static Object coerce(Object v, DataType t, String column, String where) {
    return coerce(v, ColumnType.of(t), column, where);
  }

  private static Object storedAt(Object arr) {
    if (arr instanceof long[] a) {
      return a[0];
    } else if (arr instanceof int[] a) {
      return a[0];
    } else if (arr instanceof double[] a) {
      return a[0];
    } else if (arr instanceof boolean[] a) {
      return a[0];
    } else if (arr instanceof short[] a) {
      return a[0];
    } else if (arr instanceof byte[] a) {
      return a[0];
    } else if (arr instanceof float[] a) {
      return a[0];
    }
    return ((Object[]) arr)[0];
  }

  /** A Kernel predicate for data skipping, when the filter can be expressed as one. */
  public static Optional<Predicate> toKernel(Filter f, Schema schema) {
    return Optional.ofNullable(kernel(f, schema));
  }

  private static Predicate kernel(Filter f, Schema schema) {
    if (f instanceof Filter.Compare c) {
      if (c.op() == Filter.Op.NE) {
        return null;
      }
      ColumnType t = schema.columnType(c.column());
      return new Predicate(c.op().symbol(), new io.delta.kernel.expressions.Column(c.column()),
          literal(coerce(c.value(), t, c.column(), "table"), t));
    } else if (f instanceof Filter.In in) {
      if (in.values().isEmpty() || in.values().size() > 64) {
        return null;
      }
      Predicate acc = null;
      ColumnType t = schema.columnType(in.column());
      for (Object v : in.values()) {
        Predicate p = new Predicate("=", new io.delta.kernel.expressions.Column(in.column()),
            literal(coerce(v, t, in.column(), "table"), t));
        acc = acc == null ? p : new Predicate("OR", acc, p);
      }
      return acc;
    } else if (f instanceof Filter.IsNull n) {
      return new Predicate(n.negated() ? "IS_NOT_NULL" : "IS_NULL",
          new io.delta.kernel.expressions.Column(n.column()));
    } else if (f instanceof Filter.And a) {
      Predicate acc = null;
      for (Filter x : a.filters()) {
        Predicate p = kernel(x, schema);
        if (p != null) {
          acc = acc == null ? p : new Predicate("AND", acc, p);
        }
      }
      return acc;
    } else if (f instanceof Filter.Or o) {
      Predicate acc = null;
      for (Filter x : o.filters()) {
        Predicate p = kernel(x, schema);
        if (p == null) {
          return null; // one unskippable branch makes the whole OR unskippable
        }
        acc = acc == null ? p : new Predicate("OR", acc, p);
      }
      return acc;
    }
    return null; // NOT: no skipping
  }

  /** A Kernel literal of the column's exact type for a value as {@link #coerce} gives it. */
  static Literal literal(Object v, ColumnType t) {
    switch (t.kind()) {
      case LONG:
        return Literal.ofLong((Long) v);
      case INT:
        return Literal.ofInt((Integer) v);
      case SHORT:
        return Literal.ofShort((Short) v);
      case BYTE:
        return Literal.ofByte((Byte) v);
      case DOUBLE:
        return Literal.ofDouble((Double) v);
      case FLOAT:
        return Literal.ofFloat((Float) v);
      case DECIMAL: {
        ColumnType.Decimal d = (ColumnType.Decimal) t;
        return Literal.ofDecimal((BigDecimal) v, d.precision(), d.scale());
      }
      case BOOLEAN:
        return Literal.ofBoolean((Boolean) v);
      case STRING:
        return Literal.ofString((String) v);
      case BINARY:
        return Literal.ofBinary((byte[]) v);
      case TIMESTAMP:
        return Literal.ofTimestamp((Long) v);
      case TIMESTAMP_NTZ:
        return Literal.ofTimestampNtz((Long) v);
      case DATE:
        return Literal.ofDate((Integer) v);
      default:
        throw new AssertionError(t);
    }
  }

  /** As {@link #literal(Object, ColumnType)} for a kind without parameters. */
  static Literal literal(Object v, DataType t) {
    return literal(v, ColumnType.of(t));
  }

  /** Rows of the frame where the filter is true (SQL semantics: unknown is not selected). */
  public static boolean[] evaluate(Filter f, Frame frame) {
    byte[] r = eval(f, frame);
    boolean[] out = new boolean[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = r[i] == T;
    }
    return out;
  }

  private static byte[] eval(Filter f, Frame frame) {
    int n = frame.rowCount();
    byte[] out = new byte[n];
    if (f instanceof Filter.Compare c) {
      Column col = frame.column(c.column());
      Object v = coerce(c.value(), col.columnType(), c.column(), "frame");
      for (int i = 0; i < n; i++) {
        out[i] = col.isNull(i) ? U : (test(c.op(), compare(col, i, v)) ? T : F);
      }
    } else if (f instanceof Filter.In in) {
      Column col = frame.column(in.column());
      Set<Object> set = new HashSet<>();
      for (Object v : in.values()) {
        set.add(key(coerce(v, col.columnType(), in.column(), "frame")));
      }
      boolean numericDouble = col.type() == DataType.DOUBLE;
      for (int i = 0; i < n; i++) {
        if (col.isNull(i)) {
          out[i] = U;
        } else {
          Object x = numericDouble ? (Object) col.getDouble(i) : key(storage(col, i));
          out[i] = set.contains(x) ? T : F;
        }
      }
    } else if (f instanceof Filter.IsNull isn) {
      Column col = frame.column(isn.column());
      for (int i = 0; i < n; i++) {
        out[i] = col.isNull(i) != isn.negated() ? T : F;
      }
    } else if (f instanceof Filter.And a) {
      java.util.Arrays.fill(out, T);
      for (Filter x : a.filters()) {
        byte[] r = eval(x, frame);
        for (int i = 0; i < n; i++) {
          out[i] = out[i] == F || r[i] == F ? F : (out[i] == U || r[i] == U ? U : T);
        }
      }
    } else if (f instanceof Filter.Or o) {
      java.util.Arrays.fill(out, F);
      for (Filter x : o.filters()) {
        byte[] r = eval(x, frame);
        for (int i = 0; i < n; i++) {
          out[i] = out[i] == T || r[i] == T ? T : (out[i] == U || r[i] == U ? U : F);
        }
      }
    } else if (f instanceof Filter.Not nf) {
      byte[] r = eval(nf.filter(), frame);
      for (int i = 0; i < n; i++) {
        out[i] = r[i] == U ? U : (r[i] == T ? F : T);
      }
    }
    return out;
  }

  /** A value usable as a hash key (byte arrays by content). */
  private static Object key(Object v) {
    return v instanceof byte[] b ? java.nio.ByteBuffer.wrap(b) : v;
  }

  /** The value at a non-null row as {@link #coerce} gives values of the column's type. */
  static Object storage(Column c, int i) {
    switch (c.type()) {
      case LONG:
      case TIMESTAMP:
      case TIMESTAMP_NTZ:
        return c.getLong(i);
      case INT:
      case DATE:
        return c.getInt(i);
      case SHORT:
        return c.getShort(i);
      case BYTE:
        return c.getByte(i);
      case FLOAT:
        return c.getFloat(i);
      case DECIMAL:
        return c.getDecimal(i);
      case BINARY:
        return c.getBinary(i);
      case BOOLEAN:
        return c.getBoolean(i);
      case STRING:
        return c.getString(i);
      default:
        return c.getDouble(i);
    }
  }

  private static int compare(Column c, int i, Object v) {
    switch (c.type()) {
      case LONG:
      case TIMESTAMP:
      case TIMESTAMP_NTZ:
        return Long.compare(c.getLong(i), (Long) v);
      case INT:
      case DATE:
        return Integer.compare(c.getInt(i), (Integer) v);
      case SHORT:
        return Short.compare(c.getShort(i), (Short) v);
      case BYTE:
        return Byte.compare(c.getByte(i), (Byte) v);
      case DOUBLE:
        return Double.compare(c.getDouble(i), (Double) v);
      case FLOAT:
        return Float.compare(c.getFloat(i), (Float) v);
      case DECIMAL:
        return c.getDecimal(i).compareTo((BigDecimal) v);
      case BINARY:
        return java.util.Arrays.compareUnsigned(c.getBinary(i), (byte[]) v);
      case BOOLEAN:
        return Boolean.compare(c.getBoolean(i), (Boolean) v);
      case STRING:
        return c.getString(i).compareTo((String) v);
      default:
        throw new AssertionError(c.type());
    }
  }

  private static boolean test(Filter.Op op, int cmp) {
    switch (op) {
      case EQ:
        return cmp == 0;
      case NE:
        return cmp != 0;
      case LT:
        return cmp < 0;
      case LE:
        return cmp <= 0;
      case GT:
        return cmp > 0;
      case GE:
        return cmp >= 0;
      default:
        throw new AssertionError(op);
    }
  }
}
