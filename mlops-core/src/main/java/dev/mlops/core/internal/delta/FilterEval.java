package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Values;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Checks filters against a schema, turns them into Kernel predicates (file skipping) and evaluates them on frames. */
public final class FilterEval {
  private FilterEval() {}

  private static final byte F = 0;
  private static final byte T = 1;
  private static final byte U = 2;

  /** Column names a filter uses. */
  public static Set<String> columns(Filter f) {
    Set<String> out = new LinkedHashSet<>();
    collect(f, out);
    return out;
  }

  private static void collect(Filter f, Set<String> out) {
    if (f instanceof Filter.Compare c) {
      out.add(c.column());
    } else if (f instanceof Filter.In in) {
      out.add(in.column());
    } else if (f instanceof Filter.IsNull n) {
      out.add(n.column());
    } else if (f instanceof Filter.And a) {
      a.filters().forEach(x -> collect(x, out));
    } else if (f instanceof Filter.Or o) {
      o.filters().forEach(x -> collect(x, out));
    } else if (f instanceof Filter.Not n) {
      collect(n.filter(), out);
    }
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
        throw new ColumnNotFoundException(c, schema.names(), where + " (used in filter " + f + ")");
      }
    }
    check(f, schema, where);
  }

  private static void check(Filter f, Schema schema, String where) {
    if (f instanceof Filter.Compare c) {
      coerce(c.value(), schema.type(c.column()), c.column(), where);
    } else if (f instanceof Filter.In in) {
      for (Object v : in.values()) {
        if (v == null) {
          throw new IllegalArgumentException("Filter " + f + " on " + where + " contains null; "
              + "IN never matches null in SQL. Add Filter.isNull(\"" + in.column() + "\") with Filter.or.");
        }
        coerce(v, schema.type(in.column()), in.column(), where);
      }
    } else if (f instanceof Filter.And a) {
      a.filters().forEach(x -> check(x, schema, where));
    } else if (f instanceof Filter.Or o) {
      o.filters().forEach(x -> check(x, schema, where));
    } else if (f instanceof Filter.Not n) {
      check(n.filter(), schema, where);
    }
  }

  /** The value converted to the column's storage (Long, Integer, Double, Boolean, String). */
  static Object coerce(Object v, DataType t, String column, String where) {
    Object arr = Values.newArray(t, 1);
    try {
      if (t == DataType.DOUBLE && v instanceof Number) {
        ((double[]) arr)[0] = ((Number) v).doubleValue();
      } else if (t == DataType.INT && v instanceof Long l && l == l.intValue()) {
        ((int[]) arr)[0] = l.intValue();
      } else {
        Values.set(arr, t, 0, v, column);
      }
    } catch (SchemaMismatchException e) {
      throw new SchemaMismatchException("Filter value " + Values.quote(v) + " (" + v.getClass().getSimpleName()
          + ") does not fit column '" + column + "' of " + where + ", which is " + t + ". Pass "
          + Values.javaTypeFor(t) + ".");
    }
    if (arr instanceof long[] a) {
      return a[0];
    } else if (arr instanceof int[] a) {
      return a[0];
    } else if (arr instanceof double[] a) {
      return a[0];
    } else if (arr instanceof boolean[] a) {
      return a[0];
    }
    return ((String[]) arr)[0];
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
      DataType t = schema.type(c.column());
      return new Predicate(c.op().symbol(), new io.delta.kernel.expressions.Column(c.column()),
          literal(coerce(c.value(), t, c.column(), "table"), t));
    } else if (f instanceof Filter.In in) {
      if (in.values().isEmpty() || in.values().size() > 64) {
        return null;
      }
      Predicate acc = null;
      DataType t = schema.type(in.column());
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

  static Literal literal(Object v, DataType t) {
    switch (t) {
      case LONG:
        return Literal.ofLong((Long) v);
      case INT:
        return Literal.ofInt((Integer) v);
      case DOUBLE:
        return Literal.ofDouble((Double) v);
      case BOOLEAN:
        return Literal.ofBoolean((Boolean) v);
      case STRING:
        return Literal.ofString((String) v);
      case TIMESTAMP:
        return Literal.ofTimestamp((Long) v);
      case DATE:
        return Literal.ofDate((Integer) v);
      default:
        throw new AssertionError(t);
    }
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
      Object v = coerce(c.value(), col.type(), c.column(), "frame");
      for (int i = 0; i < n; i++) {
        out[i] = col.isNull(i) ? U : (test(c.op(), compare(col, i, v)) ? T : F);
      }
    } else if (f instanceof Filter.In in) {
      Column col = frame.column(in.column());
      Set<Object> set = new HashSet<>();
      for (Object v : in.values()) {
        set.add(coerce(v, col.type(), in.column(), "frame"));
      }
      boolean numericDouble = col.type() == DataType.DOUBLE;
      for (int i = 0; i < n; i++) {
        if (col.isNull(i)) {
          out[i] = U;
        } else {
          Object x = numericDouble ? (Object) col.getDouble(i) : storage(col, i);
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

  /** The value at a row as stored: Long, Integer, Double, Boolean or String. */
  static Object storage(Column c, int i) {
    switch (c.type()) {
      case LONG:
      case TIMESTAMP:
        return c.getLong(i);
      case INT:
      case DATE:
        return c.getInt(i);
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
        return Long.compare(c.getLong(i), (Long) v);
      case INT:
      case DATE:
        return Integer.compare(c.getInt(i), (Integer) v);
      case DOUBLE:
        return Double.compare(c.getDouble(i), (Double) v);
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
