package dev.mlops.serving;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Trainer;
import dev.mlops.models.Validation;
import dev.mlops.serving.internal.HttpTransport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A profiling aid, not a test: drives the scoring handler with in-memory exchanges (no sockets, no JDK
 * HTTP server, no wrk) and reports what the SDK's own code costs per request: CPU and bytes allocated on
 * the request threads, and CPU and bytes of the inference writer per record. Thread CPU time and
 * allocation counters barely depend on what else runs on the machine, unlike requests/s under wrk.
 *
 * <pre>
 * java -cp &lt;test and main classes, dependencies&gt; [-Dprofile.rows=1] [-Dprofile.logging=true]
 *     [-Dprofile.threads=2] [-Dprofile.seconds=10] [-Dprofile.warmup=5] [-Dprofile.rate=0]
 *     [-Dprofile.batchRows=1000] [-Dprofile.queue=10000] [-Dprofile.flushMillis=1000]
 *     dev.mlops.serving.HandlerProfile
 * </pre>
 *
 * {@code profile.rate} (requests/s over all threads, 0 = as fast as they go) paces the requests as a
 * server at that rate would offer them, so that the inference writer gathers the batches it would
 * there and its drops show whether it keeps up; unpaced, the queue fills and batches are as large as
 * the queue. {@code -Dprofile.batch=B -Dprofile.commits=K} instead runs K rounds of B requests each
 * followed by a flush: exactly K commits of B records per table after as many warm-up rounds, so the
 * writer's CPU per record and per commit do not depend on how fast it was scheduled (a loaded machine
 * makes batches larger and commits fewer in the timed modes). There {@code -Dprofile.bodies=N} cycles
 * through N bodies of different values (default 1: every request the same, as wrk sends), so that the
 * logged features and probabilities vary as a live model's do.
 *
 * The model and bodies are those of {@code ServingBenchmark}: a logistic regression on four double
 * columns, {@code dataframe_split} bodies.
 */
public final class HandlerProfile {
  private HandlerProfile() {}

  /** One request in memory. */
  private static final class Exchange implements HttpTransport.Exchange {
    private final byte[] body;
    int status;

    Exchange(byte[] body) {
      this.body = body;
    }

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String path() {
      return "/invocations";
    }

    @Override
    public Optional<String> header(String name) {
      List<String> v = headers(name);
      return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    @Override
    public List<String> headers(String name) {
      if (name.equalsIgnoreCase("Content-Type")) {
        return List.of("application/json");
      }
      if (name.equalsIgnoreCase("Content-Length")) {
        return List.of(Integer.toString(body.length));
      }
      return List.of();
    }

    @Override
    public InputStream body() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public InetSocketAddress remote() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body, boolean close) {
      this.status = status;
    }
  }

