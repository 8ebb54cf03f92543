package dev.mlops.models.internal.deploy;

import dev.mlops.models.GateExpressionException;
import dev.mlops.models.internal.Errors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed approval gate: a boolean expression over metrics, e.g.
 * {@code auc >= champion.auc - 0.005 && auc >= 0.80}.
 *
 * <pre>
 * expr    := or
 * or      := and ('||' and)*
 * and     := not ('&amp;&amp;' not)*
 * not     := '!' not | cmp
 * cmp     := sum (('&gt;=' | '&lt;=' | '&gt;' | '&lt;' | '==' | '!=') sum)?     (a boolean either way)
 * sum     := product (('+' | '-') product)*
 * product := unary (('*' | '/') unary)*
 * unary   := '-' unary | number | metric | 'true' | 'false' | '(' expr ')'
 * metric  := name | 'champion.' name                             (name: [A-Za-z_][A-Za-z0-9_]*)
 * </pre>
 *
 * Types are checked while parsing (a number where a boolean is needed, or the reverse, is a parse
 * error). Evaluating: a comparison that reads a {@code champion.} metric is true when there is no
 * champion (nothing to beat); a comparison with NaN is false (except {@code !=}).
 */
public final class Gate {
  /** The qualifier for the current champion's metrics. */
  public static final String CHAMPION = "champion";

  private final String text;
  private final Node root;
  private final Set<String> metrics;

  private Gate(String text, Node root, Set<String> metrics) {
    this.text = text;
    this.root = root;
    this.metrics = Collections.unmodifiableSet(metrics);
  }

  /**
   * Parses an expression.
   *
   * @throws GateExpressionException naming the position and what was expected
   */
  public static Gate parse(String text) {
    if (text == null || text.isBlank()) {
      throw Errors.emptyGate(text);
    }
    Parser p = new Parser(text);
    Node n = p.expr();
    if (p.peek().kind != Kind.END) {
      throw p.error("unexpected '" + p.peek().text + "'");
    }
    if (!n.isBool()) {
      throw Errors.numberGate(text, text.trim());
    }
    return new Gate(text, n, p.metrics);
  }

  /** The text as written. */
  public String text() {
    return text;
  }

  /** Every metric it reads, e.g. {@code [auc, champion.auc]}, in order of appearance. */
  public Set<String> metrics() {
    return metrics;
  }

  /**
   * Checks every metric it reads against the metrics the earlier tasks produce.
   *
   * @throws GateExpressionException naming the unknown metric and the known ones
   */
  public void checkKnown(Set<String> known, String taskName) {
    for (String m : metrics) {
      if (!known.contains(m)) {
        throw Errors.gateMetricNotProduced(text, taskName, m, new java.util.TreeSet<>(known));
      }
    }
  }

  /** The outcome and the values it read. */
  public record Result(boolean passed, Map<String, Double> values, boolean championMissing) {}

  /**
   * Evaluates against metric values ({@code auc}, {@code champion.auc}, ...).
   *
   * @param hasChampion whether a champion was evaluated (when not, champion comparisons pass)
   * @throws GateExpressionException when a metric it reads (not a champion one) has no value
   */
  public Result evaluate(Map<String, Double> values, boolean hasChampion) {
    Map<String, Double> read = new LinkedHashMap<>();
    for (String m : metrics) {
      Double v = values.get(m);
      if (v == null && !(m.startsWith(CHAMPION + ".") && !hasChampion)) {
        throw Errors.gateMetricNotEvaluated(text, m, new java.util.TreeSet<>(values.keySet()));
      }
      if (v != null) {
        read.put(m, v);
      }
    }
    return new Result(root.bool(values, hasChampion), read, !hasChampion && metrics.stream()
        .anyMatch(m -> m.startsWith(CHAMPION + ".")));
  }

  @Override
  public String toString() {
    return text;
  }

  // ------------------------------------------------------------------------------------ tree

  private interface Node {
    boolean isBool();

    default boolean bool(Map<String, Double> v, boolean champ) {
      throw new IllegalStateException();
    }

    default double num(Map<String, Double> v) {
      throw new IllegalStateException();
    }

    default boolean readsChampion() {
      return false;
    }
  }

  private record Num(double value) implements Node {
    public boolean isBool() {
      return false;
    }

    public double num(Map<String, Double> v) {
      return value;
    }
  }

  private record Metric(String name) implements Node {
    public boolean isBool() {
      return false;
    }

