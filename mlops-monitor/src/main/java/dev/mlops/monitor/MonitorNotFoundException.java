package dev.mlops.monitor;

/**
 * No monitor is defined on this table.
 *
 * <pre>{@code
 * monitors.find("main.ml.log").orElseGet(() -> monitors.create("main.ml.log").snapshot().create());
 * }</pre>
 */
public final class MonitorNotFoundException extends MonitorException {
  private static final long serialVersionUID = 1L;

  /** For the given table name. */
  public MonitorNotFoundException(String table, java.util.List<String> existing) {
    super("No monitor is defined on table " + table + ". Monitors in this workspace: " + existing
        + ". Create one with Monitors.of(ws).create(\"" + table + "\")...create().");
  }
}
