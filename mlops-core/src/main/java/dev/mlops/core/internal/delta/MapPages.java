package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.ColumnMaps;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Pacing;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A {@code map<string, double>} column whose rows are {@link ColumnMaps} views over columns of doubles
 * (the inference log's {@code probabilities}) or nulls, written straight to its two page writers: the
 * keys dictionary-encoded, the values dictionary-encoded when they repeat and plain when they do not
 * (decided on a sample, as flat columns are), the repetition and definition levels encoded here as
 * RLE/bit-packed hybrid runs. parquet-mr's column writers took each entry's key and value one call at
 * a time (levels, dictionary lookup, statistics, a size check per record): a quarter of the
 * inference log's commit CPU in the serving benchmark. Statistics (min and max through parquet-mr's
 * statistics objects, null counts), level histograms and unencoded sizes are those its writer gives
 * the same rows; the runs and page boundaries may differ, which readers do not see.
 * ColumnarParquetWriterNestedTest reads both writers' files with Kernel, the SDK and DuckDB and
 * compares their chunks.
 */
final class MapPages {
  private MapPages() {}

  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();
  private static final VarHandle LONGS_LE = ColumnarParquetWriter.LONGS_LE;
  private static final VarHandle INTS_LE = ColumnarParquetWriter.INTS_LE;

