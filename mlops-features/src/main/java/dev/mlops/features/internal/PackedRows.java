package dev.mlops.features.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.internal.ColumnAccess;
import java.util.List;

/**
 * The rows of an online table laid out row by row for one-key reads: row {@code id}'s fixed-width
 * values are {@code stride} consecutive longs of {@link #data} (null bits first, one word per 64
 * columns, then one long per value: integers widened, DOUBLE and FLOAT as their raw bits, BOOLEAN 0/1,
 * TIMESTAMP micros, DATE days; 0 where null, as a column stores it), so a read touches one or two cache
 * lines instead of one line in each column's array. STRING, DECIMAL, BINARY and nested values are
 * references in {@link #refs}, {@code refStride} per row. Immutable once built; a publish builds a new
 * one.
 */
public final class PackedRows {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  /** Longest {@code long[]} a JVM allocates safely. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

  final String[] names;
  final DataType[] types;
  /** Per column: offset of its value in a row's longs (fixed width) or in its references. */
  final int[] off;
  final boolean[] ref;
  final boolean[] hasNulls;
  final int nullWords;
  final int stride;
  final int refStride;
  final long[] data;
  final Object[] refs;

  private PackedRows(String[] names, DataType[] types, int[] off, boolean[] ref, boolean[] hasNulls, int nullWords,
      int stride, int refStride, long[] data, Object[] refs) {
    this.names = names;
    this.types = types;
    this.off = off;
    this.ref = ref;
    this.hasNulls = hasNulls;
    this.nullWords = nullWords;
    this.stride = stride;
    this.refStride = refStride;
    this.data = data;
    this.refs = refs;
  }

  /** True for types kept as references (not one long per value). */
  public static boolean isRef(DataType t) {
    return t == DataType.STRING || t == DataType.DECIMAL || t == DataType.BINARY || t.isNested();
  }

  /**
   * Packs the rows {@code rowOfId[id]} of a frame as packed rows {@code id} (a row of -1 stays empty),
   * or returns null when the table is too large for one array (the caller then reads the columns).
   */
  static PackedRows pack(Frame rows, int[] rowOfId) {
    List<Column> cols = rows.columns();
    int c = cols.size();
    int n = rowOfId.length;
    String[] names = new String[c];
    DataType[] types = new DataType[c];
    int[] off = new int[c];
    boolean[] ref = new boolean[c];
    boolean[] hasNulls = new boolean[c];
    boolean anyNulls = false;
    int prims = 0;
    int refCount = 0;
    for (int j = 0; j < c; j++) {
      Column col = cols.get(j);
      names[j] = col.name();
      types[j] = col.type();
      ref[j] = isRef(types[j]);
      hasNulls[j] = col.hasNulls();
      anyNulls |= hasNulls[j];
      off[j] = ref[j] ? refCount++ : prims++;
    }
    int nullWords = anyNulls ? (c + 63) >>> 6 : 0;
    int stride = nullWords + prims;
    if ((long) n * stride > MAX_ARRAY || (long) n * refCount > MAX_ARRAY) {
      return null;
    }
    for (int j = 0; j < c; j++) {
      if (!ref[j]) {
        off[j] += nullWords;
      }
    }
    long[] data = new long[n * stride];
    Object[] refs = refCount == 0 ? null : new Object[n * refCount];
    for (int j = 0; j < c; j++) {
      Column col = cols.get(j);
      Object values = COLUMNS.values(col);
      boolean[] nulls = COLUMNS.nulls(col);
      int at = off[j];
      if (nulls != null) {
        int word = j >>> 6;
        long bit = 1L << (j & 63);
        for (int id = 0; id < n; id++) {
          int r = rowOfId[id];
          if (r >= 0 && nulls[r]) {
            data[id * stride + word] |= bit;
          }
        }
      }
      if (ref[j]) {
        Object[] src = (Object[]) values;
        for (int id = 0; id < n; id++) {
          int r = rowOfId[id];
          if (r >= 0 && (nulls == null || !nulls[r])) {
            refs[id * refCount + at] = src[r];
          }
        }
        continue;
      }
      for (int id = 0; id < n; id++) {
        int r = rowOfId[id];
        if (r >= 0 && (nulls == null || !nulls[r])) {
          data[id * stride + at] = bits(values, r);
        }
      }
    }
    return new PackedRows(names, types, off, ref, hasNulls, nullWords, stride, refCount, data, refs);
  }

