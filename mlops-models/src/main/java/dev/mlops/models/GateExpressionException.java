package dev.mlops.models;

/**
 * An approval gate does not parse, or reads a metric no earlier task produces. The message shows the
 * position; {@link #expression()} is the text as written.
 *
 * <pre>{@code
 * try {
 *   DeploymentTask.approveWhen("auc >= champion.auc -");
 * } catch (GateExpressionException e) {
 *   e.expression();   // "auc >= champion.auc -"
 * }
 * }</pre>
 */
public class GateExpressionException extends DeploymentException {
  private static final long serialVersionUID = 1L;

  private final String expression;

  /** @param message what went wrong, why, and how to fix it; @param expression the gate as written */
  public GateExpressionException(String message, String expression) {
    super(message);
    this.expression = expression;
  }

  /** The gate as written. */
  public String expression() {
    return expression;
  }
}
