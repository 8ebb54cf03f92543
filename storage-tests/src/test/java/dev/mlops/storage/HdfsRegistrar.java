package dev.mlops.storage;

import dev.mlops.core.Workspace;
import dev.mlops.models.ModelPackage;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.Run;
import dev.mlops.models.Tracking;
import java.net.URI;
import java.util.Map;

/**
 * One registering process of {@link HdfsWorkspaceTest}: logs a small package to a run and registers it
 * as a new version of one model, several times, printing "version N" for each registration. Args:
 * workspace URI, model name, writer id, count.
 */
public final class HdfsRegistrar {
  private HdfsRegistrar() {}

  /** A model object small enough to register quickly; Serializable as packages require. */
  public record Threshold(String column, double threshold) implements java.io.Serializable {}

  public static void main(String[] args) {
    URI root = URI.create(args[0]);
    int writer = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    try (Workspace ws = Workspace.open(root, Map.of("dfs.replication", "1"))) {
      Tracking tracking = Tracking.of(ws);
      ModelRegistry registry = ModelRegistry.of(ws);
      for (int i = 0; i < count; i++) {
        try (Run run = tracking.experiment("registrars").start("w" + writer + "-" + i)) {
          run.logModel("model", ModelPackage.builder().model(new Threshold("x", writer * 100 + i)).build());
          System.out.println("version " + registry.register(args[1], run.artifactUri("model")).version());
        }
      }
    }
    System.out.flush();
    // Hadoop's client leaves non-daemon threads behind; the versions are durable, so leave now.
    System.exit(0);
  }
}
