package dev.mlops.features.internal;

import dev.mlops.core.internal.KeyIndex;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.internal.ColumnAccess;
import java.util.List;

/**
 * The point-in-time lookup: for each spine row, the feature row with the same key whose timestamp
 * is the latest one at or before the spine row's timestamp (and, with a lookback window, not older
 * than spine time minus the window). Feature rows are grouped by key with a counting sort and
 * ordered by time inside each group; each spine row costs one hash probe and a binary search.
 */
public final class PointInTime {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private final KeyIndex index;
  private final int[] start; // group g spans order[start[g] .. start[g+1])
  private final int[] order; // feature row numbers grouped by key, by time within a group
  private final long[] time; // timestamps in the same order (null timestamps are excluded)

  private PointInTime(KeyIndex index, int[] start, int[] order, long[] time) {
    this.index = index;
    this.start = start;
    this.order = order;
    this.time = time;
  }

  /**
   * Indexes feature rows by key and (when tsColumn is not null) by time.
   *
   * @param features the feature table's rows
   * @param keys its primary key columns
   * @param tsColumn its timestamp key, or null
   */
  public static PointInTime index(Frame features, List<String> keys, String tsColumn) {
    KeyIndex idx = KeyIndex.build(features, keys);
    int n = features.rowCount();
    int groups = idx.distinct();
    int[] ids = idx.ids();
    long[] ts = null;
    boolean[] tsNull = null;
    if (tsColumn != null) {
      Column c = features.column(tsColumn);
      ts = c.type() == DataType.DATE ? widen(COLUMNS.ints(c), n) : COLUMNS.longs(c);
      tsNull = COLUMNS.nulls(c);
    }
    int[] count = new int[groups + 1];
    for (int r = 0; r < n; r++) {
      if (ids[r] >= 0 && (tsNull == null || !tsNull[r])) {
        count[ids[r] + 1]++;
      }
    }
    for (int g = 0; g < groups; g++) {
      count[g + 1] += count[g];
    }
    int[] start = count.clone();
    int total = count[groups];
    int[] order = new int[total];
    long[] time = tsColumn == null ? null : new long[total];
    int[] fill = count; // reuse as write cursors
    for (int r = 0; r < n; r++) {
      int g = ids[r];
      if (g >= 0 && (tsNull == null || !tsNull[r])) {
        int at = fill[g]++;
        order[at] = r;
        if (time != null) {
          time[at] = ts[r];
        }
      }
    }
    if (time != null) {
      for (int g = 0; g < groups; g++) {
        sortIfNeeded(time, order, start[g], start[g + 1]);
      }
    }
    return new PointInTime(idx, start, order, time);
  }

  private static long[] widen(int[] v, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /**
   * For each spine row, the matching feature row or -1.
   *
   * @param spine the rows to look up
   * @param lookupKeys spine columns in primary key order
   * @param spineTs spine timestamp column (required when the index has times)
   * @param lookback window in the timestamp's unit (microseconds, or days for dates); negative = none
   * @return per spine row the feature row, or -1 (no key, no row at or before the time, outside the
   *     window, or a null spine time: a row without a time matches nothing)
   */
  public int[] match(Frame spine, List<String> lookupKeys, String spineTs, long lookback) {
    int[] ids = index.find(spine, lookupKeys);
    int n = spine.rowCount();
    int[] out = new int[n];
    if (time == null) {
      for (int r = 0; r < n; r++) {
        int g = ids[r];
        // no timestamp key: the primary key is unique, the group has one row (the last one wins otherwise)
        out[r] = g < 0 || start[g] == start[g + 1] ? -1 : order[start[g + 1] - 1];
      }
      return out;
    }
    Column tc = spine.column(spineTs);
    long[] st = tc.type() == DataType.DATE ? widen(COLUMNS.ints(tc), n) : COLUMNS.longs(tc);
    boolean[] stNull = COLUMNS.nulls(tc);
    for (int r = 0; r < n; r++) {
      int g = ids[r];
      if (g < 0 || (stNull != null && stNull[r])) {
        out[r] = -1;
        continue;
      }
      long t = st[r];
      int lo = start[g];
      int hi = start[g + 1] - 1;
      int found = -1;
      while (lo <= hi) { // last position with time <= t
        int mid = (lo + hi) >>> 1;
        if (time[mid] <= t) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (found >= 0 && lookback >= 0 && time[found] < saturatedMinus(t, lookback)) {
        found = -1;
      }
      out[r] = found < 0 ? -1 : order[found];
    }
    return out;
  }

  static long saturatedMinus(long t, long window) {
    long d = t - window;
    return ((t ^ window) & (t ^ d)) < 0 ? Long.MIN_VALUE : d;
  }

  /** For each spine row, the latest feature row of its key (ignoring time), or -1. */
  public int[] matchLatest(Frame spine, List<String> lookupKeys) {
    int[] ids = index.find(spine, lookupKeys);
    int[] out = new int[ids.length];
    for (int r = 0; r < ids.length; r++) {
      int g = ids[r];
      out[r] = g < 0 || start[g] == start[g + 1] ? -1 : order[start[g + 1] - 1];
    }
    return out;
  }

  /** The latest row of each key (by timestamp when there is one): row numbers, one per key. */
  public int[] latestPerKey() {
    int groups = start.length - 1;
    int[] out = new int[groups];
    int k = 0;
    for (int g = 0; g < groups; g++) {
      if (start[g + 1] > start[g]) {
        out[k++] = order[start[g + 1] - 1];
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  /** Orders t[from..to) ascending (o moved along) unless it already is. */
  static void sortIfNeeded(long[] t, int[] o, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (t[i - 1] > t[i]) {
        sort(t, o, from, to - 1);
        return;
      }
    }
  }

  /** Sorts t[lo..hi] ascending, moving o along; stable enough for distinct times (keys are unique). */
  private static void sort(long[] t, int[] o, int lo, int hi) {
    while (hi - lo > 16) {
      long pivot = t[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (t[i] < pivot) {
          i++;
        }
        while (t[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long tt = t[i];
          t[i] = t[j];
          t[j] = tt;
          int oo = o[i];
          o[i] = o[j];
          o[j] = oo;
          i++;
          j--;
        }
      }
      if (j - lo < hi - i) {
        sort(t, o, lo, j);
        lo = i;
      } else {
        sort(t, o, i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      long tv = t[i];
      int ov = o[i];
      int j = i - 1;
      while (j >= lo && t[j] > tv) {
        t[j + 1] = t[j];
        o[j + 1] = o[j];
        j--;
      }
      t[j + 1] = tv;
      o[j + 1] = ov;
    }
  }
}
