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
 * <p>The pairs are spread over {@value #PARTS} tables by the top bits of their hash, and a batch is
 * first ordered by table (a counting sort of row numbers, sequential), then inserted table by table:
 * at 10M keys one table of 256 MB made every insert a cache and TLB miss (10 % of the import
 * benchmark's samples); a table of 1/{@value #PARTS} of that stays in cache while its rows go in.
 */
public final class StreamKeys {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private final List<String> keys;
  private final boolean primitive;
  private static final int PART_BITS = 8;
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

  /** An empty set for these key columns of these types. */
  public StreamKeys(List<String> keys, List<DataType> types) {
    this.keys = List.copyOf(keys);
    this.primitive = keys.size() <= 2 && types.stream().allMatch(StreamKeys::integral);
    if (primitive) {
      tables = new long[PARTS][];
      masks = new int[PARTS];
      counts = new int[PARTS];
      for (int p = 0; p < PARTS; p++) {
        tables[p] = emptyTable(16);
        masks[p] = 15;
      }
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
    return scan(batch, true);
  }

  /** The first row of the frame whose key is present, or -1 (nothing is added). */
  public int firstPresent(Frame probe) {
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
      // rows ordered by part (stable: rows of one part keep their order, so of two equal keys the
      // later row is the repeat, as in one pass), then each part's rows inserted together
      int[] hashes = new int[n];
      int[] start = new int[PARTS + 1];
      for (int r = 0; r < n; r++) {
        int h = hash(x[r], y == null ? 0 : y[r]);
        hashes[r] = h;
        start[(h >>> (32 - PART_BITS)) + 1]++;
      }
      for (int p = 0; p < PARTS; p++) {
        start[p + 1] += start[p];
      }
      int[] order = new int[n];
      int[] next = Arrays.copyOf(start, PARTS);
      for (int r = 0; r < n; r++) {
        order[next[hashes[r] >>> (32 - PART_BITS)]++] = r;
      }
      for (int p = 0; p < PARTS; p++) {
        for (int k = start[p]; k < start[p + 1]; k++) {
          int r = order[k];
          if (!insert(p, hashes[r], x[r], y == null ? 0 : y[r]) && (first < 0 || r < first)) {
            first = r;
          }
        }
      }
      return first;
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

  private static final long EMPTY = Long.MIN_VALUE;
  /** A part grows past this share of used slots (16 bytes a slot: 10M keys take about 2^24 slots, 256 MiB). */
  private static final double LOAD = 0.7;

  private static long[] emptyTable(int slots) {
    long[] t = new long[slots * 2];
    java.util.Arrays.fill(t, EMPTY);
    return t;
  }

  private boolean contains(long x, long y) {
    if (x == EMPTY && y == EMPTY) {
      return hasEmptyKey;
    }
    int h = hash(x, y);
    int p = h >>> (32 - PART_BITS);
    long[] t = tables[p];
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

  /** True when added to part {@code p} (the top bits of {@code h}), false when already present. */
  private boolean insert(int p, int h, long x, long y) {
    if (x == EMPTY && y == EMPTY) {
      if (hasEmptyKey) {
        return false;
      }
      hasEmptyKey = true;
      size++;
      return true;
    }
    if (counts[p] >= (long) (masks[p] + 1) * LOAD) {
      grow(p);
    }
    long[] t = tables[p];
    int mask = masks[p];
    int i = h & mask;
    while (true) {
      long tx = t[2 * i];
      long ty = t[2 * i + 1];
      if (tx == x && ty == y) {
        return false;
      }
      if (tx == EMPTY && ty == EMPTY) {
        break;
      }
      i = (i + 1) & mask;
    }
    t[2 * i] = x;
    t[2 * i + 1] = y;
    counts[p]++;
    size++;
    return true;
  }

  private void grow(int p) {
    long[] old = tables[p];
    int slots = (masks[p] + 1) * 2;
    long[] t = emptyTable(slots);
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
