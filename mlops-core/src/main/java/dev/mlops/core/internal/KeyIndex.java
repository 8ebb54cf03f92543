package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense ids for the key tuples of a frame (null keys get -1 and never match): {@code id(row)} for the frame it was built from,
 * {@code find(probe, row)} for rows of another frame with key columns of the same types. One or two
 * integral key columns (long, int, timestamp, timestamp_ntz, date: an id, or the entity id +
 * timestamp of a time-series feature table) use an open-addressing table of primitives; other keys
 * use a hash map of boxed tuples.
 *
 * <p>Every build is one pass over the rows' keys, counted per thread ({@link #buildsOnThisThread()},
 * {@link #boxedBuildsOnThisThread()}) so tests can hold a write to one key pass.
 */
public final class KeyIndex {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private static final ThreadLocal<long[]> BUILDS = ThreadLocal.withInitial(() -> new long[2]);

  private final boolean primitive;
  /** Two key columns in the primitive table (pairs), else one. */
  private final boolean pair;
  // primitive table
  private long[] keys;
  private long[] keys2;
  private int[] ids;
  private boolean[] used;
  private int mask;
  // generic
  private final Map<Object, Integer> generic;
  private final int[] rowIds;
  private int distinct;

  private KeyIndex(boolean primitive, boolean pair, int expected) {
    this.primitive = primitive;
    this.pair = pair;
    if (primitive) {
      // Sized for the keys seen, not the rows: many rows often share few keys, and a table sized by
      // rows (10M rows, 100k keys) was 435 MB of mostly empty slots that every probe missed in cache.
      int cap = Integer.highestOneBit(Math.max(4, Math.min(expected, 1 << 15) * 2 - 1)) << 1;
      keys = new long[cap];
      keys2 = pair ? new long[cap] : null;
      ids = new int[cap];
      used = new boolean[cap];
      mask = cap - 1;
      generic = null;
    } else {
      generic = new HashMap<>(Math.max(16, expected * 2));
    }
    rowIds = null;
  }

  private KeyIndex(KeyIndex base, int[] rowIds) {
    this.primitive = base.primitive;
    this.pair = base.pair;
    this.keys = base.keys;
    this.keys2 = base.keys2;
    this.ids = base.ids;
    this.used = base.used;
    this.mask = base.mask;
    this.generic = base.generic;
    this.distinct = base.distinct;
    this.rowIds = rowIds;
  }

  /** True when a single column of this type gets the primitive table. */
  public static boolean integral(DataType t) {
    return t == DataType.LONG || t == DataType.INT || t == DataType.TIMESTAMP || t == DataType.DATE
        || t == DataType.TIMESTAMP_NTZ;
  }

  /**
   * The kinds a key column (upsert, deleteKeys, primary keys) may have: LONG, INT, SHORT, BYTE,
   * STRING, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_NTZ and DECIMAL, whose values compare exactly. Not
   * DOUBLE and FLOAT (rounding makes equal-looking keys differ, and NaN/-0.0 are ambiguous), not
   * BINARY (use a hex or base64 STRING), not STRUCT, ARRAY or MAP (use their fields as keys).
   */
  public static boolean canBeKey(DataType t) {
    return !(t == DataType.DOUBLE || t == DataType.FLOAT || t == DataType.BINARY || t.isNested());
  }

  /** Text for messages listing the kinds {@link #canBeKey} accepts. */
  public static final String KEY_KINDS =
      "LONG, INT, SHORT, BYTE, STRING, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_NTZ or DECIMAL";

  /** True when key columns of these types get the primitive table (one or two integral columns). */
  public static boolean primitive(List<DataType> types) {
    return (types.size() == 1 || types.size() == 2) && types.stream().allMatch(KeyIndex::integral);
  }

  /**
   * Passes over a frame's keys (key-index builds and {@link #countPass counted} passes of other key
   * structures) made on the calling thread since it started.
   */
  public static long buildsOnThisThread() {
    return BUILDS.get()[0];
  }

  /** Of {@link #buildsOnThisThread()}, those that boxed every key into a hash map. */
  public static long boxedBuildsOnThisThread() {
    return BUILDS.get()[1];
  }

  /**
   * Counts one pass over a write's keys made by another key structure of the SDK (the feature
   * store's streaming key set), so that {@link #buildsOnThisThread()} covers every key pass.
   *
   * @param boxed true when the pass boxed each key
   */
  public static void countPass(boolean boxed) {
    long[] count = BUILDS.get();
    count[0]++;
    if (boxed) {
      count[1]++;
    }
  }

  /** True when this index holds its keys as primitives. */
  public boolean isPrimitive() {
    return primitive;
  }

  /** Indexes the key columns of every row (rows with a null key get id -1). */
  public static KeyIndex build(Frame f, List<String> keyColumns) {
    List<Column> cols = columns(f, keyColumns);
    boolean prim = primitive(cols.stream().map(Column::type).toList());
    boolean pair = prim && cols.size() == 2;
    countPass(!prim);
    KeyIndex k = new KeyIndex(prim, pair, f.rowCount());
    int n = f.rowCount();
    int[] rowIds = new int[n];
    if (pair) {
      Column c0 = cols.get(0);
      Column c1 = cols.get(1);
      boolean[] n0 = COLUMNS.nulls(c0);
      boolean[] n1 = COLUMNS.nulls(c1);
      long[] v0 = longs(c0);
      long[] v1 = longs(c1);
      for (int r = 0; r < n; r++) {
        rowIds[r] = (n0 != null && n0[r]) || (n1 != null && n1[r]) ? -1 : k.addPair(v0[r], v1[r]);
      }
    } else if (prim) {
      Column c = cols.get(0);
      boolean[] nulls = COLUMNS.nulls(c);
      if (c.type() == DataType.LONG || c.type() == DataType.TIMESTAMP || c.type() == DataType.TIMESTAMP_NTZ) {
        long[] v = COLUMNS.longs(c);
        for (int r = 0; r < n; r++) {
          rowIds[r] = nulls != null && nulls[r] ? -1 : k.addLong(v[r]);
        }
      } else {
        int[] v = COLUMNS.ints(c);
        for (int r = 0; r < n; r++) {
          rowIds[r] = nulls != null && nulls[r] ? -1 : k.addLong(v[r]);
        }
      }
    } else {
      for (int r = 0; r < n; r++) {
        Object key = tuple(cols, r);
        if (key == null) {
          rowIds[r] = -1;
          continue;
        }
        Integer id = k.generic.putIfAbsent(key, k.distinct);
        rowIds[r] = id == null ? k.distinct++ : id;
      }
    }
    return new KeyIndex(k, rowIds);
  }

  /** Number of distinct keys. */
  public int distinct() {
    return distinct;
  }

  /**
   * The first key that repeats: {earlier row, later row}, or null when every non-null key is unique.
   */
  public int[] firstDuplicate() {
    int[] firstRow = new int[distinct];
    java.util.Arrays.fill(firstRow, -1);
    for (int r = 0; r < rowIds.length; r++) {
      int id = rowIds[r];
      if (id < 0) {
        continue;
      }
      if (firstRow[id] >= 0) {
        return new int[] {firstRow[id], r};
      }
      firstRow[id] = r;
    }
    return null;
  }

  /** Id of a row of the indexed frame (-1 for a null key). */
  public int id(int row) {
    return rowIds[row];
  }

  /** Ids of every row of the indexed frame. */
  public int[] ids() {
    return rowIds;
  }

  /** Ids (or -1 when absent or null) of each row of another frame's key columns, in order. */
  public int[] find(Frame probe, List<String> keyColumns) {
    List<Column> cols = columns(probe, keyColumns);
    int n = probe.rowCount();
    int[] out = new int[n];
    if (pair) {
      Column c0 = cols.get(0);
      Column c1 = cols.get(1);
      boolean[] n0 = COLUMNS.nulls(c0);
      boolean[] n1 = COLUMNS.nulls(c1);
      long[] v0 = longs(c0);
      long[] v1 = longs(c1);
      for (int r = 0; r < n; r++) {
        out[r] = (n0 != null && n0[r]) || (n1 != null && n1[r]) ? -1 : findPair(v0[r], v1[r]);
      }
    } else if (primitive) {
      Column c = cols.get(0);
      boolean[] nulls = COLUMNS.nulls(c);
      boolean isLong = c.type() == DataType.LONG || c.type() == DataType.TIMESTAMP || c.type() == DataType.TIMESTAMP_NTZ;
      long[] lv = isLong ? COLUMNS.longs(c) : null;
      int[] iv = isLong ? null : COLUMNS.ints(c);
      for (int r = 0; r < n; r++) {
        out[r] = nulls != null && nulls[r] ? -1 : findLong(isLong ? lv[r] : iv[r]);
      }
    } else {
      for (int r = 0; r < n; r++) {
        Object key = tuple(cols, r);
        Integer id = key == null ? null : generic.get(key);
        out[r] = id == null ? -1 : id;
      }
    }
    return out;
  }

  /** Id of one key given as values (single or composite), or -1. */
  public int findValues(Object[] values) {
    if (primitive) {
      long[] l = new long[values.length];
      for (int i = 0; i < l.length; i++) {
        Object v = values[i];
        if (v instanceof Number num) {
          l[i] = num.longValue();
        } else if (v instanceof java.time.Instant t) {
          l[i] = dev.mlops.core.internal.Values.instantToMicros(t);
        } else if (v instanceof java.time.LocalDateTime t) {
          l[i] = dev.mlops.core.internal.Values.localToMicros(t);
        } else if (v instanceof java.time.LocalDate d) {
          l[i] = d.toEpochDay();
        } else {
          return -1;
        }
      }
      return pair ? findPair(l[0], l[1]) : findLong(l[0]);
    }
    Object key = values.length == 1 ? values[0] : Arrays.asList(values);
    Integer id = generic.get(key);
    return id == null ? -1 : id;
  }

  /** An integral column's values as longs (ints widened: a copy; longs: the backing array). */
  private static long[] longs(Column c) {
    if (c.type() == DataType.LONG || c.type() == DataType.TIMESTAMP || c.type() == DataType.TIMESTAMP_NTZ) {
      return COLUMNS.longs(c);
    }
    int[] v = COLUMNS.ints(c);
    long[] out = new long[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static List<Column> columns(Frame f, List<String> names) {
    List<Column> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(f.column(n));
    }
    return out;
  }

  private static Object tuple(List<Column> cols, int r) {
    if (cols.size() == 1) {
      Column c = cols.get(0);
      return c.isNull(r) ? null : c.get(r);
    }
    Object[] t = new Object[cols.size()];
    for (int i = 0; i < t.length; i++) {
      Column c = cols.get(i);
      if (c.isNull(r)) {
        return null;
      }
      t[i] = c.get(r);
    }
    return Arrays.asList(t);
  }

  private int slot(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  private int slot(long x, long y) {
    long h = x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private int addPair(long x, long y) {
    int i = slot(x, y);
    while (used[i]) {
      if (keys[i] == x && keys2[i] == y) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = x;
    keys2[i] = y;
    ids[i] = distinct;
    distinct++;
    if (distinct * 2 > keys.length) {
      grow();
    }
    return distinct - 1;
  }

  private int findPair(long x, long y) {
    int i = slot(x, y);
    while (used[i]) {
      if (keys[i] == x && keys2[i] == y) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private int addLong(long v) {
    int i = slot(v);
    while (used[i]) {
      if (keys[i] == v) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = v;
    ids[i] = distinct;
    distinct++;
    if (distinct * 2 > keys.length) {
      grow();
    }
    return distinct - 1;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldKeys2 = keys2;
    int[] oldIds = ids;
    boolean[] oldUsed = used;
    int cap = keys.length * 2;
    keys = new long[cap];
    keys2 = pair ? new long[cap] : null;
    ids = new int[cap];
    used = new boolean[cap];
    mask = cap - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldUsed[j]) {
        int i = pair ? slot(oldKeys[j], oldKeys2[j]) : slot(oldKeys[j]);
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = oldKeys[j];
        if (pair) {
          keys2[i] = oldKeys2[j];
        }
        ids[i] = oldIds[j];
      }
    }
  }

  private int findLong(long v) {
    int i = slot(v);
    while (used[i]) {
      if (keys[i] == v) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }
}
