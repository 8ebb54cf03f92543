package dev.mlops.models;

import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The program that multi-process tests run in child JVMs.
 * <ul>
 *   <li>{@code register <ws> <model> <count> <writer> <goFile>}: waits for goFile, registers count versions,
 *       printing {@code v=<n>} for each</li>
 *   <li>{@code churn <ws> <model>}: forever: a run with params, metrics, an artifact and a logged model,
 *       registered and aliased, printing {@code v=<n>} after each registration (killed by the test)</li>
 *   <li>{@code hang-run <ws>}: starts a run, logs a metric, prints {@code run=<id>} and waits (to be killed)</li>
 *   <li>{@code hold-staging <ws> <model>}: opens a registration's staging directory, prints
 *       {@code staging=<path>} and waits (to be killed)</li>
 * </ul>
 */
public final class RegistryChild {
  private RegistryChild() {}

  public static void main(String[] args) throws Exception {
    Workspace ws = Workspace.open(Path.of(args[1]));
    ModelRegistry registry = ModelRegistry.of(ws);
    System.out.println("started");
    System.out.flush();
    switch (args[0]) {
      case "register": {
        int count = Integer.parseInt(args[3]);
        Path go = Path.of(args[5]);
        while (!Files.exists(go)) {
          Thread.onSpinWait();
        }
        for (int i = 0; i < count; i++) {
          ModelPackage pkg = ModelPackage.builder().model(new TestModels.ThresholdModel("x", i))
              .hyperparameter("writer", args[4]).hyperparameter("i", i).build();
          System.out.println("v=" + registry.register(args[2], pkg, null).version());
          System.out.flush();
        }
        break;
      }
      case "churn": {
        Tracking tracking = Tracking.of(ws);
        // Next to the workspace (inside the test's temporary directory), never in /tmp: this process is
        // killed mid-run, so nothing it leaves in the system temp directory would be cleaned up.
        Path artifact = Files.writeString(Files.createTempFile(Path.of(args[1]).toAbsolutePath().getParent(),
            "artifact", ".txt"), "x".repeat(10_000));
        for (int i = 0; ; i++) {
          int k = i;
          RunInfo done = tracking.run("crash", "churn-" + i, run -> {
            run.logParams(Map.of("i", k, "algorithm", "threshold"));
            for (int step = 0; step < 20; step++) {
              run.logMetric("loss", 1.0 / (step + 1), step);
            }
            run.logArtifact(artifact, "files");
            run.logModel("model", TestModels.placeholderPackage(k));
            ModelVersion v = registry.register(args[2], run.artifactUri("model"));
            registry.setAlias(args[2], "champion", v.version());
            registry.setVersionTag(args[2], v.version(), "i", Integer.toString(k));
            System.out.println("v=" + v.version());
            System.out.flush();
          });
          if (done.status() != RunStatus.FINISHED) {
            throw new IllegalStateException("run " + done.runId() + " is " + done.status());
          }
        }
      }
      case "hang-run": {
        Run run = Tracking.of(ws).experiment("killed").start("hangs");
        run.logMetric("loss", 0.5);
        run.logArtifact(Files.writeString(Files.createTempFile("kept", ".txt"), "kept"), "files");
        // what a copy (Files2.copyAtomically) and a model write (ModelPackage.writeTo) killed midway leave
        Path artifacts = ws.localRoot().orElseThrow().resolve("experiments/killed/runs/" + run.id() + "/artifacts");
        Files.writeString(artifacts.resolve("files/.plot.png." + java.util.UUID.randomUUID() + ".tmp"), "half");
        Path model = Files.createDirectories(artifacts.resolve(".model." + java.util.UUID.randomUUID() + ".tmp"));
        Files.writeString(model.resolve("model.ser"), "half");
        System.out.println("run=" + run.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        break;
      }
      case "hold-staging": {
        ModelRegistry.Staging s = registry.openStaging(args[2]);
        Files.writeString(s.dir().resolve("partial"), "half a package");
        System.out.println("staging=" + s.dir());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        break;
      }
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }
}
