package dev.mlops.models;

import dev.mlops.core.Workspace;
import dev.mlops.models.internal.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The program the multi-process deployment tests run in child JVMs.
 * <ul>
 *   <li>{@code runner <ws> <runnerId> <leaseMs> <stopFile> <countLog>}: runs passes every 50 ms until stopFile exists</li>
 *   <li>{@code register <ws> <model> <count> <goFile>}: waits for goFile, registers count versions (printing v=n)</li>
 *   <li>{@code approve <ws> <model> <version> <approver> <comment>}: approves, prints "approved"; or the
 *       exception's class name when it fails</li>
 * </ul>
 */
public final class DeploymentChild {
  private DeploymentChild() {}

  /** Appends "v=<version> runner=<id> attempt=<n>" to the count log: how many times the step started. */
  static final class Count implements DeploymentTask {
    private final Path log;
    private final String runner;

    Count(Path log, String runner) {
      this.log = log;
      this.runner = runner;
    }

    @Override
    public String name() {
      return "count";
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      Files2.appendLine(log, "v=" + ctx.modelVersion() + " runner=" + runner + " attempt=" + ctx.attempt());
      return TaskResult.succeeded(Map.of("version", (double) ctx.modelVersion()));
    }
  }

  /** On its first attempt prints "in-task v=<n>" and hangs (the test kills the process); later attempts pass. */
  static final class Hang implements DeploymentTask {
    @Override
    public String name() {
      return "hang";
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      if (ctx.attempt() == 1) {
        System.out.println("in-task v=" + ctx.modelVersion());
        System.out.flush();
        try {
          Thread.sleep(Duration.ofHours(1).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return TaskResult.succeeded().withDecision("attempt " + ctx.attempt());
    }
  }

  public static void main(String[] args) throws Exception {
    Workspace ws = Workspace.open(Path.of(args[1]));
    System.out.println("started");
    System.out.flush();
    switch (args[0]) {
      case "runner" -> {
        String id = args[2];
        Deployments d = Deployments.of(ws).withRunnerId(id).withLease(Duration.ofMillis(Long.parseLong(args[3])))
            .withTasks(new Count(Path.of(args[5]), id), new Hang());
        Path stop = Path.of(args[4]);
        while (!Files.exists(stop)) {
          for (DeploymentRun r : d.runPending()) {
            System.out.println("advanced v=" + r.version() + " " + r.state());
            System.out.flush();
          }
          Thread.sleep(50);
        }
      }
      case "register" -> {
        ModelRegistry registry = ModelRegistry.of(ws);
        Path go = Path.of(args[4]);
        while (!Files.exists(go)) {
          Thread.sleep(5);
        }
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
          System.out.println("v=" + registry.register(args[2], TestModels.placeholderPackage(i), null).version());
          System.out.flush();
          Thread.sleep(30);
        }
      }
      case "approve" -> {
        try {
          Deployments.of(ws).approve(args[2], Integer.parseInt(args[3]), args[4], args[5]);
          System.out.println("approved");
        } catch (RuntimeException e) {
          System.out.println("error " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.flush();
  }
}
