package dev.mlops.models.internal;

import dev.mlops.models.InvalidFilterException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Parser and evaluator of run search filters and order-by clauses.
 *
 * <pre>
 * filter     := or
 * or         := and ( OR and )*
 * and        := unary ( AND unary )*
 * unary      := NOT unary | '(' or ')' | comparison
 * comparison := field op literal | field [NOT] IN '(' literal (',' literal)* ')'
 *             | field [NOT] LIKE 'pattern' | field [NOT] ILIKE 'pattern' | field IS [NOT] NULL
 * op         := '=' | '==' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * field      := (metrics|params|tags|attributes).key | attribute
 *               (also metric., param., tag., attribute., attr.; a key in `backticks` may hold any character)
 * attribute  := run_id | run_name | status | start_time | end_time | parent_run_id | experiment
 * literal    := 'text' | "text" | number
 * orderBy    := field [ASC|DESC] (',' field [ASC|DESC])*
 * </pre>
 * Keywords are case-insensitive. A run without the field does not match any comparison (only
 * {@code IS NULL}). Metrics compare as numbers; params and tags compare as text, or as numbers when the
 * literal is a number and the value parses as one; start_time/end_time take epoch millis or an ISO-8601
 * instant in quotes.
 */
public final class RunQuery {
  private RunQuery() {}

  enum Kind { METRIC, PARAM, TAG, ATTR }

  /** A field reference. */
  record Ref(Kind kind, String key) {
    Object value(RunSummary r) {
      switch (kind) {
        case METRIC: {
          MetricPoint p = r.metrics().get(key);
          return p == null ? null : p.v();
        }
        case PARAM:
          return r.params().get(key);
        case TAG:
          return r.tags().get(key);
        default:
          switch (key) {
            case "run_id": return r.id();
            case "run_name": return r.name();
            case "status": return r.status();
            case "start_time": return r.start();
            case "end_time": return r.end();
            case "parent_run_id": return r.parent();
            case "experiment": return r.experiment();
            default: throw new AssertionError(key);
          }
      }
    }

    boolean numeric() {
      return kind == Kind.METRIC || (kind == Kind.ATTR && key.endsWith("_time"));
    }

    @Override
    public String toString() {
      return (kind == Kind.ATTR ? "attributes" : kind.name().toLowerCase(Locale.ROOT) + "s") + "." + key;
    }
  }

  private static final List<String> ATTRIBUTES =
      List.of("run_id", "run_name", "status", "start_time", "end_time", "parent_run_id", "experiment");

  // ---------------------------------------------------------------- tokens

  enum T { IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, END }

  record Token(T type, String text, int pos) {}

  private static final class Lexer {
    final String src;
    final String what;
    final List<Token> tokens = new ArrayList<>();

