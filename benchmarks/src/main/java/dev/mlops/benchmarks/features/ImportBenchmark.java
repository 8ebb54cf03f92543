package dev.mlops.benchmarks.features;

import dev.mlops.benchmarks.Bench;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameSource;
import dev.mlops.core.FrameStream;
import dev.mlops.core.ParquetSource;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.WriteMode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Getting data in, beside DuckDB in the same JVM and run:
 * <ol>
 *   <li>Create a time-series feature table (entity_id + ts keys, 10 double features) from frames
 *       already in memory, one commit ({@code fs.createTable(..).createFrom(source)}), against DuckDB
 *       writing the same rows (already in a DuckDB table) to a ZSTD Parquet file with {@code COPY}.</li>
 *   <li>Import that Parquet file into a new feature table ({@code createFrom(ParquetSource.of(file))})
 *       against DuckDB's {@code CREATE TABLE AS SELECT * FROM read_parquet(..)} followed by
 *       {@code COPY .. TO} ZSTD Parquet.</li>
 *   <li>MERGE of a batch (half existing keys, half new) into the table.</li>
 * </ol>
 *
 * <pre>
 * java -Xmx3g -cp ... dev.mlops.benchmarks.features.ImportBenchmark -Dimp.rows=10000000
 *   -Dimp.entities=100000 -Dimp.mergeRows=1000000 -Dimp.reps=1
 * </pre>
 * Peak heap is the sum of the heap pools' peak usage (reset before each measured step).
 *
 * <p>{@code -Dimp.only=create|import|merge} runs one step alone, to show its heap bound with
 * {@code -Xmx}: {@code create} holds the input frames (about 0.96 GB at 10M rows) and runs at
 * {@code -Xmx2g}; {@code import} holds no frames (the rows reach DuckDB chunk by chunk, DuckDB writes
 * the file, untimed) and runs at {@code -Xmx1g}; {@code merge} creates the table untimed first.
 * With {@code -Dimp.only=import -Dimp.file=/some/dir/duck.parquet} the import reads that file, made
 * there (untimed) only when it does not exist yet and kept after the run, so repeated runs skip
 * making it.
 */
