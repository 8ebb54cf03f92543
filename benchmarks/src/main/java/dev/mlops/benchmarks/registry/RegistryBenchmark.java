package dev.mlops.benchmarks.registry;

import dev.mlops.benchmarks.Bench;
import dev.mlops.core.Workspace;
import dev.mlops.models.Experiment;
import dev.mlops.models.LoadedModel;
import dev.mlops.models.ModelPackage;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.Run;
import dev.mlops.models.RunInfo;
import dev.mlops.models.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import smile.classification.LogisticRegression;

/**
 * Tracking and registry benchmarks against the targets:
 * <ul>
 *   <li>search over 100,000 runs: at most 1 s</li>
 *   <li>register a version: at most 20 ms plus the artifact copy</li>
 *   <li>resolve an alias and load a small model, warm: at most 5 ms</li>
 * </ul>
 *
 * <pre>
 * java -Dregistry.runs=100000 -Dregistry.threads=8 -Dregistry.dir=target/registry-bench \
 *     -cp ... dev.mlops.benchmarks.registry.RegistryBenchmark
 * </pre>
 * The runs are created once through the public API (3 params, 2 metrics, 1 tag, ended FINISHED) and
 * the workspace is reused by later invocations with the same run count. Times are wall-clock per
 * operation: median and p99 after warm-up. Results are Markdown tables on stdout, progress on stderr.
 */
public final class RegistryBenchmark {
  private RegistryBenchmark() {}

  private static final String MODEL = "main.bench.churn";
  private static final String FILTER = "metrics.auc > 0.8 and params.algorithm = 'rf'";
  private static final String ORDER = "metrics.auc DESC";

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    int runs = Bench.intProp("registry.runs", 100_000);
    int threads = Bench.intProp("registry.threads", 8);
    Path dir = Path.of(System.getProperty("registry.dir", "target/registry-bench")).toAbsolutePath();
    Bench.progress("Registry benchmark: %d runs, workspace %s", runs, dir);

