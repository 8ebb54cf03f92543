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
 * time-series feature table) go into an open-addressing table of primitive pairs, 16 bytes per slot;
 * other keys into a hash set of tuples. Null keys are the caller's to refuse before.
 */
public final class StreamKeys {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private final List<String> keys;
  private final boolean primitive;
  /**
   * Pairs interleaved (slot i at [2i, 2i+1]): one cache line per probe, where separate key, key and
   * used arrays cost three misses on a table larger than the cache. A free slot holds the pair
   * (EMPTY, EMPTY); that pair as a real key is kept in {@link #hasEmptyKey}.
   */
  private long[] table;
  private int mask;
  private boolean hasEmptyKey;
  private int size;
  private final Set<List<Object>> generic;

  /** An empty set for these key columns of these types. */
  public StreamKeys(List<String> keys, List<DataType> types) {
    this.keys = List.copyOf(keys);
    this.primitive = keys.size() <= 2 && types.stream().allMatch(StreamKeys::integral);
    if (primitive) {
      table = emptyTable(1 << 12);
      mask = (1 << 12) - 1;
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
      for (int r = 0; r < n; r++) {
        boolean present = add ? !insert(x[r], y == null ? 0 : y[r]) : contains(x[r], y == null ? 0 : y[r]);
        if (present && first < 0) {
          first = r;
          if (!add) {
            return first;
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
  /** Grows past this share of used slots (16 bytes a slot: 10M keys take 2^24 slots, 256 MiB). */
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
    long[] t = table;
    for (int i = hash(x, y) & mask; ; i = (i + 1) & mask) {
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

  /** True when added, false when already present. */
  private boolean insert(long x, long y) {
    if (x == EMPTY && y == EMPTY) {
      if (hasEmptyKey) {
        return false;
      }
      hasEmptyKey = true;
      size++;
      return true;
    }
    if (size >= (long) (mask + 1) * LOAD) {
      grow();
    }
    long[] t = table;
    int i = hash(x, y) & mask;
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
    size++;
    return true;
  }

  private void grow() {
    long[] old = table;
    int slots = (mask + 1) * 2;
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
    table = t;
    mask = m;
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