public final class ImportBenchmark {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    String quiet = "org.slf4j.simpleLogger.log.io.delta.kernel.internal.snapshot.SnapshotManager";
    System.setProperty(quiet, System.getProperty(quiet, "error"));
    int rows = Bench.intProp("imp.rows", 10_000_000);
    int entities = Bench.intProp("imp.entities", 100_000);
    int mergeRows = Bench.intProp("imp.mergeRows", 1_000_000);
    int reps = Bench.intProp("imp.reps", 1);
    String only = System.getProperty("imp.only", "all");
    if (!List.of("all", "create", "import", "merge").contains(only)) {
      throw new IllegalArgumentException("-Dimp.only=" + only + ": use all, create, import or merge");
    }
    boolean doCreate = only.equals("all") || only.equals("create");
    boolean doImport = only.equals("all") || only.equals("import");
    boolean doMerge = only.equals("all") || only.equals("merge");
    // the import alone holds no frames: the rows go to DuckDB chunk by chunk and the file is DuckDB's
    boolean framesInJvm = doCreate || doMerge;
    // -Dimp.file=<path>: the import reads this file, written there (by DuckDB, untimed) only when missing and
    // kept after the run, so repeated import-only runs skip making it
    String keptFile = System.getProperty("imp.file");
    boolean reuseFile = keptFile != null && only.equals("import") && Files.exists(Path.of(keptFile));
    int slots = rows / entities;
    int slotsPerChunk = Math.max(1, 1_000_000 / entities);
    Bench.progress("Import benchmark (%s): %,d rows, %,d entities, merge %,d; max heap %.2f GiB, %d cores", only,
        rows, entities, mergeRows, Runtime.getRuntime().maxMemory() / (double) (1L << 30),
        Runtime.getRuntime().availableProcessors());
    Path dir = Bench.tempDir("import-bench-");
    Bench.Table t = new Bench.Table("Getting data in (" + Bench.fmt("%,d", rows) + " rows, "
        + Bench.fmt("%,d", entities) + " entities, 12 columns)", "step", "SDK", "DuckDB", "SDK / DuckDB",
        "SDK peak heap", "load avg (1 min) before / after");
    try (Workspace ws = Workspace.open(dir.resolve("ws"));
        Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      FeatureStore fs = FeatureStore.of(ws);
      List<Frame> chunks = new ArrayList<>();
      if (framesInJvm && !reuseFile) {
        for (int s = 0; s < slots; s += slotsPerChunk) {
          chunks.add(FeatureStoreBenchmark.featureChunk(entities, s, Math.min(slots, s + slotsPerChunk), 7 + s));
        }
      }
      Schema schema = FeatureStoreBenchmark.featureChunk(1, 0, 1, 7).schema();
      FrameSource inMemory = new FrameSource() {
        @Override
        public Schema schema() {
          return schema;
        }

        @Override
        public String describe() {
          return "in-memory frames";
        }

        @Override
        public FrameStream open() {
          Iterator<Frame> it = chunks.iterator();
          return new FrameStream() {
            @Override
            public Schema schema() {
              return schema;
            }

            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Frame next() {
              if (!it.hasNext()) {
                throw new NoSuchElementException();
              }
              return it.next();
            }

            @Override
            public void close() {}
          };
        }
      };
      // DuckDB gets the same rows into an in-memory table (not timed)
      if (!reuseFile) {
        exec(duck, "CREATE TABLE f (entity_id BIGINT, ts TIMESTAMP, f0 DOUBLE, f1 DOUBLE, f2 DOUBLE, f3 DOUBLE,"
            + " f4 DOUBLE, f5 DOUBLE, f6 DOUBLE, f7 DOUBLE, f8 DOUBLE, f9 DOUBLE)");
        try (DuckDBAppender a = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "f")) {
          Iterator<Frame> source = framesInJvm ? chunks.iterator() : new Iterator<>() {
            private int s = 0;

            @Override
            public boolean hasNext() {
              return s < slots;
            }

            @Override
            public Frame next() {
              Frame c = FeatureStoreBenchmark.featureChunk(entities, s, Math.min(slots, s + slotsPerChunk), 7 + s);
              s += slotsPerChunk;
              return c;
            }
          };
          while (source.hasNext()) {
            Frame c = source.next();
            long[] id = COLUMNS.longs(c.column("entity_id"));
            long[] ts = COLUMNS.longs(c.column("ts"));
            double[][] f = new double[10][];
            for (int k = 0; k < 10; k++) {
              f[k] = COLUMNS.doubles(c.column("f" + k));
            }
            for (int i = 0; i < c.rowCount(); i++) {
              a.beginRow();
              a.append(id[i]);
              a.appendEpochMicros(ts[i]);
              for (int k = 0; k < 10; k++) {
                a.append(f[k][i]);
              }
              a.endRow();
            }
          }
        }

        // UTC timestamps (TIMESTAMPTZ) in the file, as the feature table's timestamp key needs (a local
        // TIMESTAMP would import as TIMESTAMP_NTZ, which a timestamp key refuses); not timed
        exec(duck, "SET TimeZone = 'UTC'");
        exec(duck, "ALTER TABLE f ALTER COLUMN ts SET DATA TYPE TIMESTAMPTZ");
      } else {
        exec(duck, "SET TimeZone = 'UTC'");
      }

      // 1. create from in-memory frames vs DuckDB COPY to ZSTD Parquet
      double sdkCreate = Double.MAX_VALUE;
      double duckCopy = Double.MAX_VALUE;
      long heapCreate = 0;
      Path duckFile = keptFile != null && only.equals("import") ? Path.of(keptFile) : dir.resolve("duck.parquet");
      String loadCreate = loadAverage();
      if (!doCreate && !reuseFile) {
        // the file the import reads and the table the MERGE writes to, made untimed
        exec(duck, "COPY f TO '" + duckFile + "' (FORMAT parquet, COMPRESSION zstd)");
        if (doMerge) {
          fs.createTable("main.bench.created_0").primaryKeys("entity_id").timestampKey("ts").createFrom(inMemory);
        }
      }
      for (int r = 0; doCreate && r < reps; r++) {
        String name = "main.bench.created_" + r;
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        fs.createTable(name).primaryKeys("entity_id").timestampKey("ts").createFrom(inMemory);
        sdkCreate = Math.min(sdkCreate, (System.nanoTime() - t0) / 1e9);
        heapCreate = Math.max(heapCreate, peakHeap());
        check(fs.getTable(name).version() == 1, "one commit");
        if (r > 0) {
          fs.dropTable(name);
        }
        Files.deleteIfExists(duckFile);
        t0 = System.nanoTime();
        exec(duck, "COPY f TO '" + duckFile + "' (FORMAT parquet, COMPRESSION zstd)");
        duckCopy = Math.min(duckCopy, (System.nanoTime() - t0) / 1e9);
      }
      if (doCreate) {
        t.row("create feature table from in-memory frames vs DuckDB COPY table TO ZSTD Parquet",
            Bench.fmt("%.2f s", sdkCreate), Bench.fmt("%.2f s", duckCopy), Bench.fmt("%.2f", sdkCreate / duckCopy),
            gib(heapCreate), loadCreate + " / " + loadAverage());
        Bench.progress("create: SDK %.2f s, DuckDB %.2f s (load %s)", sdkCreate, duckCopy, loadAverage());
      }

