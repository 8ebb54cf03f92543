package dev.mlops.features.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.KeyIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys seen so far across a stream of batches, for uniqueness checks that never hold the rows:
 * one or two integral key columns (long, int, timestamp, date: the usual entity id + timestamp of a
 * time-series feature table) go into open-addressing tables of primitive pairs, 16 bytes per slot;
 * other keys into a hash set of tuples. Null keys are the caller's to refuse before.
 *
 * <p>The pairs are spread over {@value #PARTS} tables by the top bits of their hash (a part's table
 * is made at its first key), and a batch is first ordered by table (a counting sort that moves the
 * keys themselves, sequential writes), then inserted table by table, reading the moved keys in order:
 * at 10M keys one table of 256 MB made every insert a cache and TLB miss (10 % of the import
 * benchmark's samples); a table of 1/{@value #PARTS} of that (256 KB) stays in a core's cache while
 * its keys go in. 10M keys: 0.9-1.2 s of CPU (3.2 s with 256 parts and keys gathered by row number).
 *
 * <p>Sorted input (keys rising by entity then time, or by time then entity, across all batches so
 * far) cannot hold a repeat: such keys are only compared with the one before and copied aside, and go
 * into the tables only when a batch breaks the order or the set is probed. Sorted exports, the usual
 * case, then cost a sequential pass instead of hashing (the key check was the largest share of the
 * import benchmark's samples once reading was fast).
 */
public final class StreamKeys {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private final List<String> keys;
  private final boolean primitive;
  private static final int PART_BITS = 10;
  private static final int PARTS = 1 << PART_BITS;
  /**
   * Per part, pairs interleaved (slot i at [2i, 2i+1]): one cache line per probe. A free slot holds
   * the pair (EMPTY, EMPTY); that pair as a real key is kept in {@link #hasEmptyKey}.
   */
  private long[][] tables;
  private int[] masks;
  private int[] counts;
  private boolean hasEmptyKey;
  private int size;
  private final Set<List<Object>> generic;
  /**
   * While every key so far is strictly greater than the one before it, in the order of (first, second)
   * key column or of (second, first) (bit 1 and bit 2; files exported sorted by entity and time, or by
   * time and entity), no key can repeat and none goes into the tables: the keys are only kept, copied,
   * in {@link #runX}/{@link #runY} and go into the tables at once when a batch breaks the order or
   * anything but {@link #addAll} is asked. 0 once the order broke.
   */
  private int orders;
  private boolean hasLast;
  private long lastX;
  private long lastY;
  private final List<long[]> runX = new ArrayList<>();
  private final List<long[]> runY = new ArrayList<>();
  /** Scratch of {@link #addAll}, kept from batch to batch: row hashes, and (x, y, hash and row) ordered by part. */
  private int[] hashes;
  private long[] records;

  /** An empty set for these key columns of these types. */
  public StreamKeys(List<String> keys, List<DataType> types) {
    this.keys = List.copyOf(keys);
    this.primitive = keys.size() <= 2 && types.stream().allMatch(StreamKeys::integral);
    if (primitive) {
      tables = new long[PARTS][];
      masks = new int[PARTS];
      counts = new int[PARTS];
      Arrays.fill(masks, -1); // no table yet: made at a part's first key
      orders = 3;
      generic = null;
    } else {
      generic = new HashSet<>();
    }
  }

  private static boolean integral(DataType t) {
    return t == DataType.LONG || t == DataType.INT || t == DataType.TIMESTAMP || t == DataType.DATE;
  }

  /** Number of keys held. */
  public int size() {
    return primitive ? size : generic.size();
  }

  /**
   * Adds the keys of every row; returns the first row whose key was already present (in an earlier
   * batch or earlier in this one), or -1. Rows after a repeated key are still added.
   */
  public int addAll(Frame batch) {
    KeyIndex.countPass(!primitive);
    if (orders != 0) {
      int n = batch.rowCount();
      long[] x = longs(batch.column(keys.get(0)));
      long[] y = keys.size() == 2 ? longs(batch.column(keys.get(1))) : null;
      int still = ordered(x, y, n);
      if (still != 0) {
        orders = still;
        if (n > 0) {
          runX.add(Arrays.copyOf(x, n));
          runY.add(y == null ? null : Arrays.copyOf(y, n));
          lastX = x[n - 1];
          lastY = y == null ? 0 : y[n - 1];
          hasLast = true;
          size += n;
        }
        return -1;
      }
      orders = 0;
      spill();
    }
    return scan(batch, true);
  }

  /**
   * Which of the orders still held ({@link #orders}) this batch keeps: each key strictly greater than
   * the one before (the previous batch's last key first).
   */
  private int ordered(long[] x, long[] y, int n) {
    int still = orders;
    long px = lastX;
    long py = lastY;
    int r = 0;
    if (!hasLast && n > 0) {
      px = x[0];
      py = y == null ? 0 : y[0];
      r = 1;
    }
    if (y == null) {
      for (; r < n; r++) {
        if (x[r] <= px) {
          return 0;
        }
        px = x[r];
      }
      return still;
    }
    for (; r < n && still != 0; r++) {
      long cx = x[r];
      long cy = y[r];
      if ((still & 1) != 0 && !(cx > px || cx == px && cy > py)) {
        still &= ~1;
      }
      if ((still & 2) != 0 && !(cy > py || cy == py && cx > px)) {
        still &= ~2;
      }
      px = cx;
      py = cy;
    }
    return still;
  }

  /** The kept keys of the ordered run go into the tables (no repeat among them: they were ordered). */
  private void spill() {
    orders = 0;
    for (int i = 0; i < runX.size(); i++) {
      long[] x = runX.get(i);
      size -= x.length; // insert counts them again
      insert(x, runY.get(i), x.length);
      runX.set(i, null);
      runY.set(i, null);
    }
    runX.clear();
    runY.clear();
  }

  /** The first row of the frame whose key is present, or -1 (nothing is added). */
  public int firstPresent(Frame probe) {
    if (orders != 0) {
      spill();
    }
    return scan(probe, false);
  }

  private int scan(Frame f, boolean add) {
    int n = f.rowCount();
    int first = -1;
    if (primitive) {
      long[] x = longs(f.column(keys.get(0)));
      long[] y = keys.size() == 2 ? longs(f.column(keys.get(1))) : null;
      if (!add) {
        for (int r = 0; r < n; r++) {
          if (contains(x[r], y == null ? 0 : y[r])) {
            return r;
          }
        }
        return -1;
      }
      return insert(x, y, n);
    }
    List<Column> cols = new ArrayList<>();
    for (String k : keys) {
      cols.add(f.column(k));
    }
    for (int r = 0; r < n; r++) {
      List<Object> t = new ArrayList<>(cols.size());
      for (Column c : cols) {
        t.add(c.get(r));
      }
      boolean present = add ? !generic.add(t) : generic.contains(t);
      if (present && first < 0) {
        first = r;
        if (!add) {
          return first;
        }
      }
    }
    return first;
  }

  /** Adds n primitive keys (y null for one key column); returns the first row whose key was present, or -1. */
  private int insert(long[] x, long[] y, int n) {
    int first = -1;
    // rows ordered by part (stable: rows of one part keep their order, so of two equal keys the
    // later row is the repeat, as in one pass), then each part's rows inserted together. The keys
    // themselves are moved into part order (key pair, hash and row number side by side), so the
    // inserts read them sequentially: gathering x[r], y[r] by row number in part order cost three
    // cache misses per key (about 300 ns a key at 10M keys, measured).
    if (hashes == null || hashes.length < n) {
      hashes = new int[n];
      records = new long[3 * n];
    }
    int[] hashes = this.hashes;
    long[] rec = this.records;
    int[] start = new int[PARTS + 1];
    for (int r = 0; r < n; r++) {
      int h = hash(x[r], y == null ? 0 : y[r]);
      hashes[r] = h;
      start[(h >>> (32 - PART_BITS)) + 1]++;
    }
    for (int p = 0; p < PARTS; p++) {
      start[p + 1] += start[p];
    }
    int[] next = Arrays.copyOf(start, PARTS);
    for (int r = 0; r < n; r++) {
      int h = hashes[r];
      int k = 3 * next[h >>> (32 - PART_BITS)]++;
      rec[k] = x[r];
      rec[k + 1] = y == null ? 0 : y[r];
      rec[k + 2] = ((long) h << 32) | r;
    }
    for (int p = 0; p < PARTS; p++) {
      int from = start[p];
      int to = start[p + 1];
      if (from == to) {
        continue;
      }
      while (counts[p] + (to - from) >= (long) (masks[p] + 1) * LOAD) {
        grow(p);
      }
      long[] t = tables[p];
      int mask = masks[p];
      int added = 0;
      for (int k = 3 * from; k < 3 * to; k += 3) {
        long kx = rec[k];
        long ky = rec[k + 1];
        long hr = rec[k + 2];
        boolean present;
        if (kx == EMPTY && ky == EMPTY) {
          present = hasEmptyKey;
          hasEmptyKey = true;
          size += present ? 0 : 1;
        } else {
          int i = (int) (hr >>> 32) & mask;
          present = false;
          while (true) {
            long tx = t[2 * i];
            long ty = t[2 * i + 1];
            if (tx == kx && ty == ky) {
              present = true;
              break;
            }
            if (tx == EMPTY && ty == EMPTY) {
              t[2 * i] = kx;
              t[2 * i + 1] = ky;
              added++;
              break;
            }
            i = (i + 1) & mask;
          }
        }
        int r = (int) hr;
        if (present && (first < 0 || r < first)) {
          first = r;
        }
      }
      counts[p] += added;
      size += added;
    }
    return first;
  }

  private static long[] longs(Column c) {
    if (c.type() == DataType.LONG || c.type() == DataType.TIMESTAMP) {
      return COLUMNS.longs(c);
    }
    int[] v = COLUMNS.ints(c);
    long[] out = new long[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static int hash(long x, long y) {
    long h = x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  /**
   * A free slot's pair is (0, 0), the value a new array already holds: a part's table needs no fill
   * when it is made or grown (filling with another marker was 45 % of the key check's samples, the
   * tables being fresh memory).
   */
  private static final long EMPTY = 0L;
  /** A part grows past this share of used slots (16 bytes a slot: 10M keys take about 2^24 slots, 256 MiB). */
  private static final double LOAD = 0.7;

  private static long[] emptyTable(int slots) {
    return new long[slots * 2]; // all (EMPTY, EMPTY)
  }

  private boolean contains(long x, long y) {
    if (x == EMPTY && y == EMPTY) {
      return hasEmptyKey;
    }
    int h = hash(x, y);
    int p = h >>> (32 - PART_BITS);
    long[] t = tables[p];
    if (t == null) {
      return false;
    }
    int mask = masks[p];
    for (int i = h & mask; ; i = (i + 1) & mask) {
      long tx = t[2 * i];
      long ty = t[2 * i + 1];
      if (tx == x && ty == y) {
        return true;
      }
      if (tx == EMPTY && ty == EMPTY) {
        return false;
      }
    }
  }

  private void grow(int p) {
    long[] old = tables[p];
    int slots = old == null ? 16 : (masks[p] + 1) * 2;
    long[] t = emptyTable(slots);
    if (old == null) {
      tables[p] = t;
      masks[p] = slots - 1;
      return;
    }
    int m = slots - 1;
    for (int j = 0; j < old.length; j += 2) {
      long x = old[j];
      long y = old[j + 1];
      if (x == EMPTY && y == EMPTY) {
        continue;
      }
      int i = hash(x, y) & m;
      while (!(t[2 * i] == EMPTY && t[2 * i + 1] == EMPTY)) {
        i = (i + 1) & m;
      }
      t[2 * i] = x;
      t[2 * i + 1] = y;
    }
    tables[p] = t;
    masks[p] = m;
  }

  @Override
  public String toString() {
    return "StreamKeys" + keys + "[" + size() + (primitive ? ", primitive" : "") + "]";
  }

  /** For tests: whether the primitive table is used. */
  boolean isPrimitive() {
    return primitive;
  }

  /** For messages: the key of a row as column=value pairs. */
  public String describe(Frame f, int row) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      out.add(k + "=" + f.column(k).get(row));
    }
    return Arrays.toString(out.toArray());
  }
}
