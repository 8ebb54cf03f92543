package dev.mlops.monitor;

import dev.mlops.core.Workspace;
import java.nio.file.Path;

/** Run in a child JVM by {@link KilledRefreshTest}: refreshes one monitor. */
public final class RefreshChild {
  private RefreshChild() {}

  /** args: workspace dir, table. */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args[0]))) {
      Monitors.of(ws).get(args[1]).refresh();
    }
  }
}