  /**
   * Writes rows [from, from + n) of the column when it is such a map column and every row in the range
   * is null or such a view; false (nothing written) otherwise, for parquet-mr's writer to take it.
   */
  static boolean write(PageWriter keyPages, PageWriter valuePages, ParquetProperties props, MessageType one, Column c,
      int from, int n) throws IOException {
    if (!(c.columnType() instanceof ColumnType.MapOf mt) || mt.key().kind() != DataType.STRING
        || mt.value().kind() != DataType.DOUBLE || props.getWriterVersion() != ParquetProperties.WriterVersion.PARQUET_1_0) {
      return false;
    }
    ColumnDescriptor kd = one.getColumns().get(0);
    ColumnDescriptor vd = one.getColumns().get(1);
    if (props.isBloomFilterEnabled(kd) || props.isBloomFilterEnabled(vd) || !props.isDictionaryEnabled(kd)
        || kd.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
        || vd.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.DOUBLE
        || (Object) kd.getPrimitiveType().comparator() != PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR
        || kd.getMaxRepetitionLevel() != 1) {
      return false;
    }
    Object[] a = (Object[]) COLUMNS.values(c);
    boolean[] nulls = COLUMNS.nulls(c);
    int end = from + n;
    // the sets of maps the rows belong to (one per prediction group), and the keys' dictionary
    List<ColumnMaps> sets = new ArrayList<>();
    int[] setOf = new int[n]; // -1: a null row
    int[] rowOf = new int[n]; // the row of the view's value columns
    ColumnMaps last = null;
    int lastSet = -1;
    for (int i = from; i < end; i++) {
      if ((i & 4095) == 0) {
        Pacing.point();
      }
      Object v = nulls != null && nulls[i] ? null : a[i];
      if (v == null) {
        setOf[i - from] = -1;
        continue;
      }
      ColumnMaps m = ColumnMaps.of(v);
      if (m == null) {
        return false;
      }
      if (m != last) {
        int at = sets.indexOf(m);
        if (at < 0) {
          if (!m.doubles()) {
            return false;
          }
          at = sets.size();
          sets.add(m);
        }
        last = m;
        lastSet = at;
      }
      setOf[i - from] = lastSet;
      rowOf[i - from] = ColumnMaps.rowOf(v);
    }
    boolean optional = one.getType(0).isRepetition(Type.Repetition.OPTIONAL);
    int present = optional ? 1 : 0;
    int entry = present + 1;
    int full = vd.getMaxDefinitionLevel();
    Map<String, Integer> keyIds = new LinkedHashMap<>();
    int[][] ids = new int[sets.size()][];
    double[][][] values = new double[sets.size()][][];
    boolean[][][] valueNulls = new boolean[sets.size()][][];
    for (int s = 0; s < sets.size(); s++) {
      ColumnMaps m = sets.get(s);
      ids[s] = new int[m.size()];
      values[s] = new double[m.size()][];
      valueNulls[s] = new boolean[m.size()][];
      for (int j = 0; j < m.size(); j++) {
        ids[s][j] = keyIds.computeIfAbsent(m.key(j), k -> keyIds.size());
        values[s][j] = (double[]) COLUMNS.values(m.values(j));
        valueNulls[s][j] = COLUMNS.nulls(m.values(j));
      }
    }
    if (keyIds.isEmpty()) {
      return false; // no entry at all: parquet-mr's writer, which knows a dictionary of nothing
    }
    Binary[] keys = new Binary[keyIds.size()];
    for (Map.Entry<String, Integer> e : keyIds.entrySet()) {
      keys[e.getValue()] = Binary.fromConstantByteArray(e.getKey().getBytes(StandardCharsets.UTF_8));
    }
    Chunk ch = new Chunk(setOf, rowOf, from, ids, values, valueNulls, present, entry, full, c);
    Pacing.point();
    DoubleIds dict = props.isDictionaryEnabled(vd) ? ch.dictionary(props.getDictionaryPageSizeThreshold()) : null;

    int pageRows = Math.max(1, props.getPageRowCountLimit());
    long pageBytes = props.getPageSizeThreshold();
    boolean kStats = props.getStatisticsEnabled(kd);
    boolean vStats = props.getStatisticsEnabled(vd);
    boolean kSize = props.getSizeStatisticsEnabled(kd);
    boolean vSize = props.getSizeStatisticsEnabled(vd);
    int keyWidth = BytesUtils.getWidthFromMaxInt(keys.length - 1);
    int keyLevels = BytesUtils.getWidthFromMaxInt(kd.getMaxDefinitionLevel());
    int valueLevels = BytesUtils.getWidthFromMaxInt(full);
    for (int start = 0; start < n;) {
      int stop = start;
      long bytes = 0;
      while (stop < n && stop - start < pageRows && bytes < pageBytes) {
        int s = setOf[stop++];
        bytes += s < 0 ? 1 : 8L * Math.max(1, ids[s].length);
      }
      ch.page(start, stop, dict);
      int count = ch.levels;
      // keys: statistics of the keys present, nulls below the entry level, sizes per entry
      Statistics<?> ks = kStats ? Statistics.createStats(kd.getPrimitiveType()) : Statistics.noopStats(kd.getPrimitiveType());
      SizeStatistics.Builder ksz = kSize ? SizeStatistics.newBuilder(kd.getPrimitiveType(), 1, kd.getMaxDefinitionLevel())
          : SizeStatistics.noopBuilder(kd.getPrimitiveType(), 1, kd.getMaxDefinitionLevel());
      boolean[] seen = new boolean[keys.length];
      for (int k = 0; k < ch.defined; k++) {
        seen[ch.keyIds[k]] = true;
      }
      for (int k = 0; k < keys.length; k++) {
        if (seen[k]) {
          ks.updateStats(keys[k]);
        }
      }
      if (count > ch.defined) {
        ks.incrementNumNulls(count - ch.defined);
      }
      int kk = 0;
      for (int k = 0; k < count; k++) {
        if (ch.keyDl[k] == entry) {
          ksz.add(ch.rl[k], entry, keys[ch.keyIds[kk++]]);
        } else {
          ksz.add(ch.rl[k], ch.keyDl[k]);
        }
      }
      BytesInput rl = BytesInput.from(hybrid(ch.rl, count, 1, true));
      BytesInput keyData = BytesInput.concat(BytesInput.from(new byte[] {(byte) keyWidth}),
          BytesInput.from(hybrid(ch.keyIds, ch.defined, keyWidth, false)));
      keyPages.writePage(BytesInput.concat(rl, BytesInput.from(hybrid(ch.keyDl, count, keyLevels, true)), keyData),
          count, stop - start, ks, ksz.build(), GeospatialStatistics.noopBuilder().build(), Encoding.RLE, Encoding.RLE,
          Encoding.PLAIN_DICTIONARY);
      // values: statistics value by value (parquet-mr's own, for NaN and signed zeros), plain or dictionary ids
      Statistics<?> vs = vStats ? Statistics.createStats(vd.getPrimitiveType()) : Statistics.noopStats(vd.getPrimitiveType());
      SizeStatistics.Builder vsz = vSize ? SizeStatistics.newBuilder(vd.getPrimitiveType(), 1, full)
          : SizeStatistics.noopBuilder(vd.getPrimitiveType(), 1, full);
      for (int k = 0; k < ch.valueCount; k++) {
        vs.updateStats(ch.doubles[k]);
      }
      if (count > ch.valueCount) {
        vs.incrementNumNulls(count - ch.valueCount);
      }
      for (int k = 0; k < count; k++) {
        vsz.add(ch.rl[k], ch.valueDl[k]);
      }
      BytesInput valueData;
      if (dict != null) {
        int w = BytesUtils.getWidthFromMaxInt(dict.size - 1);
        valueData = BytesInput.concat(BytesInput.from(new byte[] {(byte) w}),
            BytesInput.from(hybrid(ch.chunkIds, ch.idsFrom, ch.valueCount, w, false)));
      } else {
        byte[] plain = new byte[ch.valueCount * 8];
        for (int k = 0; k < ch.valueCount; k++) {
          LONGS_LE.set(plain, k * 8, Double.doubleToLongBits(ch.doubles[k]));
        }
        valueData = BytesInput.from(plain);
      }
      valuePages.writePage(BytesInput.concat(rl, BytesInput.from(hybrid(ch.valueDl, count, valueLevels, true)),
          valueData), count, stop - start, vs, vsz.build(), GeospatialStatistics.noopBuilder().build(), Encoding.RLE,
          Encoding.RLE, dict != null ? Encoding.PLAIN_DICTIONARY : Encoding.PLAIN);
      Pacing.point();
      start = stop;
    }
    keyPages.writeDictionaryPage(new DictionaryPage(BytesInput.from(plainBinaries(keys)), keys.length,
        Encoding.PLAIN_DICTIONARY));
    if (dict != null) {
      byte[] plain = new byte[dict.size * 8];
      for (int k = 0; k < dict.size; k++) {
        LONGS_LE.set(plain, k * 8, dict.bits[k]);
      }
      valuePages.writeDictionaryPage(new DictionaryPage(BytesInput.from(plain), dict.size, Encoding.PLAIN_DICTIONARY));
    }
    return true;
  }