  /** One fixed-width value as a long (see the class comment). */
  private static long bits(Object values, int r) {
    if (values instanceof double[] d) {
      return Double.doubleToRawLongBits(d[r]);
    }
    if (values instanceof long[] l) {
      return l[r];
    }
    if (values instanceof int[] i) {
      return i[r];
    }
    if (values instanceof float[] f) {
      return Float.floatToRawIntBits(f[r]);
    }
    if (values instanceof boolean[] b) {
      return b[r] ? 1 : 0;
    }
    if (values instanceof short[] s) {
      return s[r];
    }
    if (values instanceof byte[] b) {
      return b[r];
    }
    throw Errors.notFixedWidthColumnArray(values.getClass());
  }

  /** Keeps the row reads of {@link #probe} from being optimized away. */
  @SuppressWarnings("unused")
  private static long sink;

  /** How many keys behind its probe {@link #probe} reads a key's row. */
  private static final int AHEAD = 16;

  /**
   * {@code ids[i] = table.find(keys[i])} for {@code i < n}, reading, while it probes, the row of the key
   * {@value #AHEAD} keys back: the words of {@code touch} ({@link #touchWords}), one on each line the
   * requested values sit on. A probe whose home slot holds another key is a mispredicted branch that
   * waits for its cache miss; with the rows read in the same loop, their misses are in flight during
   * that wait instead of in a later loop of their own, and {@link #gather} (right after, over the same
   * ids) finds the rows in cache.
   *
   * @param table the key table the ids are of
   * @param keys the keys
   * @param n number of keys
   * @param ids the ids found, -1 for an absent key
   * @param touch row words to read, from {@link #touchWords}
   */
  void probe(LongKeyTable table, long[] keys, int n, int[] ids, int[] touch) {
    long[] data = this.data;
    int stride = this.stride;
    int tl = touch.length;
    if (data.length == 0 || tl == 0) {
      for (int i = 0; i < n; i++) {
        ids[i] = table.find(keys[i]);
      }
      return;
    }
    int first = touch[0];
    int last = touch[tl - 1];
    long touched = 0;
    for (int i = 0; i < n; i++) {
      ids[i] = table.find(keys[i]);
      if (i >= AHEAD) {
        int b = Math.max(ids[i - AHEAD], 0) * stride; // an absent key reads row 0, harmlessly
        touched ^= data[b + first] ^ data[b + last];
        for (int q = 1; q < tl - 1; q++) {
          touched ^= data[b + touch[q]];
        }
      }
    }
    for (int i = Math.max(0, n - AHEAD); i < n; i++) {
      int b = Math.max(ids[i], 0) * stride;
      touched ^= data[b + first] ^ data[b + last];
      for (int q = 1; q < tl - 1; q++) {
        touched ^= data[b + touch[q]];
      }
    }
    sink = touched;
  }

