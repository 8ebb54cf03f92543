package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The rows of a MAP column whose every row has the same keys, its values read from flat columns (one
 * column per key): a class label to its probability, for each prediction of an inference log. Each row is
 * a small read-only view ({@link #row}), not a map of boxed values: at 100-row requests, 330,000 maps a
 * second (~290 bytes and 10 objects each) were most of the heap and of the collector's pauses in the
 * serving benchmark. The Parquet writer recognises the views ({@link #of}) and writes the values from the
 * columns, with no entry or boxed value per row; any other reader sees an ordinary map.
 *
 * <pre>{@code
 * ColumnMaps maps = new ColumnMaps(new String[] {"0", "1"}, new Column[] {p0, p1});
 * Object[] rows = new Object[n];
 * for (int i = 0; i < n; i++) {
 *   rows[i] = maps.row(i); // {"0"=p0[i], "1"=p1[i]}, a null value where the column's value is null
 * }
 * }</pre>
 *
 * <p>A view reads its columns when read: it is valid as long as they are.
 */
public final class ColumnMaps {
  private final String[] keys;
  private final Column[] values;

  /**
   * @param keys every row's keys, in the order rows iterate them
   * @param values for each key, the column of its values (index i is row i's)
   */
  public ColumnMaps(String[] keys, Column[] values) {
    if (keys.length != values.length) {
      throw Errors.keysValueColumns(keys.length, values.length);
    }
    this.keys = keys.clone();
    this.values = values.clone();
  }

  /** Row {@code i}: an unmodifiable map in key order, equal to any map with the same entries. */
  public Map<Object, Object> row(int i) {
    return new Row(this, i);
  }

  /** Number of keys of every row. */
  public int size() {
    return keys.length;
  }

  /** Key {@code j}. */
  public String key(int j) {
    return keys[j];
  }

  /** The column of key {@code j}'s values. */
  public Column values(int j) {
    return values[j];
  }

  /** Whether every value column is a DOUBLE column. */
  public boolean doubles() {
    for (Column c : values) {
      if (c.type() != DataType.DOUBLE) {
        return false;
      }
    }
    return true;
  }

  /** The maps {@code v} is a row of, or null when {@code v} is not a row view. */
  public static ColumnMaps of(Object v) {
    return v instanceof Row r ? r.maps : null;
  }

  /** The row index of a row view ({@link #of} is not null for it). */
  public static int rowOf(Object v) {
    return ((Row) v).row;
  }

  private static final class Row extends AbstractMap<Object, Object> {
    private final ColumnMaps maps;
    private final int row;

    Row(ColumnMaps maps, int row) {
      this.maps = maps;
      this.row = row;
    }

    @Override
    public int size() {
      return maps.keys.length;
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return maps.keys.length;
        }

        @Override
        public Iterator<Map.Entry<Object, Object>> iterator() {
          return new Iterator<>() {
            private int j;

            @Override
            public boolean hasNext() {
              return j < maps.keys.length;
            }

            @Override
            public Map.Entry<Object, Object> next() {
              if (j >= maps.keys.length) {
                throw new NoSuchElementException();
              }
              Column c = maps.values[j];
              return new AbstractMap.SimpleImmutableEntry<>(maps.keys[j++], c.get(row));
            }
          };
        }
      };
    }
  }
}
