package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key tuples of a frame, for "is this row's key among them" tests. Single integral keys use an
 * open-addressing long table (no boxing); other keys use a map of value lists.
 */
final class KeySet {
  private final List<String> keys;
  private final boolean primitive;
  private long[] table;
  private boolean[] used;
  private int[] rowOf;
  private int mask;
  private int size;
  private final Map<List<Object>, Integer> generic;

  private KeySet(List<String> keys, boolean primitive, int expected) {
    this.keys = keys;
    this.primitive = primitive;
    if (primitive) {
      int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
      table = new long[cap];
      used = new boolean[cap];
      rowOf = new int[cap];
      mask = cap - 1;
      generic = null;
    } else {
      generic = new HashMap<>(Math.max(16, expected * 2));
    }
  }

  static boolean isPrimitive(DataType t) {
    return t == DataType.LONG || t == DataType.INT || t == DataType.TIMESTAMP || t == DataType.DATE;
  }

  /** Keys of every row of the frame; returns the row of the first duplicate via {@code dupOut[0..1]}, else -1s. */
  static KeySet of(Frame f, List<String> keys, int[] dupOut) {
    boolean prim = keys.size() == 1 && isPrimitive(f.column(keys.get(0)).type());
    KeySet s = new KeySet(keys, prim, f.rowCount());
    Arrays.fill(dupOut, -1);
    Probe p = s.probe(f);
    for (int r = 0; r < f.rowCount(); r++) {
      int prev = s.add(p, r);
      if (prev >= 0 && dupOut[0] < 0) {
        dupOut[0] = prev;
        dupOut[1] = r;
      }
    }
    return s;
  }

  /** Number of distinct keys. */
  int size() {
    return primitive ? size : generic.size();
  }

  /** Reads key values of another frame with the same key columns. */
  Probe probe(Frame f) {
    List<Column> cols = new ArrayList<>(keys.size());
    for (String k : keys) {
      cols.add(f.column(k));
    }
    return new Probe(cols);
  }

  /** Row (in the frame the set was built from) holding this probe row's key, or -1. */
  int find(Probe p, int row) {
    if (primitive) {
      long v = p.cols.get(0).getLong(row);
      int i = slot(v);
      while (used[i]) {
        if (table[i] == v) {
          return rowOf[i];
        }
        i = (i + 1) & mask;
      }
      return -1;
    }
    Integer r = generic.get(p.tuple(row));
    return r == null ? -1 : r;
  }

  private int add(Probe p, int row) {
    if (primitive) {
      long v = p.cols.get(0).getLong(row);
      int i = slot(v);
      while (used[i]) {
        if (table[i] == v) {
          return rowOf[i];
        }
        i = (i + 1) & mask;
      }
      used[i] = true;
      table[i] = v;
      rowOf[i] = row;
      size++;
      return -1;
    }
    Integer prev = generic.putIfAbsent(p.tuple(row), row);
    return prev == null ? -1 : prev;
  }

  private int slot(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Key columns of one frame. */
  static final class Probe {
    final List<Column> cols;

    Probe(List<Column> cols) {
      this.cols = cols;
    }

    List<Object> tuple(int row) {
      Object[] t = new Object[cols.size()];
      for (int i = 0; i < t.length; i++) {
        Column c = cols.get(i);
        t[i] = c.type() == DataType.DOUBLE ? (Object) c.getDouble(row) : c.get(row);
      }
      return Arrays.asList(t);
    }
  }
}
