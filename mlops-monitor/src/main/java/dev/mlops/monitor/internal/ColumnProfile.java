package dev.mlops.monitor.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.internal.ColumnAccess;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * The mergeable profile of one column in one window and slice. Exact while cheap, sketches beyond:
 *
 * <ul>
 *   <li>numeric values: kept exactly up to {@link #EXACT_VALUES} per profile (exact quantiles, exact
 *       KS/Wasserstein/PSI); beyond, a KLL sketch with k = {@link #KLL_K} (normalized rank error
 *       ≤ 0.68% at 99% confidence, the library's bound for k = 400); count, sum, mean, M2, min, max
 *       always exact;
 *   <li>distinct values: exact up to {@link #EXACT_DISTINCT}, then an HLL sketch (lgK = 12, relative
 *       standard error 1.6%);
 *   <li>categories (string, boolean): exact counts up to {@link #EXACT_DISTINCT} categories, then a
 *       frequent-items sketch (max map size 4096) whose top items keep their estimated counts and
 *       the rest goes to one {@link #OTHER} category for χ²/JS/TV/L∞.
 * </ul>
 * Two profiles of the same column merge into the profile of the union of their rows (coarser
 * windows are merged from finer ones; merging exact parts stays exact).
 */
public final class ColumnProfile {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  /** Numeric values kept exactly per profile before only the KLL sketch remains. */
  public static final int EXACT_VALUES = 20_000;
  /** Distinct values / categories kept exactly before switching to sketches. */
  public static final int EXACT_DISTINCT = 10_000;
  /** KLL accuracy parameter. */
  public static final int KLL_K = 400;
  /** Frequent items reported in {@code frequent_items}. */
  public static final int TOP_K = 20;
  /** The category that collects the rest once categories are sketched. */
  public static final String OTHER = "__other__";
  private static final int HLL_LGK = 12;
  private static final int FREQ_MAP = 4096;

  /** How a column is profiled and compared. */
  public enum Kind { NUMERIC, CATEGORICAL, OTHER }

  public static Kind kindOf(DataType t) {
    return t.isNumeric() ? Kind.NUMERIC : (t == DataType.STRING || t == DataType.BOOLEAN) ? Kind.CATEGORICAL : Kind.OTHER;
  }

  final String column;
  final DataType type;
  final Kind kind;
  long count;
  long nulls;
  long zeros;
  long nans;
  // numeric
  long n; // non-null, non-NaN values
  double mean;
  double m2;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;
  double[] exact = new double[16];
  int exactSize;
  boolean exactLost;
  KllDoublesSketch kll;
  // distinct
  Set<Object> distinct = new HashSet<>();
  HllSketch hll;
  long frozenDistinct = -1; // a profile read back from storage: its distinct estimate
  Ecdf frozen; // a profile read back from storage: its sketched distribution
  // categorical
  Map<String, Long> cats = new HashMap<>();
  ItemsSketch<String> freq;
  long minLen = Long.MAX_VALUE;
  long maxLen = Long.MIN_VALUE;
  long sumLen;
  long lenCount;

  public ColumnProfile(String column, DataType type) {
    this.column = column;
    this.type = type;
    this.kind = kindOf(type);
    if (kind == Kind.NUMERIC) {
      kll = KllDoublesSketch.newHeapInstance(KLL_K);
    }
  }

  public String column() {
    return column;
  }

  public DataType type() {
    return type;
  }

  public Kind kind() {
    return kind;
  }

  /** Adds the given rows of a column (rows == null: all rows). */
  public void add(Column c, int[] rows, int nrows) {
    Object vals = COLUMNS.values(c);
    boolean[] nm = COLUMNS.nulls(c);
    int size = rows == null ? c.size() : nrows;
    count += size;
    for (int k = 0; k < size; k++) {
      int r = rows == null ? k : rows[k];
      if (nm != null && nm[r]) {
        nulls++;
        continue;
      }
      switch (type) {
        case DOUBLE -> addDouble(((double[]) vals)[r]);
        case LONG -> addNumber(((long[]) vals)[r]);
        case INT -> addNumber(((int[]) vals)[r]);
        case STRING -> addString(((String[]) vals)[r]);
        case BOOLEAN -> addString(((boolean[]) vals)[r] ? "true" : "false");
        case TIMESTAMP, TIMESTAMP_NTZ -> addDistinct(((long[]) vals)[r]);
        case DATE -> addDistinct(((int[]) vals)[r]);
        case FLOAT, SHORT, BYTE, DECIMAL -> {
          double x = c.getDouble(r);
          if (type == DataType.FLOAT) {
            addDouble(x);
          } else {
            addNumber(x);
            addDistinctDouble(x == 0.0 ? 0.0 : x);
          }
        }
        case BINARY -> addDistinct(java.util.HexFormat.of().formatHex((byte[]) c.get(r)));
        default -> { } // STRUCT, ARRAY, MAP: count and nulls only
      }
    }
  }

  private void addDouble(double x) {
    if (Double.isNaN(x)) {
      nans++;
      return;
    }
    addNumber(x);
    addDistinctDouble(x == 0.0 ? 0.0 : x);
  }

  private void addNumber(long x) {
    addNumber((double) x);
    if (hll != null) {
      hll.update(x); // no boxing once the distinct count is sketched
    } else {
      addDistinct(x);
    }
  }

  private void addDistinctDouble(double x) {
    if (hll != null) {
      hll.update(x);
    } else {
      addDistinct(x);
    }
  }

  private void addNumber(double x) {
    if (x == 0) {
      zeros++;
    }
    n++;
    double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x < min) {
      min = x;
    }
    if (x > max) {
      max = x;
    }
    kll.update(x);
    if (!exactLost) {
      if (exactSize == exact.length) {
        if (exactSize >= EXACT_VALUES) {
          exactLost = true;
          exact = null;
          exactSize = 0;
          return;
        }
        exact = Arrays.copyOf(exact, Math.min(EXACT_VALUES, exactSize * 2));
      }
      exact[exactSize++] = x;
    }
  }

  private void addDistinct(Object v) {
    if (hll != null) {
      if (v instanceof Long l) {
        hll.update(l);
      } else if (v instanceof Integer i) {
        hll.update(i);
      } else if (v instanceof Double d) {
        hll.update(d);
      } else {
        hll.update(v.toString());
      }
      return;
    }
    distinct.add(v);
    if (distinct.size() > EXACT_DISTINCT) {
      hll = new HllSketch(HLL_LGK, TgtHllType.HLL_8);
      for (Object o : distinct) {
        addDistinctTo(hll, o);
      }
      distinct = null;
    }
  }

  private static void addDistinctTo(HllSketch h, Object v) {
    if (v instanceof Long l) {
      h.update(l);
    } else if (v instanceof Integer i) {
      h.update(i);
    } else if (v instanceof Double d) {
      h.update(d);
    } else {
      h.update(v.toString());
    }
  }

  private void addString(String s) {
    addDistinct(s);
    if (type == DataType.STRING) {
      long len = s.codePointCount(0, s.length());
      minLen = Math.min(minLen, len);
      maxLen = Math.max(maxLen, len);
      sumLen += len;
      lenCount++;
    }
    addCategory(s, 1);
  }

  private void addCategory(String s, long c) {
    if (freq != null) {
      freq.update(s, c);
      return;
    }
    cats.merge(s, c, Long::sum);
    if (cats.size() > EXACT_DISTINCT) {
      freq = new ItemsSketch<>(FREQ_MAP);
      cats.forEach(freq::update);
      cats = null;
    }
  }

  /** Merges another profile of the same column into this one. */
  public void merge(ColumnProfile o) {
    if (!o.column.equals(column) || o.type != type) {
      throw Errors.profilesDoNotMerge(o.column, o.type, column, type);
    }
    if (frozenDistinct >= 0 || o.frozenDistinct >= 0 || frozen != null || o.frozen != null) {
      throw Errors.storedProfileSketchedDistinct(column);
    }
    count += o.count;
    nulls += o.nulls;
    zeros += o.zeros;
    nans += o.nans;
    if (o.n > 0) {
      long total = n + o.n;
      double d = o.mean - mean;
      mean += d * o.n / total;
      m2 += o.m2 + d * d * ((double) n * o.n / total);
      n = total;
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
    }
    if (kind == Kind.NUMERIC) {
      kll.merge(o.kll);
      if (exactLost || o.exactLost || exactSize + o.exactSize > EXACT_VALUES) {
        exactLost = true;
        exact = null;
        exactSize = 0;
      } else {
        exact = Arrays.copyOf(exact, Math.max(exactSize + o.exactSize, 16));
        System.arraycopy(o.exact, 0, exact, exactSize, o.exactSize);
        exactSize += o.exactSize;
      }
    }
    if (hll == null && o.hll == null) {
      for (Object v : o.distinct) {
        addDistinct(v);
      }
    } else {
      Union u = new Union(HLL_LGK);
      if (hll != null) {
        u.update(hll);
      } else {
        HllSketch h = new HllSketch(HLL_LGK, TgtHllType.HLL_8);
        distinct.forEach(v -> addDistinctTo(h, v));
        u.update(h);
      }
      if (o.hll != null) {
        u.update(o.hll);
      } else {
        HllSketch h = new HllSketch(HLL_LGK, TgtHllType.HLL_8);
        o.distinct.forEach(v -> addDistinctTo(h, v));
        u.update(h);
      }
      hll = u.getResult(TgtHllType.HLL_8);
      distinct = null;
    }
    if (kind == Kind.CATEGORICAL) {
      if (o.freq != null) {
        if (freq == null) {
          freq = new ItemsSketch<>(FREQ_MAP);
          cats.forEach(freq::update);
          cats = null;
        }
        freq.merge(o.freq);
      } else {
        o.cats.forEach(this::addCategory);
      }
      minLen = Math.min(minLen, o.minLen);
      maxLen = Math.max(maxLen, o.maxLen);
      sumLen += o.sumLen;
      lenCount += o.lenCount;
    }
  }

  /** A copy (merging into a fresh profile). */
  public ColumnProfile copy() {
    ColumnProfile c = new ColumnProfile(column, type);
    c.merge(this);
    return c;
  }

  // ---- results ----

  public long count() {
    return count;
  }

  public long numNulls() {
    return nulls;
  }

  public long numZeros() {
    return zeros;
  }

  public long numNan() {
    return nans;
  }

  /** Non-null, non-NaN numeric values. */
  public long numericCount() {
    return n;
  }

  public boolean distinctExact() {
    return hll == null && frozenDistinct < 0;
  }

  public long distinctCount() {
    if (frozenDistinct >= 0) {
      return frozenDistinct;
    }
    return hll == null ? distinct.size() : Math.round(hll.getEstimate());
  }

  public double avg() {
    return n == 0 ? Double.NaN : mean;
  }

  /** Sample standard deviation (n - 1), as Spark's stddev. */
  public double stddev() {
    return n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1));
  }

  public double min() {
    return n == 0 ? Double.NaN : min;
  }

  public double max() {
    return n == 0 ? Double.NaN : max;
  }

  /** True when the numeric distribution is held exactly. */
  public boolean valuesExact() {
    return !exactLost;
  }

  /** The numeric distribution (exact or from the sketch). */
  public Ecdf ecdf() {
    if (kind != Kind.NUMERIC) {
      throw Errors.notNumeric(column);
    }
    if (!exactLost) {
      double[] v = Arrays.copyOf(exact, exactSize);
      Arrays.sort(v);
      return Ecdf.ofSorted(v, exactSize);
    }
    if (frozen != null) {
      return frozen;
    }
    if (kll.isEmpty()) {
      return Ecdf.ofSorted(new double[0], 0);
    }
    var view = kll.getSortedView();
    return Ecdf.ofWeighted(view.getQuantiles(), view.getCumulativeWeights(), false);
  }

  /** Quantile at level p (type 7 when exact, the KLL estimate otherwise). */
  public double quantile(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    if (!exactLost) {
      return ecdf().quantile(p);
    }
    return frozen != null ? frozen.quantileInclusive(p) : kll.getQuantile(p);
  }

  /** Quantiles at the levels (one sort for all of them when exact). */
  public double[] quantiles(double[] levels) {
    double[] out = new double[levels.length];
    if (n == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    Ecdf e = exactLost ? null : ecdf();
    for (int i = 0; i < levels.length; i++) {
      out[i] = e != null ? e.quantile(levels[i]) : quantile(levels[i]);
    }
    return out;
  }

  public double minLength() {
    return lenCount == 0 ? Double.NaN : minLen;
  }

  public double maxLength() {
    return lenCount == 0 ? Double.NaN : maxLen;
  }

  public double avgLength() {
    return lenCount == 0 ? Double.NaN : (double) sumLen / lenCount;
  }

  /** Category counts (exact, or the sketch's top items plus {@link #OTHER}). */
  public Map<String, Long> categoryCounts() {
    if (kind != Kind.CATEGORICAL) {
      return Map.of();
    }
    if (freq == null) {
      return cats;
    }
    Map<String, Long> out = new LinkedHashMap<>();
    long sum = 0;
    for (ItemsSketch.Row<String> r : freq.getFrequentItems(ErrorType.NO_FALSE_POSITIVES)) {
      out.put(r.getItem(), r.getEstimate());
      sum += r.getEstimate();
    }
    long rest = freq.getStreamLength() - sum;
    if (rest > 0) {
      out.merge(OTHER, rest, Long::sum);
    }
    return out;
  }

  /** The k most frequent items, most frequent first (ties by item). */
  public List<Map.Entry<String, Long>> frequentItems(int k) {
    if (kind != Kind.CATEGORICAL) {
      return List.of();
    }
    List<Map.Entry<String, Long>> all = new ArrayList<>();
    if (freq == null) {
      all.addAll(cats.entrySet());
    } else {
      for (ItemsSketch.Row<String> r : freq.getFrequentItems(ErrorType.NO_FALSE_POSITIVES)) {
        all.add(Map.entry(r.getItem(), r.getEstimate()));
      }
    }
    all.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  // ---- storage (baseline profiles are computed once and kept) ----

  /** Writes this profile; {@link #read} restores it. */
  public void write(DataOutputStream out) throws IOException {
    out.writeUTF(column);
    out.writeUTF(type.name());
    out.writeLong(count);
    out.writeLong(nulls);
    out.writeLong(zeros);
    out.writeLong(nans);
    out.writeLong(n);
    out.writeDouble(mean);
    out.writeDouble(m2);
    out.writeDouble(min);
    out.writeDouble(max);
    if (kind == Kind.NUMERIC) {
      // the sketch's weighted items, not its byte image: datasketches-memory 3.x refuses JDK 25
      double[] items = frozen != null ? frozen.values : kll.isEmpty() ? new double[0] : kll.getSortedView().getQuantiles();
      long[] cum = frozen != null ? frozen.cum : kll.isEmpty() ? new long[0] : kll.getSortedView().getCumulativeWeights();
      out.writeInt(items.length);
      for (int i = 0; i < items.length; i++) {
        out.writeDouble(items[i]);
        out.writeLong(cum[i] - (i == 0 ? 0 : cum[i - 1]));
      }
      out.writeBoolean(exactLost);
      out.writeInt(exactSize);
      for (int i = 0; i < exactSize; i++) {
        out.writeDouble(exact[i]);
      }
    }
    out.writeBoolean(hll != null || frozenDistinct >= 0);
    if (hll != null || frozenDistinct >= 0) {
      out.writeLong(distinctCount()); // a stored profile keeps the estimate (it is compared, not merged)
    } else {
      out.writeInt(distinct.size());
      for (Object v : distinct) {
        if (v instanceof Long l) {
          out.writeByte('L');
          out.writeLong(l);
        } else if (v instanceof Integer i) {
          out.writeByte('I');
          out.writeInt(i);
        } else if (v instanceof Double d) {
          out.writeByte('D');
          out.writeDouble(d);
        } else {
          out.writeByte('S');
          writeStr(out, v.toString());
        }
      }
    }
    if (kind == Kind.CATEGORICAL) {
      out.writeBoolean(false);
      {
        Map<String, Long> counts = categoryCounts(); // exact, or the sketch's top items plus OTHER
        out.writeInt(counts.size());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
          writeStr(out, e.getKey());
          out.writeLong(e.getValue());
        }
      }
      out.writeLong(minLen);
      out.writeLong(maxLen);
      out.writeLong(sumLen);
      out.writeLong(lenCount);
    }
  }

  /** Reads a profile written by {@link #write}. */
  public static ColumnProfile read(DataInputStream in) throws IOException {
    String column = in.readUTF();
    DataType type = DataType.valueOf(in.readUTF());
    ColumnProfile p = new ColumnProfile(column, type);
    p.count = in.readLong();
    p.nulls = in.readLong();
    p.zeros = in.readLong();
    p.nans = in.readLong();
    p.n = in.readLong();
    p.mean = in.readDouble();
    p.m2 = in.readDouble();
    p.min = in.readDouble();
    p.max = in.readDouble();
    if (p.kind == Kind.NUMERIC) {
      int items = in.readInt();
      double[] vals = new double[items];
      long[] cum = new long[items];
      long run = 0;
      for (int i = 0; i < items; i++) {
        vals[i] = in.readDouble();
        run += in.readLong(); // the sorted view adds the true min and max with weight 0 when the sketch dropped them
        cum[i] = run;
      }
      // a stored profile keeps the sketch's distribution as it was (rebuilding a KLL would compact it again)
      p.frozen = Ecdf.ofWeighted(vals, cum, false);
      p.exactLost = in.readBoolean();
      int size = in.readInt();
      p.exact = p.exactLost ? null : new double[Math.max(size, 16)];
      for (int i = 0; i < size; i++) {
        p.exact[i] = in.readDouble();
      }
      p.exactSize = size;
    }
    if (in.readBoolean()) {
      p.frozenDistinct = in.readLong();
      p.distinct = null;
    } else {
      int size = in.readInt();
      for (int i = 0; i < size; i++) {
        int tag = in.readByte();
        p.distinct.add(switch (tag) {
          case 'L' -> in.readLong();
          case 'I' -> in.readInt();
          case 'D' -> in.readDouble();
          case 'S' -> readStr(in);
          default -> throw Errors.unknownValueTag(tag);
        });
      }
    }
    if (p.kind == Kind.CATEGORICAL) {
      if (in.readBoolean()) {
        throw Errors.unsupportedCategoryEncoding();
      } else {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
          p.cats.put(readStr(in), in.readLong());
        }
      }
      p.minLen = in.readLong();
      p.maxLen = in.readLong();
      p.sumLen = in.readLong();
      p.lenCount = in.readLong();
    }
    return p;
  }

  private static void writeStr(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readStr(DataInputStream in) throws IOException {
    return new String(bytes(in), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > (1 << 28)) {
      throw Errors.corruptLength(len);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