  /** The rows' entries, and one page's levels, key ids and values (reused from page to page). */
  private static final class Chunk {
    final int[] setOf;
    final int[] rowOf;
    final int from;
    final int[][] ids;
    final double[][][] values;
    final boolean[][][] valueNulls;
    final int present;
    final int entry;
    final int full;
    final Column column;
    int[] rl = new int[0];
    int[] keyDl = new int[0];
    int[] valueDl = new int[0];
    int[] keyIds = new int[0];
    /** The values' dictionary ids in chunk order (dictionary encoding), and where the page's start. */
    int[] chunkIds;
    int idsFrom;
    private int nextId;
    double[] doubles = new double[0];
    /** Levels, defined keys and defined values of the page. */
    int levels;
    int defined;
    int valueCount;

    Chunk(int[] setOf, int[] rowOf, int from, int[][] ids, double[][][] values, boolean[][][] valueNulls, int present,
        int entry, int full, Column column) {
      this.setOf = setOf;
      this.rowOf = rowOf;
      this.from = from;
      this.ids = ids;
      this.values = values;
      this.valueNulls = valueNulls;
      this.present = present;
      this.entry = entry;
      this.full = full;
      this.column = column;
    }

    /**
     * The values' dictionary, or null when a sample of them is mostly distinct or they overflow the
     * dictionary page size (then they are written plain, as parquet-mr's writer falls back to).
     */
    DoubleIds dictionary(int maxBytes) {
      int step = Math.max(1, setOf.length / ColumnarParquetWriter.SAMPLES);
      DoubleIds sample = new DoubleIds(2 * ColumnarParquetWriter.SAMPLES);
      int taken = 0;
      for (int r = 0; r < setOf.length; r += step) {
        int s = setOf[r];
        for (int j = 0; s >= 0 && j < ids[s].length; j++) {
          boolean[] vn = valueNulls[s][j];
          if (vn == null || !vn[rowOf[r]]) {
            sample.id(Double.doubleToLongBits(values[s][j][rowOf[r]]));
            taken++;
          }
        }
      }
      if (taken == 0 || sample.size * 2 > taken) {
        return null;
      }
      DoubleIds dict = new DoubleIds(Math.max(16, sample.size * 2));
      int limit = Math.max(1, maxBytes / 8);
      int total = 0;
      for (int s : setOf) {
        total += s < 0 ? 0 : ids[s].length;
      }
      chunkIds = new int[total];
      // each value column's last value and its id: a class whose probability repeats is not hashed again
      long[][] lastBits = new long[ids.length][];
      int[][] lastId = new int[ids.length][];
      for (int s = 0; s < ids.length; s++) {
        lastBits[s] = new long[ids[s].length];
        lastId[s] = new int[ids[s].length];
        Arrays.fill(lastId[s], -1);
      }
      int v = 0;
      for (int r = 0; r < setOf.length; r++) {
        int s = setOf[r];
        for (int j = 0; s >= 0 && j < ids[s].length; j++) {
          boolean[] vn = valueNulls[s][j];
          int row = rowOf[r];
          if (vn == null || !vn[row]) {
            long b = Double.doubleToLongBits(values[s][j][row]);
            int id = lastId[s][j];
            if (id < 0 || lastBits[s][j] != b) {
              id = dict.id(b);
              if (dict.size > limit) {
                return null;
              }
              lastBits[s][j] = b;
              lastId[s][j] = id;
            }
            chunkIds[v++] = id;
          }
        }
      }
      return dict;
    }

