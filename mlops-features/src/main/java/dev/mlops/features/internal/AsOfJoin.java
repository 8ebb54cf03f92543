package dev.mlops.features.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.KeyIndex;
import dev.mlops.core.internal.Values;
import dev.mlops.core.internal.delta.ColumnScan;
import dev.mlops.features.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The point-in-time join streamed over a feature table's data files, never holding the table: the
 * spine is indexed (its keys hashed, its rows grouped by key and ordered by time), then
 *
 * <ol>
 *   <li>pass 1 reads only the key and timestamp columns, row group by row group on all I/O threads:
 *       a feature row with time t can only be the answer of the key's spine rows at or after t, and
 *       among them it lands in one slot, the first spine time {@code >= t}; each slot keeps its
 *       latest feature row (per worker, merged after). A running maximum over each key's slots in
 *       time order then gives every spine row its latest feature row at or before its time;</li>
 *   <li>pass 2 reads only the feature columns of the files that hold a match and copies the matched
 *       values straight into the result arrays.</li>
 * </ol>
 *
 * <p>Work and memory: one hash probe and a binary search over the key's spine times per feature row;
 * heap is the spine-sized arrays plus the row groups in flight, whatever the table's size. Same
 * answers as {@link PointInTime} (tested against it and a brute-force reference): a null spine time
 * or key matches nothing; feature rows with a null time are ignored; the lookback window bounds the
 * matched row's age (inclusive); between feature rows with equal key and time, the later one in the
 * snapshot's file order wins.
 */
final class AsOfJoin {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private AsOfJoin() {}

