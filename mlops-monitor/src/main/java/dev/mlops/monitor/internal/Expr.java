package dev.mlops.monitor.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small SQL boolean expression language for slicing predicates: comparisons
 * ({@code = == != <> < <= > >=}) between a column and a literal (number, 'text', TRUE/FALSE),
 * {@code IS [NOT] NULL}, {@code [NOT] IN (...)}, {@code AND}, {@code OR}, {@code NOT}, parentheses.
 * Evaluated with SQL's three-valued logic; a row where the predicate is unknown (NULL) goes to the
 * "false" slice.
 */
public sealed interface Expr {

  /** Columns the expression reads. */
  default Set<String> columns() {
    Set<String> s = new TreeSet<>();
    collect(s);
    return s;
  }

  void collect(Set<String> out);

  /** TRUE, FALSE or null (unknown). */
  Boolean eval(Frame f, int row);

  /** Thrown for text that does not parse; the message says where. */
  final class ParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ParseException(String msg) {
      super(msg);
    }
  }

  /** Parses an expression. A bare identifier is a column slice, not a predicate: check with {@link #isIdentifier}. */
  static Expr parse(String text) {
    Parser p = new Parser(text);
    Expr e = p.or();
    if (p.peek() != null) {
      throw p.error("unexpected '" + p.peek() + "'");
    }
    return e;
  }

  /** True when the text is just a column name (a column slice). */
  static boolean isIdentifier(String text) {
    String t = text.trim();
    return t.matches("[A-Za-z_][A-Za-z0-9_]*") || t.matches("`[^`]+`");
  }

  /** The column name of an identifier slice (backquotes removed). */
  static String identifier(String text) {
    String t = text.trim();
    return t.startsWith("`") ? t.substring(1, t.length() - 1) : t;
  }

  record And(Expr a, Expr b) implements Expr {
    public void collect(Set<String> out) {
      a.collect(out);
      b.collect(out);
    }

    public Boolean eval(Frame f, int row) {
      Boolean x = a.eval(f, row);
      if (Boolean.FALSE.equals(x)) {
        return false;
      }
      Boolean y = b.eval(f, row);
      if (Boolean.FALSE.equals(y)) {
        return false;
      }
      return x == null || y == null ? null : true;
    }
  }

  record Or(Expr a, Expr b) implements Expr {
    public void collect(Set<String> out) {
      a.collect(out);
      b.collect(out);
    }

    public Boolean eval(Frame f, int row) {
      Boolean x = a.eval(f, row);
      if (Boolean.TRUE.equals(x)) {
        return true;
      }
      Boolean y = b.eval(f, row);
      if (Boolean.TRUE.equals(y)) {
        return true;
      }
      return x == null || y == null ? null : false;
    }
  }

  record Not(Expr a) implements Expr {
    public void collect(Set<String> out) {
      a.collect(out);
    }

    public Boolean eval(Frame f, int row) {
      Boolean x = a.eval(f, row);
      return x == null ? null : !x;
    }
  }

  record IsNull(String column, boolean negated) implements Expr {
    public void collect(Set<String> out) {
      out.add(column);
    }

    public Boolean eval(Frame f, int row) {
      return f.column(column).isNull(row) != negated;
    }
  }

  record Compare(String column, String op, Object literal) implements Expr {
    public void collect(Set<String> out) {
      out.add(column);
    }

    public Boolean eval(Frame f, int row) {
      Column c = f.column(column);
      if (c.isNull(row)) {
        return null;
      }
      int cmp = compare(c, row, literal);
      return switch (op) {
        case "=" -> cmp == 0;
        case "!=" -> cmp != 0;
        case "<" -> cmp < 0;
        case "<=" -> cmp <= 0;
        case ">" -> cmp > 0;
        case ">=" -> cmp >= 0;
        default -> throw new IllegalStateException(op);
      };
    }
  }

  record In(String column, List<Object> literals, boolean negated) implements Expr {
    public void collect(Set<String> out) {
      out.add(column);
    }

    public Boolean eval(Frame f, int row) {
      Column c = f.column(column);
      if (c.isNull(row)) {
        return null;
      }
      for (Object l : literals) {
        if (compare(c, row, l) == 0) {
          return !negated;
        }
      }
      return negated;
    }
  }

  /** Compares a column value with a literal; mismatched kinds throw with the column named. */
  static int compare(Column c, int row, Object lit) {
    DataType t = c.type();
    if (t.isNumeric()) {
      if (!(lit instanceof Double d)) {
        throw Errors.columnCompared(c.name(), t, lit);
      }
      return Double.compare(c.getDouble(row), d);
    }
    if (t == DataType.BOOLEAN) {
      if (!(lit instanceof Boolean b)) {
        throw Errors.columnBooleanCompared(c.name(), lit);
      }
      return Boolean.compare(c.getBoolean(row), b);
    }
    String s = lit.toString();
    return switch (t) {
      case STRING -> c.getString(row).compareTo(s);
      case TIMESTAMP -> ((Instant) c.get(row)).compareTo(Instant.parse(s));
      case DATE -> ((LocalDate) c.get(row)).compareTo(LocalDate.parse(s));
      default -> throw Errors.columnTypeCompared(c.name(), t);
    };
  }

  /** Recursive descent over tokens. */
  final class Parser {
    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private int i;

    Parser(String text) {
      this.text = text;
      tokenize();
    }

    ParseException error(String what) {
      int pos = i < positions.size() ? positions.get(i) : text.length();
      return Errors.badSlicingExpression(text, pos, what);
    }

    private void tokenize() {
      int p = 0;
      while (p < text.length()) {
        char ch = text.charAt(p);
        if (Character.isWhitespace(ch)) {
          p++;
          continue;
        }
        int start = p;
        if (ch == '\'') {
          StringBuilder sb = new StringBuilder("'");
          p++;
          while (true) {
            if (p >= text.length()) {
              i = tokens.size();
              positions.add(start);
              throw error("a string literal is not closed");
            }
            char c = text.charAt(p);
            if (c == '\'') {
              if (p + 1 < text.length() && text.charAt(p + 1) == '\'') {
                sb.append('\'');
                p += 2;
                continue;
              }
              p++;
              break;
            }
            sb.append(c);
            p++;
          }
          tokens.add(sb.toString());
        } else if (ch == '`') {
          int end = text.indexOf('`', p + 1);
          if (end < 0) {
            i = tokens.size();
            positions.add(start);
            throw error("a quoted name is not closed");
          }
          tokens.add("`" + text.substring(p + 1, end));
          p = end + 1;
        } else if (Character.isLetter(ch) || ch == '_') {
          while (p < text.length() && (Character.isLetterOrDigit(text.charAt(p)) || text.charAt(p) == '_')) {
            p++;
          }
          tokens.add(text.substring(start, p));
        } else if (Character.isDigit(ch) || ch == '-' || ch == '.') {
          p++;
          while (p < text.length() && (Character.isDigit(text.charAt(p)) || ".eE".indexOf(text.charAt(p)) >= 0
              || ((text.charAt(p) == '-' || text.charAt(p) == '+') && "eE".indexOf(text.charAt(p - 1)) >= 0))) {
            p++;
          }
          tokens.add("#" + text.substring(start, p));
        } else if ("<>!=".indexOf(ch) >= 0) {
          p++;
          if (p < text.length() && "=>".indexOf(text.charAt(p)) >= 0) {
            p++;
          }
          tokens.add(text.substring(start, p));
        } else if ("(),".indexOf(ch) >= 0) {
          p++;
          tokens.add(String.valueOf(ch));
        } else {
          i = tokens.size();
          positions.add(start);
          throw error("unexpected character '" + ch + "'");
        }
        positions.add(start);
      }
    }

    String peek() {
      return i < tokens.size() ? tokens.get(i) : null;
    }

    boolean keyword(String k) {
      String t = peek();
      if (t != null && t.equalsIgnoreCase(k)) {
        i++;
        return true;
      }
      return false;
    }

    Expr or() {
      Expr e = and();
      while (keyword("OR")) {
        e = new Or(e, and());
      }
      return e;
    }

    Expr and() {
      Expr e = not();
      while (keyword("AND")) {
        e = new And(e, not());
      }
      return e;
    }

    Expr not() {
      if (keyword("NOT")) {
        return new Not(not());
      }
      return primary();
    }

    Expr primary() {
      if ("(".equals(peek())) {
        i++;
        Expr e = or();
        if (!")".equals(peek())) {
          throw error("expected ')'");
        }
        i++;
        return e;
      }
      String col = column();
      if (keyword("IS")) {
        boolean neg = keyword("NOT");
        if (!keyword("NULL")) {
          throw error("expected NULL after IS");
        }
        return new IsNull(col, neg);
      }
      boolean neg = keyword("NOT");
      if (keyword("IN")) {
        if (!"(".equals(peek())) {
          throw error("expected '(' after IN");
        }
        i++;
        List<Object> lits = new ArrayList<>();
        do {
          lits.add(literal());
        } while (",".equals(peek()) && i++ >= 0);
        if (!")".equals(peek())) {
          throw error("expected ')' to close IN");
        }
        i++;
        return new In(col, lits, neg);
      }
      if (neg) {
        throw error("expected IN after NOT");
      }
      String op = peek();
      if (op == null || !Set.of("=", "==", "!=", "<>", "<", "<=", ">", ">=").contains(op)) {
        throw error("expected a comparison operator after '" + col + "'");
      }
      i++;
      op = op.equals("==") ? "=" : op.equals("<>") ? "!=" : op;
      return new Compare(col, op, literal());
    }

    String column() {
      String t = peek();
      if (t == null) {
        throw error("expected a column name");
      }
      if (t.startsWith("`")) {
        i++;
        return t.substring(1);
      }
      if (!Character.isLetter(t.charAt(0)) && t.charAt(0) != '_') {
        throw error("expected a column name, found '" + t + "'");
      }
      String u = t.toUpperCase(Locale.ROOT);
      if (Set.of("AND", "OR", "NOT", "IS", "IN", "NULL", "TRUE", "FALSE").contains(u)) {
        throw error("expected a column name, found keyword " + u);
      }
      i++;
      return t;
    }

    Object literal() {
      String t = peek();
      if (t == null) {
        throw error("expected a value");
      }
      i++;
      if (t.startsWith("'")) {
        return t.substring(1);
      }
      if (t.startsWith("#")) {
        try {
          return Double.parseDouble(t.substring(1));
        } catch (NumberFormatException e) {
          i--;
          throw error("'" + t.substring(1) + "' is not a number");
        }
      }
      if (t.equalsIgnoreCase("TRUE") || t.equalsIgnoreCase("FALSE")) {
        return Boolean.parseBoolean(t.toLowerCase(Locale.ROOT));
      }
      i--;
      throw error("expected a value (number, 'text', TRUE or FALSE), found '" + t + "'");
    }
  }
}