    /** Fills the levels, key ids and values of rows [start, stop) (offsets from the chunk's first row). */
    void page(int start, int stop, DoubleIds dict) {
      int cap = 0;
      for (int r = start; r < stop; r++) {
        int s = setOf[r];
        cap += s < 0 ? 1 : Math.max(1, ids[s].length);
      }
      if (rl.length < cap) {
        rl = new int[cap];
        keyDl = new int[cap];
        valueDl = new int[cap];
        keyIds = new int[cap];
        doubles = new double[cap];
      }
      int l = 0;
      int k = 0;
      int v = 0;
      for (int r = start; r < stop; r++) {
        int s = setOf[r];
        if (s < 0) {
          if (present == 0) {
            throw Errors.nullColumnTypeAllows("row " + (from + r), column.name(), column.columnType());
          }
          rl[l] = 0;
          keyDl[l] = 0;
          valueDl[l++] = 0;
          continue;
        }
        int[] keyOf = ids[s];
        if (keyOf.length == 0) {
          rl[l] = 0;
          keyDl[l] = present;
          valueDl[l++] = present;
          continue;
        }
        int row = rowOf[r];
        for (int j = 0; j < keyOf.length; j++) {
          rl[l] = j == 0 ? 0 : 1;
          keyDl[l] = entry;
          keyIds[k++] = keyOf[j];
          boolean[] vn = valueNulls[s][j];
          if (vn != null && vn[row]) {
            if (full == entry) {
              throw Errors.nullColumnTypeAllows("row " + (from + r), column.name(), column.columnType());
            }
            valueDl[l++] = entry;
          } else {
            double d = values[s][j][row];
            valueDl[l++] = full;
            doubles[v] = d;
            v++;
          }
        }
      }
      levels = l;
      defined = k;
      valueCount = v;
      idsFrom = nextId;
      nextId += v;
    }
  }

  /** Ids of doubles by their bits (NaN canonical), in the order first seen: an open-addressing table. */
  private static final class DoubleIds {
    long[] bits;
    private long[] slots;
    private int[] slotIds;
    int size;

    DoubleIds(int expected) {
      int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
      slots = new long[cap];
      slotIds = new int[cap];
      bits = new long[Math.max(16, expected)];
    }

