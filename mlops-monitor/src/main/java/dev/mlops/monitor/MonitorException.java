package dev.mlops.monitor;

import dev.mlops.core.MlopsException;

/**
 * Root of the monitor's own errors. Subclasses where callers branch: {@link InvalidMonitorException}
 * (the definition does not fit the tables), {@link MonitorNotFoundException}.
 *
 * <pre>{@code
 * try { monitor.refresh(); } catch (MonitorException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public class MonitorException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** With a message that says what, why and how to fix. */
  public MonitorException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public MonitorException(String message, Throwable cause) {
    super(message, cause);
  }
}