    Lexer(String src, String what) {
      this.src = src;
      this.what = what;
      int i = 0;
      int n = src.length();
      while (i < n) {
        char c = src.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(') {
          tokens.add(new Token(T.LPAREN, "(", i++));
        } else if (c == ')') {
          tokens.add(new Token(T.RPAREN, ")", i++));
        } else if (c == ',') {
          tokens.add(new Token(T.COMMA, ",", i++));
        } else if (c == '\'' || c == '"') {
          int start = i++;
          StringBuilder sb = new StringBuilder();
          while (true) {
            if (i >= n) {
              throw error("unterminated string starting", src.substring(start), start,
                  "close the text with " + c);
            }
            char d = src.charAt(i);
            if (d == c) {
              if (i + 1 < n && src.charAt(i + 1) == c) { // doubled quote = literal quote
                sb.append(c);
                i += 2;
                continue;
              }
              i++;
              break;
            }
            sb.append(d);
            i++;
          }
          tokens.add(new Token(T.STRING, sb.toString(), start));
        } else if (c == '=' || c == '!' || c == '<' || c == '>') {
          int start = i;
          i++;
          if (i < n && (src.charAt(i) == '=' || (c == '<' && src.charAt(i) == '>'))) {
            i++;
          }
          String op = src.substring(start, i);
          if (op.equals("!")) {
            throw error("unexpected token", op, start, "use '!=' for 'not equal'");
          }
          if (i < n && "=<>!".indexOf(src.charAt(i)) >= 0) {
            int end = i;
            while (end < n && "=<>!".indexOf(src.charAt(end)) >= 0) {
              end++;
            }
            throw error("unknown operator", src.substring(start, end), start,
                "use one of =, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS NULL");
          }
          tokens.add(new Token(T.OP, op, start));
        } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n
            && (Character.isDigit(src.charAt(i + 1)) || src.charAt(i + 1) == '.'))) {
          int start = i++;
          while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '.'
              || ((src.charAt(i) == '-' || src.charAt(i) == '+')
                  && (src.charAt(i - 1) == 'e' || src.charAt(i - 1) == 'E')))) {
            i++;
          }
          String num = src.substring(start, i);
          try {
            Double.parseDouble(num);
          } catch (NumberFormatException e) {
            throw error("malformed number", num, start, "write numbers like 0.8, 10 or 1e-3");
          }
          tokens.add(new Token(T.NUMBER, num, start));
        } else if (Character.isLetter(c) || c == '_' || c == '`') {
          int start = i;
          StringBuilder sb = new StringBuilder();
          while (i < n) {
            char d = src.charAt(i);
            if (d == '`') {
              int close = src.indexOf('`', i + 1);
              if (close < 0) {
                throw error("unterminated backtick", src.substring(i), i, "close the key with `");
              }
              sb.append(src, i + 1, close);
              i = close + 1;
            } else if (Character.isLetterOrDigit(d) || d == '_' || d == '.' || d == '-') {
              sb.append(d);
              i++;
            } else {
              break;
            }
          }
          tokens.add(new Token(T.IDENT, sb.toString(), start));
        } else {
          throw error("unexpected character", String.valueOf(c), i,
              "fields look like metrics.auc, params.trees, tags.team or status; text goes in 'quotes'");
        }
      }
      tokens.add(new Token(T.END, "", n));
    }

    InvalidFilterException error(String problem, String token, int pos, String fix) {
      return new InvalidFilterException("Invalid " + what + " '" + src + "': " + problem + " '" + token
          + "' at position " + pos + ". " + capitalize(fix) + ".");
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static final class Parser {
    final Lexer lx;
    int p;

    Parser(Lexer lx) {
      this.lx = lx;
    }

    Token peek() {
      return lx.tokens.get(p);
    }

    Token next() {
      return lx.tokens.get(p++);
    }

    boolean keyword(String kw) {
      Token t = peek();
      if (t.type() == T.IDENT && t.text().equalsIgnoreCase(kw)) {
        p++;
        return true;
      }
      return false;
    }

    InvalidFilterException unexpected(Token t, String expected) {
      return lx.error(t.type() == T.END ? "unexpected end" : "unexpected token",
          t.type() == T.END ? "" : t.text(), t.pos(), "expected " + expected);
    }

    Predicate<RunSummary> or() {
      Predicate<RunSummary> left = and();
      while (keyword("or")) {
        Predicate<RunSummary> l = left;
        Predicate<RunSummary> r = and();
        left = s -> l.test(s) || r.test(s);
      }
      return left;
    }

    Predicate<RunSummary> and() {
      Predicate<RunSummary> left = unary();
      while (keyword("and")) {
        Predicate<RunSummary> l = left;
        Predicate<RunSummary> r = unary();
        left = s -> l.test(s) && r.test(s);
      }
      return left;
    }

    Predicate<RunSummary> unary() {
      if (keyword("not")) {
        Predicate<RunSummary> inner = unary();
        return inner.negate();
      }
      if (peek().type() == T.LPAREN) {
        next();
        Predicate<RunSummary> inner = or();
        Token t = next();
        if (t.type() != T.RPAREN) {
          throw unexpected(t, "')' or AND/OR");
        }
        return inner;
      }
      return comparison();
    }

    Ref field() {
      Token t = next();
      if (t.type() != T.IDENT) {
        throw unexpected(t, "a field such as metrics.auc, params.trees, tags.team or status");
      }
      return ref(t, lx);
    }

    Predicate<RunSummary> comparison() {
      Ref ref = field();
      Token t = peek();
      if (t.type() == T.OP) {
        next();
        String op = t.text();
        Token lit = next();
        Object value = literal(ref, lit);
        return s -> compare(op, ref.value(s), value);
      }
      boolean not = keyword("not");
      if (keyword("in")) {
        Token open = next();
        if (open.type() != T.LPAREN) {
          throw unexpected(open, "'(' after IN");
        }
        List<Object> values = new ArrayList<>();
        while (true) {
          values.add(literal(ref, next()));
          Token sep = next();
          if (sep.type() == T.RPAREN) {
            break;
          }
          if (sep.type() != T.COMMA) {
            throw unexpected(sep, "',' or ')' in the IN list");
          }
        }
        Predicate<RunSummary> in = s -> {
          Object v = ref.value(s);
          return v != null && values.stream().anyMatch(x -> compare("=", v, x));
        };
        return not ? s -> ref.value(s) != null && !in.test(s) : in;
      }
      boolean like = keyword("like");
      if (like || keyword("ilike")) {
        Token lit = next();
        if (lit.type() != T.STRING || ref.numeric()) {
          throw unexpected(lit, "a quoted pattern after LIKE on a text field (params, tags, run_name, status, ...)");
        }
        Pattern pattern = likePattern(lit.text(), !like);
        return s -> {
          Object v = ref.value(s);
          return v != null && pattern.matcher(v.toString()).matches() != not;
        };
      }
      if (!not && keyword("is")) {
        boolean isNot = keyword("not");
        Token nul = next();
        if (nul.type() != T.IDENT || !nul.text().equalsIgnoreCase("null")) {
          throw unexpected(nul, "NULL after IS");
        }
        return s -> (ref.value(s) == null) != isNot;
      }
      throw unexpected(peek(), "a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS NULL) after "
          + ref);
    }

    Object literal(Ref ref, Token t) {
      if (t.type() == T.NUMBER) {
        return Double.parseDouble(t.text());
      }
      if (t.type() == T.STRING) {
        if (ref.kind() == Kind.METRIC) {
          throw lx.error("text value", t.text(), t.pos(), "metrics compare to numbers, e.g. " + ref + " > 0.8");
        }
        if (ref.numeric()) {
          try {
            return (double) Instant.parse(t.text()).toEpochMilli();
          } catch (DateTimeParseException e) {
            throw lx.error("not an instant", t.text(), t.pos(),
                "give " + ref + " as epoch milliseconds or an ISO-8601 instant like '2026-01-31T12:00:00Z'");
          }
        }
        return t.text();
      }
      throw unexpected(t, "a value: a number or 'quoted text'");
    }
  }

  static Ref ref(Token t, Lexer lx) {
    String text = t.text();
    int dot = text.indexOf('.');
    String prefix = dot < 0 ? "" : text.substring(0, dot).toLowerCase(Locale.ROOT);
    String key = dot < 0 ? "" : text.substring(dot + 1);
    Kind kind;
    switch (prefix) {
      case "metrics": case "metric": kind = Kind.METRIC; break;
      case "params": case "param": kind = Kind.PARAM; break;
      case "tags": case "tag": kind = Kind.TAG; break;
      case "attributes": case "attribute": case "attr": case "run": kind = Kind.ATTR; break;
      default:
        String bare = text.toLowerCase(Locale.ROOT);
        if (ATTRIBUTES.contains(bare)) {
          return new Ref(Kind.ATTR, bare);
        }
        throw lx.error("unknown field", text, t.pos(), "write metrics.<key>, params.<key>, tags.<key> or one of "
            + "the attributes " + ATTRIBUTES + " (a key with spaces goes in `backticks`)");
    }
    if (key.isEmpty()) {
      throw lx.error("missing key in", text, t.pos(), "name the key, e.g. " + prefix + ".auc");
    }
    if (kind == Kind.ATTR) {
      String attr = key.toLowerCase(Locale.ROOT);
      if (!ATTRIBUTES.contains(attr)) {
        throw lx.error("unknown attribute", text, t.pos(), "attributes are " + ATTRIBUTES);
      }
      return new Ref(kind, attr);
    }
    return new Ref(kind, key);
  }

  static boolean compare(String op, Object actual, Object literal) {
    if (actual == null) {
      return false;
    }
    int c;
    if (literal instanceof Double) {
      double a;
      if (actual instanceof Number) {
        a = ((Number) actual).doubleValue();
      } else {
        try {
          a = Double.parseDouble(actual.toString());
        } catch (NumberFormatException e) {
          return false;
        }
      }
      c = Double.compare(a, (Double) literal);
    } else {
      c = actual.toString().compareTo(literal.toString());
    }
    switch (op) {
      case "=": case "==": return c == 0;
      case "!=": case "<>": return c != 0;
      case "<": return c < 0;
      case "<=": return c <= 0;
      case ">": return c > 0;
      case ">=": return c >= 0;
      default: throw new AssertionError(op);
    }
  }

  private static Pattern likePattern(String like, boolean insensitive) {
    StringBuilder re = new StringBuilder();
    for (char ch : like.toCharArray()) {
      if (ch == '%') {
        re.append(".*");
      } else if (ch == '_') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    int flags = (insensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0) | Pattern.DOTALL;
    return Pattern.compile(re.toString(), flags);
  }

  /** Parses a filter; null or blank matches every run. */
  public static Predicate<RunSummary> filter(String filter) {
    if (filter == null || filter.isBlank()) {
      return s -> true;
    }
    Parser ps = new Parser(new Lexer(filter, "filter"));
    Predicate<RunSummary> pred = ps.or();
    Token end = ps.peek();
    if (end.type() != T.END) {
      throw ps.unexpected(end, "AND, OR or the end of the filter");
    }
    return pred;
  }

  /**
   * Parses an order-by clause; null or blank orders by start time, newest first. Runs without the
   * ordered field come last in either direction; ties fall back to start time (newest first), then id.
   */
  public static Comparator<RunSummary> order(String orderBy) {
    Comparator<RunSummary> fallback = Comparator.comparingLong(RunSummary::start).reversed()
        .thenComparing(RunSummary::id);
    if (orderBy == null || orderBy.isBlank()) {
      return fallback;
    }
    Parser ps = new Parser(new Lexer(orderBy, "order-by clause"));
    Comparator<RunSummary> cmp = null;
    while (true) {
      Ref ref = ps.field();
      boolean desc = false;
      if (ps.keyword("desc")) {
        desc = true;
      } else {
        ps.keyword("asc");
      }
      Comparator<RunSummary> one = byRef(ref, desc);
      cmp = cmp == null ? one : cmp.thenComparing(one);
      Token t = ps.next();
      if (t.type() == T.END) {
        break;
      }
      if (t.type() != T.COMMA) {
        throw ps.unexpected(t, "ASC, DESC, ',' or the end of the clause");
      }
    }
    return cmp.thenComparing(fallback);
  }

  private static Comparator<RunSummary> byRef(Ref ref, boolean desc) {
    return (a, b) -> {
      Object x = ref.value(a);
      Object y = ref.value(b);
      if (x == null || y == null) {
        return x == null ? (y == null ? 0 : 1) : -1; // missing last
      }
      int c;
      if (x instanceof Number && y instanceof Number) {
        c = Double.compare(((Number) x).doubleValue(), ((Number) y).doubleValue());
      } else {
        c = x.toString().compareTo(y.toString());
      }
      return desc ? -c : c;
    };
  }
}
