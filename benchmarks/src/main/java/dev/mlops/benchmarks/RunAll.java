package dev.mlops.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs every benchmark main in turn (what {@code mvn -B -Pbench -DskipTests verify} executes).
 * Nothing is caught: a failing benchmark fails the run. Each benchmark prints its own Markdown
 * tables to stdout and its progress to stderr.
 */
public final class RunAll {
  private RunAll() {}

  public static void main(String[] args) throws Exception {
    // Kernel, Parquet and Hadoop log a lot at INFO; keep stdout for the tables.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    printMachine();

    dev.mlops.benchmarks.delta.DeltaTableBenchmark.main(args);
    dev.mlops.benchmarks.registry.RegistryBenchmark.main(args);
    dev.mlops.benchmarks.features.FeatureStoreBenchmark.main(args);
    dev.mlops.benchmarks.models.ModelBenchmark.main(args);
    dev.mlops.benchmarks.serving.ServingBenchmark.main(args);
    dev.mlops.benchmarks.monitor.MonitorBenchmark.main(args);

    // ---- Add further benchmarks here: one line each, `<your benchmark class>.main(args);`, in the
    // order they should run. Print Markdown tables to stdout, progress to stderr, throw on failure.
  }

  /** One table with what the numbers were measured on. */
  static void printMachine() {
    String cpu = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it unknown
    }
    Runtime rt = Runtime.getRuntime();
    new Bench.Table("Machine", "what", "value")
        .row("CPU", cpu)
        .row("cores (availableProcessors)", String.valueOf(rt.availableProcessors()))
        .row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .row("max heap", String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / (1024.0 * 1024 * 1024)))
        .row("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"))
        .print();
  }
}