  /**
   * The words of a row to read so that the lines holding the values of these columns (shaped like the
   * published frame's, as for {@link #gather}) and their null words are in cache: of the words in order,
   * the first, the last, and one at least two lines (16 words) after the last kept one. Two reads cover
   * a span of up to two lines; where a row starts within a line is not known, so a line in between may
   * be left out (a third read for it did not pay in a noisy comparison with 10 doubles); the gather
   * then fetches it itself. Empty when a column is not packed (gather refuses then).
   */
  int[] touchWords(List<Column> like) {
    int m = like.size();
    int[] w = new int[2 * m];
    int k = 0;
    for (Column src : like) {
      int j = indexOf(src.name());
      if (j < 0 || src.type() != types[j]) {
        return new int[0];
      }
      if (!ref[j]) {
        w[k++] = off[j];
      }
      if (hasNulls[j]) {
        w[k++] = j >>> 6;
      }
    }
    if (k == 0) {
      return new int[0];
    }
    java.util.Arrays.sort(w, 0, k);
    int[] keep = new int[k];
    int kept = 0;
    for (int i = 0; i < k; i++) {
      if (kept == 0 || i == k - 1 && w[i] != keep[kept - 1] || w[i] >= keep[kept - 1] + 16) {
        keep[kept++] = w[i];
      }
    }
    return java.util.Arrays.copyOf(keep, kept);
  }

  /** Keys per gather chunk: a chunk's packed rows (1,024 x one or two cache lines) stay in L2 across its columns. */
  private static final int GATHER_CHUNK = 1024;