    Workspace ws = Workspace.open(dir);
    String created = createRuns(ws, runs, threads);
    Bench.Table table = new Bench.Table("Tracking and registry (files in the workspace)", "operation", "median",
        "p99 / max", "target", "notes");
    searchBenchmark(ws, runs, table);
    registerBenchmark(ws, table);
    loadBenchmark(ws, table);
    table.note(created).print();
  }

  // ------------------------------------------------------------------------------------ search

  private static String createRuns(Workspace ws, int runs, int threads) throws Exception {
    Path marker = ws.localRoot().orElseThrow().resolve("bench-runs-" + runs);
    if (Files.exists(marker)) {
      return Files.readString(marker);
    }
    Tracking tracking = Tracking.of(ws);
    Experiment exp = tracking.experiment("bench");
    int existing = tracking.searchRuns(List.of("bench"), "", "", Integer.MAX_VALUE).size(); // an interrupted setup
    int total = runs;
    runs = Math.max(0, runs - existing);
    Bench.progress("creating %d runs (%d exist) with %d threads", runs, existing, threads);
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> fs = new ArrayList<>();
    int perThread = runs / threads;
    for (int t = 0; t < threads; t++) {
      int count = t == threads - 1 ? runs - perThread * (threads - 1) : perThread;
      fs.add(pool.submit(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] algos = {"rf", "gbt", "lr"};
        for (int i = 0; i < count; i++) {
          try (Run run = exp.start()) {
            run.logParams(Map.of("algorithm", algos[r.nextInt(3)], "trees", 50 + r.nextInt(200),
                "max_depth", 4 + r.nextInt(12)));
            run.logMetric("auc", 0.5 + 0.5 * r.nextDouble());
            run.logMetric("logloss", r.nextDouble());
            run.setTag("team", r.nextBoolean() ? "growth" : "risk");
          }
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    String note = String.format(Locale.ROOT, "%d runs (3 params, 2 metrics, 1 tag each, every write fsynced) were "
        + "created through the public API; the last %d by %d threads in %.1f s (%.0f runs/s).", total, runs, threads,
        s, runs / s);
    Files.writeString(marker, note);
    return note;
  }

  private static void searchBenchmark(Workspace ws, int runs, Bench.Table table) {
    // cold: a new Tracking has no parsed index in memory (the OS page cache is warm after the first)
    double[] cold = new double[5];
    for (int i = 0; i < cold.length; i++) {
      Tracking fresh = Tracking.of(ws);
      long t0 = System.nanoTime();
      fresh.searchRuns(List.of("bench"), FILTER, ORDER, 100);
      cold[i] = (System.nanoTime() - t0) / 1e6;
      Bench.progress("cold search %d: %.0f ms", i, cold[i]);
    }
    Tracking tracking = Tracking.of(ws);
    int[] matched = new int[1];
    double[] warm = time(5, 30, () -> {
      matched[0] = tracking.searchRuns(List.of("bench"), FILTER, ORDER, 100_000).size();
      return null;
    });
    table.row(Bench.fmt("search %,d runs, cold (new Tracking)", runs), ms(median(cold)),
        ms(Arrays.stream(cold).max().orElse(0)), "<= 1 s",
        Bench.fmt("first in the JVM %.0f ms; `%s` order by `%s` limit 100", cold[0], FILTER, ORDER));
    table.row(Bench.fmt("search %,d runs, warm", runs), ms(median(warm)), ms(p99(warm)), "<= 1 s",
        Bench.fmt("same filter and order, no limit: %,d matching runs", matched[0]));
  }

  // ------------------------------------------------------------------------------------ registry

  private static void registerBenchmark(Workspace ws, Bench.Table table) {
    ModelRegistry registry = ModelRegistry.of(ws);
    Tracking tracking = Tracking.of(ws);
    LogisticRegression lr = logistic();
    String runId;
    try (Run run = tracking.experiment("bench-register").start()) {
      run.logModel("model", ModelPackage.builder().flavor("smile").model(lr).build());
      runId = run.id();
    }
    Bench.progress("registering versions");
    double[] inline = time(20, 200, () -> {
      try (Run run = tracking.experiment("bench-register").start()) { // the one public way: log, then register
        run.logModel("model", ModelPackage.builder().flavor("smile").model(lr).seed(1).build());
        return registry.register(MODEL, run.artifactUri("model"));
      }
    });
    double[] fromRun = time(20, 200, () -> registry.register(MODEL, "runs:/" + runId + "/model"));
    long size = registry.getVersion(MODEL, 1).packageDir().resolve("model.ser").toFile().length();
    table.row("log a ModelPackage to a run, register it", ms(median(inline)), ms(p99(inline)), "<= 20 ms + copy",
        Bench.fmt("LogisticRegression (model.ser %d bytes): start run, serialize, write, checksums, copy, verify, publish", size));
    table.row("register a version from runs:/ URI", ms(median(fromRun)), ms(p99(fromRun)), "<= 20 ms + copy",
        Bench.fmt("verify source, copy, verify copy, publish; %d versions registered in all",
            registry.listVersions(MODEL).size()));
  }

  private static void loadBenchmark(Workspace ws, Bench.Table table) {
    ModelRegistry registry = ModelRegistry.of(ws);
    int v = registry.listVersions(MODEL).get(0).version();
    registry.setAlias(MODEL, "champion", v);
    Bench.progress("resolving and loading");
    double[] resolveOnly = time(500, 2000, () -> registry.resolve("models:/" + MODEL + "@champion"));
    double[] load = time(500, 2000, () -> {
      LoadedModel m = registry.load("models:/" + MODEL + "@champion");
      return m.deserialize(LogisticRegression.class);
    });
    table.row("resolve an alias", ms(median(resolveOnly)), ms(p99(resolveOnly)), "-", "models:/…@champion → version");
    table.row("resolve an alias + load a small model, warm", ms(median(load)), ms(p99(load)), "<= 5 ms",
        "resolve, verify every SHA-256 and the registered digest, deserialize through the allow-list");
  }

  private static String ms(double v) {
    return v >= 100 ? Bench.fmt("%.0f ms", v) : v >= 1 ? Bench.fmt("%.1f ms", v) : Bench.fmt("%.2f ms", v);
  }

  // ------------------------------------------------------------------------------------ helpers

  private static LogisticRegression logistic() {
    double[][] x = new double[200][4];
    int[] y = new int[200];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = x[i][0] + 0.5 * x[i][1] + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
    }
    return LogisticRegression.fit(x, y);
  }

  private static double[] time(int warmup, int iterations, Supplier<?> op) {
    for (int i = 0; i < warmup; i++) {
      op.get();
    }
    double[] ms = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      op.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static double p99(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[Math.min(c.length - 1, (int) Math.ceil(c.length * 0.99) - 1)];
  }

}
