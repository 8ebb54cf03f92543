package dev.mlops.monitor;

import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second JVM for alert tests. {@code rounds <dir> <alert> <id> <n>}: for k = 1..n waits for
 * {@code <dir>/round-k}, evaluates the alert, writes {@code <dir>/done-k-<id>}. {@code evaluate <dir> <alert>}:
 * one evaluation (the test kills it while it delivers).
 */
public final class AlertChild {
  private AlertChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (Workspace ws = Workspace.open(dir)) {
      Alerts alerts = Alerts.of(ws);
      if (args[0].equals("evaluate")) {
        alerts.evaluate(args[2]);
        return;
      }
      int n = Integer.parseInt(args[4]);
      for (int k = 1; k <= n; k++) {
        Path round = dir.resolve("round-" + k);
        while (!Files.exists(round)) {
          Thread.sleep(5);
        }
        alerts.evaluate(args[2]);
        Files.writeString(dir.resolve("done-" + k + "-" + args[3]), "ok");
      }
    }
  }
}