  /**
   * The values of packed rows {@code ids[i]} (-1: no row, every value null) for columns shaped like
   * {@code like} (the published frame's columns, matched by name), as new columns equal to
   * {@code like.get(c).take(rowOf(ids))}, or null when a column is not packed as the frame holds it
   * (then the caller takes from the frame). Chunk by chunk of keys: the chunk's row offsets first, then each
   * column in a tight loop over them (many loads in flight); the first column brings the chunk's rows
   * into cache, the others read them from there, so a key costs its one or two row lines, not a line
   * in every column's array.
   */
  List<Column> gather(int[] ids, List<Column> like) {
    int m = like.size();
    int n = ids.length;
    int[] at = new int[m];
    int[] col = new int[m];
    Object[] out = new Object[m];
    boolean[][] nulls = new boolean[m][];
    for (int c = 0; c < m; c++) {
      Column src = like.get(c);
      int j = indexOf(src.name());
      if (j < 0 || src.type() != types[j]) {
        return null;
      }
      col[c] = j;
      at[c] = off[j];
      out[c] = dev.mlops.core.internal.Values.newArray(src.columnType(), n);
    }
    long[] data = this.data;
    int stride = this.stride;
    int[] base = new int[Math.min(n, GATHER_CHUNK)];
    boolean missing = false;
    for (int s = 0; s < n; s += GATHER_CHUNK) {
      int e = Math.min(n, s + GATHER_CHUNK);
      for (int i = s; i < e; i++) {
        int id = ids[i];
        base[i - s] = id < 0 ? -1 : id * stride;
        missing |= id < 0;
      }
      for (int c = 0; c < m; c++) {
        int o = at[c];
        Object dst = out[c];
        if (ref[col[c]]) {
          Object[] v = (Object[]) dst;
          Object[] refs = this.refs;
          int rs = refStride;
          for (int i = s; i < e; i++) {
            int id = ids[i];
            v[i] = id < 0 ? null : refs[id * rs + o];
          }
        } else if (dst instanceof double[] d) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            d[i] = b < 0 ? 0 : Double.longBitsToDouble(data[b + o]);
          }
        } else if (dst instanceof long[] l) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            l[i] = b < 0 ? 0 : data[b + o];
          }
        } else if (dst instanceof int[] v) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            v[i] = b < 0 ? 0 : (int) data[b + o];
          }
        } else if (dst instanceof float[] v) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            v[i] = b < 0 ? 0 : Float.intBitsToFloat((int) data[b + o]);
          }
        } else if (dst instanceof boolean[] v) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            v[i] = b >= 0 && data[b + o] != 0;
          }
        } else if (dst instanceof short[] v) {
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            v[i] = b < 0 ? 0 : (short) data[b + o];
          }
        } else {
          byte[] v = (byte[]) dst;
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            v[i] = b < 0 ? 0 : (byte) data[b + o];
          }
        }
        int j = col[c];
        if (hasNulls[j]) {
          int word = j >>> 6;
          long bit = 1L << (j & 63);
          for (int i = s; i < e; i++) {
            int b = base[i - s];
            if (b >= 0 && (data[b + word] & bit) != 0) {
              if (nulls[c] == null) {
                nulls[c] = new boolean[n];
              }
              nulls[c][i] = true;
            }
          }
        }
      }
    }
    List<Column> cols = new java.util.ArrayList<>(m);
    for (int c = 0; c < m; c++) {
      boolean[] nl = nulls[c];
      if (missing) {
        nl = nl == null ? new boolean[n] : nl;
        for (int i = 0; i < n; i++) {
          nl[i] |= ids[i] < 0;
        }
      }
      Column src = like.get(c);
      cols.add(COLUMNS.wrap(src.name(), src.columnType(), out[c], nl, n));
    }
    return cols;
  }

  /** Number of columns. */
  int columnCount() {
    return names.length;
  }

  /** The columns' names. */
  List<String> names() {
    return List.of(names);
  }

  /**
   * Where the named columns are, in that order.
   *
   * @throws ColumnNotFoundException for a name the table does not have
   */
  Layout layout(List<String> columns, String table) {
    int n = columns.size();
    String[] ns = new String[n];
    DataType[] ts = new DataType[n];
    int[] col = new int[n];
    int[] at = new int[n];
    boolean[] isRef = new boolean[n];
    boolean[] nullable = new boolean[n];
    for (int i = 0; i < n; i++) {
      String name = columns.get(i);
      int j = indexOf(name);
      if (j < 0) {
        throw Errors.columnNotInOnlineTable(name, names(), table);
      }
      ns[i] = name;
      ts[i] = types[j];
      col[i] = j;
      at[i] = off[j];
      isRef[i] = ref[j];
      nullable[i] = hasNulls[j];
    }
    return new Layout(this, ns, ts, col, at, isRef, nullable);
  }

  private int indexOf(String name) {
    for (int j = 0; j < names.length; j++) {
      if (names[j].equals(name)) {
        return j;
      }
    }
    return -1;
  }

  /**
   * Columns of a reader resolved against one PackedRows: per read column its packed column (for the
   * null bit), the offset of its value, and whether it is a reference.
   */
  public static final class Layout {
    final PackedRows rows;
    final String[] names;
    final DataType[] types;
    final int[] col;
    final int[] off;
    final boolean[] ref;
    final boolean[] nullable;
    private final List<String> nameList;

    Layout(PackedRows rows, String[] names, DataType[] types, int[] col, int[] off, boolean[] ref,
        boolean[] nullable) {
      this.rows = rows;
      this.names = names;
      this.types = types;
      this.col = col;
      this.off = off;
      this.ref = ref;
      this.nullable = nullable;
      this.nameList = List.of(names);
    }

    /** Number of columns read. */
    public int size() {
      return names.length;
    }

    /** Column names in read order. */
    public List<String> names() {
      return nameList;
    }

    /** Name of column i. */
    public String name(int i) {
      return names[i];
    }

    /** Type of column i. */
    public DataType type(int i) {
      return types[i];
    }

    /** Position of a column name, or -1. */
    public int indexOf(String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    /** True when column i of packed row id is null. */
    public boolean isNull(int id, int i) {
      if (!nullable[i]) {
        return false;
      }
      int c = col[i];
      return (rows.data[id * rows.stride + (c >>> 6)] & (1L << (c & 63))) != 0;
    }

    /** The fixed-width value of column i of packed row id, as a long (see {@link PackedRows}). */
    public long bits(int id, int i) {
      return rows.data[id * rows.stride + off[i]];
    }

    /** The reference value of column i of packed row id (null where null). */
    public Object ref(int id, int i) {
      return rows.refs[id * rows.refStride + off[i]];
    }
  }
}