    int id(long b) {
      int mask = slots.length - 1;
      for (int i = slot(b, mask);; i = (i + 1) & mask) {
        int id = slotIds[i];
        if (id == 0) {
          if (size == bits.length) {
            bits = Arrays.copyOf(bits, size * 2);
          }
          bits[size] = b;
          slots[i] = b;
          slotIds[i] = ++size;
          if (size * 2 > slots.length) {
            grow();
          }
          return size - 1;
        }
        if (slots[i] == b) {
          return id - 1;
        }
      }
    }

    /** A Fibonacci hash's high bits: doubles' low bits are often all zero. */
    private static int slot(long b, int mask) {
      return (int) ((b * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private void grow() {
      long[] old = slots;
      int[] oldIds = slotIds;
      slots = new long[old.length * 2];
      slotIds = new int[old.length * 2];
      int mask = slots.length - 1;
      for (int i = 0; i < old.length; i++) {
        if (oldIds[i] != 0) {
          long b = old[i];
          int j = slot(b, mask);
          while (slotIds[j] != 0) {
            j = (j + 1) & mask;
          }
          slots[j] = b;
          slotIds[j] = oldIds[i];
        }
      }
    }
  }

  /** Binary values PLAIN encoded: each one's length (4 bytes, little-endian), then its bytes. */
  private static byte[] plainBinaries(Binary[] values) {
    int size = 0;
    for (Binary b : values) {
      size += 4 + b.length();
    }
    byte[] out = new byte[size];
    int pos = 0;
    for (Binary b : values) {
      INTS_LE.set(out, pos, b.length());
      System.arraycopy(b.getBytesUnsafe(), 0, out, pos + 4, b.length());
      pos += 4 + b.length();
    }
    return out;
  }

  /**
   * values[0, count) at {@code width} bits as RLE/bit-packed hybrid runs (Parquet's encoding of levels
   * and dictionary ids): a run of 8 or more equal values (or the last values, all equal) as one RLE
   * run, the rest bit-packed in groups of 8, up to 63 groups a run as parquet-mr writes them, the last
   * group padded with zeros. With {@code lengthPrefix}, behind the 4-byte length that v1 pages put
   * before their levels.
   */
  static byte[] hybrid(int[] values, int count, int width, boolean lengthPrefix) {
    return hybrid(values, 0, count, width, lengthPrefix);
  }

  /** values[from, from + count) as {@link #hybrid(int[], int, int, boolean)} encodes values[0, count). */
  static byte[] hybrid(int[] values, int from, int count, int width, boolean lengthPrefix) {
    int valueBytes = (width + 7) / 8;
    byte[] out = new byte[(lengthPrefix ? 4 : 0) + 16 + count / 8 * (width + 1) + width + 5 + valueBytes];
    int pos = lengthPrefix ? 4 : 0;
    int end = from + count;
    int i = from;
    while (i < end) {
      int run = runLength(values, i, end);
      if (run >= 8 || i + run == end) {
        out = ColumnarParquetWriter.room(out, pos + 5 + valueBytes);
        pos = varint(out, pos, run << 1);
        int v = values[i];
        for (int b = 0; b < valueBytes; b++) {
          out[pos++] = (byte) (v >>> (8 * b));
        }
        i += run;
        continue;
      }
      int groups = 0;
      int start = i;
      do {
        i += 8;
        groups++;
      } while (i < end && groups < 63 && runLength(values, i, end) < 8);
      out = ColumnarParquetWriter.room(out, pos + 1 + groups * width + 8);
      out[pos++] = (byte) (groups << 1 | 1);
      long acc = 0;
      int bits = 0;
      for (int k = start; k < start + groups * 8; k++) {
        long v = k < end ? values[k] & 0xFFFFFFFFL : 0;
        acc |= v << bits;
        bits += width;
        while (bits >= 8) {
          out[pos++] = (byte) acc;
          acc >>>= 8;
          bits -= 8;
        }
      }
    }
    if (lengthPrefix) {
      INTS_LE.set(out, 0, pos - 4);
    }
    return Arrays.copyOf(out, pos);
  }

  private static int runLength(int[] values, int i, int end) {
    int v = values[i];
    int j = i + 1;
    while (j < end && values[j] == v) {
      j++;
    }
    return j - i;
  }

  private static int varint(byte[] out, int pos, int v) {
    while ((v & ~0x7F) != 0) {
      out[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }
}
