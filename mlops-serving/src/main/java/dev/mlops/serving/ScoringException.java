package dev.mlops.serving;

import dev.mlops.core.MlopsException;
import dev.mlops.serving.internal.Errors;
import java.util.Objects;

/**
 * A request the endpoint cannot score, with the HTTP status and MLflow error code it is answered with
 * ({@code BAD_REQUEST} → 400, {@code RESOURCE_DOES_NOT_EXIST} → 404, {@code TEMPORARILY_UNAVAILABLE} → 503, ...).
 *
 * <pre>{@code
 * try {
 *   endpoint.predict(rows);
 * } catch (ScoringException e) {
 *   e.status();      // 400
 *   e.errorCode();   // "BAD_REQUEST"
 * }
 * }</pre>
 */
public class ScoringException extends MlopsException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;

  /**
   * A scoring error.
   *
   * @param status the HTTP status (400..599)
   * @param errorCode MLflow's error code, e.g. {@code BAD_REQUEST}
   * @param message what, why and how to fix
   */
  public ScoringException(int status, String errorCode, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw Errors.badErrorStatus(status);
    }
    this.status = status;
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /** A 400 BAD_REQUEST. */
  public static ScoringException badRequest(String message) {
    return new ScoringException(400, "BAD_REQUEST", message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** MLflow's error code. */
  public String errorCode() {
    return errorCode;
  }
}
