package dev.mlops.benchmarks.serving;

import dev.mlops.benchmarks.Bench;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Trainer;
import dev.mlops.models.Validation;
import dev.mlops.serving.InferenceLog;
import dev.mlops.serving.ScoringServer;
import dev.mlops.serving.ServingEndpoint;
import dev.mlops.serving.internal.Deadlines;
import dev.mlops.serving.internal.HttpTransport;
import dev.mlops.serving.internal.JdkHttpTransport;
import dev.mlops.serving.internal.ServerExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Scoring over HTTP with {@code wrk} on loopback (issue 14): a logistic regression and a 100-tree forest,
 * bodies of 1 and 100 rows, inference logging off and on, at {@code -t1 -c4} and {@code -t2 -c16}, next
 * to a hello-world handler on the same transport in the same run. {@code -Dserving.transport=nio,jdk} (default
 * both) picks the HTTP transports ({@link ScoringServer.Transport}); every target runs on each, alternating
 * per load, and the hello-world handler runs on each transport exactly as the scoring server sets it up
 * (JDK: same executor and deadline watchdog; NIO: same limits and number of event loops).
 * Each wrk run is bounded ({@code -Dserving.seconds}, default 5 s, after a warm-up run of
 * {@code -Dserving.warmup} seconds, default 3: with 1 s the first configurations measured the JIT, not
 * the server — the hello-world handler, run first, came out slower than a 100-tree forest; the first run
 * with the inference log on warms up for {@code -Dserving.logWarmup} seconds, default 30, because the
 * log's writer code takes C2 that long to compile).
 * {@code -Dserving.only=hello,lr,rf} (any of them), {@code -Dserving.logging=off|on}, {@code -Dserving.rows=1|100} and
 * {@code -Dserving.load=c4|c16} narrow the run (profiling, A/B runs of two builds); {@code -Dserving.loops=N}
 * sets the NIO event loops of both servers (default {@link ScoringServer#defaultEventLoops()});
 * {@code -Dserving.flushMillis} the inference log's flush interval (default 1,000: the log's own default).
 * {@code -Dserving.repeat=N} measures each point N more times in a row after its warm-ups (each run printed;
 * the table keeps the last): a server's steady state, for the {@code -c4} p99 by heap in docs/benchmarks.md.
 * {@code -Dserving.rounds=N} instead measures the {@code -c4} p99 target in N interleaved rounds next to
 * the hello-world handler ({@link #rounds}).
 */
public final class ServingBenchmark {
  private ServingBenchmark() {}

  record Row(String target, ScoringServer.Transport transport, String rows, String logging, String load, double rps, double p50ms, double p99ms,
      double cpuMicros, String note) {}

  public static void main(String[] args) throws Exception {
    int seconds = Bench.intProp("serving.seconds", 5);
    // hello, lr, rf: the targets to run, comma-separated (for profiling, A/B runs); default all
    java.util.Set<String> only = new java.util.HashSet<>(List.of(System.getProperty("serving.only",
        "hello,lr,rf").split(",")));
    // narrower runs for profiling and A/B runs: off | on (inference log), 1 | 100 (rows), c4 | c16 (wrk load)
    String logOnly = System.getProperty("serving.logging", "");
    String rowsOnly = System.getProperty("serving.rows", "");
    String loadOnly = System.getProperty("serving.load", "");
    // NIO event loops of the hello-world and scoring servers alike (default: the scoring server's default)
    int loops = Bench.intProp("serving.loops", ScoringServer.defaultEventLoops());
    int rounds = Bench.intProp("serving.rounds", 0);
    Path dir = Files.createTempDirectory("serving-bench");
    Bench.progress("machine: %s", Bench.machine());
    if (rounds > 0) {
      rounds(dir, rounds, seconds, loops);
      return;
    }
    List<Row> out = new ArrayList<>();
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Frame train = data(2000, 1);
      ModelVersion lr = logisticRegression(train, reg);
      ModelVersion rf = Trainer.on(train).label("y").algorithm(Algorithm.randomForest().trees(100))
          .validation(Validation.none()).seed(1).fit().register(reg, "main.bench.rf");
      Path one = script(dir, "one.lua", body(1));
      Path hundred = script(dir, "hundred.lua", body(100));

      List<ScoringServer.Transport> transports = new ArrayList<>();
      for (String t : System.getProperty("serving.transport", "nio,jdk").split(",")) {
        transports.add(ScoringServer.Transport.valueOf(t.trim().toUpperCase(Locale.ROOT)));
      }
      if (only.contains("hello")) {
        for (String[] load : loads(loadOnly)) {
          for (ScoringServer.Transport tr : transports) {
            try (Deadlines d = new Deadlines(50)) {
              InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
              HttpTransport helloServer = tr == ScoringServer.Transport.JDK
                  ? JdkHttpTransport.start(bind, 1024, new ServerExecutor(256, Deadlines.millis(10_000), d),
                      HelloServer.handler())
                  : HelloServer.start(loops);
              try {
                out.add(run("hello-world handler", tr, "1", "-", load, helloServer.port(), one, seconds, () -> {}, ""));
              } finally {
                helloServer.close();
              }
            }
          }
        }
      }
      List<ModelVersion> models = new ArrayList<>();
      if (only.contains("lr")) {
        models.add(lr);
      }
      if (only.contains("rf")) {
        models.add(rf);
      }
      for (ModelVersion v : models) {
        String target = v.name().endsWith("lr") ? "logistic regression" : "random forest (100 trees)";
        for (boolean logging : new boolean[] {false, true}) {
          if (!logOnly.isEmpty() && logOnly.equals("on") != logging) {
            continue;
          }
          try (ServingEndpoint ep = ServingEndpoint.builder(ws, v.uri()).build();
               InferenceLog log = logging ? InferenceLog.builder(ws, "main.bench." + (v.name().endsWith("lr") ? "lr" : "rf"))
                   .flushInterval(Duration.ofMillis(Bench.intProp("serving.flushMillis", 1000))).build() : null) {
            List<ScoringServer> servers = new ArrayList<>();
            for (ScoringServer.Transport tr : transports) {
              ScoringServer.Builder b = ScoringServer.builder(ep).transport(tr).eventLoops(loops);
              servers.add((logging ? b.inferenceLog(log) : b).start());
            }
            try {
              for (String[] load : loads(loadOnly)) {
                for (Path script : rowsOnly.equals("1") ? List.of(one) : rowsOnly.equals("100") ? List.of(hundred)
                    : List.of(one, hundred)) {
                  String rows = script == one ? "1" : "100";
                  for (int t = 0; t < transports.size(); t++) {
                    long droppedBefore = log == null ? 0 : log.dropped();
                    Row r = run(target, transports.get(t), rows, logging ? "on" : "off", load, servers.get(t).port(),
                        script, seconds, log == null ? () -> {} : log::flush, "");
                    if (log != null) {
                      r = new Row(r.target, r.transport, r.rows, r.logging, r.load, r.rps, r.p50ms, r.p99ms,
                          r.cpuMicros, "dropped " + (log.dropped() - droppedBefore));
                    }
                    out.add(r);
                  }
                }
              }
            } finally {
              for (ScoringServer srv : servers) {
                srv.close();
              }
            }
            if (log != null) {
              log.flush();
              Bench.progress("%s: logged %d requests, dropped %d, failed %d", target, log.written(), log.dropped(),
                  log.failed());
            }
          }
        }
      }
    }
    System.out.println();
    System.out.println("### Serving over HTTP (wrk, loopback, " + seconds + " s per run, "
        + (Runtime.version().feature() >= 21 ? "virtual" : "platform") + " threads, Java " + Runtime.version() + ")");
    System.out.println();
    System.out.println("Machine: " + Bench.machine() + ".");
    System.out.println();
    System.out.println("| target | transport | rows/request | inference log | wrk | requests/s | p50 ms | p99 ms "
        + "| server CPU µs/request | note |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : out) {
      System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f | %.3f | %.3f | %.0f | %s |",
          r.target, r.transport.name().toLowerCase(Locale.ROOT), r.rows, r.logging, r.load, r.rps, r.p50ms, r.p99ms, r.cpuMicros, r.note));
    }
  }

  /**
   * {@code -Dserving.rounds=N}: the {@code -c4} p99 target measured against the machine's noise. The
   * hello-world handler and the logistic regression without and with the inference log (1-row bodies,
   * NIO, {@code -t1 -c4}) run on three servers started together; after one warm-up each (the log's
   * 30 s), they are measured in turn, N rounds of {@code serving.seconds} each, so that whatever the
   * machine does at the time (another process, the kernel's memory monitor, the host) falls on the
   * three alike. The hello-world server runs in a JVM of its own ({@link HelloServer}), so that this
   * JVM's collections, caused by the scoring servers, stay out of its runs (the two LR servers share
   * this JVM, and its collections). wrk corrects its latencies for coordinated omission, so a p99
   * counts the share of time spent in stalls, whoever stalled: it prints every round, the medians, and
   * the p99 of the log-on server over the hello-world's in the same round.
   */
  private static void rounds(Path dir, int rounds, int seconds, int loops) throws Exception {
    String[] c4 = {"-t1", "-c4"};
    ScoringServer.Transport nio = ScoringServer.Transport.NIO;
    try (Workspace ws = Workspace.open(dir)) {
      ModelVersion lr = logisticRegression(data(2000, 1), ModelRegistry.of(ws));
      Path one = script(dir, "one.lua", body(1));
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("-X")) { // the same heap and collector settings
          cmd.add(a);
        }
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HelloServer.class.getName(),
          Integer.toString(loops)));
      Process helloServer = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      int helloPort;
      try {
        String first = new BufferedReader(new InputStreamReader(helloServer.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        if (first == null) {
          throw new IllegalStateException("the hello-world server did not start: " + cmd);
        }
        helloPort = Integer.parseInt(first.trim());
      } catch (RuntimeException | IOException e) {
        helloServer.destroyForcibly();
        throw e;
      }
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, lr.uri()).build();
           InferenceLog log = InferenceLog.builder(ws, "main.bench.lr").build();
           ScoringServer off = ScoringServer.builder(ep).transport(nio).eventLoops(loops).start();
           ScoringServer on = ScoringServer.builder(ep).transport(nio).eventLoops(loops).inferenceLog(log).start()) {
        String[] names = {"hello-world handler", "LR, log off", "LR, log on"};
        int[] ports = {helloPort, off.port(), on.port()};
        Runnable[] settle = {() -> {}, () -> {}, log::flush};
        for (int t = 0; t < 3; t++) {
          wrk(c4, ports[t], one, t == 2 ? Bench.intProp("serving.logWarmup", 30) : Bench.intProp("serving.warmup", 3));
          wrk(c4, ports[t], one, RECONNECT_WARMUP); // new connections, before any measured run (see the constant)
        }
        double[][] p99 = new double[3][rounds];
        double[][] rps = new double[3][rounds];
        long dropped0 = log.dropped();
        for (int r = 0; r < rounds; r++) {
          for (int t = 0; t < 3; t++) {
            Row row = measure(names[t], nio, "1", t == 2 ? "on" : t == 1 ? "off" : "-", c4, ports[t], one, seconds,
                settle[t], "");
            p99[t][r] = row.p99ms();
            rps[t][r] = row.rps();
          }
        }
        long dropped = log.dropped() - dropped0;
        System.out.println();
        System.out.println("### p99 at -t1 -c4, 1-row LR, NIO, " + rounds + " rounds of " + seconds + " s (Java "
            + Runtime.version() + ", " + loops + " event loop" + (loops == 1 ? "" : "s") + ")");
        System.out.println();
        System.out.println("| round | hello-world p99 ms | LR log off p99 ms | LR log on p99 ms | log on / hello p99 "
            + "| hello req/s | LR log on req/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = p99[2][r] / p99[0][r];
          System.out.println(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |", r + 1,
              p99[0][r], p99[1][r], p99[2][r], ratio[r], rps[0][r], rps[2][r]));
        }
        System.out.println(String.format(Locale.ROOT, "| median | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |",
            median(p99[0]), median(p99[1]), median(p99[2]), median(ratio), median(rps[0]), median(rps[2])));
        System.out.println();
        System.out.println("Inference log: " + dropped + " records dropped during the rounds.");
      } finally {
        helloServer.getOutputStream().close(); // its end of input: it closes its server and exits
        if (!helloServer.waitFor(10, TimeUnit.SECONDS)) {
          helloServer.destroyForcibly();
        }
      }
    }
  }

  private static double median(double[] v) {
    return new Bench.Samples(v).median();
  }

  /** The benchmark's logistic regression, registered as {@code main.bench.lr}. */
  private static ModelVersion logisticRegression(Frame train, ModelRegistry reg) {
    return Trainer.on(train).label("y").algorithm(Algorithm.logisticRegression()).validation(Validation.none()).fit()
        .register(reg, "main.bench.lr");
  }

  private static List<String[]> loads(String only) {
    List<String[]> all = List.of(new String[] {"-t1", "-c4"}, new String[] {"-t2", "-c16"});
    return only.isEmpty() ? all : all.stream().filter(l -> l[1].equals("-" + only)).toList();
  }

  static Frame data(int n, long seed) {
    Random r = new Random(seed);
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double[] e = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextGaussian();
      b[i] = r.nextGaussian();
      c[i] = r.nextGaussian();
      e[i] = r.nextGaussian();
      y[i] = a[i] + 0.5 * b[i] - c[i] + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
    }
    return Frame.of(Column.ofDoubles("a", a), Column.ofDoubles("b", b), Column.ofDoubles("c", c),
        Column.ofDoubles("e", e), Column.ofInts("y", y));
  }

  static String body(int rows) {
    Random r = new Random(rows);
    StringBuilder sb = new StringBuilder("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\", \"e\"], \"data\": [");
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.4f, %.4f, %.4f, %.4f]", r.nextGaussian(),
          r.nextGaussian(), r.nextGaussian(), r.nextGaussian()));
    }
    return sb.append("]}}").toString();
  }

  static Path script(Path dir, String name, String body) throws IOException {
    String lua = "wrk.method = \"POST\"\nwrk.path = \"/invocations\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.body = [==[" + body + "]==]\n";
    return Files.writeString(dir.resolve(name), lua);
  }

  /** Whether a run with the inference log on has warmed this JVM up for logging. */
  private static boolean logWarmedUp;

  /**
   * Seconds of a second, short warm-up run on new connections. C2 compiles the event loop during the
   * warm-up while its four connections stay open, so its code has never seen a connection arrive or
   * close; the measured run's first connections then hit uncommon traps (unstable_if, class_check in
   * {@code -XX:+LogCompilation}), the loop's methods go back to the interpreter and C1, and C2 compiles
   * them again: ~0.4 s of slow serving at the start of every measured run. After this run the loop's
   * code has seen both. (On the host of 2026-12-01 this alone did not move the {@code -c4} p99; the heap
   * did: docs/benchmarks.md.)
   */
  static final int RECONNECT_WARMUP = 2;

  /**
   * One point: a warm-up run, a reconnect warm-up ({@link #RECONNECT_WARMUP}), then the measured run.
   * Also measures the server JVM's CPU per request (all its threads: HTTP, scoring, the inference writer
   * until {@code settle} — the log's flush — returns, GC, JIT; wrk runs in its own process), which
   * depends less on the machine's load than requests/s does.
   */
  static Row run(String target, ScoringServer.Transport transport, String rows, String logging, String[] load, int port, Path script, int seconds,
      Runnable settle, String note) throws Exception {
    int warmup = Bench.intProp("serving.warmup", 3);
    if (logging.equals("on") && !logWarmedUp) {
      // The inference writer's code (Kernel's commit, Parquet writing) runs a few times a second, not per
      // request: C2 compiled it for ~30 s (a core for the first 15 s; HandlerProfile, thread CPU from /proc),
      // so the first logging run measured the JIT, not the server. A server runs for hours.
      warmup = Math.max(warmup, Bench.intProp("serving.logWarmup", 30));
      logWarmedUp = true;
    }
    wrk(load, port, script, warmup); // warm-up (JIT, pools, first commits)
    wrk(load, port, script, RECONNECT_WARMUP);
    for (int i = Bench.intProp("serving.repeat", 0); i > 0; i--) { // steady state: runs in a row, each printed
      measure(target, transport, rows, logging, load, port, script, seconds, settle, note);
    }
    return measure(target, transport, rows, logging, load, port, script, seconds, settle, note);
  }

  /** One measured wrk run, with no warm-up of its own. */
  static Row measure(String target, ScoringServer.Transport transport, String rows, String logging, String[] load,
      int port, Path script, int seconds, Runnable settle, String note) throws Exception {
    settle.run();
    long cpu0 = processCpuNanos();
    List<String> lines = wrk(load, port, script, seconds);
    settle.run();
    long cpu = processCpuNanos() - cpu0;
    long requests = 0;
    double rps = 0;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    long non2xx = 0;
    for (String l : lines) {
      String t = l.trim();
      if (t.startsWith("Requests/sec:")) {
        rps = Double.parseDouble(t.substring("Requests/sec:".length()).trim());
      } else if (t.startsWith("50%")) {
        p50 = millis(t.substring(3).trim());
      } else if (t.startsWith("99%")) {
        p99 = millis(t.substring(3).trim());
      } else if (t.contains(" requests in ")) {
        requests = Long.parseLong(t.substring(0, t.indexOf(' ')));
      } else if (t.startsWith("Non-2xx")) {
        non2xx = Long.parseLong(t.replaceAll("[^0-9]", ""));
      }
    }
    if (non2xx > 0) {
      throw new IllegalStateException(target + ": " + non2xx + " non-2xx answers:\n" + String.join("\n", lines));
    }
    double cpuMicros = requests == 0 ? Double.NaN : cpu / 1000.0 / requests;
    Bench.progress("%s [%s] rows=%s log=%s %s: %.0f req/s p50 %.3f ms p99 %.3f ms, server CPU %.1f µs/request (load %.1f)",
        target, transport, rows, logging, String.join(" ", load), rps, p50, p99, cpuMicros,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return new Row(target, transport, rows, logging, String.join(" ", load), rps, p50, p99, cpuMicros, note);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double millis(String v) {
    if (v.endsWith("us")) {
      return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000;
    }
    if (v.endsWith("ms")) {
      return Double.parseDouble(v.substring(0, v.length() - 2));
    }
    if (v.endsWith("s")) {
      return Double.parseDouble(v.substring(0, v.length() - 1)) * 1000;
    }
    throw new IllegalArgumentException("wrk latency '" + v + "'");
  }

  static List<String> wrk(String[] load, int port, Path script, int seconds) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("wrk", load[0], load[1], "-d" + seconds + "s", "--latency", "-s",
        script.toString(), "http://127.0.0.1:" + port + "/invocations"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        lines.add(l);
      }
    }
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk failed: " + String.join("\n", lines));
    }
    return lines;
  }
}