  /**
   * The lookup's features for each spine row, or empty when the table needs the general read (then
   * the caller reads it whole and uses {@link PointInTime}).
   *
   * @param table the feature table
   * @param version its version, or null for the latest
   * @param l the lookup (a time-series table: timestampKey present)
   * @param keys the spine's key columns under the primary key names, plus its time column
   * @param spineTs the spine's time column in keys
   */
  static Optional<Joiner.Looked> lookup(DeltaTable table, Long version, FeatureSpec.Lookup l, Frame keys,
      String spineTs) {
    Optional<ColumnScan> opened = ColumnScan.open(table, version);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    ColumnScan scan = opened.get();
    Schema schema = scan.schema();
    String tsKey = l.timestampKey().orElseThrow();
    List<String> pk = l.primaryKeys();
    List<String> keyCols = new ArrayList<>(pk);
    keyCols.add(tsKey);
    for (String c : keyCols) {
      if (!schema.contains(c)) {
        return Optional.empty(); // the general path explains it
      }
    }
    for (String f : l.features()) {
      if (!schema.contains(f)) {
        return Optional.empty();
      }
    }
    DataType tsType = schema.type(tsKey);
    if (tsType != DataType.TIMESTAMP && tsType != DataType.DATE && tsType != DataType.TIMESTAMP_NTZ
        || keys.column(spineTs).type() != tsType) {
      return Optional.empty();
    }
    long lookback = Joiner.lookbackInKeyUnits(l, tsType);
    Spine sp = new Spine(keys, pk, spineTs, schema.type(pk.get(0)));

    // ---- pass 1: keys and times of every feature row -> the latest row per spine slot
    int workers = scan.workers();
    Worker[] state = new Worker[workers];
    int[] fileRows = new int[scan.files()];
    boolean ok = scan.forEach(keyCols, null, (w, file, first, rows) -> {
      if (state[w] == null) {
        state[w] = new Worker(sp.slots);
      }
      sp.offer(rows, pk, tsKey, file, first, state[w]);
      fileRows[file] = Math.max(fileRows[file], first + rows.rowCount());
    });
    if (!ok) {
      return Optional.empty();
    }
    long[] best = null;
    for (Worker wk : state) {
      if (wk == null) {
        continue;
      }
      if (best == null) {
        best = wk.best;
      } else {
        merge(best, wk.best);
      }
    }
    int n = keys.rowCount();
    long[] matchTime = new long[n];
    long[] matchRow = new long[n]; // (file << 32) | row in file; -1 = none
    Arrays.fill(matchRow, -1L);
    if (best != null) {
      sp.resolve(best, lookback, matchTime, matchRow);
    }

    // ---- pass 2: the feature columns of the files holding matches, values copied to the result
    int files = scan.files();
    int[] fileStart = new int[files + 1];
    int matched = 0;
    for (int s = 0; s < n; s++) {
      if (matchRow[s] >= 0) {
        fileStart[(int) (matchRow[s] >>> 32) + 1]++;
        matched++;
      }
    }
    for (int f = 0; f < files; f++) {
      fileStart[f + 1] += fileStart[f];
    }
    long[] wanted = new long[matched]; // per file: (row in file << 32) | spine row, sorted per file below
    int[] cursor = Arrays.copyOf(fileStart, files);
    int needed = 0;
    for (int s = 0; s < n; s++) {
      if (matchRow[s] >= 0) {
        int f = (int) (matchRow[s] >>> 32);
        wanted[cursor[f]++] = ((matchRow[s] & 0xffffffffL) << 32) | s;
      }
    }
    for (int f = 0; f < files; f++) {
      if (fileStart[f + 1] > fileStart[f]) {
        needed++;
      }
    }
    int[] neededFiles = new int[needed];
    for (int f = 0, k = 0; f < files; f++) {
      if (fileStart[f + 1] > fileStart[f]) {
        neededFiles[k++] = f;
      }
    }
    List<String> feats = l.features();
    Object[] out = new Object[feats.size()];
    boolean[][] outNull = new boolean[feats.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Values.newArray(schema.columnType(feats.get(i)), n);
      outNull[i] = new boolean[n];
    }
    if (matched < n) {
      for (int s = 0; s < n; s++) {
        if (matchRow[s] < 0) {
          for (boolean[] nl : outNull) {
            nl[s] = true;
          }
        }
      }
    }
    if (needed > 0) {
      ok = scan.forEach(feats, neededFiles, (w, file, first, rows) -> {
        int a = fileStart[file];
        int b = fileStart[file + 1];
        if (first == 0) {
          Arrays.sort(wanted, a, b); // by row in file: row groups take consecutive ranges, reads go forward
        }
        int end = first + rows.rowCount();
        int from = lowerBound(wanted, a, b, first);
        int to = lowerBound(wanted, from, b, end);
        for (int i = 0; i < out.length; i++) {
          copy(rows.column(feats.get(i)), first, wanted, from, to, out[i], outNull[i]);
        }
      });
      if (!ok) {
        return Optional.empty();
      }
    }
    List<Column> cols = new ArrayList<>(feats.size());
    for (int i = 0; i < out.length; i++) {
      cols.add(COLUMNS.wrap(feats.get(i), schema.columnType(feats.get(i)), out[i], anyTrue(outNull[i]) ? outNull[i]
          : null, n));
    }
    long[] base = new long[files];
    for (int f = 1; f < files; f++) {
      base[f] = base[f - 1] + fileRows[f - 1];
    }
    int[] match = new int[n];
    for (int s = 0; s < n; s++) {
      long r = matchRow[s];
      match[s] = r < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, base[(int) (r >>> 32)] + (r & 0xffffffffL));
    }
    Column asOf = null;
    if (l.timestampOutput().isPresent()) {
      boolean[] nl = matched < n ? new boolean[n] : null;
      Object arr = Values.newArray(tsType, n);
      for (int s = 0; s < n; s++) {
        if (matchRow[s] < 0) {
          nl[s] = true;
        } else if (tsType == DataType.DATE) {
          ((int[]) arr)[s] = (int) matchTime[s];
        } else {
          ((long[]) arr)[s] = matchTime[s];
        }
      }
      asOf = COLUMNS.wrap(tsKey, schema.columnType(tsKey), arr, nl, n);
    }
    return Optional.of(new Joiner.Looked(Frame.of(cols), match, asOf));
  }

  private static boolean anyTrue(boolean[] a) {
    for (boolean b : a) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  /** First index in [lo, hi) whose row (high 32 bits) is >= row. */
  private static int lowerBound(long[] w, int lo, int hi, int row) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if ((int) (w[mid] >>> 32) < row) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Copies the wanted rows of one row group's column into the result (distinct spine rows per call;
   * a matched spine row's null flag is still false, so only nulls are written).
   */
  private static void copy(Column c, int first, long[] wanted, int from, int to, Object dst, boolean[] dstNull) {
    Object src = COLUMNS.values(c);
    boolean[] srcNull = COLUMNS.nulls(c);
    if (src instanceof double[] s && dst instanceof double[] d) {
      for (int i = from; i < to; i++) {
        int r = (int) (wanted[i] >>> 32) - first;
        int sp = (int) wanted[i];
        d[sp] = s[r];
        if (srcNull != null && srcNull[r]) {
          dstNull[sp] = true; // false already: each matched spine row is written once
        }
      }
    } else if (src instanceof long[] s && dst instanceof long[] d) {
      for (int i = from; i < to; i++) {
        int r = (int) (wanted[i] >>> 32) - first;
        int sp = (int) wanted[i];
        d[sp] = s[r];
        if (srcNull != null && srcNull[r]) {
          dstNull[sp] = true; // false already: each matched spine row is written once
        }
      }
    } else {
      for (int i = from; i < to; i++) {
        int r = (int) (wanted[i] >>> 32) - first;
        int sp = (int) wanted[i];
        if (srcNull != null && srcNull[r]) {
          dstNull[sp] = true;
        } else {
          Values.copy(src, r, dst, sp);
        }
      }
    }
  }

  /** a = the later of a and b, slot by slot (both interleaved: time, then row code; code -1 = none). */
  private static void merge(long[] a, long[] b) {
    for (int k = 0; k < a.length; k += 2) {
      if (b[k + 1] >= 0 && (a[k + 1] < 0 || later(b[k], b[k + 1], a[k], a[k + 1]))) {
        a[k] = b[k];
        a[k + 1] = b[k + 1];
      }
    }
  }

  /** Time t1 (row r1) is later than t2 (row r2): by time, then by row order. */
  private static boolean later(long t1, long r1, long t2, long r2) {
    return t1 > t2 || (t1 == t2 && r1 > r2);
  }

  static long[] times(Column c) {
    if (c.type() == DataType.DATE) {
      int[] v = COLUMNS.ints(c);
      long[] out = new long[c.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = v[i];
      }
      return out;
    }
    return COLUMNS.longs(c);
  }

  /** Which fast paths pass 1 took (counted for the tests that make sure each one runs). */
  static final class Paths {
    static final java.util.concurrent.atomic.LongAdder DENSE_KEYS = new java.util.concurrent.atomic.LongAdder();
    static final java.util.concurrent.atomic.LongAdder HASHED_KEYS = new java.util.concurrent.atomic.LongAdder();
    static final java.util.concurrent.atomic.LongAdder IN_ORDER_GROUPS = new java.util.concurrent.atomic.LongAdder();
    static final java.util.concurrent.atomic.LongAdder PARTITIONED_GROUPS = new java.util.concurrent.atomic.LongAdder();

    private Paths() {}
  }

  /** One pass-1 worker's slots and scratch arrays (reused from row group to row group). */
  private static final class Worker {
    /** Per slot: the latest feature row's time, then its code (file << 32 | row in file; -1 = none). */
    final long[] best;
    int[] ids = new int[0];
    int[] partKey = new int[0];
    long[] partTime = new long[0];
    int[] partRow = new int[0];

    Worker(int slots) {
      best = new long[Math.multiplyExact(slots, 2)];
      for (int k = 1; k < best.length; k += 2) {
        best[k] = -1L;
      }
    }

    void room(int m) {
      if (partKey.length < m) {
        partKey = new int[m];
        partTime = new long[m];
        partRow = new int[m];
      }
    }
  }

  /** The spine's rows with a key and a time, grouped by key, by time within a key: the slots. */
  private static final class Spine {
    static final int PART_SHIFT = 11;
    static final int PART_KEYS = 1 << PART_SHIFT;
    /** Slots of a key searched by a linear count (branch-free) up to this many, by bisection above. */
    static final int LINEAR = 16;
    /** The hashed key index, or null when the keys are one dense integral column (then {@link #dense}). */
    final KeyIndex index;
    /** Key value - denseMin -> key id (-1 = not in the spine); ids follow the key values' order. */
    final int[] dense;
    final long denseMin;
    final int[] start; // key g's slots are start[g] .. start[g+1]
    final int[] row; // spine row of each slot
    final long[] time; // its time
    final int slots;

    Spine(Frame keys, List<String> pk, String spineTs, DataType tableKeyType) {
      int n = keys.rowCount();
      int[] ids;
      int groups;
      long[] range = pk.size() == 1 && dense(tableKeyType) ? denseRange(keys.column(pk.get(0))) : null;
      if (range != null) {
        Column kc = keys.column(pk.get(0));
        boolean[] kn = COLUMNS.nulls(kc);
        long min = range[0];
        int[] map = new int[(int) range[1]];
        long[] lv = kc.type() == DataType.INT || kc.type() == DataType.DATE ? null : COLUMNS.longs(kc);
        int[] iv = lv == null ? COLUMNS.ints(kc) : null;
        for (int r = 0; r < n; r++) {
          if (kn == null || !kn[r]) {
            map[(int) ((lv != null ? lv[r] : iv[r]) - min)] = 1;
          }
        }
        groups = 0;
        for (int i = 0; i < map.length; i++) {
          map[i] = map[i] == 0 ? -1 : groups++; // ids in key order: tables written in key order probe in order
        }
        ids = new int[n];
        for (int r = 0; r < n; r++) {
          ids[r] = kn != null && kn[r] ? -1 : map[(int) ((lv != null ? lv[r] : iv[r]) - min)];
        }
        index = null;
        dense = map;
        denseMin = min;
        Paths.DENSE_KEYS.increment();
      } else {
        index = KeyIndex.build(keys, pk);
        groups = index.distinct();
        ids = index.ids();
        dense = null;
        denseMin = 0;
        Paths.HASHED_KEYS.increment();
      }
      Column tc = keys.column(spineTs);
      long[] st = times(tc);
      boolean[] stNull = COLUMNS.nulls(tc);
      int[] count = new int[groups + 1];
      for (int r = 0; r < n; r++) {
        if (ids[r] >= 0 && (stNull == null || !stNull[r])) {
          count[ids[r] + 1]++;
        }
      }
      for (int g = 0; g < groups; g++) {
        count[g + 1] += count[g];
      }
      start = count.clone();
      slots = count[groups];
      row = new int[slots];
      time = new long[slots];
      for (int r = 0; r < n; r++) {
        int g = ids[r];
        if (g >= 0 && (stNull == null || !stNull[r])) {
          int at = count[g]++;
          row[at] = r;
          time[at] = st[r];
        }
      }
      for (int g = 0; g < groups; g++) {
        PointInTime.sortIfNeeded(time, row, start[g], start[g + 1]);
      }
    }

    /** Key kinds whose values a dense map can hold (the table's key and the spine's compare as longs). */
    private static boolean dense(DataType t) {
      return t == DataType.LONG || t == DataType.INT || t == DataType.TIMESTAMP || t == DataType.DATE
          || t == DataType.TIMESTAMP_NTZ;
    }

    /**
     * {min, max - min + 1} of a spine key column when its values are integral and dense enough for
     * an array indexed by value (at most 4 entries per spine row, at most 64M), else null.
     */
    private static long[] denseRange(Column c) {
      if (!dense(c.type())) {
        return null;
      }
      boolean[] nl = COLUMNS.nulls(c);
      long[] lv = c.type() == DataType.INT || c.type() == DataType.DATE ? null : COLUMNS.longs(c);
      int[] iv = lv == null ? COLUMNS.ints(c) : null;
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int r = 0; r < c.size(); r++) {
        if (nl == null || !nl[r]) {
          long v = lv != null ? lv[r] : iv[r];
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (min > max) {
        return null; // no key at all: the hashed path handles it
      }
      long span = max - min + 1; // <= 0 on overflow
      long limit = Math.min(1L << 26, 4L * c.size() + 1024);
      return span > 0 && span <= limit ? new long[] {min, span} : null;
    }

    /** Key id (or -1) of each of the rows' keys. */
    private int[] ids(Frame rows, List<String> pk, Worker wk) {
      if (dense == null) {
        return index.find(rows, pk);
      }
      Column kc = rows.column(pk.get(0));
      boolean[] kn = COLUMNS.nulls(kc);
      int m = rows.rowCount();
      if (wk.ids.length < m) {
        wk.ids = new int[m];
      }
      int[] out = wk.ids;
      int[] map = dense;
      long span = map.length;
      long min = denseMin;
      if (kc.type() == DataType.INT || kc.type() == DataType.DATE) {
        int[] v = COLUMNS.ints(kc);
        for (int r = 0; r < m; r++) {
          long off = v[r] - min;
          out[r] = Long.compareUnsigned(off, span) < 0 ? map[(int) off] : -1;
        }
      } else {
        long[] v = COLUMNS.longs(kc);
        for (int r = 0; r < m; r++) {
          long off = v[r] - min; // below min wraps to a huge unsigned value
          out[r] = Long.compareUnsigned(off, span) < 0 ? map[(int) off] : -1;
        }
      }
      if (kn != null) {
        for (int r = 0; r < m; r++) {
          if (kn[r]) {
            out[r] = -1;
          }
        }
      }
      return out;
    }

    /**
     * Pass 1 for one row group: each feature row into its slot when it is that slot's latest yet.
     * With many keys, rows that do not come in key order are first partitioned by key range (about
     * 2,048 keys per part), so the slots a part touches stay in the CPU cache whatever the order of
     * the rows in the file; rows in key order (ids follow the key values with a dense key) walk the
     * slots forward as they are.
     */
    void offer(Frame rows, List<String> pk, String tsKey, int file, int first, Worker wk) {
      int[] g = ids(rows, pk, wk);
      Column tc = rows.column(tsKey);
      boolean[] tn = COLUMNS.nulls(tc);
      int m = rows.rowCount();
      long fileBits = (long) file << 32;
      int[] ti = tc.type() == DataType.DATE ? COLUMNS.ints(tc) : null;
      long[] tl = ti == null ? COLUMNS.longs(tc) : null;
      long[] best = wk.best;
      int groups = start.length - 1;
      if (groups <= PART_KEYS * 2 || inOrder(g, m)) {
        if (groups > PART_KEYS * 2) {
          Paths.IN_ORDER_GROUPS.increment();
        }
        for (int r = 0; r < m; r++) {
          if (g[r] >= 0 && (tn == null || !tn[r])) {
            put(g[r], ti != null ? ti[r] : tl[r], fileBits | (first + r), best);
          }
        }
        return;
      }
      Paths.PARTITIONED_GROUPS.increment();
      int parts = (groups >>> PART_SHIFT) + 1;
      int[] count = new int[parts + 1];
      for (int r = 0; r < m; r++) {
        if (g[r] >= 0 && (tn == null || !tn[r])) {
          count[(g[r] >>> PART_SHIFT) + 1]++;
        }
      }
      for (int p = 0; p < parts; p++) {
        count[p + 1] += count[p];
      }
      int kept = count[parts];
      wk.room(kept);
      int[] pg = wk.partKey;
      long[] pt = wk.partTime;
      int[] pr = wk.partRow;
      for (int r = 0; r < m; r++) {
        if (g[r] >= 0 && (tn == null || !tn[r])) {
          int at = count[g[r] >>> PART_SHIFT]++;
          pg[at] = g[r];
          pt[at] = ti != null ? ti[r] : tl[r];
          pr[at] = r;
        }
      }
      for (int i = 0; i < kept; i++) {
        put(pg[i], pt[i], fileBits | (first + pr[i]), best);
      }
    }

    /** True when the rows' key ids mostly ascend (a few runs, as in a file written in key order). */
    private static boolean inOrder(int[] g, int m) {
      int last = -1;
      int descents = 0;
      for (int r = 0; r < m; r++) {
        int x = g[r];
        if (x >= 0) {
          descents += x < last ? 1 : 0;
          last = x;
        }
      }
      return descents <= (m >>> 6);
    }

    private void put(int g, long t, long code, long[] best) {
      int lo = start[g];
      int hi = start[g + 1];
      if (hi == lo || time[hi - 1] < t) {
        return; // every spine time of the key is earlier: no spine row can take it
      }
      int k;
      if (hi - lo <= LINEAR) {
        k = lo; // first slot with time >= t = lo + the number of slots before t (times ascend)
        for (int i = lo; i < hi; i++) {
          k += time[i] < t ? 1 : 0;
        }
      } else {
        hi--;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (time[mid] >= t) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
        k = lo;
      }
      int b = k << 1;
      long r = best[b + 1];
      if (r < 0 || t > best[b] || (t == best[b] && code > r)) {
        best[b] = t;
        best[b + 1] = code;
      }
    }

    /** The running latest over each key's slots in time order, within the lookback window. */
    void resolve(long[] best, long lookback, long[] matchTime, long[] matchRow) {
      int groups = start.length - 1;
      for (int g = 0; g < groups; g++) {
        long bt = 0;
        long br = -1;
        for (int k = start[g]; k < start[g + 1]; k++) {
          long st = best[2 * k];
          long sr = best[2 * k + 1];
          if (sr >= 0 && (br < 0 || later(st, sr, bt, br))) {
            bt = st;
            br = sr;
          }
          if (br >= 0 && (lookback < 0 || bt >= PointInTime.saturatedMinus(time[k], lookback))) {
            matchTime[row[k]] = bt;
            matchRow[row[k]] = br;
          }
        }
      }
    }
  }
}
