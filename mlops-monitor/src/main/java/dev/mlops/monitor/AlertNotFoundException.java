package dev.mlops.monitor;

import java.util.List;

/**
 * No alert of that name exists in the workspace.
 *
 * <pre>{@code
 * try { alerts.get("nope"); } catch (AlertNotFoundException e) { e.getMessage(); }
 * }</pre>
 */
public final class AlertNotFoundException extends MonitorException {
  private static final long serialVersionUID = 1L;

  /**
   * For a name and the names that exist.
   *
   * @param name the name asked for
   * @param existing the alerts of the workspace
   */
  public AlertNotFoundException(String name, List<String> existing) {
    super("No alert named '" + name + "' in this workspace. Alerts: " + existing
        + ". Create it with Alerts.create(\"" + name + "\")...create().");
  }
}
