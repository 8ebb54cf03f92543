package dev.mlops.monitor;

/**
 * The comparison of an alert's value with its threshold.
 *
 * <pre>{@code
 * AlertOperator.GE.symbol();   // ">="
 * }</pre>
 */
public enum AlertOperator {
  /** value &gt; threshold. */
  GT(">", "GREATER_THAN"),
  /** value &gt;= threshold. */
  GE(">=", "GREATER_THAN_OR_EQUAL"),
  /** value &lt; threshold. */
  LT("<", "LESS_THAN"),
  /** value &lt;= threshold. */
  LE("<=", "LESS_THAN_OR_EQUAL"),
  /** value = threshold. */
  EQ("=", "EQUAL"),
  /** value != threshold. */
  NE("!=", "NOT_EQUAL"),
  /** the value is null (no threshold). */
  IS_NULL("IS NULL", "IS_NULL"),
  /** the value is not null (no threshold). */
  IS_NOT_NULL("IS NOT NULL", "IS_NOT_NULL");

  private final String symbol;
  private final String databricksName;

  AlertOperator(String symbol, String databricksName) {
    this.symbol = symbol;
    this.databricksName = databricksName;
  }

  /** The SQL symbol. */
  public String symbol() {
    return symbol;
  }

  /** The name in Databricks' alert payload ({@code comparison_operator}). */
  public String databricksName() {
    return databricksName;
  }

  /** True for the operators that compare with a threshold. */
  public boolean needsThreshold() {
    return this != IS_NULL && this != IS_NOT_NULL;
  }
}