    public double num(Map<String, Double> v) {
      Double d = v.get(name);
      return d == null ? Double.NaN : d;
    }

    public boolean readsChampion() {
      return name.startsWith(CHAMPION + ".");
    }
  }

  private record Bool(boolean value) implements Node {
    public boolean isBool() {
      return true;
    }

    public boolean bool(Map<String, Double> v, boolean champ) {
      return value;
    }
  }

  private record Arith(char op, Node l, Node r) implements Node {
    public boolean isBool() {
      return false;
    }

    public double num(Map<String, Double> v) {
      double a = l.num(v);
      double b = r.num(v);
      return switch (op) {
        case '+' -> a + b;
        case '-' -> a - b;
        case '*' -> a * b;
        default -> a / b;
      };
    }

    public boolean readsChampion() {
      return l.readsChampion() || r.readsChampion();
    }
  }

  private record Neg(Node e) implements Node {
    public boolean isBool() {
      return false;
    }

    public double num(Map<String, Double> v) {
      return -e.num(v);
    }

    public boolean readsChampion() {
      return e.readsChampion();
    }
  }

  private record Cmp(String op, Node l, Node r) implements Node {
    public boolean isBool() {
      return true;
    }

    public boolean bool(Map<String, Double> v, boolean champ) {
      if (!champ && (l.readsChampion() || r.readsChampion())) {
        return true; // no champion: nothing to beat
      }
      double a = l.num(v);
      double b = r.num(v);
      return switch (op) {
        case ">=" -> a >= b;
        case "<=" -> a <= b;
        case ">" -> a > b;
        case "<" -> a < b;
        case "==" -> a == b;
        default -> a != b;
      };
    }
  }

  private record And(Node l, Node r) implements Node {
    public boolean isBool() {
      return true;
    }

    public boolean bool(Map<String, Double> v, boolean champ) {
      return l.bool(v, champ) && r.bool(v, champ);
    }
  }

  private record Or(Node l, Node r) implements Node {
    public boolean isBool() {
      return true;
    }

    public boolean bool(Map<String, Double> v, boolean champ) {
      return l.bool(v, champ) || r.bool(v, champ);
    }
  }

  private record Not(Node e) implements Node {
    public boolean isBool() {
      return true;
    }

    public boolean bool(Map<String, Double> v, boolean champ) {
      return !e.bool(v, champ);
    }
  }

  // ------------------------------------------------------------------------------------ parser

  private enum Kind { NUM, NAME, OP, LPAREN, RPAREN, END }

  private record Token(Kind kind, String text, int pos) {}

  private static final class Parser {
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private final Set<String> metrics = new LinkedHashSet<>();
    private int i;

    Parser(String src) {
      this.src = src;
      tokenize();
    }

