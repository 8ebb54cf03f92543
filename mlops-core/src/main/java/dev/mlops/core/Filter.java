package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A row filter for reading and deleting table rows. Comparisons follow SQL: a comparison with a null
 * value is unknown, and unknown rows are not selected. When a table is read with a filter, data files
 * whose statistics rule the filter out are skipped, and the remaining rows are filtered exactly.
 *
 * <pre>{@code
 * Filter f = Filter.and(Filter.eq("city", "Oslo"), Filter.ge("spend", 100.0));
 * Frame rows = table.read().filter(f).load();
 * table.delete(Filter.lt("as_of", Instant.parse("2024-01-01T00:00:00Z")));
 * }</pre>
 */
public sealed interface Filter permits Filter.Compare, Filter.In, Filter.IsNull, Filter.And, Filter.Or, Filter.Not {

  /** Comparison operators. */
  enum Op {
    /** equal. */
    EQ("="),
    /** not equal. */
    NE("!="),
    /** less than. */
    LT("<"),
    /** less than or equal. */
    LE("<="),
    /** greater than. */
    GT(">"),
    /** greater than or equal. */
    GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The SQL symbol. */
    public String symbol() {
      return symbol;
    }
  }

  /**
   * {@code column op value}.
   *
   * @param column column name
   * @param op operator
   * @param value a non-null value of the column's Java type (see {@link Column#of})
   */
  record Compare(String column, Op op, Object value) implements Filter {
    /** Checks arguments. */
    public Compare {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(op, "op");
      if (value == null) {
        throw Errors.filterComparesNullNever(column);
      }
    }

    @Override
    public String toString() {
      return column + " " + op.symbol() + " " + (value instanceof String ? "'" + value + "'" : value);
    }
  }

  /**
   * {@code column IN (values)}.
   *
   * @param column column name
   * @param values non-null values
   */
  record In(String column, List<Object> values) implements Filter {
    /** Copies the values. */
    public In {
      Objects.requireNonNull(column, "column");
      values = List.copyOf(values);
    }

    @Override
    public String toString() {
      return column + " IN " + values;
    }
  }

  /**
   * {@code column IS NULL} (or IS NOT NULL when negated is true).
   *
   * @param column column name
   * @param negated true for IS NOT NULL
   */
  record IsNull(String column, boolean negated) implements Filter {
    /** Checks arguments. */
    public IsNull {
      Objects.requireNonNull(column, "column");
    }

    @Override
    public String toString() {
      return column + (negated ? " IS NOT NULL" : " IS NULL");
    }
  }

  /** All of the filters hold. @param filters the conjuncts */
  record And(List<Filter> filters) implements Filter {
    /** Copies the list. */
    public And {
      filters = List.copyOf(filters);
    }

    @Override
    public String toString() {
      return join(filters, " AND ");
    }
  }

  /** Any of the filters holds. @param filters the disjuncts */
  record Or(List<Filter> filters) implements Filter {
    /** Copies the list. */
    public Or {
      filters = List.copyOf(filters);
    }

    @Override
    public String toString() {
      return join(filters, " OR ");
    }
  }

  /** The filter does not hold (unknown stays unknown). @param filter the negated filter */
  record Not(Filter filter) implements Filter {
    /** Checks arguments. */
    public Not {
      Objects.requireNonNull(filter, "filter");
    }

    @Override
    public String toString() {
      return "NOT (" + filter + ")";
    }
  }

  private static String join(List<Filter> fs, String sep) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < fs.size(); i++) {
      sb.append(i > 0 ? sep : "").append(fs.get(i));
    }
    return sb.append(')').toString();
  }

  /**
   * The column names this filter reads, each once, in the order they first appear.
   *
   * <pre>{@code
   * Filter.and(Filter.gt("spend", 50.0), Filter.isNull("city")).columns(); // [spend, city]
   * }</pre>
   *
   * @return the columns, unmodifiable
   */
  default java.util.Set<String> columns() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    java.util.ArrayDeque<Filter> todo = new java.util.ArrayDeque<>(List.of(this));
    while (!todo.isEmpty()) {
      Filter f = todo.pollFirst();
      if (f instanceof Compare c) {
        out.add(c.column());
      } else if (f instanceof In in) {
        out.add(in.column());
      } else if (f instanceof IsNull n) {
        out.add(n.column());
      } else if (f instanceof And a) {
        for (int i = a.filters().size() - 1; i >= 0; i--) {
          todo.addFirst(a.filters().get(i));
        }
      } else if (f instanceof Or o) {
        for (int i = o.filters().size() - 1; i >= 0; i--) {
          todo.addFirst(o.filters().get(i));
        }
      } else if (f instanceof Not n) {
        todo.addFirst(n.filter());
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /** column = value. */
  static Filter eq(String column, Object value) {
    return new Compare(column, Op.EQ, value);
  }

  /** column != value. */
  static Filter ne(String column, Object value) {
    return new Compare(column, Op.NE, value);
  }

  /** column &lt; value. */
  static Filter lt(String column, Object value) {
    return new Compare(column, Op.LT, value);
  }

  /** column &lt;= value. */
  static Filter le(String column, Object value) {
    return new Compare(column, Op.LE, value);
  }

  /** column &gt; value. */
  static Filter gt(String column, Object value) {
    return new Compare(column, Op.GT, value);
  }

  /** column &gt;= value. */
  static Filter ge(String column, Object value) {
    return new Compare(column, Op.GE, value);
  }

  /** column IN (values). */
  static Filter in(String column, Object... values) {
    return new In(column, Arrays.asList(values));
  }

  /** column IN (values). */
  static Filter in(String column, List<?> values) {
    return new In(column, List.copyOf(values));
  }

  /** column IS NULL. */
  static Filter isNull(String column) {
    return new IsNull(column, false);
  }

  /** column IS NOT NULL. */
  static Filter isNotNull(String column) {
    return new IsNull(column, true);
  }

  /** All hold. */
  static Filter and(Filter... filters) {
    return new And(Arrays.asList(filters));
  }

  /** Any holds. */
  static Filter or(Filter... filters) {
    return new Or(Arrays.asList(filters));
  }

  /** Negation. */
  static Filter not(Filter filter) {
    return new Not(filter);
  }

  /** Parses an operator symbol (=, ==, !=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=). */
  static Op op(String symbol) {
    switch (symbol.trim().toLowerCase(Locale.ROOT)) {
      case "=":
      case "==":
        return Op.EQ;
      case "!=":
      case "<>":
        return Op.NE;
      case "<":
        return Op.LT;
      case "<=":
        return Op.LE;
      case ">":
        return Op.GT;
      case ">=":
        return Op.GE;
      default:
        throw Errors.unknownOperator(symbol);
    }
  }
}
