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
 * <p>Rows whose entity's time rises from row to row (exports sorted by entity then time, by time
 * then entity, or written time slot by time slot) cannot hold a repeat: such keys are only checked
 * against their entity's last time (a table of entities, which stays in the cache) and copied aside,
 * and go into the key tables only when a batch breaks that order or the set is probed. The usual
 * export then costs a pass over the entities' table instead of inserts into tables of every key (the
 * key check was the largest share of the import benchmark's samples once reading was fast).
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
   * True while the keys so far form a run that cannot hold a repeat: with two key columns, each first
   * key's second key (an entity's time) strictly rises from row to row (true of exports sorted by
   * entity then time, by time then entity, or written time slot by time slot); with one, the key
   * itself rises. Such keys go into no table: they are checked against {@link #lastOf} (one entry per
   * entity, small enough for the cache) and kept, copied, in {@link #runX}/{@link #runY}, and go into
   * the tables at once when a batch breaks the run or anything but {@link #addAll} is asked.
   */
  private boolean run;
  /** Per first key of the run, its last second key (open addressing; a slot is used when {@link #lastUsed}). */
  private long[] lastKey;
  private long[] lastOf;
  private boolean[] lastUsed;
  private int lastCount;
  /** One key column: the run's last key. */
  private boolean hasLast;
  private long last;
  private final List<long[]> runX = new ArrayList<>();
  private final List<long[]> runY = new ArrayList<>();
  /** Past this many first keys the run gives up (its table would be as large as the key tables). */
  private static final int MAX_RUN_ENTITIES = 1 << 22;
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
      run = true;
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
    if (run) {
      int n = batch.rowCount();
      long[] x = longs(batch.column(keys.get(0)));
      long[] y = keys.size() == 2 ? longs(batch.column(keys.get(1))) : null;
      if (y == null ? rising(x, n) : risingPerKey(x, y, n)) {
        if (n > 0) {
          runX.add(Arrays.copyOf(x, n));
          runY.add(y == null ? null : Arrays.copyOf(y, n));
          size += n;
        }
        return -1;
      }
      spill();
    }
    return scan(batch, true);
  }

  /** One key column: whether the batch's keys keep rising strictly from the run's last one. */
  private boolean rising(long[] x, int n) {
    for (int r = 0; r < n; r++) {
      if (hasLast && x[r] <= last) {
        return false;
      }
      last = x[r];
      hasLast = true;
    }
    return true;
  }

  /**
   * Two key columns: whether each row's second key is greater than the last one of its first key so
   * far (noting it as that key's last). A false answer ends the run, whose per-key notes then go.
   */
  private boolean risingPerKey(long[] x, long[] y, int n) {
    if (lastKey == null) {
      lastKey = new long[1 << 10];
      lastOf = new long[1 << 10];
      lastUsed = new boolean[1 << 10];
    }
    for (int r = 0; r < n; r++) {
      long k = x[r];
      int mask = lastKey.length - 1;
      int i = entitySlot(k) & mask;
      while (lastUsed[i] && lastKey[i] != k) {
        i = (i + 1) & mask;
      }
      if (lastUsed[i]) {
        if (y[r] <= lastOf[i]) {
          return false;
        }
        lastOf[i] = y[r];
      } else {
        if (lastCount == MAX_RUN_ENTITIES) {
          return false;
        }
        lastUsed[i] = true;
        lastKey[i] = k;
        lastOf[i] = y[r];
        if (++lastCount * 2 > lastKey.length) {
          growLast();
        }
      }
    }
    return true;
  }

  /**
   * An entity's home slot: eight consecutive ids share a cache line (ids often come in order), the
   * groups of eight spread by a mixing hash.
   */
  private static int entitySlot(long k) {
    return ((int) k & 7) | (hash(k >> 3, 0) << 3);
  }

  private void growLast() {
    long[] k = lastKey;
    long[] v = lastOf;
    boolean[] u = lastUsed;
    lastKey = new long[k.length * 2];
    lastOf = new long[k.length * 2];
    lastUsed = new boolean[k.length * 2];
    int mask = lastKey.length - 1;
    for (int j = 0; j < k.length; j++) {
      if (u[j]) {
        int i = entitySlot(k[j]) & mask;
        while (lastUsed[i]) {
          i = (i + 1) & mask;
        }
        lastUsed[i] = true;
        lastKey[i] = k[j];
        lastOf[i] = v[j];
      }
    }
  }

  /** The kept keys of the ordered run go into the tables (no repeat among them: they were ordered). */
  private void spill() {
    run = false;
    lastKey = null;
    lastOf = null;
    lastUsed = null;
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
    if (run) {
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
