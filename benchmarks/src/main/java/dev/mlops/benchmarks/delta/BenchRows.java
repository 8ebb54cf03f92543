package dev.mlops.benchmarks.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's rows, as plain arrays so that the SDK and every peer get exactly the same values.
 * 10 columns: id (LONG, unique key), k (LONG, id / 100 000: a key-range column each append of
 * 100 000 rows holds one value of, so file skipping can work), bucket (INT), f1..f5 (DOUBLE),
 * cat (STRING, 16 distinct values), ts (TIMESTAMP, microseconds).
 */
final class BenchRows {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  static final String[] NAMES = {"id", "k", "bucket", "f1", "f2", "f3", "f4", "f5", "cat", "ts"};
  static final long KEY_RANGE = 100_000;
  static final long TS_BASE = 1_767_225_600_000_000L; // 2026-01-01T00:00Z in micros
  private static final String[] CATS = new String[16];

  static {
    for (int i = 0; i < CATS.length; i++) {
      CATS[i] = String.format("segment_%02d", i);
    }
  }

  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("k", DataType.LONG), Field.of("bucket", DataType.INT),
      Field.of("f1", DataType.DOUBLE), Field.of("f2", DataType.DOUBLE), Field.of("f3", DataType.DOUBLE),
      Field.of("f4", DataType.DOUBLE), Field.of("f5", DataType.DOUBLE), Field.of("cat", DataType.STRING),
      Field.of("ts", DataType.TIMESTAMP));

  final int n;
  final long[] id;
  final long[] k;
  final int[] bucket;
  final double[][] f = new double[5][];
  final String[] cat;
  final long[] ts;

  /** Rows for ids[i] (values seeded, so reruns write identical data). */
  BenchRows(long[] ids, long seed) {
    n = ids.length;
    id = ids;
    k = new long[n];
    bucket = new int[n];
    for (int j = 0; j < 5; j++) {
      f[j] = new double[n];
    }
    cat = new String[n];
    ts = new long[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      long v = ids[i];
      k[i] = v / KEY_RANGE;
      bucket[i] = r.nextInt(1000);
      for (int j = 0; j < 5; j++) {
        f[j][i] = r.nextDouble() * 100.0 - 50.0;
      }
      cat[i] = CATS[r.nextInt(CATS.length)];
      ts[i] = TS_BASE + v * 1_000L + r.nextInt(1000);
    }
  }

  /** Ids from..from+count-1. */
  static BenchRows sequential(long from, int count, long seed) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = from + i;
    }
    return new BenchRows(ids, seed);
  }

  /** The rows from (inclusive) to (exclusive) as an SDK frame, wrapping copies of the arrays. */
  Frame frame(int from, int to) {
    int m = to - from;
    return Frame.of(
        COLUMNS.wrap("id", DataType.LONG, slice(id, from, to), null, m),
        COLUMNS.wrap("k", DataType.LONG, slice(k, from, to), null, m),
        COLUMNS.wrap("bucket", DataType.INT, java.util.Arrays.copyOfRange(bucket, from, to), null, m),
        COLUMNS.wrap("f1", DataType.DOUBLE, java.util.Arrays.copyOfRange(f[0], from, to), null, m),
        COLUMNS.wrap("f2", DataType.DOUBLE, java.util.Arrays.copyOfRange(f[1], from, to), null, m),
        COLUMNS.wrap("f3", DataType.DOUBLE, java.util.Arrays.copyOfRange(f[2], from, to), null, m),
        COLUMNS.wrap("f4", DataType.DOUBLE, java.util.Arrays.copyOfRange(f[3], from, to), null, m),
        COLUMNS.wrap("f5", DataType.DOUBLE, java.util.Arrays.copyOfRange(f[4], from, to), null, m),
        COLUMNS.wrap("cat", DataType.STRING, java.util.Arrays.copyOfRange(cat, from, to), null, m),
        COLUMNS.wrap("ts", DataType.TIMESTAMP, slice(ts, from, to), null, m));
  }

  Frame frame() {
    return frame(0, n);
  }

  private static long[] slice(long[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  /** A single-row frame (for the small-commit benchmark), built the public way. */
  static Frame oneRow(long id, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ id);
    return Frame.of(
        Column.ofLongs("id", id), Column.ofLongs("k", id / KEY_RANGE), Column.ofInts("bucket", r.nextInt(1000)),
        Column.ofDoubles("f1", r.nextDouble()), Column.ofDoubles("f2", r.nextDouble()),
        Column.ofDoubles("f3", r.nextDouble()), Column.ofDoubles("f4", r.nextDouble()),
        Column.ofDoubles("f5", r.nextDouble()), Column.ofStrings("cat", CATS[r.nextInt(CATS.length)]),
        Column.of("ts", DataType.TIMESTAMP, List.of(TS_BASE + id * 1_000L)));
  }
}
