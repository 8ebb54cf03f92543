package dev.mlops.benchmarks.delta;

import dev.mlops.benchmarks.Bench;
import dev.mlops.benchmarks.Bench.Samples;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Delta table throughput and latency of the SDK (issue 2), next to raw Parquet (parquet-hadoop) and
 * DuckDB on the same rows:
 *
 * <ol>
 *   <li>append 1M rows x 10 columns into a new table (rows/s);
 *   <li>full read of that table (rows/s);
 *   <li>selective reads of a 10-file table (file skipping: files Kernel's scan returns vs total);
 *   <li>upsert 100k keys (half existing, half new) into a 1M-row table;
 *   <li>1,000 one-row commits (p50/p99 ms, checkpoints in _delta_log), then open + read the table.
 * </ol>
 *
 * <p>Each measurement has untimed warm-up runs and several timed repetitions; the table reports the
 * median and the min. Everything is written under a temp directory that is deleted at the end.
 * System properties scale it for a smoke run: {@code bench.rows} (1000000), {@code bench.warmup}
 * (2), {@code bench.reps} (5), {@code bench.commits} (1000), {@code bench.commitReps} (3),
 * {@code bench.peers} (true), {@code bench.keep} (false: keep the temp directory).
 */
public final class DeltaTableBenchmark {
  private static final String TARGET_APPEND = ">= 1M rows/s";
  private static final String TARGET_READ = ">= 3M rows/s";
  private static final String TARGET_UPSERT = "<= 2 s";
  private static final String TARGET_COMMIT = "p50 <= 15 ms";

  private final int rows;
  private final int warmup;
  private final int reps;
  private final int commits;
  private final int commitReps;
  private final boolean peers;
  private final Path root;
  private final Bench.Table results;
  private final Bench.Table details;

  private DeltaTableBenchmark(Path root) {
    this.rows = Bench.intProp("bench.rows", 1_000_000);
    this.warmup = Bench.intProp("bench.warmup", 2);
    this.reps = Bench.intProp("bench.reps", 5);
    this.commits = Bench.intProp("bench.commits", 1000);
    this.commitReps = Bench.intProp("bench.commitReps", 3);
    this.peers = Bench.boolProp("bench.peers", true);
    this.root = root;
    this.results = new Bench.Table(Bench.fmt("Delta tables: %,d rows x 10 columns, %d warm-up + %d timed runs each",
        rows, warmup, reps),
        "measurement", "SDK median (min)", "SDK rate", "SDK thread CPU", "peer", "peer median (min)",
        "peer thread CPU", "SDK / peer time", "target", "met");
    this.details = new Bench.Table("Delta tables: details", "what", "value");
  }

  public static void main(String[] args) throws Exception {
    Path root = Bench.tempDir("mlops-bench-delta-");
    try {
      new DeltaTableBenchmark(root).run();
    } finally {
      if (!Bench.boolProp("bench.keep", false)) {
        Bench.deleteTree(root);
      } else {
        Bench.progress("kept %s", root);
      }
    }
  }

  private void run() throws Exception {
    Bench.progress("DeltaTableBenchmark: %,d rows, warm-up %d, reps %d, commits %d x %d, peers %s, dir %s",
        rows, warmup, reps, commits, commitReps, peers, root);
    BenchRows data = BenchRows.sequential(0, rows, 42);
    Frame all = data.frame();
    int files = 10;
    int per = rows / files;
    List<Frame> slices = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      slices.add(data.frame(i * per, i == files - 1 ? rows : (i + 1) * per));
    }

    try (Workspace ws = Workspace.open(root.resolve("ws"))) {
      DeltaTable single = appendAndRead(ws, data, all);
      DeltaTable tenFiles = filteredReads(ws, slices);
      upserts(ws, slices, tenFiles);
      smallCommits(ws);
      details.row("SDK data files, 1 append", Bench.fmt("%d file(s), %.1f MB", parquetFiles(single).size(),
          Bench.sizeOf(Path.of(java.net.URI.create(single.location())), ".parquet") / 1e6));
    }
    results.print();
    details.print();
    if (!checkpointProblems.isEmpty()) {
      throw new IllegalStateException("Checkpoints missing after " + commits + " commits: " + checkpointProblems);
    }
  }

  // ------------------------------------------------------------------ 1 + 2: append, full read

  private DeltaTable appendAndRead(Workspace ws, BenchRows data, Frame all) throws Exception {
    String name = "main.bench.append";
    DeltaTable[] t = new DeltaTable[1];
    Samples append = Bench.measure("SDK append", warmup, reps, i -> {
      ws.tables().drop(name);
      System.gc();
      t[0] = ws.tables().create(name).schema(BenchRows.SCHEMA).create();
    }, () -> {
      CommitResult r = t[0].append(all);
      check(r.rowsInserted() == rows, "append inserted " + r.rowsInserted());
    });
    DeltaTable table = t[0];
    Samples read = Bench.measure("SDK full read", warmup, reps, i -> System.gc(), () -> {
      Frame f = table.read().load();
      check(f.rowCount() == rows, "read " + f.rowCount());
    });

    Samples pqWrite = null;
    Samples pqRead = null;
    Samples duckCopy = null;
    Samples duckLoadCopy = null;
    Samples duckRead = null;
    Samples duckScan = null;
    String duckVersion = "";
    if (peers) {
      Path peerDir = Files.createDirectories(root.resolve("peer"));
      Path pq = peerDir.resolve("parquet-hadoop.parquet");
      pqWrite = Bench.measure("parquet-hadoop write", warmup, reps, i -> System.gc(), () -> ParquetPeer.write(data, pq));
      pqRead = Bench.measure("parquet-hadoop read", warmup, reps, i -> System.gc(), () -> {
        ParquetPeer.Result r = ParquetPeer.read(pq);
        check(r.n == rows, "parquet read " + r.n);
      });
      details.row("parquet-hadoop file", Bench.fmt("%.1f MB", Files.size(pq) / 1e6));
      try (DuckDbPeer duck = new DuckDbPeer()) {
        duckVersion = duck.version() + ", threads=" + duck.threads();
        Path dq = peerDir.resolve("duckdb.parquet");
        duck.load("rows", data);
        duckCopy = Bench.measure("DuckDB COPY (table in DuckDB)", warmup, reps, i -> System.gc(),
            () -> duck.copyTo("rows", dq));
        details.row("DuckDB file", Bench.fmt("%.1f MB", Files.size(dq) / 1e6));
        duckLoadCopy = Bench.measure("DuckDB appender + COPY", warmup, reps, i -> System.gc(), () -> {
          duck.load("rows2", data);
          duck.copyTo("rows2", dq);
        });
        duck.exec("DROP TABLE rows");
        duck.exec("DROP TABLE rows2");
        String glob = dataGlob(table);
        String select = selectList(duck.columns(glob));
        duckRead = Bench.measure("DuckDB read_parquet -> Java", warmup, reps, i -> System.gc(), () -> {
          int n = duck.readIntoArrays("SELECT " + select + " FROM read_parquet(" + DuckDbPeer.quote(glob) + ")", rows);
          check(n == rows, "duckdb read " + n);
        });
        List<String> c = duck.columns(glob);
        String agg = "SELECT count(*), sum(" + q(c.get(0)) + "), sum(" + q(c.get(1)) + "), sum(" + q(c.get(2))
            + "), sum(" + q(c.get(3)) + "), sum(" + q(c.get(4)) + "), sum(" + q(c.get(5)) + "), sum(" + q(c.get(6))
            + "), sum(" + q(c.get(7)) + "), sum(length(" + q(c.get(8)) + ")), max(" + q(c.get(9)) + ")"
            + " FROM read_parquet(" + DuckDbPeer.quote(glob) + ")";
        duckScan = Bench.measure("DuckDB scan (aggregate, in DuckDB)", warmup, reps, i -> System.gc(), () -> {
          long n = duck.count(agg);
          check(n == rows, "duckdb scan " + n);
        });
      }
    }

    addRow(Bench.fmt("1. append %,d rows into a new table", rows), append, rows, TARGET_APPEND,
        rows / append.median() >= 1e6,
        peer("parquet-hadoop ParquetWriter, ZSTD, 1 file", pqWrite),
        peer("DuckDB appender + COPY (FORMAT PARQUET, ZSTD)", duckLoadCopy),
        peer("DuckDB COPY only (rows already in DuckDB)", duckCopy));
    addRow(Bench.fmt("2. full read (%,d rows, 1 file)", rows), read, rows, TARGET_READ,
        rows / read.median() >= 3e6,
        peer("parquet-hadoop ParquetReader into arrays", pqRead),
        peer("DuckDB read_parquet, rows into Java via JDBC", duckRead),
        peer("DuckDB read_parquet, aggregate in DuckDB (no transfer)", duckScan));
    if (peers) {
      details.row("DuckDB", duckVersion);
    }
    return table;
  }

  // ------------------------------------------------------------------ 3: file skipping

  private DeltaTable filteredReads(Workspace ws, List<Frame> slices) throws Exception {
    String name = "main.bench.files10";
    DeltaTable t = ws.tables().create(name).schema(BenchRows.SCHEMA).create();
    for (Frame f : slices) {
      t.append(f);
    }
    int per = slices.get(0).rowCount();
    List<Path> dataFiles = parquetFiles(t);
    long kValue = 5;
    long idValue = 5L * BenchRows.KEY_RANGE + 12_345; // one row, in the file of k = 5
    if (rows < 10 * BenchRows.KEY_RANGE) {
      throw new IllegalArgumentException("bench.rows must be at least 1000000 (10 files of k values)");
    }
    Samples full = Bench.measure("SDK full read, 10 files", warmup, reps, i -> System.gc(), () -> {
      check(t.read().load().rowCount() == rows, "full read");
    });
    Samples byK = Bench.measure("SDK read k = 5", warmup, reps, i -> System.gc(), () -> {
      Frame f = t.read().filter(Filter.eq("k", kValue)).load();
      check(f.rowCount() == per, "k=5 read " + f.rowCount());
    });
    Samples byId = Bench.measure("SDK read id = x", warmup, reps, i -> System.gc(), () -> {
      Frame f = t.read().filter(Filter.eq("id", idValue)).load();
      check(f.rowCount() == 1, "id read " + f.rowCount());
    });
    int scanK = kernelScanFiles(t, new Predicate("=", new io.delta.kernel.expressions.Column("k"), Literal.ofLong(kValue)));
    int scanId = kernelScanFiles(t, new Predicate("=", new io.delta.kernel.expressions.Column("id"),
        Literal.ofLong(idValue)));
    int scanAll = kernelScanFiles(t, null);

    Samples duckK = null;
    Samples duckId = null;
    if (peers) {
      try (DuckDbPeer duck = new DuckDbPeer()) {
        String glob = dataGlob(t);
        List<String> c = duck.columns(glob);
        String base = "SELECT " + selectList(c) + " FROM read_parquet(" + DuckDbPeer.quote(glob) + ")";
        duckK = Bench.measure("DuckDB read k = 5 -> Java", warmup, reps, i -> System.gc(), () -> {
          check(duck.readIntoArrays(base + " WHERE " + q(c.get(1)) + " = " + kValue, per) == per, "duck k");
        });
        duckId = Bench.measure("DuckDB read id = x -> Java", warmup, reps, i -> System.gc(), () -> {
          check(duck.readIntoArrays(base + " WHERE " + q(c.get(0)) + " = " + idValue, 1) == 1, "duck id");
        });
      }
    }
    addRow(Bench.fmt("3a. full read, 10 files of %,d rows", per), full, rows, TARGET_READ + " (same as 2)",
        rows / full.median() >= 3e6);
    addRow(Bench.fmt("3b. read k = 5 (%,d rows; files opened: %d of %d)", per, scanK, dataFiles.size()), byK, per,
        "-", null, peer("DuckDB read_parquet WHERE k = 5, into Java", duckK));
    addRow(Bench.fmt("3c. read id = %d (1 row; files opened: %d of %d)", idValue, scanId, dataFiles.size()), byId,
        1, "-", null, peer("DuckDB read_parquet WHERE id = x, into Java", duckId));
    details.row("10-file table", Bench.fmt("%d data files; Kernel scan returns %d unfiltered, %d for k = 5, %d for"
        + " id = %d (the SDK opens exactly the files the scan returns)", dataFiles.size(), scanAll, scanK, scanId,
        idValue));
    return t;
  }

  /** Number of scan files Delta Kernel returns for the predicate (what the SDK then opens). */
  private static int kernelScanFiles(DeltaTable t, Predicate p) throws IOException {
    Engine engine = localEngine();
    Snapshot s = TableManager.loadSnapshot(t.location()).build(engine);
    var sb = s.getScanBuilder();
    if (p != null) {
      sb = sb.withFilter(p);
    }
    int n = 0;
    try (CloseableIterator<FilteredColumnarBatch> it = sb.build().getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> r = it.next().getRows()) {
          while (r.hasNext()) {
            r.next();
            n++;
          }
        }
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ 4: upsert

  private void upserts(Workspace ws, List<Frame> slices, DeltaTable pristine) throws Exception {
    int size = rows / 10;
    int half = size / 2;
    // clustered: the existing half are the last ids (all in the last file), the new half follow them
    long[] clustered = new long[size];
    for (int i = 0; i < half; i++) {
      clustered[i] = rows - half + i;
    }
    // spread: one existing id in every (rows / half) ids, so every data file holds some
    long[] spread = new long[size];
    SplittableRandom r = new SplittableRandom(7);
    int stride = rows / half;
    for (int i = 0; i < half; i++) {
      spread[i] = (long) i * stride + r.nextInt(stride);
    }
    for (int i = half; i < size; i++) {
      clustered[i] = rows + (i - half);
      spread[i] = rows + (i - half);
    }
    BenchRows spreadRows = new BenchRows(spread, 99);
    Frame clusteredFrame = new BenchRows(clustered, 98).frame();
    Frame spreadFrame = spreadRows.frame();

    String name = "main.bench.upsert";
    DeltaTable[] t = new DeltaTable[1];
    CommitResult[] last = new CommitResult[1];
    Bench.Setup fresh = i -> {
      ws.tables().drop(name);
      t[0] = ws.tables().create(name).schema(BenchRows.SCHEMA).create();
      for (Frame f : slices) {
        t[0].append(f);
      }
      System.gc();
    };
    Samples upClustered = Bench.measure("SDK upsert (keys in 1 file)", warmup, reps, fresh, () -> {
      last[0] = t[0].upsert(clusteredFrame, "id");
      check(last[0].rowsUpdated() == half && last[0].rowsInserted() == size - half, "upsert " + last[0]);
    });
    CommitResult rc = last[0];
    Samples upSpread = Bench.measure("SDK upsert (keys in all files)", warmup, reps, fresh, () -> {
      last[0] = t[0].upsert(spreadFrame, "id");
      check(last[0].rowsUpdated() == half && last[0].rowsInserted() == size - half, "upsert " + last[0]);
    });
    CommitResult rs = last[0];
    check(t[0].read().columns("id").load().rowCount() == rows + size - half, "rows after upsert");

    Samples duckUpsert = null;
    if (peers) {
      try (DuckDbPeer duck = new DuckDbPeer()) {
        String glob = dataGlob(pristine);
        List<String> c = duck.columns(glob);
        Path out = root.resolve("peer").resolve("duckdb-upsert.parquet");
        String sql = "COPY (SELECT " + selectListAs(c) + " FROM read_parquet(" + DuckDbPeer.quote(glob) + ") t"
            + " ANTI JOIN upd u ON t." + q(c.get(0)) + " = u.id UNION ALL SELECT * FROM upd) TO "
            + DuckDbPeer.quote(out.toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)";
        duckUpsert = Bench.measure("DuckDB upsert (anti-join rewrite)", warmup, reps, i -> System.gc(), () -> {
          duck.load("upd", spreadRows);
          duck.exec(sql);
        });
        check(duck.count("SELECT count(*) FROM read_parquet(" + DuckDbPeer.quote(out.toString()) + ")")
            == rows + size - half, "duckdb upsert rows");
      }
    }
    addSecondsRow(Bench.fmt("4a. upsert %,d keys (%,d existing in 1 file + %,d new) into %,d rows", size, half,
        size - half, rows), upClustered, TARGET_UPSERT, upClustered.median() <= 2.0);
    addSecondsRow(Bench.fmt("4b. upsert %,d keys (%,d existing spread over all files + %,d new) into %,d rows", size,
        half, size - half, rows), upSpread, TARGET_UPSERT, upSpread.median() <= 2.0,
        peer("DuckDB: appender + COPY (read_parquet ANTI JOIN new UNION ALL new), ZSTD", duckUpsert));
    details.row("upsert 4a commit", Bench.fmt("files removed %d, added %d", rc.filesRemoved(), rc.filesAdded()));
    details.row("upsert 4b commit", Bench.fmt("files removed %d, added %d", rs.filesRemoved(), rs.filesAdded()));
    ws.tables().drop(name);
  }

  // ------------------------------------------------------------------ 5: small commits

  private final List<String> checkpointProblems = new ArrayList<>();

  private void smallCommits(Workspace ws) throws Exception {
    // warm-up: 100 commits on a separate table (includes 10 checkpoints)
    DeltaTable warm = ws.tables().create("main.bench.commits_warm").schema(BenchRows.SCHEMA).create();
    for (int i = 0; i < Math.min(100, commits); i++) {
      warm.append(BenchRows.oneRow(i, 5));
    }
    ws.tables().drop("main.bench.commits_warm");

    double[] p50s = new double[commitReps];
    double[] p99s = new double[commitReps];
    double[] maxes = new double[commitReps];
    double[] cpP50 = new double[commitReps];
    double[] plainP50 = new double[commitReps];
    double[] cpuP50s = new double[commitReps];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    String name = "main.bench.commits";
    DeltaTable t = null;
    for (int rep = 0; rep < commitReps; rep++) {
      ws.tables().drop(name);
      System.gc();
      t = ws.tables().create(name).schema(BenchRows.SCHEMA).create();
      double[] ms = new double[commits];
      double[] cpuMs = new double[commits];
      List<Double> cp = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int i = 0; i < commits; i++) {
        Frame one = BenchRows.oneRow(i, 5);
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        CommitResult r = t.append(one);
        ms[i] = (System.nanoTime() - t0) / 1e6;
        cpuMs[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        (r.version() % 10 == 0 ? cp : plain).add(ms[i]);
      }
      Samples s = new Samples(ms);
      p50s[rep] = s.percentile(50);
      p99s[rep] = s.percentile(99);
      maxes[rep] = s.max();
      cpP50[rep] = median(cp);
      plainP50[rep] = median(plain);
      cpuP50s[rep] = new Samples(cpuMs).median();
      Bench.progress("%-44s rep     %d: p50 %.2f ms, p99 %.2f ms, max %.1f ms, checkpoint commits p50 %.2f ms",
          "SDK 1-row commits x " + commits, rep + 1, p50s[rep], p99s[rep], maxes[rep], cpP50[rep]);
      Bench.progress("%-44s rep     %d: thread CPU p50 %.2f ms", "SDK 1-row commits x " + commits, rep + 1,
          cpuP50s[rep]);
    }
    Path log = Path.of(java.net.URI.create(t.location())).resolve("_delta_log");
    Set<Long> cpVersions = new HashSet<>();
    int cpFiles;
    int jsonFiles;
    try (Stream<Path> s = Files.list(log)) {
      List<String> names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
      cpFiles = 0;
      jsonFiles = 0;
      for (String n : names) {
        if (n.contains(".checkpoint") && n.endsWith(".parquet")) {
          cpFiles++;
          cpVersions.add(Long.parseLong(n.substring(0, 20)));
        } else if (n.matches("\\d{20}\\.json")) {
          jsonFiles++;
        }
      }
    }
    List<Long> missing = new ArrayList<>();
    for (long v = 10; v <= commits; v += 10) {
      if (!cpVersions.contains(v)) {
        missing.add(v);
      }
    }
    if (!missing.isEmpty()) {
      checkpointProblems.add("no checkpoint at versions " + missing);
    }
    boolean lastCp = Files.exists(log.resolve("_last_checkpoint"));

    Path wsDir = root.resolve("ws");
    Samples open = Bench.measure("open workspace + table, read all", warmup, reps, i -> System.gc(), () -> {
      try (Workspace w2 = Workspace.open(wsDir)) {
        Frame f = w2.tables().get(name).read().load();
        check(f.rowCount() == commits, "rows after commits " + f.rowCount());
      }
    });
    DeltaTable finalT = t;
    Samples version = Bench.measure("latest version (snapshot load)", warmup, reps, i -> { }, () -> {
      check(finalT.version() == commits, "version");
    });
    Samples history = Bench.measure("history()", 1, 3, i -> { }, () -> {
      check(finalT.history().size() == commits + 1, "history size");
    });

    Samples p50 = new Samples(p50s);
    Samples p99 = new Samples(p99s);
    Samples cpuP50 = new Samples(cpuP50s);
    commitRow(Bench.fmt("5. one-row append commit, p50 (%d commits x %d runs)", commits, commitReps),
        Bench.fmt("%.2f ms (%.2f)", p50.median(), p50.min()), Bench.fmt("%.2f ms", cpuP50.median()), TARGET_COMMIT,
        met(p50.median() <= 15.0, p50.median(), 15.0, "ms"));
    commitRow("5. one-row append commit, p99", Bench.fmt("%.2f ms (%.2f)", p99.median(), p99.min()), "-", "-", "-");
    commitRow("5. one-row append commit, max", Bench.fmt("%.1f ms (%.1f)", new Samples(maxes).median(),
        new Samples(maxes).min()), "-", "-", "-");
    commitRow("5. commits that write a checkpoint (every 10th), p50",
        Bench.fmt("%.2f ms (%.2f)", new Samples(cpP50).median(), new Samples(cpP50).min()), "-", "-", "-");
    commitRow("5. other commits, p50", Bench.fmt("%.2f ms (%.2f)", new Samples(plainP50).median(),
        new Samples(plainP50).min()), "-", "-", "-");
    commitRow(Bench.fmt("5. after %d commits: open workspace + table, read all rows", commits), secs(open), cpu(open),
        "-", "-");
    commitRow(Bench.fmt("5. after %d commits: latest version (snapshot load)", commits), secs(version),
        cpu(version), "-", "-");
    commitRow(Bench.fmt("5. after %d commits: history() (%d entries)", commits, commits + 1), secs(history),
        cpu(history), "-", "-");
    details.row(Bench.fmt("_delta_log after %d commits", commits), Bench.fmt("%d commit JSON files, %d checkpoint"
        + " files (expected %d: one every 10 versions), _last_checkpoint %s; missing: %s", jsonFiles, cpFiles,
        commits / 10, lastCp ? "present" : "ABSENT", missing.isEmpty() ? "none" : missing));
  }

  // ------------------------------------------------------------------ helpers

  private void commitRow(String what, String value, String cpu, String target, String met) {
    results.row(what, value, "-", cpu, "-", "-", "-", "-", target, met);
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    return a.length == 0 ? Double.NaN : new Samples(a).median();
  }

  private record Peer(String name, Samples samples) {}

  private static Peer peer(String name, Samples s) {
    return s == null ? null : new Peer(name, s);
  }

  private void addRow(String what, Samples sdk, long rowCount, String target, Boolean met, Peer... peerRows) {
    List<Peer> ps = new ArrayList<>();
    for (Peer p : peerRows) {
      if (p != null) {
        ps.add(p);
      }
    }
    String rate = Bench.perSecond(rowCount / sdk.median()) + " rows/s";
    String metText = met == null ? "-" : met ? "met" : "NOT met";
    if (met != null && !met) {
      metText = target.startsWith(">= 3M") ? missBy(rowCount / sdk.median(), 3e6)
          : target.startsWith(">= 1M") ? missBy(rowCount / sdk.median(), 1e6) : "NOT met";
    }
    if (ps.isEmpty()) {
      results.row(what, secs(sdk), rate, cpu(sdk), "-", "-", "-", "-", target, metText);
      return;
    }
    for (int i = 0; i < ps.size(); i++) {
      Peer p = ps.get(i);
      results.row(i == 0 ? what : "", i == 0 ? secs(sdk) : "", i == 0 ? rate : "", i == 0 ? cpu(sdk) : "",
          p.name(), secs(p.samples()), p.name().startsWith("DuckDB") ? "n/a (native threads)" : cpu(p.samples()),
          Bench.fmt("%.2fx", sdk.median() / p.samples().median()), i == 0 ? target : "", i == 0 ? metText : "");
    }
  }

  private static String cpu(Samples s) {
    double c = s.cpuMedian();
    return Double.isNaN(c) ? "-" : c < 0.1 ? Bench.fmt("%.1f ms", c * 1e3) : Bench.fmt("%.3f s", c);
  }

  private void addSecondsRow(String what, Samples sdk, String target, boolean met, Peer... peerRows) {
    List<Peer> ps = new ArrayList<>();
    for (Peer p : peerRows) {
      if (p != null) {
        ps.add(p);
      }
    }
    String metText = met ? "met" : met(false, sdk.median(), 2.0, "s");
    if (ps.isEmpty()) {
      results.row(what, secs(sdk), "-", cpu(sdk), "-", "-", "-", "-", target, metText);
      return;
    }
    for (int i = 0; i < ps.size(); i++) {
      Peer p = ps.get(i);
      results.row(i == 0 ? what : "", i == 0 ? secs(sdk) : "", "-", i == 0 ? cpu(sdk) : "", p.name(),
          secs(p.samples()), p.name().startsWith("DuckDB") ? "n/a (native threads)" : cpu(p.samples()),
          Bench.fmt("%.2fx", sdk.median() / p.samples().median()), i == 0 ? target : "", i == 0 ? metText : "");
    }
  }

  private static String missBy(double got, double want) {
    return Bench.fmt("NOT met (%.0f%% of target)", 100 * got / want);
  }

  private static String met(boolean ok, double got, double limit, String unit) {
    return ok ? "met" : Bench.fmt("NOT met (%.2f %s, %.1fx the limit)", got, unit, got / limit);
  }

  private static String secs(Samples s) {
    if (s.median() < 0.1) {
      return Bench.fmt("%.1f ms (%.1f)", s.median() * 1e3, s.min() * 1e3);
    }
    return Bench.fmt("%.3f s (%.3f)", s.median(), s.min());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("Benchmark check failed: " + what);
    }
  }

  private static String q(String ident) {
    return "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  /** The 10 physical columns in benchmark order, the timestamp as epoch micros. */
  private static String selectList(List<String> c) {
    check(c.size() == 10, "expected 10 columns, got " + c);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      sb.append(q(c.get(i))).append(", ");
    }
    return sb.append("epoch_us(").append(q(c.get(9))).append(")").toString();
  }

  /** The physical columns renamed to the logical names (timestamp kept as a timestamp). */
  private static String selectListAs(List<String> c) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("t.").append(q(c.get(i))).append(i == 9 ? "::TIMESTAMP" : "").append(" AS ").append(BenchRows.NAMES[i]);
    }
    return sb.toString();
  }

  /** Data files of an unpartitioned table: Parquet files at its root (checkpoints are in _delta_log/). */
  private static String dataGlob(DeltaTable t) {
    return Path.of(java.net.URI.create(t.location())).toString() + "/*.parquet";
  }

  private static List<Path> parquetFiles(DeltaTable t) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(t.location())))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).collect(Collectors.toList());
    }
  }

  /** Kernel's engine as the SDK runs it on local disk (Hadoop's FileSystem path needs Hadoop's security libraries, which the SDK leaves out). */
  private static Engine localEngine() {
    return new dev.mlops.core.internal.delta.DeltaStore(java.net.URI.create("file:/"), java.nio.file.Path.of("/"),
        java.util.Map.of()).engine();
  }
}