      // 2. import the Parquet file DuckDB wrote
      double sdkImport = Double.MAX_VALUE;
      double duckImport = Double.MAX_VALUE;
      long heapImport = 0;
      chunks.clear(); // the import must not lean on frames in memory
      String loadImport = loadAverage();
      for (int r = 0; doImport && r < reps; r++) {
        String name = "main.bench.imported_" + r;
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        fs.createTable(name).primaryKeys("entity_id").timestampKey("ts").createFrom(ParquetSource.of(duckFile));
        sdkImport = Math.min(sdkImport, (System.nanoTime() - t0) / 1e9);
        heapImport = Math.max(heapImport, peakHeap());
        if (r > 0) {
          fs.dropTable(name);
        }
        Path out = dir.resolve("duck2.parquet");
        Files.deleteIfExists(out);
        exec(duck, "DROP TABLE IF EXISTS g");
        t0 = System.nanoTime();
        exec(duck, "CREATE TABLE g AS SELECT * FROM read_parquet('" + duckFile + "')");
        exec(duck, "COPY g TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
        duckImport = Math.min(duckImport, (System.nanoTime() - t0) / 1e9);
      }
      if (doImport) {
        t.row(Bench.fmt("import the %.0f MB ZSTD Parquet file into a feature table vs DuckDB CTAS read_parquet +"
                + " COPY TO ZSTD", Files.size(duckFile) / 1e6), Bench.fmt("%.2f s", sdkImport),
            Bench.fmt("%.2f s", duckImport), Bench.fmt("%.2f", sdkImport / duckImport), gib(heapImport),
            loadImport + " / " + loadAverage());
        Bench.progress("import: SDK %.2f s, DuckDB %.2f s (load %s)", sdkImport, duckImport, loadAverage());
      }

      if (doMerge) {
        // 3. MERGE: half the keys exist (slot 0 of the first entities), half are new (a later slot)
        Frame upd = FeatureStoreBenchmark.featureChunk(entities, 0, Math.max(1, mergeRows / 2 / entities), 99);
        Frame ins = FeatureStoreBenchmark.featureChunk(entities, slots + 1,
            slots + 1 + Math.max(1, mergeRows / 2 / entities), 98);
        Frame batch = Frame.concat(List.of(upd, ins));
        System.gc();
        resetPeaks();
        String loadMerge = loadAverage();
        long t0 = System.nanoTime();
        var res = fs.write("main.bench.created_0", batch, WriteMode.MERGE);
        double merge = (System.nanoTime() - t0) / 1e9;
        t.row(Bench.fmt("MERGE %,d rows (%,d updated, %,d inserted) into the table", batch.rowCount(),
            res.rowsUpdated(), res.rowsInserted()), Bench.fmt("%.2f s", merge), "-", "-", gib(peakHeap()),
            loadMerge + " / " + loadAverage());
        Bench.progress("merge: SDK %.2f s", merge);
        check(res.rowsUpdated() == upd.rowCount(), "updated rows " + res.rowsUpdated());
      }
    } finally {
      Bench.deleteTree(dir);
    }
    t.note("Times are the best of " + reps + " run(s), SDK and DuckDB alternating; DuckDB in-process (JDBC,"
        + " in-memory database, default threads). Load average from /proc/loadavg. Steps run: " + only
        + Bench.fmt("; max heap %.2f GiB.", Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
    t.print();
  }

  private static void exec(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The 1-minute load average, or "?" where the OS does not say. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return l < 0 ? "?" : Bench.fmt("%.2f", l);
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static String gib(long bytes) {
    return Bench.fmt("%.2f GiB", bytes / (double) (1L << 30));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