  /**
   * The inference log's thread (the committer), whose CPU and allocations are the writer's. Gathering a
   * record into the batch happens on the request's thread and counts there.
   */
  private static long[] writerThreads() {
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("mlops-serving-inference-")).mapToLong(Thread::getId).toArray();
    if (ids.length != 1) {
      throw new IllegalStateException("expected the inference log's committer thread, found " + ids.length);
    }
    return ids;
  }

  private static long sum(long[] values) {
    return java.util.Arrays.stream(values).sum();
  }

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("profile.rows", 1);
    boolean logging = Boolean.parseBoolean(System.getProperty("profile.logging", "true"));
    int threads = Integer.getInteger("profile.threads", 2);
    int seconds = Integer.getInteger("profile.seconds", 10);
    int warmup = Integer.getInteger("profile.warmup", 5);
    int rate = Integer.getInteger("profile.rate", 0);
    int batchRows = Integer.getInteger("profile.batchRows", 1000);
    int queue = Integer.getInteger("profile.queue", 10_000);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("handler-profile");
    try {
      profile(dir, rows, logging, threads, seconds, warmup, rate, batchRows, queue, mx);
    } finally {
      try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void profile(Path dir, int rows, boolean logging, int threads, int seconds, int warmup, int rate,
      int batchRows, int queue, com.sun.management.ThreadMXBean mx) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ModelVersion lr = Trainer.on(data(2000, 1)).label("y").algorithm(Algorithm.logisticRegression())
          .validation(Validation.none()).fit().register(ModelRegistry.of(ws), "main.bench.lr");
      byte[] body = body(rows).getBytes(StandardCharsets.UTF_8);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, lr.uri()).build();
           InferenceLog log = logging ? InferenceLog.builder(ws, "main.bench.lr").batchRows(batchRows)
               .queueCapacity(queue).flushInterval(java.time.Duration.ofMillis(Long.getLong("profile.flushMillis", 1000)))
               .build() : null) {
        ScoringHandler handler = new ScoringHandler(ep, log, null, 10L << 20, 30_000_000_000L);
        int fixedBatch = Integer.getInteger("profile.batch", 0);
        if (fixedBatch > 0 && log != null) {
          fixedBatches(handler, body, log, fixedBatch, Integer.getInteger("profile.commits", 20), mx);
          return;
        }
        run(handler, body, threads, warmup, rate, mx, null);
        if (log != null) {
          log.flush();
        }
        long[] writer = log == null ? null : writerThreads();
        long writtenBefore = log == null ? 0 : log.written();
        long droppedBefore = log == null ? 0 : log.dropped();
        long commitsBefore = log == null ? 0 : commits(ws, log.payloadTable());
        long wCpu = writer == null ? 0 : sum(mx.getThreadCpuTime(writer));
        long wAlloc = writer == null ? 0 : sum(mx.getThreadAllocatedBytes(writer));
        long[] totals = new long[3];
        run(handler, body, threads, seconds, rate, mx, totals);
        if (log != null) {
          log.flush();
        }
        long n = totals[0];
        System.out.printf(Locale.ROOT, "rows=%d logging=%s threads=%d rate=%d: %d requests (%.0f/s), request threads "
            + "%.1f µs CPU and %.0f bytes allocated per request", rows, logging, threads, rate, n, (double) n / seconds,
            totals[1] / 1000.0 / n, (double) totals[2] / n);
        if (writer != null) {
          long written = log.written() - writtenBefore;
          long commits = commits(ws, log.payloadTable()) - commitsBefore;
          System.out.printf(Locale.ROOT, "; inference writer %.1f µs CPU and %.0f bytes per record (%d written in %d "
              + "payload commits, %d dropped)", (sum(mx.getThreadCpuTime(writer)) - wCpu) / 1000.0 / written,
              (double) (sum(mx.getThreadAllocatedBytes(writer)) - wAlloc) / written, written, commits,
              log.dropped() - droppedBefore);
        }
        System.out.println();
      }
    }
  }

  /** Runs requests on {@code threads} threads for {@code seconds}; totals: requests, CPU ns, bytes. */
  /** K warm-up rounds, then K measured rounds, of {@code batch} requests and a flush each. */
  private static void fixedBatches(ScoringHandler handler, byte[] body, InferenceLog log, int batch, int commits,
      com.sun.management.ThreadMXBean mx) throws Exception {
    long[] writer = writerThreads();
    byte[][] bodies = new byte[Integer.getInteger("profile.bodies", 1)][];
    bodies[0] = body;
    for (int b = 1; b < bodies.length; b++) {
      bodies[b] = body(1, 1000 + b).getBytes(StandardCharsets.UTF_8);
    }
    for (int round = 0; round < 2; round++) {
      long cpu0 = sum(mx.getThreadCpuTime(writer));
      long bytes0 = sum(mx.getThreadAllocatedBytes(writer));
      long written0 = log.written();
      for (int k = 0; k < commits; k++) {
        for (int i = 0; i < batch; i++) {
          Exchange ex = new Exchange(bodies[i % bodies.length]);
          handler.handle(ex);
          if (ex.status != 200) {
            throw new IllegalStateException("status " + ex.status);
          }
        }
        log.flush();
      }
      long written = log.written() - written0;
      long cpu = sum(mx.getThreadCpuTime(writer)) - cpu0;
      if (round == 1) {
        System.out.printf(Locale.ROOT, "rows=1 batch=%d commits=%d: inference writer %.1f µs CPU and %.0f bytes per "
            + "record, %.1f ms CPU per batch (both tables), %d written, %d dropped%n", batch, commits,
            cpu / 1000.0 / written, (double) (sum(mx.getThreadAllocatedBytes(writer)) - bytes0) / written,
            cpu / 1e6 / commits, written, log.dropped());
      }
    }
  }

  private static long commits(Workspace ws, String table) {
    return ws.tables().get(table).history().size();
  }

  private static void run(ScoringHandler handler, byte[] body, int threads, int seconds, int rate,
      com.sun.management.ThreadMXBean mx, long[] totals) throws Exception {
    long intervalNanos = rate <= 0 ? 0 : 1_000_000_000L * threads / rate;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong requests = new AtomicLong();
    AtomicLong cpu = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        long id = Thread.currentThread().getId();
        long c0 = mx.getThreadCpuTime(id);
        long b0 = mx.getThreadAllocatedBytes(id);
        long n = 0;
        long start = System.nanoTime();
        try {
          while (!stop.get()) {
            if (intervalNanos > 0) {
              long ahead = start + n * intervalNanos - System.nanoTime();
              if (ahead > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(ahead);
              }
            }
            Exchange ex = new Exchange(body);
            handler.handle(ex);
            if (ex.status != 200) {
              throw new IllegalStateException("status " + ex.status);
            }
            n++;
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        cpu.addAndGet(mx.getThreadCpuTime(id) - c0);
        bytes.addAndGet(mx.getThreadAllocatedBytes(id) - b0);
        requests.addAndGet(n);
      }, "profile-request-" + t);
      ts.add(th);
      th.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread th : ts) {
      th.join();
    }
    if (totals != null) {
      totals[0] = requests.get();
      totals[1] = cpu.get();
      totals[2] = bytes.get();
    }
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
    return body(rows, rows);
  }

  /** A body of {@code rows} rows whose values the seed sets. */
  static String body(int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\", \"e\"], \"data\": [");
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.4f, %.4f, %.4f, %.4f]", r.nextGaussian(),
          r.nextGaussian(), r.nextGaussian(), r.nextGaussian()));
    }
    return sb.append("]}}").toString();
  }
}
