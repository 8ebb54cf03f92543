package dev.mlops.storage;

import dev.mlops.core.UnsafeConcurrentWriteException;
import dev.mlops.core.Workspace;
import dev.mlops.models.ModelPackage;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.Run;
import dev.mlops.models.Tracking;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One registering process of {@link S3RegistryTest} (the S3 twin of {@link HdfsRegistrar}): logs a
 * small package to a run and registers it as a new version of one model, several times, printing
 * "version N" for each registration. A write refused because the store gives no conditional writes
 * prints "refused " and the message, and the process exits with 3.
 * Args: workspace URI, model name, writer id, count, Hadoop configuration file (properties).
 */
public final class S3Registrar {
  private S3Registrar() {}

  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0]);
    int writer = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[4]))) {
      p.load(r);
    }
    Map<String, String> conf = new HashMap<>();
    p.stringPropertyNames().forEach(k -> conf.put(k, p.getProperty(k)));
    int exit = 0;
    try (Workspace ws = Workspace.open(root, conf)) {
      Tracking tracking = Tracking.of(ws);
      ModelRegistry registry = ModelRegistry.of(ws);
      for (int i = 0; i < count; i++) {
        try (Run run = tracking.experiment("registrars").start("w" + writer + "-" + i)) {
          run.logModel("model", ModelPackage.builder().model(new HdfsRegistrar.Threshold("x", writer * 100 + i)).build());
          System.out.println("version " + registry.register(args[1], run.artifactUri("model")).version());
        }
      }
    } catch (UnsafeConcurrentWriteException e) {
      System.out.println("refused " + e.getMessage());
      exit = 3;
    }
    System.out.flush();
    // Hadoop's S3A client leaves non-daemon threads behind; the versions are durable, so leave now.
    System.exit(exit);
  }
}
