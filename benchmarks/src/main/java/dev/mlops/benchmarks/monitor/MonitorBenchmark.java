package dev.mlops.benchmarks.monitor;

import dev.mlops.core.Column;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.internal.ColumnProfile;
import dev.mlops.monitor.internal.Ecdf;
import dev.mlops.monitor.internal.Stats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Monitoring benchmark (issue 12), beside DuckDB in the same JVM run:
 *
 * <ol>
 *   <li>profile of N rows × 10 DOUBLE columns (count, nulls, mean, stddev, min, max, 5 quantiles):
 *       SDK end to end (Delta read + profile) vs DuckDB's one-pass query over the table's Parquet
 *       files; SDK in-memory compute vs DuckDB over an in-memory table;
 *   <li>drift of those columns against a 1M-row baseline profile (KS, W1, PSI from the profiles);
 *   <li>the wide case: 1,000 columns × 100k rows profiled and drift-checked, time and peak heap.
 * </ol>
 * Properties: {@code bench.monitorRows} (default 10,000,000), {@code bench.reps} (3).
 */
public final class MonitorBenchmark {
  private MonitorBenchmark() {}

  static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("bench.monitorRows", 10_000_000);
    int reps = Integer.getInteger("bench.reps", 3);
    Path dir = Files.createTempDirectory("monitor-bench");
    System.out.printf("## Monitoring benchmark: %,d rows x 10 DOUBLE columns, %d reps, %d cores%n", rows, reps,
        Runtime.getRuntime().availableProcessors());
    try (Workspace ws = Workspace.open(dir)) {
      Frame data = doubles(rows, 10, 1, 0.0);
      long t0 = System.nanoTime();
      DeltaTable t = ws.tables().create("main.bench.wide10").create(data);
      System.out.printf("write Delta: %.2f s%n", (System.nanoTime() - t0) / 1e9);
      data = null;
      System.gc();
      ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
        String files = t.location().replace("file:", "").replaceAll("/+$", "") + "/*.parquet";
        // the table uses column mapping: Parquet holds physical names; map them back in order
        List<String> phys = new ArrayList<>();
        try (Statement st = duck.createStatement();
            ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + files + "')")) {
          while (rs.next()) {
            phys.add(rs.getString(1));
          }
        }
        StringBuilder sel = new StringBuilder("(SELECT ");
        for (int c = 0; c < 10; c++) {
          sel.append(c > 0 ? ", " : "").append('"').append(phys.get(c)).append("\" AS x").append(c);
        }
        String src = sel.append(" FROM read_parquet('").append(files).append("'))").toString();
        String q = duckQuery(src, 10);
        List<Double> sdkE2e = new ArrayList<>();
        List<Double> sdkMem = new ArrayList<>();
        List<Double> duckFile = new ArrayList<>();
        List<Double> duckMem = new ArrayList<>();
        List<ColumnProfile> last = null;
        for (int r = 0; r < reps + 1; r++) {
          long a = System.nanoTime();
          Frame f = t.read().load();
          long b = System.nanoTime();
          List<ColumnProfile> ps = profile(f, pool);
          long c = System.nanoTime();
          long d = System.nanoTime();
          duck(duck, q);
          long e = System.nanoTime();
          if (r > 0) {
            sdkE2e.add((c - a) / 1e9);
            sdkMem.add((c - b) / 1e9);
            duckFile.add((e - d) / 1e9);
          }
          last = ps;
          f = null;
        }
        try (Statement st = duck.createStatement()) {
          st.execute("CREATE TABLE m AS SELECT * FROM " + src);
        }
        String qm = duckQuery("m", 10);
        for (int r = 0; r < reps + 1; r++) {
          long d = System.nanoTime();
          duck(duck, qm);
          if (r > 0) {
            duckMem.add((System.nanoTime() - d) / 1e9);
          }
        }
        System.out.printf("| step | SDK (s, median) | DuckDB (s, median) | ratio |%n|---|---|---|---|%n");
        row("profile end to end (Delta/Parquet files)", median(sdkE2e), median(duckFile));
        row("profile in memory", median(sdkMem), median(duckMem));
        // drift against a 1M-row baseline, from profiles
        Frame base = doubles(1_000_000, 10, 99, 0.1);
        long bp0 = System.nanoTime();
        List<ColumnProfile> bps = profile(base, pool);
        long bp1 = System.nanoTime();
        long dr0 = System.nanoTime();
        double maxW = 0;
        for (int c = 0; c < 10; c++) {
          Ecdf ref = bps.get(c).ecdf();
          Ecdf cur = last.get(c).ecdf();
          Stats.Ks ks = Stats.ks(ref, cur);
          double w = Stats.wasserstein(ref, cur);
          Stats.psi(ref, cur, 10);
          maxW = Math.max(maxW, Stats.wassersteinNormalized(w, ref));
          if (ks.statistic() < 0) {
            throw new IllegalStateException();
          }
        }
        long dr1 = System.nanoTime();
        System.out.printf("%nbaseline 1M x 10 profiled once: %.2f s; drift of 10 columns vs it (KS, W1, PSI from KLL"
            + " sketches): %.3f s; max normalized W1 %.3f (true shift 0.1)%n", (bp1 - bp0) / 1e9, (dr1 - dr0) / 1e9, maxW);
        System.out.printf("median x0 (exact 0.0): %.4f, KLL sketch quantile of 10M values%n", last.get(0).quantile(0.5));
      } finally {
        pool.shutdown();
      }
      // wide case
      resetPeaks();
      long w0 = System.nanoTime();
      Frame wide = doubles(100_000, 1000, 5, 0.0);
      Frame wideBase = doubles(100_000, 1000, 6, 0.05);
      long w1 = System.nanoTime();
      ExecutorService pool2 = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
      List<ColumnProfile> cur = profile(wide, pool2);
      List<ColumnProfile> ref = profile(wideBase, pool2);
      long w2 = System.nanoTime();
      int drifted = 0;
      for (int c = 0; c < 1000; c++) {
        Ecdf re = ref.get(c).ecdf();
        Ecdf ce = cur.get(c).ecdf();
        Stats.ks(re, ce);
        Stats.psi(re, ce, 10);
        if (Stats.wassersteinNormalized(Stats.wasserstein(re, ce), re) >= 0.1) {
          drifted++;
        }
      }
      long w3 = System.nanoTime();
      pool2.shutdown();
      System.out.printf("%nwide: 1,000 columns x 100k rows (+ a 100k-row baseline): generate %.2f s, profile both %.2f s,"
          + " drift 1,000 columns %.2f s, drifted %d (shift 0.05 sd, threshold 0.1); peak heap %.0f MB (data %.0f MB)%n",
          (w1 - w0) / 1e9, (w2 - w1) / 1e9, (w3 - w2) / 1e9, drifted, peakHeapMb(), 2 * 100_000 * 1000 * 8 / 1e6);
    }
  }

  static void row(String what, double sdk, double duck) {
    System.out.printf("| %s | %.2f | %.2f | %.2fx |%n", what, sdk, duck, sdk / duck);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  static String duckQuery(String from, int cols) {
    StringBuilder sb = new StringBuilder("SELECT ");
    for (int c = 0; c < cols; c++) {
      String x = "x" + c;
      if (c > 0) {
        sb.append(", ");
      }
      sb.append("count(").append(x).append("), count(*) - count(").append(x).append("), avg(").append(x)
          .append("), stddev_samp(").append(x).append("), min(").append(x).append("), max(").append(x)
          .append("), quantile_cont(").append(x).append(", [0.05, 0.25, 0.5, 0.75, 0.95])");
    }
    return sb.append(" FROM ").append(from).toString();
  }

  static void duck(Connection c, String q) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
      rs.next();
      rs.getObject(1);
    }
  }

  static List<ColumnProfile> profile(Frame f, ExecutorService pool) throws Exception {
    List<Future<ColumnProfile>> fs = new ArrayList<>();
    for (Column c : f.columns()) {
      fs.add(pool.submit(() -> {
        ColumnProfile p = new ColumnProfile(c.name(), c.type());
        p.add(c, null, 0);
        p.quantiles(LEVELS);
        p.stddev();
        return p;
      }));
    }
    List<ColumnProfile> out = new ArrayList<>();
    for (Future<ColumnProfile> x : fs) {
      out.add(x.get());
    }
    return out;
  }

  static Frame doubles(int rows, int cols, long seed, double shift) {
    List<Column> cs = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(seed);
    for (int c = 0; c < cols; c++) {
      double[] v = new double[rows];
      for (int i = 0; i < rows; i++) {
        v[i] = gauss(r) + shift;
      }
      cs.add(Column.ofDoubles("x" + c, v));
    }
    return Frame.of(cs);
  }

  static double gauss(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  static double peakHeapMb() {
    long s = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        s += p.getPeakUsage().getUsed();
      }
    }
    return s / 1e6;
  }
}