    private void tokenize() {
      int p = 0;
      int n = src.length();
      while (p < n) {
        char c = src.charAt(p);
        if (Character.isWhitespace(c)) {
          p++;
        } else if (Character.isDigit(c) || (c == '.' && p + 1 < n && Character.isDigit(src.charAt(p + 1)))) {
          int s = p;
          while (p < n && (Character.isDigit(src.charAt(p)) || src.charAt(p) == '.')) {
            p++;
          }
          if (p < n && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < n && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
              q++;
            }
            if (q < n && Character.isDigit(src.charAt(q))) {
              p = q;
              while (p < n && Character.isDigit(src.charAt(p))) {
                p++;
              }
            }
          }
          String t = src.substring(s, p);
          try {
            Double.parseDouble(t);
          } catch (NumberFormatException e) {
            throw errorAt(s, "'" + t + "' is not a number");
          }
          tokens.add(new Token(Kind.NUM, t, s));
        } else if (Character.isLetter(c) || c == '_') {
          int s = p;
          while (p < n && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '_' || src.charAt(p) == '.')) {
            p++;
          }
          tokens.add(new Token(Kind.NAME, src.substring(s, p), s));
        } else if (c == '(') {
          tokens.add(new Token(Kind.LPAREN, "(", p++));
        } else if (c == ')') {
          tokens.add(new Token(Kind.RPAREN, ")", p++));
        } else {
          String two = p + 1 < n ? src.substring(p, p + 2) : "";
          if (List.of("&&", "||", ">=", "<=", "==", "!=").contains(two)) {
            tokens.add(new Token(Kind.OP, two, p));
            p += 2;
          } else if ("<>!+-*/".indexOf(c) >= 0) {
            tokens.add(new Token(Kind.OP, String.valueOf(c), p++));
          } else if (c == '&' || c == '|' || c == '=') {
            throw errorAt(p, "'" + c + "' alone is not an operator (write '" + c + c + "')");
          } else {
            throw errorAt(p, "unexpected character '" + c + "'");
          }
        }
      }
      tokens.add(new Token(Kind.END, "end of expression", n));
    }

    Token peek() {
      return tokens.get(i);
    }

    private boolean acceptOp(String op) {
      Token t = peek();
      if (t.kind == Kind.OP && t.text.equals(op)) {
        i++;
        return true;
      }
      return false;
    }

    Node expr() {
      Node l = and();
      while (acceptOp("||")) {
        l = new Or(bool(l, "||"), bool(and(), "||"));
      }
      return l;
    }

    private Node and() {
      Node l = not();
      while (acceptOp("&&")) {
        l = new And(bool(l, "&&"), bool(not(), "&&"));
      }
      return l;
    }

    private Node not() {
      if (acceptOp("!")) {
        return new Not(bool(not(), "!"));
      }
      return cmp();
    }

    private Node cmp() {
      int at = peek().pos;
      Node l = sum();
      Token t = peek();
      if (t.kind == Kind.OP && List.of(">=", "<=", ">", "<", "==", "!=").contains(t.text)) {
        i++;
        Node r = sum();
        if (l.isBool() || r.isBool()) {
          throw errorAt(at, "'" + t.text + "' compares numbers, not conditions");
        }
        return new Cmp(t.text, l, r);
      }
      return l;
    }

    private Node sum() {
      Node l = product();
      while (true) {
        Token t = peek();
        if (t.kind == Kind.OP && (t.text.equals("+") || t.text.equals("-"))) {
          i++;
          l = new Arith(t.text.charAt(0), num(l, t), num(product(), t));
        } else {
          return l;
        }
      }
    }

    private Node product() {
      Node l = unary();
      while (true) {
        Token t = peek();
        if (t.kind == Kind.OP && (t.text.equals("*") || t.text.equals("/"))) {
          i++;
          l = new Arith(t.text.charAt(0), num(l, t), num(unary(), t));
        } else {
          return l;
        }
      }
    }

    private Node unary() {
      Token t = peek();
      if (acceptOp("-")) {
        return new Neg(num(unary(), t));
      }
      switch (t.kind) {
        case NUM -> {
          i++;
          return new Num(Double.parseDouble(t.text));
        }
        case NAME -> {
          i++;
          String lower = t.text.toLowerCase(Locale.ROOT);
          if (lower.equals("true") || lower.equals("false")) {
            return new Bool(lower.equals("true"));
          }
          String[] parts = t.text.split("\\.", -1);
          boolean ok = parts.length == 1 || (parts.length == 2 && parts[0].equals(CHAMPION));
          for (String part : parts) {
            ok &= part.matches("[A-Za-z_][A-Za-z0-9_]*");
          }
          if (!ok) {
            throw errorAt(t.pos, "'" + t.text + "' is not a metric name (write 'auc' for the new version or "
                + "'champion.auc' for the current champion)");
          }
          metrics.add(t.text);
          return new Metric(t.text);
        }
        case LPAREN -> {
          i++;
          Node e = expr();
          if (peek().kind != Kind.RPAREN) {
            throw error("expected ')' but found " + describe(peek()));
          }
          i++;
          return e;
        }
        default -> throw error("expected a number, a metric or '(' but found " + describe(t));
      }
    }

    private static String describe(Token t) {
      return t.kind == Kind.END ? "the end" : "'" + t.text + "'";
    }

    private Node bool(Node n, String op) {
      if (!n.isBool()) {
        throw error("'" + op + "' joins conditions, but one side is a number (compare it, e.g. 'auc >= 0.8')");
      }
      return n;
    }

    private Node num(Node n, Token op) {
      if (n.isBool()) {
        throw errorAt(op.pos, "'" + op.text + "' works on numbers, but one side is a condition");
      }
      return n;
    }

    GateExpressionException error(String why) {
      return errorAt(peek().pos, why);
    }

    GateExpressionException errorAt(int pos, String why) {
      return new GateExpressionException("The approval gate '" + src + "' does not parse at position " + pos + ": " + why
          + ".\n  " + src + "\n  " + " ".repeat(pos) + "^\nWrite conditions such as 'auc >= champion.auc - 0.005 "
          + "&& auc >= 0.80' (operators: && || ! >= <= > < == != + - * /, parentheses).", src);
    }
  }
}
