package dev.mlops.storage;

import dev.mlops.core.Column;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Throughput of one table's writes and reads per storage, in one run: local disk, HDFS (Hadoop's
 * MiniDFSCluster in this JVM) and S3 (S3Proxy's filesystem backend in a process of its own, through
 * S3A). Not a test (not run by the build); run it with (after a build of the storage-tests module):
 *
 * <pre>
 * mvn -B -o -Pstorage -pl storage-tests -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dinvoker.skip=true
 * java -Xmx3g -cp storage-tests/target/test-classes:$(cat storage-tests/target/cp.txt) \
 *   -Ds3proxy.jar=storage-tests/target/s3proxy/s3proxy.jar dev.mlops.storage.StorageThroughput [rows] [rounds]
 * </pre>
 *
 * <p>Steps per storage: create and append {@code rows} rows x 10 columns (one commit), full read,
 * MERGE (upsert by id) of 10% of the rows (half of them existing ids, half new), time-travel read of
 * the version before the MERGE. MB/s is the table's Parquet bytes (of the version read, or written by
 * the step) per second. After a warm-up pass on 20,000 rows (not recorded), storages alternate round by
 * round; the median of the rounds is printed.
 */
public final class StorageThroughput {
  private StorageThroughput() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Frame data = frame(rows, 0, 1);
    Frame merge = frame(rows / 10, rows - rows / 20, 2); // ids from 95% of the table up: half exist, half new

    Path work = Files.createDirectories(Path.of("target", "throughput-" + ProcessHandle.current().pid()))
        .toAbsolutePath();
    File dfsBase = work.resolve("minidfs").toFile();
    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dfsBase.getPath());
    dfsConf.set("dfs.replication", "1");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(dfsConf, dfsBase).numDataNodes(1).build();
    S3Server s3 = S3Server.start();
    try {
      dfs.waitActive();
      // Warm-up (not recorded): class loading, JIT, each store's first connection and S3's probe.
      Frame small = frame(20_000, 0, 3);
      Frame smallMerge = frame(2_000, 19_000, 4);
      run(Files.createDirectories(work.resolve("warm")).toUri(), Map.of(), small, smallMerge);
      run(URI.create(dfs.getURI() + "/bench/warm/"), Map.of("dfs.replication", "1"), small, smallMerge);
      run(s3.uri("bench/warm"), s3.conf(), small, smallMerge);
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (String storage : List.of("local", "hdfs", "s3")) {
          URI root;
          Map<String, String> conf;
          switch (storage) {
            case "local" -> {
              root = Files.createDirectories(work.resolve("local-" + round)).toUri();
              conf = Map.of();
            }
            case "hdfs" -> {
              root = URI.create(dfs.getURI() + "/bench/r" + round + "/");
              conf = Map.of("dfs.replication", "1");
            }
            default -> {
              root = s3.uri("bench/r" + round);
              conf = s3.conf();
            }
          }
          double[] r = run(root, conf, data, merge);
          results.computeIfAbsent(storage, k -> new ArrayList<>()).add(r);
          System.out.printf(Locale.ROOT, "round %d %-5s %s%n", round, storage, line(r));
        }
      }
      System.out.printf(Locale.ROOT, "%nrows=%d x 10 columns, merge=%d rows, rounds=%d, load average at end %s%n",
          rows, rows / 10, rounds, Files.readString(Path.of("/proc/loadavg")).trim());
      System.out.println("storage  append s (MB/s)   full read s (MB/s)   merge s (MB/s)   time travel s (MB/s)  [medians]");
      for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
        double[] med = new double[8];
        for (int i = 0; i < 8; i++) {
          int k = i;
          med[i] = e.getValue().stream().mapToDouble(a -> a[k]).sorted().toArray()[e.getValue().size() / 2];
        }
        System.out.printf(Locale.ROOT, "%-7s  %s%n", e.getKey(), line(med));
      }
    } finally {
      s3.close();
      dfs.shutdown(true);
    }
    System.exit(0); // Hadoop's clients leave non-daemon threads behind
  }

  private static String line(double[] r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length; i += 2) {
      b.append(String.format(Locale.ROOT, "%7.2f (%6.1f)      ", r[i], r[i + 1]));
    }
    return b.toString();
  }

  /** Seconds and MB/s of append, full read, merge, time travel. */
  private static double[] run(URI root, Map<String, String> conf, Frame data, Frame merge) {
    double[] out = new double[8];
    try (Workspace ws = Workspace.open(root, conf)) {
      long t = System.nanoTime();
      DeltaTable table = ws.tables().create("main.bench.t").schema(data.schema()).create();
      table.append(data);
      out[0] = secs(t);
      FileStore files = FileStores.of(ws);
      String dir = "tables/main/bench/t";
      long bytes1 = parquetBytes(files, dir);
      out[1] = mb(bytes1) / out[0];

      t = System.nanoTime();
      Frame all = table.read().load();
      out[2] = secs(t);
      out[3] = mb(bytes1) / out[2];
      check(all.rowCount() == data.rowCount(), "full read rows " + all.rowCount());

      t = System.nanoTime();
      table.upsert(merge, "id");
      out[4] = secs(t);
      out[5] = mb(parquetBytes(files, dir) - bytes1) / out[4];

      t = System.nanoTime();
      Frame before = table.read().version(1).load();
      out[6] = secs(t);
      out[7] = mb(bytes1) / out[6];
      check(before.rowCount() == data.rowCount(), "time travel rows " + before.rowCount());
      check(table.read().load().rowCount() == data.rowCount() + merge.rowCount() / 2, "rows after merge");
    }
    return out;
  }

  private static long parquetBytes(FileStore files, String dir) {
    return files.files(dir).stream().filter(e -> e.path().endsWith(".parquet")).mapToLong(FileStore.Entry::size).sum();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("wrong result: " + what);
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double mb(long bytes) {
    return bytes / 1e6;
  }

  /** n rows x 10 columns: id, 2 longs, 4 doubles, 2 strings, a timestamp. */
  static Frame frame(int n, long firstId, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] id = new long[n];
    long[] a = new long[n];
    long[] b = new long[n];
    double[][] d = new double[4][n];
    String[] city = new String[n];
    String[] tag = new String[n];
    long[] ts = new long[n];
    String[] cities = {"Oslo", "Lima", "Pune", "Kyiv", "Faro", "Nice", "Bonn", "Cork"};
    for (int i = 0; i < n; i++) {
      id[i] = firstId + i;
      a[i] = rnd.nextLong(1_000_000);
      b[i] = rnd.nextInt(100);
      for (double[] col : d) {
        col[i] = rnd.nextDouble() * 1000;
      }
      city[i] = cities[rnd.nextInt(cities.length)];
      tag[i] = "t" + rnd.nextInt(10_000);
      ts[i] = 1_767_225_600_000_000L + rnd.nextLong(86_400_000_000L * 365);
    }
    return Frame.of(Column.ofLongs("id", id), Column.ofLongs("a", a), Column.ofLongs("b", b),
        Column.ofDoubles("d0", d[0]), Column.ofDoubles("d1", d[1]), Column.ofDoubles("d2", d[2]),
        Column.ofDoubles("d3", d[3]), Column.ofStrings("city", city), Column.ofStrings("tag", tag),
        Column.ofTimestamps("ts", ts));
  }
}
